// Package server is gwf's web app and JSON API: pick or upload a scenario,
// change its key numbers, run it, see the report's charts, and list, name,
// compare and delete runs kept in a store.Store. The page is rendered with
// html/template from assets embedded in the binary and talks to the same
// JSON API documented in docs/api.md; nothing is loaded from the network.
package server
