// Command gwf plans and simulates a factory that brings a gigawatt of AI
// infrastructure online every week. See "gwf --help".
package main

import (
	"os"

	"github.com/gwf-project/gwf/internal/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], os.Stdout, os.Stderr))
}
