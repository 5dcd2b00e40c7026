package report

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/gwf-project/gwf/scenario"
)

// ScenarioText writes a scenario's values as gwf scenario show prints
// them: each field with its value and source (marked * where a file over
// the base set it), or with sourcesOnly the values grouped by their
// sources' confidence.
func ScenarioText(w io.Writer, sc *scenario.Scenario, sourcesOnly bool) error {
	entries := sc.Entries()
	if sourcesOnly {
		return sourcesText(w, sc, entries)
	}
	fmt.Fprintf(w, "scenario %q, from %s\n", sc.Name, strings.Join(sc.Origin, " ← "))
	if len(sc.Origin) > 1 {
		fmt.Fprintf(w, "values marked * are set in %s, the rest come from %s\n", strings.Join(sc.Origin[1:], ", "), sc.Origin[0])
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  field\tvalue\tsource")
	for _, en := range entries {
		mark, text, src := " ", "", ""
		var pos scenario.Pos
		if en.Date != nil {
			text, pos = en.Date.String(), en.Date.Pos
			src = en.Date.Source
			if en.Date.Confidence != "" {
				src += " [" + en.Date.Confidence + "]"
			}
		} else {
			text, pos = en.Value.Text, en.Value.Pos
			src = en.Value.Source
			if en.Value.Confidence != "" {
				src += " [" + en.Value.Confidence + "]"
			}
		}
		if sc.Overridden(pos) {
			mark = "*"
		}
		if strings.TrimSpace(src) == "" {
			src = "set at " + pos.String()
		}
		fmt.Fprintf(tw, "%s %s\t%s\t%s\n", mark, en.Path, text, src)
	}
	return tw.Flush()
}

// sourcesText groups sc's values by their sources' confidence.
func sourcesText(w io.Writer, sc *scenario.Scenario, entries []scenario.Entry) error {
	for _, conf := range append(append([]string{}, scenario.Confidences...), "") {
		title := conf
		if conf == "" {
			title = "no source given"
		}
		var lines []string
		for _, en := range entries {
			text, src, c, pos := "", "", "", scenario.Pos{}
			if en.Date != nil {
				text, src, c, pos = en.Date.String(), en.Date.Source, en.Date.Confidence, en.Date.Pos
			} else {
				text, src, c, pos = en.Value.Text, en.Value.Source, en.Value.Confidence, en.Value.Pos
			}
			if c != conf {
				continue
			}
			if src == "" {
				src = "set at " + pos.String()
			}
			lines = append(lines, fmt.Sprintf("  %s = %s: %s", en.Path, text, src))
		}
		if len(lines) == 0 {
			continue
		}
		fmt.Fprintf(w, "%s (%d)\n%s\n\n", title, len(lines), strings.Join(lines, "\n"))
	}
	return nil
}
