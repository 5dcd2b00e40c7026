// Package store keeps gwf's scenarios and runs in an embedded SQLite
// database (modernc.org/sqlite, pure Go): numbered schema migrations applied
// on Open, WAL journalling so a crash mid-write leaves the file consistent,
// and every write in a transaction. It knows nothing of HTTP; package server
// adapts it to the web.
package store
