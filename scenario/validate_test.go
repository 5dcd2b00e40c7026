package scenario_test

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/gwf-project/gwf/scenario"
)

// over is a scenario file that inherits the reference and overrides what
// its lines say; its first line is "base: reference", so the first line
// passed is line 2.
// manyStages is n more stages, each after the one before, the first
// after commissioning, as flow YAML.
func manyStages(n int) string {
	var b strings.Builder
	b.WriteString(" {")
	prev := "commissioning"
	for i := range n {
		name := fmt.Sprintf("extra%d", i)
		fmt.Fprintf(&b, "%s: {after: [%s], duration: 1 week}, ", name, prev)
		prev = name
	}
	b.WriteString("}")
	return b.String()
}

func over(lines ...string) string {
	return "base: reference\n" + strings.Join(lines, "\n") + "\n"
}

// refEdit is the reference text with one exact piece of it replaced.
func refEdit(t *testing.T, old, new string) string {
	t.Helper()
	src := string(scenario.ReferenceSource())
	if n := strings.Count(src, old); n != 1 {
		t.Fatalf("refEdit: %q occurs %d times in the reference, want once", old, n)
	}
	return strings.Replace(src, old, new, 1)
}

// at is "file:line:col" of the first occurrence of marker in src, so that
// expected positions in the reference follow the reference if it changes.
func at(t *testing.T, file, src, marker string) string {
	t.Helper()
	i := strings.Index(src, marker)
	if i < 0 {
		t.Fatalf("at: %q not in %s", marker, file)
	}
	line := strings.Count(src[:i], "\n") + 1
	col := len([]rune(src[strings.LastIndex(src[:i], "\n")+1:i])) + 1
	return fmt.Sprintf("%s:%d:%d", file, line, col)
}

// refAt is the position of marker in the reference scenario.
func refAt(t *testing.T, marker string) string {
	t.Helper()
	return at(t, scenario.ReferenceName, string(scenario.ReferenceSource()), marker)
}

// mapRead serves files from a map, as a ReadFunc.
func mapRead(files map[string]string) scenario.ReadFunc {
	return func(p string) ([]byte, error) {
		s, ok := files[p]
		if !ok {
			return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}
		}
		return []byte(s), nil
	}
}

type invalidCase struct {
	name  string
	src   string            // the file o.yaml
	files map[string]string // other files a base may name
	at    string            // "file:line:col" of the error
	path  string            // field path ("" for file-level problems)
	msg   string            // part of the message
}

