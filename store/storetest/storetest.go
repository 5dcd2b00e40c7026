// Package storetest is the test suite every store.Store implementation
// passes, as testing/fstest.TestFS is for file systems.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

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
	t.Run("ConcurrentWrites", func(t *testing.T) {
		s := open(t)
		var wg sync.WaitGroup
		errs := make(chan error, 20)
		for i := range 20 {
			wg.Go(func() {
				errs <- s.CreateRun(ctx, &store.Run{Name: fmt.Sprint(i), Scenario: "x"})
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
		if list, _ := s.Runs(ctx, 100); len(list) != 20 {
			t.Errorf("got %d runs, want 20", len(list))
		}
	})
}

func second[T any](_ T, err error) error { return err }
