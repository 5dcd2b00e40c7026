package sweep

import (
	"io"
	"strings"

	"github.com/parquet-go/parquet-go"
)

// parquetRow is a Row as a flat Parquet record; the axes' paths are in the
// file's key-value metadata under "gwf.axes" (comma-separated), their
// values in Inputs in that order.
type parquetRow struct {
	Cell         int64    `parquet:"cell"`
	Inputs       []string `parquet:"inputs,list"`
	Runs         int64    `parquet:"runs"`
	TargetRate   string   `parquet:"target_rate"`
	RateP10      string   `parquet:"rate_p10"`
	RateP50      string   `parquet:"rate_p50"`
	RateP90      string   `parquet:"rate_p90"`
	GW1P50       string   `parquet:"gw1_p50"`
	GW10P50      string   `parquet:"gw10_p50"`
	GW100P50     string   `parquet:"gw100_p50"`
	TargetDate   string   `parquet:"target_date"`
	OddsByTarget float64  `parquet:"odds_by_target"`
	Binding      string   `parquet:"binding"`
	BindingShare float64  `parquet:"binding_share"`
	CapexP10USD  float64  `parquet:"capex_p10_usd"`
	CapexP50USD  float64  `parquet:"capex_p50_usd"`
	CapexP90USD  float64  `parquet:"capex_p90_usd"`
}

// WriteParquet writes the table as a Parquet file (dates as ISO text, ""
// for never).
func (tb *Table) WriteParquet(w io.Writer) error {
	pw := parquet.NewGenericWriter[parquetRow](w,
		parquet.KeyValueMetadata("gwf.axes", strings.Join(tb.Axes, ",")),
		parquet.KeyValueMetadata("gwf.study", tb.Study),
		parquet.KeyValueMetadata("gwf.study_id", tb.ID))
	rows := make([]parquetRow, len(tb.Rows))
	for i, r := range tb.Rows {
		rows[i] = parquetRow{Cell: int64(r.Cell), Inputs: r.Inputs, Runs: int64(r.Runs), TargetRate: r.TargetRate,
			RateP10: r.Rate[0], RateP50: r.Rate[1], RateP90: r.Rate[2],
			GW1P50: r.OnlineGW[0][1], GW10P50: r.OnlineGW[1][1], GW100P50: r.OnlineGW[2][1],
			TargetDate: r.TargetDate, OddsByTarget: r.OddsByTarget, Binding: r.Binding, BindingShare: r.BindingShare,
			CapexP10USD: r.Capex[0], CapexP50USD: r.Capex[1], CapexP90USD: r.Capex[2]}
	}
	if _, err := pw.Write(rows); err != nil {
		return err
	}
	return pw.Close()
}
