// Package storetest is the test suite every store.Store implementation
// passes, as testing/fstest.TestFS is for file systems.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gwf-project/gwf/store"
)

// Run runs the suite against stores made by open; each subtest gets a fresh,
// empty store.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	t.Run("ScenarioRoundTrip", func(t *testing.T) {
		s := open(t)
		sc := &store.Scenario{Name: "mine", Source: "base: reference\nname: mine\n"}
		if err := s.CreateScenario(ctx, sc); err != nil {
			t.Fatal(err)
		}
		if sc.ID == 0 || sc.Created.IsZero() {
			t.Fatalf("CreateScenario did not set ID/Created: %+v", sc)
		}
		got, err := s.Scenario(ctx, sc.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != sc.Name || got.Source != sc.Source {
			t.Errorf("Scenario = %+v, want %+v", got, sc)
		}
		list, err := s.Scenarios(ctx)
		if err != nil || len(list) != 1 || list[0].ID != sc.ID || list[0].Source != "" {
			t.Errorf("Scenarios = %+v, %v; want one without source", list, err)
		}
		if err := s.DeleteScenario(ctx, sc.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Scenario(ctx, sc.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("after delete: err = %v, want ErrNotFound", err)
		}
	})
	t.Run("NotFound", func(t *testing.T) {
		s := open(t)
		for name, err := range map[string]error{
			"Scenario":       second(s.Scenario(ctx, 42)),
			"DeleteScenario": s.DeleteScenario(ctx, 42),
			"Run":            second(s.Run(ctx, 42)),
			"RenameRun":      s.RenameRun(ctx, 42, "x"),
			"DeleteRun":      s.DeleteRun(ctx, 42),
		} {
			if !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s: err = %v, want ErrNotFound", name, err)
			}
		}
	})
	t.Run("RunRoundTrip", func(t *testing.T) {
		s := open(t)
		r := &store.Run{
			Name: "first", Scenario: "reference", Source: "name: reference\n",
			Overrides: map[string]string{"target.rate": "2 GW/week"},
			Inputs:    map[string]string{"target.rate": "2 GW/week", "project.size": "250 MW"},
			GWPerWeek: "2029-06-04", TenGW: "2028-01-03", FinalMW: 123456.5,
			Result: []byte(`{"scenario":"reference"}`),
		}
		if err := s.CreateRun(ctx, r); err != nil {
			t.Fatal(err)
		}
		got, err := s.Run(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != r.Name || got.Source != r.Source || string(got.Result) != string(r.Result) ||
			got.GWPerWeek != r.GWPerWeek || got.TenGW != r.TenGW || got.FinalMW != r.FinalMW ||
			got.Overrides["target.rate"] != "2 GW/week" || got.Inputs["project.size"] != "250 MW" {
			t.Errorf("Run = %+v\nwant %+v", got, r)
		}
		if err := s.RenameRun(ctx, r.ID, "renamed"); err != nil {
			t.Fatal(err)
		}
		list, err := s.Runs(ctx, 10)
		if err != nil || len(list) != 1 || list[0].Name != "renamed" || list[0].Result != nil || list[0].Inputs != nil {
			t.Errorf("Runs = %+v, %v; want one renamed summary", list, err)
		}
		if err := s.DeleteRun(ctx, r.ID); err != nil {
			t.Fatal(err)
		}
		if list, _ := s.Runs(ctx, 10); len(list) != 0 {
			t.Errorf("after delete Runs = %+v", list)
		}
	})
	t.Run("RunsNewestFirstAndLimit", func(t *testing.T) {
		s := open(t)
		for i := range 5 {
			if err := s.CreateRun(ctx, &store.Run{Name: fmt.Sprint(i), Scenario: "x"}); err != nil {
				t.Fatal(err)
			}
		}
		list, err := s.Runs(ctx, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 3 || list[0].Name != "4" || list[2].Name != "2" {
			t.Errorf("Runs(3) = %+v", list)
		}
	})
	t.Run("RunsBefore", func(t *testing.T) {
		s := open(t)
		var pager store.RunPager = s
		var ids []int64
		for i := range 7 {
			r := &store.Run{Name: fmt.Sprint(i), Scenario: "x"}
			if err := s.CreateRun(ctx, r); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, r.ID)
		}
		if err := s.DeleteRun(ctx, ids[4]); err != nil {
			t.Fatal(err)
		}
		// Pages of 2 from the newest: 6 5 | 3 2 | 1 0 | (none).
		var got []string
		before := int64(0)
		for range 5 {
			page, err := pager.RunsBefore(ctx, before, 2)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			for _, r := range page {
				got = append(got, r.Name)
				if r.Result != nil || r.Inputs != nil || r.Source != "" {
					t.Errorf("RunsBefore read run %d's source, inputs or result", r.ID)
				}
			}
			got = append(got, "|")
			before = page[len(page)-1].ID
		}
		if g := strings.Join(got, " "); g != "6 5 | 3 2 | 1 0 |" {
			t.Errorf("pages of 2 = %q, want \"6 5 | 3 2 | 1 0 |\"", g)
		}
	})
	t.Run("ConcurrentWritesAndReads", func(t *testing.T) {
		// 50 clients at once, as the load test sends: writes, renames,
		// deletes and listings never fail with "database is locked".
		s := open(t)
		var wg sync.WaitGroup
		errs := make(chan error, 200)
		big := make([]byte, 256<<10)
		for i := range 50 {
			wg.Go(func() {
				r := &store.Run{Name: fmt.Sprint(i), Scenario: "x", Result: big}
				if err := s.CreateRun(ctx, r); err != nil {
					errs <- err
					return
				}
				if err := s.RenameRun(ctx, r.ID, "renamed"); err != nil {
					errs <- err
				}
				if i%5 == 0 {
					if err := s.DeleteRun(ctx, r.ID); err != nil {
						errs <- err
					}
				}
			})
			wg.Go(func() {
				if _, err := s.Runs(ctx, 100); err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if list, _ := s.Runs(ctx, 100); len(list) != 40 {
			t.Errorf("got %d runs, want 40", len(list))
		}
	})
	t.Run("IDsNeverReused", func(t *testing.T) {
		s := open(t)
		r1 := &store.Run{Name: "a", Scenario: "x"}
		r2 := &store.Run{Name: "b", Scenario: "x"}
		sc1 := &store.Scenario{Name: "a", Source: "name: a\n"}
		j1 := &store.Job{Name: "a", Status: store.JobDone, Runs: 1}
		for _, err := range []error{s.CreateRun(ctx, r1), s.CreateRun(ctx, r2), s.CreateScenario(ctx, sc1), s.CreateJob(ctx, j1)} {
			if err != nil {
				t.Fatal(err)
			}
		}
		for _, err := range []error{s.DeleteRun(ctx, r2.ID), s.DeleteScenario(ctx, sc1.ID), s.DeleteJob(ctx, j1.ID)} {
			if err != nil {
				t.Fatal(err)
			}
		}
		r3 := &store.Run{Name: "c", Scenario: "x"}
		sc2 := &store.Scenario{Name: "b", Source: "name: b\n"}
		j2 := &store.Job{Name: "b", Status: store.JobDone, Runs: 1}
		for _, err := range []error{s.CreateRun(ctx, r3), s.CreateScenario(ctx, sc2), s.CreateJob(ctx, j2)} {
			if err != nil {
				t.Fatal(err)
			}
		}
		if r3.ID == r2.ID || sc2.ID == sc1.ID || j2.ID == j1.ID {
			t.Errorf("ids reused after delete: run %d→%d, scenario %d→%d, job %d→%d", r2.ID, r3.ID, sc1.ID, sc2.ID, j1.ID, j2.ID)
		}
	})
	t.Run("JobRoundTrip", func(t *testing.T) {
		s := open(t)
		j := &store.Job{Name: "study", Status: store.JobRunning, Runs: 500, Seed: 7, Scenario: "reference",
			Overrides: map[string]string{"project.size": "500 MW"}}
		if err := s.CreateJob(ctx, j); err != nil {
			t.Fatal(err)
		}
		if j.ID == 0 || j.Started.IsZero() {
			t.Fatalf("CreateJob did not set ID/Started: %+v", j)
		}
		j.Status, j.Done, j.Result, j.Finished = store.JobCancelled, 120, []byte(`{"completed":120}`), j.Started.Add(time.Second)
		if err := s.UpdateJob(ctx, j); err != nil {
			t.Fatal(err)
		}
		got, err := s.Job(ctx, j.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != store.JobCancelled || got.Done != 120 || string(got.Result) != `{"completed":120}` ||
			got.Overrides["project.size"] != "500 MW" || got.Seed != 7 || got.Finished.IsZero() {
			t.Errorf("Job = %+v", got)
		}
		list, err := s.Jobs(ctx, 10)
		if err != nil || len(list) != 1 || list[0].Result != nil || list[0].Done != 120 {
			t.Errorf("Jobs = %+v, %v; want one without result", list, err)
		}
		if err := s.DeleteJob(ctx, j.ID); err != nil {
			t.Fatal(err)
		}
		for name, err := range map[string]error{
			"Job":       second(s.Job(ctx, j.ID)),
			"DeleteJob": s.DeleteJob(ctx, j.ID),
			"UpdateJob": s.UpdateJob(ctx, j),
		} {
			if !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s after delete: err = %v, want ErrNotFound", name, err)
			}
		}
	})
	t.Run("HeadlineKept", func(t *testing.T) {
		s := open(t)
		r := &store.Run{Name: "h", Scenario: "x", Headline: []byte(`{"capex_usd":1}`), Result: []byte(`{"big":true}`)}
		if err := s.CreateRun(ctx, r); err != nil {
			t.Fatal(err)
		}
		list, err := s.Runs(ctx, 1)
		if err != nil || len(list) != 1 || string(list[0].Headline) != `{"capex_usd":1}` {
			t.Errorf("Runs = %+v, %v; want the headline listed", list, err)
		}
	})
}

func second[T any](_ T, err error) error { return err }
