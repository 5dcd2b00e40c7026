package calendar

import (
	"fmt"
	"math"
	"time"
)

// Calendar is the weekly calendar of a run starting on Start. The zero
// value starts on 0001-01-01; use New.
type Calendar struct {
	Start time.Time
}

// New returns the calendar of a run starting on start.
func New(start time.Time) Calendar { return Calendar{Start: start} }

// Date returns the first day of week w (negative w before the start).
func (c Calendar) Date(w int) time.Time {
	if c.Start.Location() == time.UTC && w > -maxFastWeeks && w < maxFastWeeks {
		// In UTC every day has 24 hours: adding them is AddDate's answer,
		// without working out the date (a run asks once a week).
		return c.Start.Add(time.Duration(w) * week)
	}
	return c.Start.AddDate(0, 0, 7*w)
}

const (
	week = 7 * 24 * time.Hour
	// maxFastWeeks keeps w weeks well within a Duration (about 292 years).
	maxFastWeeks = 10_000
)

// Day returns the first day of week w as "2006-01-02".
func (c Calendar) Day(w int) string { return Day(c.Date(w)) }

// LastDay returns the last day of week w: six days after its first.
func (c Calendar) LastDay(w int) time.Time { return c.Date(w).AddDate(0, 0, 6) }

// WeekOf returns the week containing t: negative before the start.
func (c Calendar) WeekOf(t time.Time) int {
	d := t.Sub(c.Start)
	return int(math.Floor(d.Hours() / (24 * 7)))
}

// Year returns the calendar year of week w's first day.
func (c Calendar) Year(w int) int { return c.Date(w).Year() }

// Quarter returns the calendar quarter of week w's first day.
func (c Calendar) Quarter(w int) Quarter { return QuarterOf(c.Date(w)) }

// Mark is a week with a label.
type Mark struct {
	Week  int
	Label string
}

// YearEnds returns the last week of each calendar year within a horizon of
// n weeks (a week whose successor starts in the next year), labelled
// "end 2026", then the horizon's last week, labelled "end (2035-12-24)":
// the points where a plan and a run or study are compared.
func (c Calendar) YearEnds(n int) []Mark {
	var out []Mark
	for w := 0; w+1 < n; w++ {
		if y := c.Year(w); y != c.Year(w+1) {
			out = append(out, Mark{Week: w, Label: fmt.Sprintf("end %d", y)})
		}
	}
	if n > 0 {
		out = append(out, Mark{Week: n - 1, Label: "end (" + c.Day(n-1) + ")"})
	}
	return out
}

// Day formats t as an ISO date, "2006-01-02".
func Day(t time.Time) string { return t.Format(time.DateOnly) }

// Quarter is a calendar quarter: Q is 1 to 4.
type Quarter struct {
	Year, Q int
}

// QuarterOf returns the calendar quarter containing t.
func QuarterOf(t time.Time) Quarter { return Quarter{Year: t.Year(), Q: (int(t.Month())-1)/3 + 1} }

// String is "2031 Q2".
func (q Quarter) String() string { return fmt.Sprintf("%d Q%d", q.Year, q.Q) }

// Index orders quarters: Year×4 + Q−1.
func (q Quarter) Index() int { return q.Year*4 + q.Q - 1 }

// Start returns the quarter's first day.
func (q Quarter) Start() time.Time {
	return time.Date(q.Year, time.Month(3*(q.Q-1)+1), 1, 0, 0, 0, 0, time.UTC)
}