// invalidCases lists one case for every problem decode.go, validate.go,
// tree.go and load.go can report.
func invalidCases(t *testing.T) []invalidCase {
	ref := string(scenario.ReferenceSource())
	deep := strings.Repeat("[", 70) + strings.Repeat("]", 70)
	edited := func(old, new string) string { return refEdit(t, old, new) }
	noGens := ref[:strings.Index(ref, "generations:\n")] + "generations: {}\n\n" + ref[strings.Index(ref, "resources:\n"):]
	return []invalidCase{
		// --- YAML and the shape of the file (tree.go, load.go) ---
		{name: "yaml syntax error", src: over("name: [a"), at: "o.yaml:2:7", msg: "YAML syntax: sequence end token ']' not found"},
		{name: "yaml unterminated string", src: over(`name: "abc`), at: "o.yaml:2:7", msg: "YAML syntax"},
		{name: "duplicate key top level", src: over("name: a", "name: b"), at: "o.yaml:3:1", msg: `duplicate key (got "name" again, want each key once; first at line 2)`},
		{name: "duplicate key nested flow", src: over("project: {size: 500 MW, size: 2 MW}"), at: "o.yaml:2:25", msg: `duplicate key (got "size" again`},
		{name: "duplicate key in reference text", src: edited("  pue: {dist:", "  size: 1 MW\n  pue: {value:"), at: at(t, "o.yaml", edited("  pue: {dist:", "  size: 1 MW\n  pue: {value:"), "size: 1 MW"), msg: `duplicate key (got "size" again`},
		{name: "anchor refused", src: over("name: &n mine"), at: "o.yaml:2:7", msg: "anchors, aliases and merge keys are not used in scenarios (got &n"},
		{name: "alias refused", src: over("description: &d hello", "name: *d"), at: "o.yaml:3:7", msg: "(got *d, want the value written out"},
		{name: "merge key refused", src: over("project:", "  <<: {size: 5 MW}"), at: "o.yaml:3:3", msg: "merge keys are not used in scenarios (got <<"},
		{name: "tag refused", src: over("name: !!str mine"), at: "o.yaml:2:7", msg: "YAML tags are not used in scenarios (got !!str, want a plain value)"},
		{name: "tag refused nested", src: over("project:", "  size: !!float 5"), at: "o.yaml:3:9", msg: "(got !!float"},
		{name: "multiple documents", src: over("name: a", "---", "name: b"), at: "o.yaml:4:1", msg: "one YAML document (got 2, want 1)"},
		{name: "nesting too deep", src: over("description: " + deep), at: "o.yaml:2:", msg: "nested too deeply (got more than 64 levels"},
		{name: "nesting too deep, huge", src: over("description: " + strings.Repeat("{a: ", 100000)), at: "o.yaml:2:", msg: "nested too deeply (got more than 64 levels"},
		{name: "list items nested too deep", src: over("description: x", strings.Repeat("- ", 200)+"x"), at: "o.yaml:3:257", msg: "nested too deeply (got a list item at column 257, want at most 64 levels)"},
		{name: "too many fields", src: over(manyKeys(20001)), at: "o.yaml:20001:7", msg: "too many fields (got more than 20000, want at most 20000)"},
		{name: "mapping key not a name", src: over("project:", "  ? {a: 1}", "  : 5 MW"), at: "o.yaml:4:3", msg: "YAML syntax: found an invalid key for this map"},
		{name: "tag on a key", src: over("? !!str name", ": mine"), at: "o.yaml:2:3", msg: "YAML tags are not used in scenarios (got !!str"},
		{name: "null as a key", src: over("null: 1"), at: "o.yaml:2:1", path: "null", msg: `unknown field (got "null"`},
		{name: "file not a mapping", src: "- a\n- b\n", at: "o.yaml:1:1", msg: "a scenario is a mapping of fields (got a list"},
		{name: "file a bare value", src: "hello\n", at: "o.yaml:1:1", msg: "a scenario is a mapping of fields (got a value"},
		{name: "file too large", src: "name: x\n#" + strings.Repeat("x", scenario.MaxFileSize), at: "o.yaml", msg: fmt.Sprintf("file too large (got %d bytes, want at most %d)", scenario.MaxFileSize+9, scenario.MaxFileSize)},

		// --- base: (load.go) ---
		{name: "base not a name", src: "base: [a, b]\n", at: "o.yaml:1:7", path: "base", msg: `expected the name of a scenario (got a list, want "reference" or a file path)`},
		{name: "base missing file", src: "base: nothere.yaml\n", files: map[string]string{}, at: "o.yaml:1:7", path: "base", msg: `no such file (got "nothere.yaml"`},
		{name: "base without a file system", src: "base: other.yaml\n", at: "o.yaml:1:7", path: "base", msg: `no files to read from here (got "other.yaml", want "reference")`},
		{name: "base loop to itself", src: "base: o.yaml\n", files: map[string]string{}, at: "o.yaml:1:7", path: "base", msg: "inheritance loop (got o.yaml → o.yaml"},
		{name: "base file too large", src: "base: big.yaml\n", files: map[string]string{"big.yaml": strings.Repeat("#", scenario.MaxFileSize+1)}, at: "o.yaml:1:7", path: "base", msg: "file too large (got"},
		{name: "error inside base file", src: "base: b.yaml\nname: mine\n", files: map[string]string{"b.yaml": over("projekt: {}")}, at: "b.yaml:2:1", path: "projekt", msg: `unknown field (got "projekt"`},

		{name: "date mapping without value", src: over("missions:", "  m: {kind: inference, demand: {compute: 1 EFLOP/s, start: {source: somewhere}}}"), at: "o.yaml:3:60", path: "missions.m.demand.start.value", msg: "missing (want a date YYYY-MM-DD)"},
		{name: "date mapping unknown field", src: over("start_date: {value: 2026-01-05, when: soon}"), at: "o.yaml:2:33", path: "start_date.when", msg: `unknown field (got "when", want one of: value, source, confidence)`},
		{name: "date bad confidence", src: over("start_date: {value: 2026-01-05, confidence: sure}"), at: "o.yaml:2:45", path: "start_date.confidence", msg: `unknown confidence (got "sure"`},

		// --- money and missions (finance.go) ---
		{name: "negative price", src: over("finance:", "  operations: -$1M/MW-year"), at: "o.yaml:3:15", path: "finance.operations", msg: "too small (got -$1M/MW-year, want at least"},
		{name: "price without basis", src: over("finance:", "  operations: $1M"), at: "o.yaml:3:15", path: "finance.operations", msg: "a price needs a basis"},
		{name: "price with wrong basis", src: over("finance:", "  operations: $1M/MWh"), at: "o.yaml:3:15", path: "finance.operations", msg: `wrong basis (got "$1M/MWh", want a price per MW-year)`},
		{name: "share over 100%", src: over("finance:", "  vendor: {share: 130%}"), at: "o.yaml:3:19", path: "finance.vendor.share", msg: "too large (got 130%, want at most 100%)"},
		{name: "deposit over 100%", src: over("finance:", "  deposit: 101%"), at: "o.yaml:3:12", path: "finance.deposit", msg: "too large (got 101%"},
		{name: "capex item at unknown stage", src: over("finance:", "  capex:", "    land: {stage: nowhere}"), at: "o.yaml:4:5", path: "finance.capex.land.stage", msg: `unknown stage (got "nowhere"`},
		{name: "mission without demand", src: over("missions:", "  idle: {kind: inference}"), at: "o.yaml:3:3", path: "missions.idle.demand", msg: "missing (want a mapping of fields)"},
		{name: "mission with empty demand", src: over("missions:", "  idle: {kind: inference, demand: {growth: 10%/year}}"), at: "o.yaml:3:3", path: "missions.idle.demand", msg: "need exactly one demand curve (got 0"},
		{name: "mission with two demands", src: over("missions:", "  two: {kind: inference, demand: {compute: 1 EFLOP/s, power: 1 GW}}"), at: "o.yaml:3:3", path: "missions.two.demand", msg: "need exactly one demand curve (got 2"},
		{name: "mission with partial users demand", src: over("missions:", "  part: {kind: inference, demand: {users: 1 B users}}"), at: "o.yaml:3:3", path: "missions.part.demand", msg: "incomplete demand"},
		{name: "mission of unknown kind", src: over("missions:", "  odd: {kind: dreaming, demand: {compute: 1 EFLOP/s}}"), at: "o.yaml:3:3", path: "missions.odd.kind", msg: `unknown kind (got "dreaming", want training or inference)`},
		{name: "guarantees over 100%", src: over("missions:", "  a: {kind: inference, guaranteed: 60%, demand: {compute: 1 EFLOP/s}}", "  b: {kind: inference, guaranteed: 60%, demand: {compute: 1 EFLOP/s}}"), at: "o.yaml:2:1", path: "missions", msg: "guaranteed shares add up to more than 100%"},
		{name: "unknown allocation policy", src: over("allocation: {policy: lottery}"), at: "o.yaml:2:1", path: "allocation.policy", msg: `unknown policy (got "lottery", want one of: strict_priority, weighted_share, max_min_fair)`},

		// --- fields (decode.go) ---
		{name: "unknown field top level", src: over("naem: mine"), at: "o.yaml:2:1", path: "naem", msg: `unknown field (got "naem", want one of: name, description, base, seed, start_date, horizon, target, project, policy, generations, resources,`},
		{name: "unknown field nested", src: over("project:", "  sise: 500 MW"), at: "o.yaml:3:3", path: "project.sise", msg: "want one of: size, pue, stages)"},
		{name: "unknown field in stage", src: over("project: {stages: {site: {duraton: 3 weeks}}}"), at: "o.yaml:2:27", path: "project.stages.site.duraton", msg: "want one of: after, duration, automatable, secures_power, needs, crews, needed_at, for_power)"},
		{name: "unknown field in resource", src: over("resources:", "  racks:", "    leadtime: 3 weeks"), at: "o.yaml:4:5", path: "resources.racks.leadtime", msg: "want one of: kind, layer, unit, capacity, growth, share, lead_time,"},
		{name: "unknown field in value mapping", src: over("horizon: {value: 26 weeks, sourse: me}"), at: "o.yaml:2:28", path: "horizon.sourse", msg: `unknown field (got "sourse", want one of: value, source, confidence)`},
		{name: "mapping expected", src: over("project: 5"), at: "o.yaml:2:10", path: "project", msg: "wrong shape (got a value, want a mapping of fields)"},
		{name: "required field missing", src: "name: mine\nstart_date: 2026-01-05\n", at: "o.yaml:1:1", path: "horizon", msg: `missing (want a duration such as "26 weeks"`},
		{name: "required field written empty", src: over("target:"), at: "o.yaml:2:1", path: "target", msg: "missing (want a mapping of fields)"},
		{name: "new stage without duration", src: over("project:", "  stages:", "    inspection:", "      after: [commissioning]"), at: "o.yaml:4:5", path: "project.stages.inspection.duration", msg: "missing (want a duration"},
		{name: "new stage written empty", src: over("project:", "  stages:", "    inspection:"), at: "o.yaml:4:5", path: "project.stages.inspection.duration", msg: "missing (want a duration"},
		{name: "resource without kind", src: over("resources:", "  widgets: {unit: widget, capacity: 1 widget/week, share: 1%, lead_time: 1 week}"), at: "o.yaml:3:3", path: "resources.widgets.kind", msg: "missing (want one of: material, accelerator, power, crew, robot, upstream)"},
		{name: "no generations", src: noGens, at: at(t, "o.yaml", noGens, "{}"), path: "generations", msg: "empty (got no entries, want at least one)"},
		{name: "seed not a number", src: over("seed: lucky"), at: "o.yaml:2:7", path: "seed", msg: `not a whole number (got "lucky", want an integer)`},
		{name: "bool not yes or no", src: over("policy: {expand: maybe}"), at: "o.yaml:2:18", path: "policy.expand", msg: `not a yes/no value (got "maybe", want true or false)`},
		{name: "list of names expected", src: over("project: {stages: {fit_out: {after: {power: 1}}}}"), at: "o.yaml:2:37", path: "project.stages.fit_out.after", msg: "wrong shape (got a mapping, want a list of names)"},
		{name: "single value expected", src: over("name: [a, b]"), at: "o.yaml:2:7", path: "name", msg: "wrong shape (got a list, want a single value)"},
		{name: "single value expected in list", src: over("project: {stages: {fit_out: {after: [[power]]}}}"), at: "o.yaml:2:38", path: "project.stages.fit_out.after[0]", msg: "wrong shape (got a list, want a single value)"},
		{name: "entries expected", src: over("resources: [racks]"), at: "o.yaml:2:12", path: "resources", msg: "wrong shape (got a list, want a mapping from names to entries)"},
		{name: "bad entry name", src: over("project: {stages: {9lives: {duration: 1 week}}}"), at: "o.yaml:2:20", path: "project.stages.9lives", msg: `bad name (got "9lives", want letters, digits, _ and - starting with a letter)`},
		{name: "not a date", src: over("start_date: 2026-13-01"), at: "o.yaml:2:13", path: "start_date", msg: `not a date (got "2026-13-01", want YYYY-MM-DD)`},
		{name: "date out of range", src: over("start_date: 1900-01-01"), at: "o.yaml:2:13", path: "start_date", msg: "date out of range (got 1900-01-01, want a year between 1990 and 2200)"},
		{name: "bad confidence tag", src: over("horizon: {value: 26 weeks, confidence: certain}"), at: "o.yaml:2:40", path: "horizon.confidence", msg: `unknown confidence (got "certain", want one of: primary, secondary, analyst, assumption)`},
		{name: "value mapping without value", src: edited("horizon: {value: 520 weeks, source:", "horizon: {source:"), at: at(t, "o.yaml", ref, "{value: 520 weeks"), path: "horizon.value", msg: "missing (want the number with its unit)"},
		{name: "value is a list", src: over("horizon: [26 weeks]"), at: "o.yaml:2:10", path: "horizon", msg: "wrong shape (got a list, want a value with its unit)"},
		{name: "missing unit", src: over("horizon: 26"), at: "o.yaml:2:10", path: "horizon", msg: `missing unit (got "26", want a duration such as "26 weeks"`},
		{name: "missing unit in value mapping", src: over(`horizon: {value: "26", source: me}`), at: "o.yaml:2:18", path: "horizon", msg: `missing unit (got "26"`},
		{name: "wrong unit dimension duration", src: over("horizon: 26 MW"), at: "o.yaml:2:10", path: "horizon", msg: `unknown duration unit "MW" (got "26 MW", want a duration`},
		{name: "wrong unit dimension power", src: over("project: {size: 26 weeks}"), at: "o.yaml:2:17", path: "project.size", msg: `unknown power unit "weeks" (got "26 weeks", want a power`},
		{name: "wrong unit dimension compute", src: over("generations: {rubin: {compute_per_accelerator: 10 PW}}"), at: "o.yaml:2:48", path: "generations.rubin.compute_per_accelerator", msg: `unknown compute unit "PW"`},
		{name: "empty value", src: over(`horizon: ""`), at: "o.yaml:2:10", path: "horizon", msg: `empty value (got "", want a duration`},
		{name: "not a number", src: over("horizon: lots"), at: "o.yaml:2:10", path: "horizon", msg: `does not start with a number (got "lots"`},
		{name: "not finite", src: over("horizon: 1e308 years"), at: "o.yaml:2:10", path: "horizon", msg: `not a finite number (got "1e308 years"`},
		{name: "ratio with a unit", src: over("project: {pue: 1.2 MW}"), at: "o.yaml:2:16", path: "project.pue", msg: `a ratio has no unit (got "1.2 MW", want a plain ratio`},
		{name: "share not a percentage", src: over("resources: {racks: {share: 30 percent}}"), at: "o.yaml:2:28", path: "resources.racks.share", msg: `a share is written as a percentage (got "30 percent"`},
		{name: "growth not per year", src: over("resources: {racks: {growth: 40%}}"), at: "o.yaml:2:29", path: "resources.racks.growth", msg: `a growth rate is written per year (got "40%"`},
		{name: "count with a basis", src: over("resources: {robots: {initial: 200 robots/week}}"), at: "o.yaml:2:31", path: "resources.robots.initial", msg: `a count has no basis (got "200 robots/week"`},
		{name: "rate without time basis", src: over("target: {rate: 1 GW}"), at: "o.yaml:2:16", path: "target.rate", msg: `a rate needs a time basis (got "1 GW"`},
		{name: "rate with unknown time basis", src: over("target: {rate: 1 GW/fortnight}"), at: "o.yaml:2:16", path: "target.rate", msg: `unknown time basis "fortnight"`},
		{name: "rate of the wrong thing", src: over("target: {rate: 5 racks/week}"), at: "o.yaml:2:16", path: "target.rate", msg: `wrong unit (got "5 racks/week", want MW per time`},
		{name: "intensity without basis", src: over("project: {stages: {power: {needs: {transformers: 0.01 units}}}}"), at: "o.yaml:2:50", path: "project.stages.power.needs.transformers", msg: `an intensity needs a basis (got "0.01 units"`},
		{name: "money without currency", src: over("resources: {racks: {unit_cost: 600k}}"), at: "o.yaml:2:32", path: "resources.racks.unit_cost", msg: `not an amount of money (got "600k", want an amount of money`},
		{name: "negative value", src: over("project: {size: -5 MW}"), at: "o.yaml:2:17", path: "project.size", msg: "too small (got -5 MW, want at least 1 MW)"},
		{name: "zero horizon", src: over("horizon: 0 weeks"), at: "o.yaml:2:10", path: "horizon", msg: "too small (got 0 weeks, want at least 1 week)"},
		{name: "negative fraction", src: over("resources: {racks: {share: -10%}}"), at: "o.yaml:2:28", path: "resources.racks.share", msg: "too small (got -10%, want at least 0%)"},
		{name: "absurd value", src: over("project: {size: 1 TW}"), at: "o.yaml:2:17", path: "project.size", msg: "too large (got 1 TW, want at most 100000 MW)"},
		{name: "absurd horizon", src: over("horizon: 100 years"), at: "o.yaml:2:10", path: "horizon", msg: "too large (got 100 years, want at most 2609 weeks)"},
		{name: "absurd share", src: over("resources: {racks: {share: 150%}}"), at: "o.yaml:2:28", path: "resources.racks.share", msg: "too large (got 150%, want at most 100%)"},
		{name: "absurd growth", src: over("resources: {racks: {growth: 5000%/year}}"), at: "o.yaml:2:29", path: "resources.racks.growth", msg: "too large (got 5000%/year, want at most 1000%/year)"},
		{name: "absurd money", src: over("generations: {rubin: {unit_cost: $1B}}"), at: "o.yaml:2:34", path: "generations.rubin.unit_cost", msg: "too large (got $1B, want at most $100M)"},

		// --- cross-field checks (validate.go) ---
		{name: "bad scenario name", src: over("name: my scenario"), at: "o.yaml:2:7", path: "name", msg: `bad name (got "my scenario", want letters, digits, _ and - starting with a letter)`},
		{name: "target before start date", src: over("target: {by: 2025-06-01}"), at: "o.yaml:2:14", path: "target.by", msg: "date out of order (got 2025-06-01, want after start_date 2026-01-05)"},
		{name: "target on start date", src: over("start_date: 2026-01-05", "target: {by: 2026-01-05}"), at: "o.yaml:3:14", path: "target.by", msg: "date out of order (got 2026-01-05, want after start_date 2026-01-05)"},
		{name: "initial rate above target", src: over("target: {initial_rate: 2 GW/week}"), at: "o.yaml:2:24", path: "target.initial_rate", msg: "above the target rate (got 2 GW/week, want at most 1 GW/week)"},
		{name: "unknown kind", src: over("resources: {racks: {kind: widget}}"), at: "o.yaml:2:27", path: "resources.racks.kind", msg: `unknown kind (got "widget", want one of: material, accelerator, power, crew, robot, upstream)`},
		{name: "power source not in MW", src: over("resources: {grid: {unit: GW, capacity: 1 GW/week}}"), at: "o.yaml:2:26", path: "resources.grid.unit", msg: `a power source is counted in MW (got "GW", want "MW")`},
		{name: "capacity unparsable", src: over("resources: {racks: {capacity: 1500 racks}}"), at: "o.yaml:2:31", path: "resources.racks.capacity", msg: `a rate needs a time basis (got "1500 racks"`},
		{name: "capacity unit not the resource's", src: over("resources: {racks: {capacity: 1500 wafers/week}}"), at: "o.yaml:2:31", path: "resources.racks.capacity", msg: `wrong unit (got "1500 wafers/week", want rack per time, e.g. "1000 racks/week")`},
		{name: "power capacity not in MW", src: over("resources: {grid: {capacity: 300 units/week}}"), at: "o.yaml:2:30", path: "resources.grid.capacity", msg: `wrong unit (got "300 units/week", want MW per time, e.g. "150 MW/week")`},
		{name: "crew capacity as a rate", src: over("resources: {electricians: {capacity: 800 workers/week}}"), at: "o.yaml:2:38", path: "resources.electricians.capacity", msg: `a count has no basis (got "800 workers/week"`},
		{name: "crew capacity of the wrong thing", src: over("resources: {electricians: {capacity: 800 robots}}"), at: "o.yaml:2:38", path: "resources.electricians.capacity", msg: `wrong unit (got "800 robots", want a number of workers, e.g. "40000 workers")`},
		{name: "negative capacity", src: over("resources: {racks: {capacity: -5 racks/week}}"), at: "o.yaml:2:31", path: "resources.racks.capacity", msg: `negative capacity (got -5 racks/week, want zero or more)`},
		{name: "expansion step in another unit", src: over("resources: {racks: {expansion: {step: 5 MW/week}}}"), at: "o.yaml:2:39", path: "resources.racks.expansion.step", msg: `wrong unit (got "5 MW/week", want rack per time, e.g. "1000 racks/week")`},
		{name: "negative expansion step", src: over("resources: {racks: {expansion: {step: -5 racks/week}}}"), at: "o.yaml:2:39", path: "resources.racks.expansion.step", msg: `negative expansion step (got -5 racks/week, want zero or more)`},
		{name: "absurd capacity", src: over("resources: {racks: {capacity: 1e13 racks/week}}"), at: "o.yaml:2:31", path: "resources.racks.capacity", msg: `too large (got 1e13 racks/week, want at most 1e12 per week)`},
		{name: "material without lead time", src: over("resources:", "  widgets: {kind: material, unit: widget, capacity: 10 widgets/week, share: 10%}"), at: "o.yaml:3:3", path: "resources.widgets.lead_time", msg: "missing (want a duration"},
		{name: "expansion without lead time", src: over("resources:", "  widgets: {kind: upstream, unit: widget, capacity: 10 widgets/week, share: 10%, expansion: {max_growth: 10%/year}}"), at: "o.yaml:3:82", path: "resources.widgets.expansion.lead_time", msg: "missing (want a duration"},
		{name: "robot without substitutes", src: over("resources:", "  robots:", "    substitutes: []"), at: "o.yaml:4:5", path: "resources.robots.substitutes", msg: "missing (want the crews a robot stands in for)"},
		{name: "robot substituting a non-crew", src: over("resources:", "  robots:", "    substitutes: [construction_labour, racks]"), at: "o.yaml:4:40", path: "resources.robots.substitutes", msg: `not a crew (got "racks", want one of: construction_labour, electricians)`},
		{name: "robot substituting an unknown crew", src: over("resources:", "  robots:", "    substitutes: welders"), at: "o.yaml:4:18", path: "resources.robots.substitutes", msg: `not a crew (got "welders"`},
		{name: "robot without workers per robot", src: over("resources:", "  drones: {kind: robot, unit: drone, capacity: 1 drone/week, share: 10%, lead_time: 1 week, substitutes: [electricians]}"), at: "o.yaml:3:3", path: "resources.drones.workers_per_robot", msg: "missing (want how many workers one robot replaces"},
		{name: "robot replacing zero workers", src: over("resources: {robots: {workers_per_robot: 0}}"), at: "o.yaml:2:41", path: "resources.robots.workers_per_robot", msg: "too small (got 0, want more than 0: how many workers one robot replaces"},
		{name: "line input unknown", src: over("resources: {accelerators: {inputs: {silicon: 1 wafer/accelerator}}}"), at: "o.yaml:2:37", path: "resources.accelerators.inputs.silicon", msg: `unknown resource (got "silicon", want one of: cowos_packaging, hbm)`},
		{name: "line input not upstream", src: over("resources: {accelerators: {inputs: {racks: 1 rack/accelerator}}}"), at: "o.yaml:2:37", path: "resources.accelerators.inputs.racks", msg: `not an upstream line (got a resource of kind material, want one of: cowos_packaging, hbm)`},
		{name: "line input wrong unit", src: over("resources: {accelerators: {inputs: {hbm: 8 wafers/accelerator}}}"), at: "o.yaml:2:42", path: "resources.accelerators.inputs.hbm", msg: `wrong unit (got "8 wafers/accelerator", want stacks/accelerator)`},
		{name: "two accelerator lines", src: over("resources:", "  tpus: {kind: accelerator, unit: tpu, capacity: 10 tpus/week, share: 10%, lead_time: 1 week}"), at: "o.yaml:2:1", path: "resources", msg: "need exactly one resource of kind accelerator (got 2, want 1)"},
		{name: "no accelerator line", src: over("resources: {accelerators: {kind: material}}"), at: "o.yaml:2:1", path: "resources", msg: "need exactly one resource of kind accelerator (got 0, want 1)"},
		{name: "no power line", src: over("resources:", "  grid: {kind: material}", "  gas_turbines: {kind: material}", "  engines: {kind: material}", "  solar_storage: {kind: material}", "  nuclear: {kind: material}"), at: "o.yaml:2:1", path: "resources", msg: "need at least one resource of kind power (got none, want one or more)"},
		{name: "no stage secures power", src: over("project: {stages: {power: {secures_power: false}}}"), at: "o.yaml:2:11", path: "project.stages", msg: "need exactly one stage with secures_power: true (got 0, want 1)"},
		{name: "two stages secure power", src: over("project: {stages: {site: {secures_power: true}}}"), at: "o.yaml:2:11", path: "project.stages", msg: "need exactly one stage with secures_power: true (got 2, want 1)"},
		{name: "unknown stage in after", src: over("project: {stages: {fit_out: {after: [power, constructoin]}}}"), at: "o.yaml:2:45", path: "project.stages.fit_out.after", msg: `unknown stage (got "constructoin", want one of: site, power, construction, fit_out, commissioning)`},
		{name: "too many stages", src: over("project:", "  stages:"+manyStages(65)), at: "o.yaml:3:3", path: "project.stages", msg: "too many stages (got 70, want at most 64)"},
		{name: "stage loop", src: over("project: {stages: {site: {after: [commissioning]}}}"), at: "o.yaml:2:11", path: "project.stages", msg: "stages depend on each other in a loop (got site → commissioning → fit_out → power → site, want each stage after earlier ones only)"},
		{name: "stage after itself", src: over("project: {stages: {site: {after: [site]}}}"), at: "o.yaml:2:11", path: "project.stages", msg: "in a loop (got site → site, want"},
		{name: "need unknown resource", src: over("project: {stages: {construction: {needs: {concrete: 5 tonnes/MW}}}}"), at: "o.yaml:2:43", path: "project.stages.construction.needs.concrete", msg: `unknown resource (got "concrete", want one of: cowos_packaging, hbm, accelerators, racks,`},
		{name: "crew under needs", src: over("project: {stages: {construction: {needs: {electricians: 1 worker/MW}}}}"), at: "o.yaml:2:43", path: "project.stages.construction.needs.electricians", msg: "a crew is held, not consumed (got it under needs, want it under crews)"},
		{name: "robot under needs", src: over("project: {stages: {construction: {needs: {robots: 1 robot/MW}}}}"), at: "o.yaml:2:43", path: "project.stages.construction.needs.robots", msg: "a robot is held, not consumed (got it under needs, want it under crews)"},
		{name: "power line under needs", src: over("project: {stages: {power: {needs: {grid: 1 MW/grid-MW}}}}"), at: "o.yaml:2:36", path: "project.stages.power.needs.grid", msg: "a power source is obtained by the stage with secures_power: true (got it under needs, want it left out of needs)"},
		{name: "upstream line under needs", src: over("project: {stages: {fit_out: {needs: {hbm: 8 stacks/accelerator}}}}"), at: "o.yaml:2:38", path: "project.stages.fit_out.needs.hbm", msg: "an upstream line feeds another line (got it under needs, want it under that line's inputs)"},
		{name: "need with unknown basis", src: over("project: {stages: {construction: {needs: {switchgear: 4 lineups/building}}}}"), at: "o.yaml:2:55", path: "project.stages.construction.needs.switchgear", msg: `unknown basis (got "4 lineups/building", want per one of: MW, grid-MW, accelerator, rack)`},
		{name: "need in the wrong unit", src: over("project: {stages: {construction: {needs: {switchgear: 0.4 racks/MW}}}}"), at: "o.yaml:2:55", path: "project.stages.construction.needs.switchgear", msg: `wrong unit (got "0.4 racks/MW", want lineups per MW)`},
		{name: "impossible recipe", src: over("resources: {switchgear: {share: 0%, expansion: {max_growth: 0%/year}}}"), at: refAt(t, "switchgear: {dist: triangular, min: 0.3 lineups"), path: "project.stages.construction.needs.switchgear", msg: `impossible recipe: resource "switchgear" can never deliver (got capacity × share zero, no initial stock and no expansion, want one of them above zero)`},
		{name: "crew unknown", src: over("project: {stages: {construction: {crews: {welders: 1 worker/MW}}}}"), at: "o.yaml:2:43", path: "project.stages.construction.crews.welders", msg: `unknown resource (got "welders", want one of: construction_labour, electricians)`},
		{name: "crew not a crew", src: over("project: {stages: {construction: {crews: {racks: 1 rack/MW}}}}"), at: "o.yaml:2:43", path: "project.stages.construction.crews.racks", msg: `not a crew (got a resource of kind material, want one of: construction_labour, electricians)`},
		{name: "crew in the wrong unit", src: over("project: {stages: {construction: {crews: {electricians: 1 robot/MW}}}}"), at: "o.yaml:2:57", path: "project.stages.construction.crews.electricians", msg: `wrong unit (got "1 robot/MW", want workers per MW)`},
		{name: "generations out of order", src: over("generations: {rubin: {available: 2024-06-01}}"), at: "o.yaml:2:34", path: "generations.rubin.available", msg: "date out of order (got 2024-06-01, want after blackwell's 2025-01-01)"},
		{name: "generations out of order in reference text", src: edited("available: {value: 2027-09-01", "available: {value: 2026-08-01"), at: at(t, "o.yaml", edited("available: {value: 2027-09-01", "available: {value: 2026-08-01"), "2026-08-01"), path: "generations.rubin_ultra.available", msg: "date out of order (got 2026-08-01, want after rubin's 2026-09-01)"},
		{name: "first generation after start date", src: over("start_date: 2022-01-03", "target: {by: 2027-01-01}"), at: refAt(t, "2022-09-21"), path: "generations.hopper.available", msg: "no hardware at the start (got 2022-09-21, want the first generation available by start_date 2022-01-03)"},
		{name: "generation input not upstream", src: over("generations: {rubin: {inputs: {racks: 1 rack/accelerator}}}"), at: "o.yaml:2:32", path: "generations.rubin.inputs.racks", msg: "not an upstream line (got a resource of kind material"},
		{name: "generation input wrong unit", src: over("generations: {rubin: {inputs: {hbm: 8 stacks/MW}}}"), at: "o.yaml:2:37", path: "generations.rubin.inputs.hbm", msg: `wrong unit (got "8 stacks/MW", want stacks/accelerator)`},
		{name: "initial fleet unknown generation", src: over("initial: {online: {f: {generation: volta, capacity: 1 GW}}}"), at: "o.yaml:2:", path: "initial.online.f.generation", msg: `unknown generation (got "volta", want one of: `},
		{name: "initial fleet after the start", src: over("initial: {online: {f: {generation: blackwell, capacity: 1 GW, since: 2027-01-01}}}"), at: "o.yaml:2:", path: "initial.online.f.since", msg: `date after the start (got 2027-01-01, want on or before start_date 2026-01-05)`},
		{name: "initial project stage out of order", src: over("initial: {projects: {p: {size: 1 GW, started: 2025-01-06, stages: {fit_out: {status: done}}}}}"), at: "o.yaml:2:", path: "initial.projects.p.stages.fit_out", msg: `stage done before the stages it comes after (got "power" pending, want power done first)`},
		{name: "initial project running without since", src: over("initial: {projects: {p: {size: 1 GW, started: 2025-01-06, stages: {site: {status: running}}}}}"), at: "o.yaml:2:", path: "initial.projects.p.stages.site.since", msg: `missing (want the date the stage started`},
		{name: "initial project unknown status", src: over("initial: {projects: {p: {size: 1 GW, started: 2025-01-06, stages: {site: {status: half}}}}}"), at: "o.yaml:2:", path: "initial.projects.p.stages.site.status", msg: `unknown status (got "half", want one of: done, running, delivered, ordered, pending)`},
		{name: "initial project power shares", src: over("initial: {projects: {p: {size: 1 GW, started: 2025-01-06, power: {grid: 50%, gas_turbines: 20%}}}}"), at: "o.yaml:2:", path: "initial.projects.p.power", msg: `shares do not add up to 100% (got 70%, want 100%)`},
		{name: "initial planned on a running stage", src: over("initial: {projects: {p: {size: 1 GW, started: 2025-01-06, stages: {site: {status: running, since: 2025-01-06, planned: 2026-06-01}}}}}"), at: "o.yaml:2:", path: "initial.projects.p.stages.site.planned", msg: `a stage already running has no planned start (got 2026-06-01`},
		{name: "initial planned before the start", src: over("initial: {projects: {p: {size: 1 GW, started: 2025-01-06, stages: {site: {status: pending, planned: 2025-06-02}}}}}"), at: "o.yaml:2:", path: "initial.projects.p.stages.site.planned", msg: `planned start before the start (got 2025-06-02, want on or after start_date 2026-01-05`},
		{name: "initial since on a stage not started", src: over("initial: {projects: {p: {size: 1 GW, started: 2025-01-06, stages: {site: {status: ordered, since: 2025-06-02}}}}}"), at: "o.yaml:2:", path: "initial.projects.p.stages.site.since", msg: `a stage not started has no start date (got 2025-06-02`},
		{name: "initial order of a crew", src: over("initial: {orders: {electricians: {quantity: 10 workers}}}"), at: "o.yaml:2:", path: "initial.orders.electricians", msg: `a crew is not ordered`},
		{name: "initial order wrong unit", src: over("initial: {orders: {transformers: {quantity: 10 MW}}}"), at: "o.yaml:2:", path: "initial.orders.transformers.quantity", msg: `wrong unit (got "10 MW", want a number of units`},
		{name: "for_power not a need", src: over("project: {stages: {power: {for_power: {racks: [grid]}}}}"), at: "o.yaml:2:", path: "project.stages.power.for_power.racks", msg: `not a need of this stage (got "racks", want one of: transformers)`},
		{name: "for_power unknown source", src: over("project: {stages: {power: {for_power: {transformers: [grid, windmills]}}}}"), at: "o.yaml:2:", path: "project.stages.power.for_power.transformers", msg: `not a power source (got "windmills", want one of: grid, gas_turbines, engines, solar_storage, nuclear)`},
		{name: "for_power not per grid-MW", src: over("project: {stages: {construction: {for_power: {switchgear: [grid]}}}}"), at: "o.yaml:2:", path: "project.stages.construction.for_power.switchgear", msg: `not a need per grid-MW (got "triangular`},
		{name: "needed_at not a need", src: over("project: {stages: {construction: {needed_at: {racks: 50%}}}}"), at: "o.yaml:2:", path: "project.stages.construction.needed_at.racks", msg: `not a need of this stage (got "racks", want one of: `},
		{name: "reference text missing its unit", src: edited("duration: {value: 26 weeks", "duration: {value: 26"), at: at(t, "o.yaml", ref, "26 weeks, source: \"site control"), path: "project.stages.site.duration", msg: `missing unit (got "26"`},
	}
}

