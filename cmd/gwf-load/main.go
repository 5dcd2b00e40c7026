// Command gwf-load drives a gwf server as many users at once would and
// reports latency percentiles per route and the statuses answered:
//
//	gwf serve --addr 127.0.0.1:8099 --db /tmp/load/gwf.db &
//	go run ./cmd/gwf-load -url http://127.0.0.1:8099 -clients 50 -duration 30s
//
// Each client loops: one request in three (-writes) is POST /api/runs (the
// reference with the campus size changed, so every run simulates and is
// stored), the others GET /api/runs (the first page). A 429 is counted and
// its Retry-After honoured, as a well-behaved client would.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

func main() {
	url := flag.String("url", "http://127.0.0.1:8080", "the server's base `URL`")
	clients := flag.Int("clients", 50, "concurrent clients")
	duration := flag.Duration("duration", 30*time.Second, "how long to send requests")
	writes := flag.Int("writes", 3, "one request in `N` creates a run (0: none)")
	token := flag.String("token", "", "bearer `token`, if the server needs one")
	flag.Parse()
	if *clients < 1 || *duration <= 0 || *writes < 0 {
		fmt.Fprintln(os.Stderr, "gwf-load: -clients and -duration must be positive, -writes not negative")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *duration)
	defer cancel()
	st := run(ctx, strings.TrimSuffix(*url, "/"), *token, *clients, *writes)
	st.print(os.Stdout, *clients, *duration)
	if st.failed > 0 || st.server5xx() > 0 {
		os.Exit(1)
	}
}

// stats are the latencies and statuses seen, by route.
type stats struct {
	mu     sync.Mutex
	lat    map[string][]time.Duration
	status map[string]map[int]int
	failed int // transport errors
	errs   map[string]int
}

func (s *stats) add(route string, status int, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lat[route] = append(s.lat[route], d)
	if s.status[route] == nil {
		s.status[route] = map[int]int{}
	}
	s.status[route][status]++
}

func (s *stats) fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failed++
	s.errs[err.Error()]++
}

func (s *stats) server5xx() int {
	n := 0
	for _, by := range s.status {
		for code, c := range by {
			if code >= 500 {
				n += c
			}
		}
	}
	return n
}

func run(ctx context.Context, base, token string, clients, writes int) *stats {
	st := &stats{lat: map[string][]time.Duration{}, status: map[string]map[int]int{}, errs: map[string]int{}}
	client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients, DisableCompression: false}}
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for i := c; ctx.Err() == nil; i += clients {
				route, method, body := "GET /api/runs", "GET", ""
				if writes > 0 && i%writes == 0 {
					route, method = "POST /api/runs", "POST"
					body = fmt.Sprintf(`{"overrides":{"project.size":"%d MW"}}`, 200+i%60*10)
				}
				var rd io.Reader
				if body != "" {
					rd = strings.NewReader(body)
				}
				req, err := http.NewRequestWithContext(context.WithoutCancel(ctx), method, base+"/api/runs", rd)
				if err != nil {
					st.fail(err)
					return
				}
				if body != "" {
					req.Header.Set("Content-Type", "application/json")
				}
				if token != "" {
					req.Header.Set("Authorization", "Bearer "+token)
				}
				start := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					st.fail(err)
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				st.add(route, resp.StatusCode, time.Since(start))
				if resp.StatusCode == http.StatusTooManyRequests {
					secs, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
					select {
					case <-time.After(time.Duration(max(secs, 1)) * time.Second):
					case <-ctx.Done():
					}
				}
			}
		})
	}
	wg.Wait()
	return st
}

func (s *stats) print(w io.Writer, clients int, d time.Duration) {
	routes := make([]string, 0, len(s.lat))
	total := 0
	for r, l := range s.lat {
		routes = append(routes, r)
		total += len(l)
	}
	sort.Strings(routes)
	fmt.Fprintf(w, "%d requests from %d clients in %v (%.0f/s); %d transport errors\n", total, clients, d, float64(total)/d.Seconds(), s.failed)
	fmt.Fprintf(w, "%-16s %8s %9s %9s %9s %9s  %s\n", "route", "requests", "p50", "p95", "p99", "max", "statuses")
	for _, r := range routes {
		l := slices.Clone(s.lat[r])
		slices.Sort(l)
		pct := func(p float64) string {
			return fmt.Sprintf("%.1fms", float64(l[min(len(l)-1, int(p*float64(len(l))))].Microseconds())/1000)
		}
		codes := make([]int, 0, len(s.status[r]))
		for c := range s.status[r] {
			codes = append(codes, c)
		}
		sort.Ints(codes)
		var parts []string
		for _, c := range codes {
			parts = append(parts, fmt.Sprintf("%d × %d", s.status[r][c], c))
		}
		fmt.Fprintf(w, "%-16s %8d %9s %9s %9s %9s  %s\n", r, len(l), pct(0.50), pct(0.95), pct(0.99), pct(1), strings.Join(parts, ", "))
	}
	for e, n := range s.errs {
		fmt.Fprintf(w, "error (%d×): %s\n", n, e)
	}
}
