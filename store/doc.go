// Package store keeps gwf's scenarios, runs and Monte Carlo jobs. SQLite
// (Open; modernc.org/sqlite, pure Go) is the default: numbered schema
// migrations applied on Open, WAL journalling so a crash mid-write leaves
// the file consistent, and every write in a transaction. PostgreSQL
// (OpenPostgres; pgx) has the same schema and passes the same suite
// (storetest), for several servers sharing one database. It knows nothing
// of HTTP; package server adapts it to the web.
package store
