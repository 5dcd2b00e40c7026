package scenario

import (
	"slices"
	"strings"
)

// Finance is how the factory is paid for: when orders are paid, what else
// costs money per MW, what running it costs, what its compute earns, and
// how the gap is financed. A scenario without a finance section runs with
// capital unconstrained.
type Finance struct {
	// Deposit is the share of an order's price paid when it is placed; the
	// rest is paid on delivery.
	Deposit Value `yaml:"deposit" unit:"fraction" min:"0" max:"1"`
	// Capex lists costs per MW of IT not bought from a supply line (land,
	// building shell), each paid when a stage starts.
	Capex []CapexItem `yaml:"capex,keyed"`
	// Staff and maintenance cost per MW-year of online IT capacity.
	Operations Value `yaml:"operations" unit:"price" per:"MW-year" min:"0" max:"1e9"`
	// AcceleratorLife is when accelerators are replaced (and depreciated over).
	AcceleratorLife Value `yaml:"accelerator_life" unit:"duration" min:"52" max:"1043"`
	// FacilityLife is what everything else is depreciated over.
	FacilityLife Value   `yaml:"facility_life" unit:"duration" min:"52" max:"5218"`
	Revenue      Revenue `yaml:"revenue"`
	Cash         Value   `yaml:"cash" unit:"money" min:"0" max:"1e14"`
	// Reserve is the weeks of operating costs the factory keeps in hand
	// before committing to new capex.
	Reserve Value    `yaml:"reserve" unit:"duration" min:"0" max:"260"`
	Equity  Equity   `yaml:"equity"`
	Debt    Facility `yaml:"debt"`
	// Vendor finances a share of accelerator payments.
	Vendor Facility `yaml:"vendor"`
	// Lease finances a share of the per-MW capex items (buildings).
	Lease Facility `yaml:"lease"`
}

// CapexItem is a cost per MW of IT paid when a stage starts.
type CapexItem struct {
	Name  string `yaml:"-"`
	Pos   Pos    `yaml:"-"`
	Layer string `yaml:"layer"`
	Stage string `yaml:"stage" required:"true"`
	Cost  Value  `yaml:"cost" unit:"price" per:"MW" min:"0" max:"1e10" required:"true"`
}

// Revenue is what online compute earns.
type Revenue struct {
	// PerMWYear is revenue per MW-year of fully utilised IT capacity at the
	// start date.
	PerMWYear Value `yaml:"per_mw_year" unit:"price" per:"MW-year" min:"0" max:"1e10"`
	// Decline is the yearly fall in that price.
	Decline Value `yaml:"decline" unit:"growth" min:"0" max:"0.9"`
	// Utilisation is the share of online capacity that earns, once ramped.
	Utilisation Value `yaml:"utilisation" unit:"fraction" min:"0" max:"1"`
	// Ramp is how long a new project takes to reach full utilisation.
	Ramp Value `yaml:"ramp" unit:"duration" min:"0" max:"260"`
}

// Equity is money raised from owners when cash runs short.
type Equity struct {
	// PerYear caps equity raised in each year of the run.
	PerYear Value `yaml:"per_year" unit:"money" min:"0" max:"1e14"`
}

// Facility is a source of debt: drawn as needed up to its limit, each draw
// repaid in equal weekly instalments of principal over the tenor, with
// interest on what is outstanding.
type Facility struct {
	// Share is, for vendor financing and leases, the share of the payments
	// they cover.
	Share Value `yaml:"share" unit:"fraction" min:"0" max:"1"`
	// Limit caps what may be outstanding.
	Limit Value `yaml:"limit" unit:"money" min:"0" max:"1e15"`
	// RevenueMultiple raises the limit by this multiple of annualised
	// revenue (a leverage covenant): revenue feeds the next week's budget.
	RevenueMultiple Value `yaml:"revenue_multiple" unit:"ratio" min:"0" max:"20"`
	Rate            Value `yaml:"rate" unit:"growth" min:"0" max:"1"`
	Tenor           Value `yaml:"tenor" unit:"duration" min:"1" max:"2609"`
}

// Mission is a use of compute with its own demand over time.
type Mission struct {
	Name string `yaml:"-"`
	Pos  Pos    `yaml:"-"`
	// Kind is training or inference.
	Kind string `yaml:"kind" required:"true"`
	// Priority orders missions under strict priority (1 first).
	Priority int64 `yaml:"priority"`
	// Weight shares compute under weighted share.
	Weight Value `yaml:"weight" unit:"ratio" min:"0" max:"1e6"`
	// Guaranteed is a share of the week's compute the mission gets first,
	// up to its demand.
	Guaranteed Value  `yaml:"guaranteed" unit:"fraction" min:"0" max:"1"`
	Demand     Demand `yaml:"demand" required:"true"`
	Source     string `yaml:"source"`
}

