package sim

import (
	"math"
	"testing"
)

// priceRecorder is a policy that starts nothing and records each line's
// unit cost every week.
type priceRecorder struct{ cost [][]float64 }

func (p *priceRecorder) Decide(s *State) {
	for l := range s.lines {
		p.cost[l] = append(p.cost[l], s.price(l))
	}
}

// PricePath is the simulation's learning curve: with no expansions funded,
// a run's unit costs are the path's, week by week, for every line
// (accelerators by generation).
func TestPricePathIsTheRunsPrices(t *testing.T) {
	m := referenceModel(t, 0)
	rec := &priceRecorder{cost: make([][]float64, len(m.Lines))}
	Run(m, rec)
	learnt := 0
	for l := range m.Lines {
		path := m.PricePath(l)
		if len(rec.cost[l]) != len(path) {
			t.Fatalf("%s: %d weeks recorded, path has %d", m.Lines[l].Name, len(rec.cost[l]), len(path))
		}
		for w, want := range path {
			if got := rec.cost[l][w]; got != want {
				t.Fatalf("%s week %d: run's unit cost %v, path %v", m.Lines[l].Name, w, got, want)
			}
		}
		if path[len(path)-1] < 0.9*path[0] {
			learnt++
		}
	}
	if learnt < 3 {
		t.Fatalf("only %d lines' prices fell by 10%% over the horizon: the test would not see learning", learnt)
	}
}

// The money equations on hand-computed figures.
func TestMoneyEquations(t *testing.T) {
	f := Facility{Limit: 100, RevenueMultiple: 2, WeeklyRate: 0.01, TenorWeeks: 4}
	if got := f.Instalment(100); got != 25 {
		t.Errorf("instalment of 100 over 4 weeks: %v, want 25", got)
	}
	if got := f.Interest(50); got != 0.5 {
		t.Errorf("interest on 50 at 1%%/week: %v, want 0.5", got)
	}
	if got := f.Headroom(120, 30); got != 40 {
		t.Errorf("headroom: limit 100 + 2 × 30 − 120 = %v, want 40", got)
	}
	if got := f.Headroom(300, 30); got != 0 {
		t.Errorf("headroom overdrawn: %v, want 0", got)
	}
	fm := Finance{RampWeeks: 4, RevenuePerMWWeek: 10, Utilisation: 0.5, RevenueDecline: 0.99, ReserveWeeks: 3, EnergyPerMWh: []float64{50}}
	for k, want := range []float64{0, 0.25, 0.5, 0.75, 1, 1} {
		if got := fm.RampShare(k); got != want {
			t.Errorf("ramp share %d weeks on: %v, want %v", k, got, want)
		}
	}
	if got := fm.RevenuePerMW(0.5); got != 2.5 {
		t.Errorf("revenue per MW at half price: %v, want 2.5", got)
	}
	if got := fm.PriceFactor(2); math.Abs(got-0.9801) > 1e-15 {
		t.Errorf("price factor after 2 weeks: %v, want 0.9801", got)
	}
	if got := fm.Reserve(7); got != 21 {
		t.Errorf("reserve of 3 weeks of 7: %v, want 21", got)
	}
	if got := fm.EnergyPerWeek(0, 2); got != 2*168*50 {
		t.Errorf("energy of 2 MW at $50/MWh: %v, want %v", got, 2*168*50)
	}
}

// Expansions come in whole steps when the line has one: to the nearest
// step, less than half a step funding nothing.
func TestExpansionSteps(t *testing.T) {
	l := Line{ExpansionStep: 5}
	for _, c := range []struct{ qty, want float64 }{{2.4, 0}, {2.5, 5}, {7, 5}, {8, 10}, {0, 0}} {
		if got := l.ExpansionSteps(c.qty); got != c.want {
			t.Errorf("%v units/week in steps of 5: %v, want %v", c.qty, got, c.want)
		}
	}
	if got := (&Line{}).ExpansionSteps(2.4); got != 2.4 {
		t.Errorf("no step: %v, want 2.4", got)
	}
}

// nonNegative is max(0, x) for every x but -0, which no amount of money
// takes: the same value and sign for negatives, zero, positives,
// infinities and NaN.
func TestNonNegativeIsMaxZero(t *testing.T) {
	for _, x := range []float64{-1, -1e-300, 0, 1e-300, 1, math.Inf(1), math.Inf(-1), math.NaN()} {
		got, want := nonNegative(x), max(0, x)
		if math.IsNaN(want) {
			if !math.IsNaN(got) {
				t.Errorf("nonNegative(%v) = %v, want NaN", x, got)
			}
			continue
		}
		if got != want || math.Signbit(got) != math.Signbit(want) {
			t.Errorf("nonNegative(%v) = %v, want %v", x, got, want)
		}
	}
}
