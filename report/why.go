package report

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/gwf-project/gwf/sim"
	"github.com/gwf-project/gwf/units"
)

// Why explains one week of a run: what the target asked for, what came
// online and from which projects, and what held the rest back.
func Why(w io.Writer, r *sim.Result, week int) error {
	m := r.Model
	if week < 0 || week >= len(r.Weeks) {
		return fmt.Errorf("week %d is outside the run (want 0 to %d)", week, len(r.Weeks)-1)
	}
	b := &errWriter{w: w}
	wk := r.Weeks[week]
	b.printf("Week %d (%s), scenario %q\n", week, day(wk.Date), m.Name)
	b.printf("  Target: %s/week. Brought online: %s. Online: %s; in the pipeline: %s.\n",
		units.FormatMW(wk.TargetMW), units.FormatMW(wk.AddedMW), units.FormatMW(wk.OnlineMW), units.FormatMW(wk.PipelineMW))

	var online []string
	for _, p := range r.Projects {
		if p.OnlineWeek == week {
			online = append(online, fmt.Sprintf("#%d (started week %d, %s, %d weeks)", p.ID, p.StartWeek, p.Generation, p.OnlineWeek-p.StartWeek))
		}
	}
	if len(online) > 0 {
		b.printf("  Came online: %s.\n", strings.Join(online, ", "))
	}

	type held struct {
		line string
		mw   float64
	}
	var hs []held
	for l := range m.Lines {
		if v := r.HeldBackMW(week, l); v > 0 {
			hs = append(hs, held{m.Lines[l].Name, v})
		}
	}
	sort.SliceStable(hs, func(i, j int) bool { return hs[i].mw > hs[j].mw })
	if len(hs) == 0 {
		b.printf("  Nothing was held back: every project ready to move did.\n")
	} else {
		b.printf("  Held back (MW of projects waiting on it, plus starts not made because of it):\n")
		tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
		for i, h := range hs {
			note := ""
			if i == 0 {
				note = "the bottleneck"
			}
			fmt.Fprintf(tw, "    %s\t%s\t%s\n", h.line, units.FormatMW(h.mw), note)
		}
		tw.Flush()
	}

	// Where the pipeline stands: projects running each stage, projects not
	// yet at their first stage, and when the next one comes online.
	running := make([]int, len(m.Stages))
	notYet, next, nextID := 0, -1, 0
	for _, p := range r.Projects {
		if p.StartWeek > week || (p.OnlineWeek >= 0 && p.OnlineWeek <= week) {
			continue
		}
		any := false
		for i, st := range p.Stages {
			if st.StartWeek >= 0 && st.StartWeek <= week && (st.EndWeek < 0 || st.EndWeek > week) {
				running[i]++
				any = true
			}
		}
		if !any && p.Stages[0].StartWeek != -1 && p.Stages[0].StartWeek > week {
			notYet++
		}
		if p.OnlineWeek > week && (next < 0 || p.OnlineWeek < next) {
			next, nextID = p.OnlineWeek, p.ID
		}
	}
	var parts []string
	for i, n := range running {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d in %s", n, m.Stages[i].Name))
		}
	}
	if notYet > 0 {
		parts = append(parts, fmt.Sprintf("%d committed, waiting for their planned start (long-lead orders on the way)", notYet))
	}
	if len(parts) > 0 {
		b.printf("  Pipeline: %s.\n", strings.Join(parts, ", "))
	}
	if next >= 0 {
		b.printf("  Next to come online: project #%d in week %d (%s).\n", nextID, next, day(m.Date(next)))
	}

	// Stages waiting this week, grouped by stage and what they waited on.
	waiting := map[string]int{}
	for _, p := range r.Projects {
		for _, st := range p.Stages {
			if st.ReadyWeek >= 0 && st.ReadyWeek <= week && (st.StartWeek < 0 || st.StartWeek > week) && st.WaitedOn != "" {
				waiting[st.Stage+" waiting on "+st.WaitedOn]++
			}
		}
	}
	if len(waiting) > 0 {
		keys := make([]string, 0, len(waiting))
		for k := range waiting {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			if waiting[keys[i]] != waiting[keys[j]] {
				return waiting[keys[i]] > waiting[keys[j]]
			}
			return keys[i] < keys[j]
		})
		b.printf("  Stages waiting (project count; the line each waited on last):\n")
		for _, k := range keys {
			b.printf("    %d × %s\n", waiting[k], k)
		}
	}
	if m.Finance != nil {
		bound := "no"
		if wk.CapitalBound {
			bound = "yes"
		}
		b.printf("  Money: capex %s, revenue %s, running costs %s; cash %s, debt %s; money held something back: %s.\n",
			units.FormatUSD(wk.CapexUSD), units.FormatUSD(wk.RevenueUSD), units.FormatUSD(wk.OpexUSD), units.FormatUSD(wk.CashUSD), units.FormatUSD(wk.DebtUSD), bound)
	}
	return b.err
}