// Demand is a mission's demand curve: either a compute (or power) level
// at the start growing yearly, or users × tokens × FLOP per token.
type Demand struct {
	// Compute demand at the start date (peak-equivalent FLOP/s).
	Compute Value `yaml:"compute" unit:"compute" min:"0" max:"1e30"`
	// Power demand at the start date, converted with the fleet's FLOP/s per MW.
	Power Value `yaml:"power" unit:"power" min:"0" max:"1e9"`
	// Users, TokensPerUserDay and FLOPPerToken give compute demand as
	// users × tokens per day × FLOP per token / 86,400 s / Efficiency.
	Users            Value `yaml:"users" unit:"count" min:"0" max:"1e11"`
	TokensPerUserDay Value `yaml:"tokens_per_user_day" unit:"count" min:"0" max:"1e12"`
	FLOPPerToken     Value `yaml:"flop_per_token" unit:"count" min:"0" max:"1e20"`
	// Efficiency is the share of peak FLOP/s actually delivered to the work.
	Efficiency Value `yaml:"efficiency" unit:"fraction" min:"0.001" max:"1"`
	// Growth is the yearly growth of demand; Max caps it.
	Growth Value `yaml:"growth" unit:"growth" min:"-0.9" max:"100"`
	Max    Value `yaml:"max" unit:"compute" min:"0" max:"1e30"`
	// Start is when demand begins (default: the start date).
	Start Date `yaml:"start"`
}

// Allocation policies.
const (
	StrictPriority = "strict_priority"
	WeightedShare  = "weighted_share"
	MaxMinFair     = "max_min_fair"
)

// AllocationPolicies lists the allocation policies.
var AllocationPolicies = []string{StrictPriority, WeightedShare, MaxMinFair}

// Allocation chooses how compute is split among missions each week.
type Allocation struct {
	Policy string `yaml:"policy"`
}

// Mission kinds.
const (
	Training  = "training"
	Inference = "inference"
)

func validateMoneyAndMissions(errs *ErrorList, s *Scenario, t *tree) {
	stages := map[string]bool{}
	for _, st := range s.Project.Stages {
		stages[st.Name] = true
	}
	for _, c := range s.Finance.Capex {
		if !stages[c.Stage] {
			errs.add(c.Pos, "finance.capex."+c.Name+".stage", "unknown stage (got %q, want one of: %s)", c.Stage, strings.Join(stageList(s), ", "))
		}
	}
	for _, f := range []struct {
		name string
		fac  *Facility
	}{{"debt", &s.Finance.Debt}, {"vendor", &s.Finance.Vendor}, {"lease", &s.Finance.Lease}} {
		if (f.fac.Limit.V > 0 || f.fac.Share.V > 0 || f.fac.RevenueMultiple.V > 0) && !f.fac.Tenor.Set {
			errs.add(posAt(t, "finance"), "finance."+f.name+".tenor", "missing (want a duration such as \"7 years\")")
		}
	}
	guaranteed := 0.0
	for _, m := range s.Missions {
		p := "missions." + m.Name
		if !slices.Contains([]string{Training, Inference}, m.Kind) {
			errs.add(m.Pos, p+".kind", "unknown kind (got %q, want training or inference)", m.Kind)
		}
		d := m.Demand
		forms := 0
		if d.Compute.Set {
			forms++
		}
		if d.Power.Set {
			forms++
		}
		if d.Users.Set || d.TokensPerUserDay.Set || d.FLOPPerToken.Set {
			forms++
			if !(d.Users.Set && d.TokensPerUserDay.Set && d.FLOPPerToken.Set) {
				errs.add(m.Pos, p+".demand", "incomplete demand (got some of users, tokens_per_user_day, flop_per_token, want all three)")
			}
		}
		if forms != 1 {
			errs.add(m.Pos, p+".demand", "need exactly one demand curve (got %d, want one of: compute, power, or users × tokens_per_user_day × flop_per_token)", forms)
		}
		if m.Priority < 0 || m.Priority > 1000 {
			errs.add(m.Pos, p+".priority", "out of range (got %d, want 0 to 1000)", m.Priority)
		}
		guaranteed += m.Guaranteed.V
	}
	if guaranteed > 1+1e-9 {
		errs.add(posAt(t, "missions"), "missions", "guaranteed shares add up to more than 100%% (got %.4g%%, want at most 100%%)", guaranteed*100)
	}
	if p := s.Allocation.Policy; p != "" && !slices.Contains(AllocationPolicies, p) {
		errs.add(posAt(t, "allocation"), "allocation.policy", "unknown policy (got %q, want one of: %s)", p, strings.Join(AllocationPolicies, ", "))
	}
}
