package units_test

import (
	"fmt"

	"github.com/gwf-project/gwf/units"
)

func ExampleParse() {
	q, err := units.Parse("75,000 wafers/month", units.Rate)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%.1f %ss/week\n", q.Value, q.Of)

	p, err := units.Parse("1.2 GW", units.Power)
	if err != nil {
		panic(err)
	}
	fmt.Println(p.Value, "MW")
	// Output:
	// 17248.8 wafers/week
	// 1200 MW
}

func ExampleParse_error() {
	_, err := units.Parse("26", units.Duration)
	fmt.Println(err)
	// Output:
	// missing unit (got "26", want a duration such as "26 weeks", "18 months" or "3 years")
}

func ExampleFormatMW() {
	fmt.Println(units.FormatMW(1500), units.FormatMW(250))
	// Output: 1.5 GW 250 MW
}
