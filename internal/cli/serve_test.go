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

func TestServeRefusesBadDB(t *testing.T) {
	for name, db := range map[string]string{
		"bad port":       "postgres://gwf:secret@127.0.0.1:notaport/gwf",
		"bad sslmode":    "postgresql://gwf:secret@127.0.0.1/gwf?sslmode=sometimes",
		"unknown scheme": "mysql://gwf:secret@127.0.0.1/gwf",
	} {
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := run(t, "serve", "--db", db)
			if code != cli.ExitBadInput || stdout != "" || !strings.Contains(stderr, "--db") {
				t.Errorf("code %d, stdout %q, stderr %q; want exit 2 about --db", code, stdout, stderr)
			}
			if strings.Contains(stderr, "secret") {
				t.Errorf("the password is shown: %s", stderr)
			}
		})
	}
}
