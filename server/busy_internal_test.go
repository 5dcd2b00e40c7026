package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gwf-project/gwf/store"
)

// TestBusyAnswers429 fills every simulation slot and checks that a run
// waits Config.SlotWait, then gets 429 with Retry-After, not a 5xx.
func TestBusyAnswers429(t *testing.T) {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "gwf.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := New(Config{Store: st, MaxRunsAtOnce: 2, SlotWait: 50 * time.Millisecond})
	defer s.Close()
	s.running <- struct{}{}
	s.running <- struct{}{}
	req := httptest.NewRequest("POST", "http://127.0.0.1/api/runs", strings.NewReader(`{}`))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	start := time.Now()
	s.ServeHTTP(rec, req)
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Errorf("answered after %v, want a wait of SlotWait (50 ms) first", d)
	}
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" {
		t.Errorf("with every slot taken: %d, Retry-After %q; want 429 with Retry-After", rec.Code, rec.Header().Get("Retry-After"))
	}
	// A slot freed while waiting is taken.
	go func() { time.Sleep(10 * time.Millisecond); <-s.running }()
	rec = httptest.NewRecorder()
	req = httptest.NewRequest("POST", "http://127.0.0.1/api/runs", strings.NewReader(`{}`))
	req.Header.Set("Content-Type", "application/json")
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusCreated {
		t.Errorf("with a slot freed during the wait: %d %s, want 201", rec.Code, rec.Body)
	}
}
