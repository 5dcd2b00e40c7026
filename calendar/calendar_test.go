package calendar_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/gwf-project/gwf/calendar"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestWeeks(t *testing.T) {
	c := calendar.New(day("2026-01-05"))
	for _, tt := range []struct {
		name    string
		week    int
		date    string
		quarter string
	}{
		{"start", 0, "2026-01-05", "2026 Q1"},
		{"before the start", -1, "2025-12-29", "2025 Q4"},
		{"quarter boundary", 12, "2026-03-30", "2026 Q1"},
		{"next quarter", 13, "2026-04-06", "2026 Q2"},
		{"target week of 2030-12-31", 260, "2030-12-30", "2030 Q4"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Day(tt.week); got != tt.date {
				t.Errorf("Day(%d) = %s, want %s", tt.week, got, tt.date)
			}
			if got := c.Quarter(tt.week).String(); got != tt.quarter {
				t.Errorf("Quarter(%d) = %s, want %s", tt.week, got, tt.quarter)
			}
			if got := c.WeekOf(day(tt.date)); got != tt.week {
				t.Errorf("WeekOf(%s) = %d, want %d", tt.date, got, tt.week)
			}
			// Every day of the week maps back to it.
			if got := c.WeekOf(c.LastDay(tt.week)); got != tt.week {
				t.Errorf("WeekOf(LastDay(%d)) = %d", tt.week, got)
			}
		})
	}
	if got := c.WeekOf(day("2030-12-31")); got != 260 {
		t.Errorf("WeekOf(2030-12-31) = %d, want 260", got)
	}
}

func TestYearEnds(t *testing.T) {
	c := calendar.New(day("2026-01-05"))
	got := c.YearEnds(110)
	want := []calendar.Mark{{51, "end 2026"}, {103, "end 2027"}, {109, "end (2028-02-07)"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("YearEnds(110) = %v, want %v", got, want)
	}
	if c.Day(51) != "2026-12-28" {
		t.Errorf("week 51 starts %s, want 2026-12-28", c.Day(51))
	}
	if got := c.YearEnds(0); len(got) != 0 {
		t.Errorf("YearEnds(0) = %v, want none", got)
	}
}

func TestQuarter(t *testing.T) {
	q := calendar.QuarterOf(day("2031-05-17"))
	if q.String() != "2031 Q2" || calendar.Day(q.Start()) != "2031-04-01" || q.Index() != 2031*4+1 {
		t.Errorf("quarter of 2031-05-17 = %v starting %s index %d", q, calendar.Day(q.Start()), q.Index())
	}
}

func ExampleCalendar_Day() {
	c := calendar.New(time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC))
	fmt.Println(c.Day(260), c.Quarter(260))
	// Output: 2030-12-30 2030 Q4
}

// Date adds whole days in UTC: the same time.Time, bit for bit, as
// AddDate, on either side of the start and across leap years.
func TestDateIsAddDate(t *testing.T) {
	for _, start := range []time.Time{
		time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC),
		time.Date(2028, 2, 29, 0, 0, 0, 0, time.UTC),
		time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC),
	} {
		c := calendar.New(start)
		for w := -12_000; w <= 12_000; w += 7 {
			if got, want := c.Date(w), start.AddDate(0, 0, 7*w); got != want {
				t.Fatalf("start %s week %d: %v, want %v", calendar.Day(start), w, got, want)
			}
		}
	}
	// Outside UTC, AddDate keeps the wall clock across daylight saving.
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	start := time.Date(2026, 1, 5, 0, 0, 0, 0, ny)
	if got := calendar.New(start).Date(20); got.Hour() != 0 || got != start.AddDate(0, 0, 140) {
		t.Fatalf("New York week 20: %v, want midnight %v", got, start.AddDate(0, 0, 140))
	}
}