func TestInvalid(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range invalidCases(t) {
		if seen[c.name] {
			t.Fatalf("duplicate case name %q", c.name)
		}
		seen[c.name] = true
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			var read scenario.ReadFunc
			if c.files != nil {
				read = mapRead(c.files)
			}
			s, err := scenario.Parse("o.yaml", []byte(c.src), read)
			if err == nil {
				t.Fatalf("Parse succeeded (name %q), want an error", s.Name)
			}
			if !scenario.IsInvalid(err) {
				t.Fatalf("error is not a scenario problem: %v", err)
			}
			var list scenario.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error is not an ErrorList: %#v", err)
			}
			if testing.Verbose() {
				t.Log(err)
			}
			prefix := c.at + ": "
			if c.path != "" {
				prefix += c.path + ": "
			}
			found := false
			for _, e := range list {
				s := e.Error()
				if strings.HasPrefix(s, prefix) && strings.Contains(s, c.msg) {
					found = true
				}
				if strings.HasSuffix(c.at, ":") && strings.HasPrefix(s, c.at) && strings.Contains(s, c.msg) {
					found = true // line known, column left to the parser
				}
				checkForm(t, e)
			}
			if !found {
				t.Errorf("no error %q…%q; got:\n%v", prefix, c.msg, err)
			}
		})
	}
}

