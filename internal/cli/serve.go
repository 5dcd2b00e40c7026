package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/gwf-project/gwf/queue"
	"github.com/gwf-project/gwf/server"
	"github.com/gwf-project/gwf/store"
)

// shutdownGrace is how long in-flight requests (and their writes) get to
// finish after SIGTERM or SIGINT.
const shutdownGrace = 15 * time.Second

func (e *env) serveCommand() *cobra.Command {
	var addr, dbPath, token, natsURL string
	var allowHosts []string
	var local, chunkRuns int
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the web app and JSON API, keeping runs in a database",
		Long: `serve starts gwf's web app and JSON API (see docs/api.md): pick or upload a
scenario, change its key numbers, run it, see the report's charts, and list,
name, compare and delete runs. Scenarios, runs and Monte Carlo jobs are kept
in an SQLite file (--db FILE), by default under your data directory, or in a
PostgreSQL database (--db postgres://USER@HOST:5432/DB), which several
servers (replicas) behind one load balancer may share.

It listens on 127.0.0.1:8080 by default. Listening on any other address
requires --token: clients must then send "Authorization: Bearer TOKEN".

The server answers only to requests naming it by a loopback name
(localhost, 127.0.0.1, ::1), the address it listens on, or a name given with
--allow-host; on 0.0.0.0 or :: without --allow-host it answers to any name
(the token guards it). State-changing requests must come from its own page
(or a client such as curl that sends no Origin) and carry JSON.

Monte Carlo jobs run in this process unless --nats URL is given: then they
run in chunks of --mc-chunk-runs runs on "gwf worker --nats URL" processes
(see docs/scale-out.md), with the same results byte for byte. --nats
embedded starts a NATS server in this process with --local-workers workers
(at least one), which other machines' workers may join.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkServeAddr(addr, token); err != nil {
				return usageError{err}
			}
			if err := checkDB(dbPath); err != nil {
				return usageError{err}
			}
			if dbPath == "" {
				p, err := defaultDBPath()
				if err != nil {
					return usageError{fmt.Errorf("%w; give --db FILE", err)}
				}
				dbPath = p
			}
			if local < 0 || chunkRuns < 0 {
				return usageError{errors.New("--local-workers and --mc-chunk-runs must not be negative")}
			}
			cfg := server.Config{Token: token, AllowedHosts: allowedHosts(addr, allowHosts), MCChunkRuns: chunkRuns}
			if natsURL != "" {
				if !cmd.Flags().Changed("local-workers") && natsURL != "embedded" {
					local = 0
				}
				nc, closeNATS, err := e.serveNATS(natsURL, local)
				if err != nil {
					return err
				}
				defer closeNATS()
				cfg.NATS = nc
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return e.serve(ctx, cfg, addr, dbPath, nil)
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "`HOST:PORT` to listen on; other than loopback requires --token")
	cmd.Flags().StringVar(&dbPath, "db", "", "SQLite database `FILE` (default: gwf/gwf.db under your data directory), or a postgres:// URL")
	cmd.Flags().StringVar(&token, "token", "", "bearer `TOKEN` clients must send (required off loopback)")
	cmd.Flags().StringSliceVar(&allowHosts, "allow-host", nil, "also answer to requests for host `NAME` (repeat or separate with commas)")
	cmd.Flags().StringVar(&natsURL, "nats", "", "run Monte Carlo jobs on gwf worker processes through the NATS server at `URL` (or \"embedded\")")
	cmd.Flags().IntVar(&local, "local-workers", 1, "with --nats: workers to run in this process too (default 1 with embedded, else 0)")
	cmd.Flags().IntVar(&chunkRuns, "mc-chunk-runs", queue.DefaultMCChunkRuns, "with --nats: runs in one Monte Carlo chunk")
	return cmd
}

// serve runs the server until ctx is done, then shuts down gracefully. When
// ready is not nil it receives the address listened on.
func (e *env) serve(ctx context.Context, cfg server.Config, addr, dbPath string, ready chan<- string) error {
	log := slog.New(slog.NewTextHandler(e.stderr, nil))
	if ctx == nil {
		ctx = context.Background()
	}
	st, err := openStore(ctx, dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	dbPath = dbLabel(dbPath)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	cfg.Store, cfg.Log = st, log
	app := server.New(cfg)
	defer app.Close() // after Shutdown: stop Monte Carlo jobs still running
	srv := &http.Server{
		Handler:           app,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	url := "http://" + ln.Addr().String() + "/"
	log.Info("gwf serving", "url", url, "db", dbPath, "token", cfg.Token != "", "allowed_hosts", cfg.AllowedHosts)
	fmt.Fprintf(e.stdout, "gwf: serving on %s (database %s); stop with Ctrl-C\n", url, dbPath)
	if ready != nil {
		ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// checkDB refuses a --db that is neither a file nor a well-formed
// postgres:// URL.
func checkDB(db string) error {
	if store.IsPostgresURL(db) {
		if err := store.ParsePostgresURL(db); err != nil {
			return fmt.Errorf("--db: %w", err)
		}
		return nil
	}
	if scheme, _, ok := strings.Cut(db, "://"); ok {
		return fmt.Errorf("--db: %s:// is not a database gwf knows; give an SQLite file path or a postgres:// URL", scheme)
	}
	return nil
}

// openStore opens the PostgreSQL database a postgres:// URL names, else
// the SQLite file at db.
func openStore(ctx context.Context, db string) (store.Store, error) {
	if store.IsPostgresURL(db) {
		return store.OpenPostgres(ctx, db)
	}
	return store.Open(ctx, db)
}

// dbLabel is db as logs and messages show it: a URL without its password.
func dbLabel(db string) string {
	if !store.IsPostgresURL(db) {
		return db
	}
	u, err := url.Parse(db)
	if err != nil {
		return "postgres://(unparsable URL)"
	}
	return u.Redacted()
}

// checkServeAddr refuses a non-loopback address without a token.
func checkServeAddr(addr, token string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--addr %q: want HOST:PORT, such as 127.0.0.1:8080", addr)
	}
	if isLoopback(host) || token != "" {
		return nil
	}
	return fmt.Errorf("--addr %s is not a loopback address: anyone who can reach it could run and delete scenarios, so give --token TOKEN (clients send \"Authorization: Bearer TOKEN\")", addr)
}

// allowedHosts are the host names the server answers to besides loopback
// names: those given, and the address listened on. On an unspecified
// address (0.0.0.0, ::) with none given, any name: the machine's names are
// not known, and a token is required there.
func allowedHosts(addr string, given []string) []string {
	out := append([]string(nil), given...)
	host, _, err := net.SplitHostPort(addr)
	if err != nil || isLoopback(host) {
		return out
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		if len(given) == 0 {
			out = append(out, "*")
		}
		return out
	}
	return append(out, host)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// defaultDBPath is gwf/gwf.db under $XDG_DATA_HOME, else ~/.local/share,
// else the user's configuration directory.
func defaultDBPath() (string, error) {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "gwf", "gwf.db"), nil
	}
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".local", "share", "gwf", "gwf.db"), nil
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no data directory: %w", err)
	}
	return filepath.Join(d, "gwf", "gwf.db"), nil
}
