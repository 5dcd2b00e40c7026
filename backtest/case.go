package backtest

import (
	"embed"
	"fmt"
	"math"
	"time"

	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/units"
)

//go:embed scenarios/*.yaml
var scenarioFS embed.FS

// Case is a historical starting point: the year the run starts in and the
// scenario describing the industry at the start of that year.
type Case struct {
	Name string // "from-2022"
	Year int
	File string // path of the scenario inside the embedded files
}

// Cases lists the starting points, earliest first.
var Cases = []Case{
	{Name: "from-2022", Year: 2022, File: "scenarios/from-2022.yaml"},
	{Name: "from-2023", Year: 2023, File: "scenarios/from-2023.yaml"},
}

// WarmStartWeeks is how far before a case's start date the simulation
// begins, so that its pipeline is full on the start date. It exceeds the
// longest start-to-online time of the cases' projects (about 130 weeks).
const WarmStartWeeks = 208

// FitCutoff ends the in-sample window: parameters are fitted on periods
// that end on or before it; periods ending later are out of sample.
var FitCutoff = time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC)

// CaseFor returns the case starting in year.
func CaseFor(year int) (Case, error) {
	for _, c := range Cases {
		if c.Year == year {
			return c, nil
		}
	}
	years := make([]string, len(Cases))
	for i, c := range Cases {
		years[i] = fmt.Sprint(c.Year)
	}
	return Case{}, fmt.Errorf("no backtest starts in %d (want one of: %s)", year, joinOr(years))
}

func joinOr(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	out := ""
	for i, x := range xs {
		switch {
		case i == 0:
		case i == len(xs)-1:
			out += " or "
		default:
			out += ", "
		}
		out += x
	}
	return out
}

// Source returns the YAML text of the case's scenario.
func (c Case) Source() ([]byte, error) {
	return scenarioFS.ReadFile(c.File)
}

// Scenario loads and validates the case's scenario as written (without the
// warm start), resolving its base among the embedded scenarios.
func (c Case) Scenario() (*scenario.Scenario, error) {
	src, err := c.Source()
	if err != nil {
		return nil, fmt.Errorf("backtest scenario %s missing from the binary: %w", c.File, err)
	}
	return scenario.Parse(c.File, src, readEmbedded)
}

// readEmbedded reads a base scenario from the embedded files.
func readEmbedded(p string) ([]byte, error) { return scenarioFS.ReadFile(p) }

// warmStart moves s's start date weeks earlier and lengthens its horizon to
// match, back-casting every quantity that grows from the start date so that
// it has its written value on the original start date: each line's capacity
// along its yearly growth, and the revenue price along its decline.
// Dates written in the scenario (generations, availability, the target's
// date) are absolute and stay.
func warmStart(s *scenario.Scenario, weeks int) {
	s.StartDate.Time = s.StartDate.AddDate(0, 0, -7*weeks)
	s.Horizon.V += float64(weeks)
	years := float64(weeks) / units.WeeksPerYear
	for i := range s.Resources {
		r := &s.Resources[i]
		r.Capacity.V /= math.Pow(1+r.Growth.V, years)
	}
	if rev := &s.Finance.Revenue; rev.PerMWYear.Set && rev.Decline.V > 0 {
		rev.PerMWYear.V /= math.Pow(1-rev.Decline.V, years)
	}
}