// checkForm asserts the product's error form: a position (with a line,
// unless the whole file is at fault) and a message saying what was got and
// what was wanted.
func checkForm(t *testing.T, e *scenario.Error) {
	t.Helper()
	if e.Pos.File == "" {
		t.Errorf("%v: no file name", e)
	}
	if e.Pos.Line == 0 && !strings.HasPrefix(e.Msg, "file too large") {
		t.Errorf("%v: no line", e)
	}
	if e.Pos.Line > 0 && e.Pos.Col == 0 {
		t.Errorf("%v: no column", e)
	}
	if strings.HasPrefix(e.Msg, "YAML syntax: ") {
		return // the parser's own words
	}
	if !strings.Contains(e.Msg, "want ") {
		t.Errorf("%v: message does not say what is wanted", e)
	}
	if !strings.Contains(e.Msg, "got ") && !strings.HasPrefix(e.Msg, "missing") {
		t.Errorf("%v: message does not say what was got", e)
	}
}

// TestInvalidErrorString pins the whole text of one error, so the form
// file:line:col: path: message (got X, want Y) cannot drift.
func TestInvalidErrorString(t *testing.T) {
	_, err := scenario.Parse("mine.yaml", []byte(over("project:", "  size: 26")), nil)
	want := `mine.yaml:3:9: project.size: missing unit (got "26", want a power such as "250 MW", "1.2 GW" or "700 W")`
	if err == nil || err.Error() != want {
		t.Fatalf("got  %v\nwant %s", err, want)
	}
}

// TestErrorsSorted checks that several problems are all reported, in file
// order.
func TestErrorsSorted(t *testing.T) {
	_, err := scenario.Parse("o.yaml", []byte(over("seed: x", "horizon: 26", "naem: y")), nil)
	var list scenario.ErrorList
	if !errors.As(err, &list) || len(list) != 3 {
		t.Fatalf("got %v, want three errors", err)
	}
	for i, line := range []int{2, 3, 4} {
		if list[i].Pos.Line != line {
			t.Errorf("error %d at line %d, want %d: %v", i, list[i].Pos.Line, line, list[i])
		}
	}
}

// manyKeys is n lines "kN: 1".
func manyKeys(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "k%d: 1\n", i)
	}
	return strings.TrimSuffix(b.String(), "\n")
}
