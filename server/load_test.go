package server_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gwf-project/gwf/server"
)

// BenchmarkCreateRunLoad sends POST /api/runs (the reference with one key
// number changed, so each run simulates and is stored in SQLite) from 1 and
// 8 concurrent loopback clients, and reports latency percentiles. Bounded:
// b.N requests in all, each client with a 30 s timeout.
//
//	go test ./server -run '^$' -bench CreateRunLoad -benchtime 400x
func BenchmarkCreateRunLoad(b *testing.B) {
	for _, clients := range []int{1, 8} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) { loadRuns(b, clients) })
	}
}

func loadRuns(b *testing.B, clients int) {
	ts := newServer(b, server.Config{})
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	var mu sync.Mutex
	var lat []time.Duration
	var failed int
	next := make(chan int)
	b.ResetTimer()
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			for i := range next {
				body := fmt.Sprintf(`{"overrides":{"project.size":"%d MW"}}`, 200+i%50*10)
				start := time.Now()
				resp, err := client.Post(ts.URL+"/api/runs", "application/json", strings.NewReader(body))
				d := time.Since(start)
				mu.Lock()
				if err != nil || resp.StatusCode != http.StatusCreated {
					failed++
				} else {
					lat = append(lat, d)
				}
				mu.Unlock()
				if resp != nil {
					resp.Body.Close()
				}
			}
		})
	}
	for i := 0; b.Loop(); i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	b.StopTimer()
	if failed > 0 {
		b.Fatalf("%d requests failed", failed)
	}
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}
