package backtest

import (
	"testing"

	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/sim"
	"github.com/gwf-project/gwf/units"
)

// A reviewer's check on the reference scenario (docs/credibility.md): a GW
// of IT at 2026 prices, priced as the backtest's capex_per_gw series prices
// it, costs what the published figures say — between Epoch's ~$29 B and
// NVIDIA's $50-60 B per GW — and costs less by 2035 as learning curves and
// newer generations bite. Run with -v to see the figures.
func TestReferenceCapexPerGW(t *testing.T) {
	s, err := scenario.Reference()
	if err != nil {
		t.Fatal(err)
	}
	m, err := sim.Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	res := sim.Run(m, sim.NewController())
	o := newOutcome(m, res, 0)
	perGW := func(year int) float64 {
		first := m.WeekOf(s.StartDate.AddDate(year-s.StartDate.Year(), 0, 0))
		n, sum := 0, 0.0
		for w := max(0, first); w < first+52 && w < m.Weeks; w++ {
			sum += 1000 * o.capexPerMW(w)
			n++
		}
		return sum / float64(n)
	}
	y0 := s.StartDate.Year()
	first, last := perGW(y0), perGW(y0+9)
	for y := y0; y < y0+10; y++ {
		t.Logf("%d: %s per GW of IT at that year's prices", y, units.FormatUSD(perGW(y)))
	}
	if first < 29e9 || first > 60e9 {
		t.Errorf("%d: %s per GW, want within the published $29-60 B (Epoch 2025; Bernstein 2025; NVIDIA 2025)", y0, units.FormatUSD(first))
	}
	if last >= first {
		t.Errorf("%d: %s per GW, want below %d's %s (learning)", y0+9, units.FormatUSD(last), y0, units.FormatUSD(first))
	}
}
