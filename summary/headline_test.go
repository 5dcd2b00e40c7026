package summary_test

import (
	"testing"

	"github.com/gwf-project/gwf/summary"
)

func TestHeadlineSentence(t *testing.T) {
	for _, tt := range []struct {
		name string
		h    summary.Headline
		want string
	}{
		{"met", summary.Headline{TargetRate: "0.5 GW/week", Sustained: "2030-03-04", FirstQuarter: "2029 Q4", BestRateMW: 612, BestRateDate: "2033-01-02",
			BindsNow: "engines", BindsNext: "network", CapexUSD: 2.5e12, PeakFundUSD: 1.2e12, HorizonEnd: "2035-12-23"},
			"Target 0.5 GW/week: met, sustained from 2030-03-04; first quarter at it: 2029 Q4; best 13-week average 612 MW/week (2033-01-02). Binds now: engines; next: network. Capex $2.5T; peak funding need $1.2T."},
		{"not met, one line binds, no finance", summary.Headline{TargetRate: "1 GW/week", BestRateMW: 826.9, BestRateDate: "2034-11-27", BindsNow: "engines", CapexUSD: 5.17e12, HorizonEnd: "2035-12-23"},
			"Target 1 GW/week: not met by 2035-12-23; first quarter at it: never; best 13-week average 826.9 MW/week (2034-11-27). Binds now: engines; nothing next. Capex $5.17T; no finance section, so no funding need is modelled."},
		{"nothing binds", summary.Headline{TargetRate: "2 GW/week", HorizonEnd: "2030-01-06", CapexUSD: 1e9},
			"Target 2 GW/week: not met by 2030-01-06; first quarter at it: never; best 13-week average 0 MW/week. Nothing binds at the end. Capex $1B; no finance section, so no funding need is modelled."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.h.Sentence(); got != tt.want {
				t.Errorf("Sentence() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}
