package lp

// BasisStatus is where a variable, or a row's activity, stands in a
// simplex basis.
type BasisStatus uint8

// Basis statuses. A row's status is that of its activity: AtUpper for a
// binding ≤ row, AtLower for a binding ≥ row (either for an equality).
const (
	// AtLower is nonbasic at the lower bound (a variable's zero value:
	// a free nonbasic variable is reported so too).
	AtLower BasisStatus = iota
	// Basic is in the basis.
	Basic
	// AtUpper is nonbasic at the upper bound.
	AtUpper
)

// Basis is a simplex basis of a model: the status of each variable and of
// each row, by index in the model's Vars and Rows. An LP solver that
// reports one puts it in Solution.Basis; one that can start from one
// implements WarmStart.
type Basis struct {
	Vars []BasisStatus
	Rows []BasisStatus
}

// WarmStart is implemented by a Solver that can start an LP's simplex
// from a basis: WithStart returns a copy of the solver whose solves start
// from b, a basis of the model they are given (nil: from scratch). A
// start changes how long a solve takes, not what it finds; a solver that
// cannot use b solves from scratch instead, so the worst a bad start
// costs is time. Whole-number (MIP) solves ignore it.
type WarmStart interface {
	WithStart(b *Basis) Solver
}

// Fits reports whether b is a basis of m's size (false for nil).
func (b *Basis) Fits(m *Model) bool {
	return b != nil && len(b.Vars) == len(m.Vars) && len(b.Rows) == len(m.Rows)
}

// Carry is b, a basis of model from, carried to model to by name: each of
// to's variables and rows takes the status of from's of the same name;
// those from lacks are nonbasic at their lower bound (variables) or
// basic (rows), as in a cold start. It is for models that differ in a
// few coefficients, bounds or right-hand sides — where from's optimal
// basis is one pivot or a few from to's. A basis whose sizes are not
// from's carries nothing (nil).
func (b *Basis) Carry(from, to *Model) *Basis {
	if !b.Fits(from) {
		return nil
	}
	out := &Basis{Vars: make([]BasisStatus, len(to.Vars)), Rows: make([]BasisStatus, len(to.Rows))}
	// The fast path: the same names in the same order (to built the same
	// way as from); else by name.
	same := len(from.Vars) == len(to.Vars) && len(from.Rows) == len(to.Rows)
	for i := 0; same && i < len(to.Vars); i++ {
		same = from.Vars[i].Name == to.Vars[i].Name
	}
	for i := 0; same && i < len(to.Rows); i++ {
		same = from.Rows[i].Name == to.Rows[i].Name
	}
	if same {
		copy(out.Vars, b.Vars)
		copy(out.Rows, b.Rows)
		return out
	}
	vars := make(map[string]BasisStatus, len(from.Vars))
	for i, v := range from.Vars {
		vars[v.Name] = b.Vars[i]
	}
	for i, v := range to.Vars {
		out.Vars[i] = vars[v.Name] // AtLower when absent
	}
	rows := make(map[string]BasisStatus, len(from.Rows))
	for i, r := range from.Rows {
		rows[r.Name] = b.Rows[i]
	}
	for i, r := range to.Rows {
		st, ok := rows[r.Name]
		if !ok {
			st = Basic
		}
		out.Rows[i] = st
	}
	return out
}

// ObjectiveOnly is implemented by a Solver that can leave out of an LP's
// solution all but its status, objective and bound: ObjectiveOnly returns
// a copy of the solver whose LP solves report no X, Duals, ReducedCost or
// Basis (nil), for callers that want only the optimum's value — the plan's
// lead-time re-solves, which compare objectives. Writing and reading a
// full solution is a good share of a warm-started solve's time. A MIP's
// solution is reported in full.
type ObjectiveOnly interface {
	ObjectiveOnly() Solver
}

// Preparer is implemented by a Solver that can do ahead of a solve, while
// something else runs, the part that needs the model alone — for a
// solver program, checking the model and writing its file for a warm
// start. Prepare returns a copy of the solver with that done for m: its
// solves of m, and those of the copies it makes (WithStart,
// ObjectiveOnly, WithTimeLimit, WithoutPresolve), skip that part; it
// solves any other model as the solver itself does. The prepared copy
// holds the file's text in memory, for the garbage collector to take
// with it.
type Preparer interface {
	Prepare(m *Model) (Solver, error)
}
