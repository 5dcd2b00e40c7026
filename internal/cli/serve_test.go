package cli_test

import (
	"strings"
	"testing"

	"github.com/gwf-project/gwf/internal/cli"
)

func TestServeRefusesOpenAddrWithoutToken(t *testing.T) {
	code, stdout, stderr := run(t, "serve", "--addr", "0.0.0.0:8080", "--db", t.TempDir()+"/x.db")
	if code != cli.ExitBadInput || stdout != "" || !strings.Contains(stderr, "--token") {
		t.Errorf("code %d, stdout %q, stderr %q; want exit 2 asking for --token", code, stdout, stderr)
	}
}
