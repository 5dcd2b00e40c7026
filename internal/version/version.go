// Package version holds gwf's version, recorded in every run's output so a
// result can be traced to the code that made it.
package version

// Version is gwf's release version.
const Version = "0.1.0"
