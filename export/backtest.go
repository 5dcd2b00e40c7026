package export

import "github.com/gwf-project/gwf/backtest"

// Refit is the JSON form of a backtest calibration (gwf backtest --fit --json).
type Refit struct {
	Path         string          `json:"path"`
	Series       []string        `json:"series"`
	Scenario     backtest.Number `json:"scenario_value"`
	Best         backtest.Number `json:"best_value"`
	ScenarioLoss backtest.Number `json:"scenario_loss"`
	BestLoss     backtest.Number `json:"best_loss"`
}

// Refits is rs in their JSON form.
func Refits(rs []backtest.Refit) []Refit {
	out := make([]Refit, len(rs))
	for i, r := range rs {
		out[i] = Refit{r.Path, r.Series, backtest.Number(r.Scenario), backtest.Number(r.Best), backtest.Number(r.ScenarioLoss), backtest.Number(r.BestLoss)}
	}
	return out
}
