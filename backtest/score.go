package backtest

import "math"

// Score is how well a set of rows matched: how many were compared and
// their mean absolute percentage error (MAPE), in percent.
type Score struct {
	Rows int    `json:"rows"`
	MAPE Number `json:"mape_pct"` // null when no row was compared
}

// PercentError is (simulated − recorded) / recorded, in percent.
func PercentError(simulated, recorded float64) float64 {
	return (simulated - recorded) / recorded * 100
}

// ScoreOf scores the rows keep accepts.
func ScoreOf(rows []Row, keep func(Row) bool) Score {
	n, sum := 0, 0.0
	for _, r := range rows {
		if !keep(r) {
			continue
		}
		n++
		sum += math.Abs(float64(r.PctError))
	}
	if n == 0 {
		return Score{MAPE: Number(math.NaN())}
	}
	return Score{Rows: n, MAPE: Number(sum / float64(n))}
}

// score fills in the per-series and overall scores.
func (rep *Report) score() {
	in := func(r Row) bool { return r.Sample == InSample }
	out := func(r Row) bool { return r.Sample == OutOfSample }
	rep.Series = rep.Series[:0]
	for _, def := range Catalogue {
		of := func(keep func(Row) bool) func(Row) bool {
			return func(r Row) bool { return r.Series == def.Name && keep(r) }
		}
		rep.Series = append(rep.Series, SeriesFit{
			Series:      def.Name,
			Unit:        def.Unit,
			Mapping:     def.Mapping,
			InSample:    ScoreOf(rep.Rows, of(in)),
			OutOfSample: ScoreOf(rep.Rows, of(out)),
		})
	}
	rep.InSample = ScoreOf(rep.Rows, in)
	rep.OutOfSample = ScoreOf(rep.Rows, out)
}
