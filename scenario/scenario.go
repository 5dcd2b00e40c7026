package scenario

import (
	"time"

	"github.com/gwf-project/gwf/units"
)

// Scenario is one complete, validated set of parameters for a run.
type Scenario struct {
	Name        string       `yaml:"name" required:"true"`
	Description string       `yaml:"description"`
	Base        string       `yaml:"base"`
	Seed        int64        `yaml:"seed"`
	StartDate   Date         `yaml:"start_date" required:"true"`
	Horizon     Value        `yaml:"horizon" unit:"duration" min:"1" max:"2609" required:"true"`
	Target      Target       `yaml:"target" required:"true"`
	Project     Project      `yaml:"project" required:"true"`
	Policy      Policy       `yaml:"policy"`
	Generations []Generation `yaml:"generations,keyed" required:"true"`
	Resources   []Resource   `yaml:"resources,keyed" required:"true"`
	// Events are disruptions Monte Carlo draws; a single run applies none.
	Events []Event `yaml:"events,keyed"`

	// Initial is what exists at the start date; empty means nothing does.
	Initial Initial `yaml:"initial"`

	Finance    Finance    `yaml:"finance"`
	Missions   []Mission  `yaml:"missions,keyed"`
	Allocation Allocation `yaml:"allocation"`

	// Origin is the chain of files merged to make this scenario, base first.
	Origin []string `yaml:"-"`
}

// Target is the ramp the factory pursues: from InitialRate at the start date
// rising linearly to Rate at By, and held there.
type Target struct {
	Rate        Value `yaml:"rate" unit:"rate" of:"MW" min:"0.001" max:"1e6" required:"true"`
	InitialRate Value `yaml:"initial_rate" unit:"rate" of:"MW" min:"0" max:"1e6"`
	By          Date  `yaml:"by" required:"true"`
}

// Project describes the campuses the factory builds: their size, PUE, and
// the stages each moves through.
type Project struct {
	Size   Value   `yaml:"size" unit:"power" min:"1" max:"100000" required:"true"`
	PUE    Value   `yaml:"pue" unit:"ratio" min:"1" max:"3" required:"true"`
	Stages []Stage `yaml:"stages,keyed" required:"true"`
}

// Stage is one step of a project. It starts once every stage it comes
// after has finished, the inputs it needs on its first day are delivered
// and its crews are free; it consumes each input when the work reaches it
// (NeededAt) and holds its crews until it ends.
type Stage struct {
	Name     string   `yaml:"-"`
	Pos      Pos      `yaml:"-"`
	After    []string `yaml:"after"`
	Duration Value    `yaml:"duration" unit:"duration" min:"0" max:"1000" required:"true"`
	// Automatable is the share of the duration full automation removes.
	Automatable Value `yaml:"automatable" unit:"fraction" min:"0" max:"0.95"`
	// SecuresPower makes the stage obtain the project's grid power
	// (size × PUE) from the power-source resources.
	SecuresPower bool `yaml:"secures_power"`
	// Needs are resources consumed when the stage starts, per basis:
	// MW (IT), grid-MW (IT × PUE), accelerator or rack.
	Needs []Need `yaml:"needs,keyed"`
	// Crews are held for the stage's duration, per basis as for Needs.
	Crews []Need `yaml:"crews,keyed"`
	// NeededAt says, for needs that are not needed on the first day, how
	// far through the stage they must be on site (switchgear at electrical
	// fit-out, halfway through construction, say). The stage starts
	// without them and waits only if one is late for that point.
	NeededAt []Portion `yaml:"needed_at,keyed"`
	// ForPower limits needs measured per grid-MW to the power a project
	// draws from the sources listed: large power transformers serve grid
	// and high-voltage sources, not engines generating at medium voltage.
	ForPower []PowerFilter `yaml:"for_power,keyed"`
}

// PowerFilter names the power sources a need applies to.
type PowerFilter struct {
	Name    string   `yaml:"-"`
	Pos     Pos      `yaml:"-"`
	Sources []string `yaml:"-"`
}

// Need is an amount of one resource per unit of a basis.
type Need struct {
	Name   string `yaml:"-"`
	Pos    Pos    `yaml:"-"`
	Amount Value  `yaml:"-" unit:"intensity" min:"0" max:"1e9"`
}

// Policy tunes the built-in controller.
type Policy struct {
	// Review is how often the controller reviews supply lines for expansion.
	Review Value `yaml:"review" unit:"duration" min:"1" max:"52"`
	// Expand lets the controller fund expansions of lines it forecasts to bind.
	Expand *bool `yaml:"expand"`
	// Lookahead is how far ahead the controller forecasts demand on lines.
	Lookahead Value `yaml:"lookahead" unit:"duration" min:"0" max:"520"`
	// MaxPipeline caps the IT capacity started but not yet online.
	MaxPipeline Value `yaml:"max_pipeline" unit:"power" min:"0" max:"1e7"`
	// Margin is how far above the target rate the controller aims, on top
	// of one project a quarter (default 5%).
	Margin Value `yaml:"margin" unit:"fraction" min:"0" max:"1"`
}

// Generation is a hardware generation of accelerators, used for projects
// whose fit-out starts on or after its availability date.
type Generation struct {
	Name      string `yaml:"-"`
	Pos       Pos    `yaml:"-"`
	Available Date   `yaml:"available" required:"true"`
	// PowerPerAccelerator is the all-in IT power per accelerator package:
	// chip, server, network and rack share.
	PowerPerAccelerator   Value `yaml:"power_per_accelerator" unit:"power" min:"1e-5" max:"1" required:"true"`
	ComputePerAccelerator Value `yaml:"compute_per_accelerator" unit:"compute" min:"1e9" max:"1e21" required:"true"`
	AcceleratorsPerRack   Value `yaml:"accelerators_per_rack" unit:"count" min:"1" max:"100000" required:"true"`
	// UnitCost is the price of one accelerator of this generation at launch;
	// the accelerator line's learning curve lowers it with cumulative output.
	UnitCost Value `yaml:"unit_cost" unit:"money" min:"0" max:"1e8"`
	// Inputs are upstream units per accelerator (packaging wafers, HBM stacks).
	Inputs []Need `yaml:"inputs,keyed"`
}

// Resource kinds.
const (
	KindMaterial    = "material"    // ordered, delivered after a lead time, consumed
	KindAccelerator = "accelerator" // material whose recipe comes from the generation
	KindPower       = "power"       // a power source, in MW, ordered like a material
	KindCrew        = "crew"        // a pool of workers held by stages
	KindRobot       = "robot"       // a fleet produced by a line, standing in for crews
	KindUpstream    = "upstream"    // limits another line's production (packaging, HBM)
)

// Kinds lists the resource kinds in the order they are documented.
var Kinds = []string{KindMaterial, KindAccelerator, KindPower, KindCrew, KindRobot, KindUpstream}

// Resource is a supply line: anything consumed or held to bring capacity online.
type Resource struct {
	Name  string `yaml:"-"`
	Pos   Pos    `yaml:"-"`
	Kind  string `yaml:"kind" required:"true"`
	Layer string `yaml:"layer"`
	// Unit names what is counted ("accelerator", "wafer", "worker", "MW").
	Unit string `yaml:"unit" required:"true"`
	// Capacity is the line's production per week (all buyers), or for a crew
	// the size of the workforce.
	Capacity Value `yaml:"capacity" required:"true"`
	// Growth is the industry's own yearly capacity growth, without the factory.
	Growth Value `yaml:"growth" unit:"growth" min:"-0.5" max:"10"`
	// Share is the part of the line's capacity the factory can obtain.
	Share Value `yaml:"share" unit:"fraction" min:"0" max:"1" required:"true"`
	// LeadTime is order-to-delivery when the line has free capacity; for grid
	// interconnection, the queue wait.
	LeadTime Value `yaml:"lead_time" unit:"duration" min:"0" max:"520"`
	// UnitCost, LearningRate and CumulativeOutput define Wright's law:
	// cost falls by LearningRate with each doubling of cumulative output.
	UnitCost         Value `yaml:"unit_cost" unit:"money" min:"0" max:"1e11"`
	LearningRate     Value `yaml:"learning_rate" unit:"fraction" min:"0" max:"0.5"`
	CumulativeOutput Value `yaml:"cumulative_output" unit:"count" min:"0" max:"1e15"`
	// Available is when the line can first deliver (e.g. small modular reactors).
	Available Date `yaml:"available"`
	// Initial is a fleet or stock the factory holds at the start.
	Initial Value `yaml:"initial" unit:"count" min:"0" max:"1e12"`
	// Inputs are upstream resources per unit produced (default for accelerators
	// when a generation lists none).
	Inputs    []Need    `yaml:"inputs,keyed"`
	Expansion Expansion `yaml:"expansion"`
	// Robot fields: which crews a robot stands in for, how many workers each
	// robot replaces, and the largest share of a crew robots may take.
	Substitutes     []string `yaml:"substitutes"`
	WorkersPerRobot Value    `yaml:"workers_per_robot" unit:"ratio" min:"0" max:"100"`
	MaxAutomation   Value    `yaml:"max_automation" unit:"fraction" min:"0" max:"1"`
	// Preference orders power sources when the controller chooses (lower first
	// when expected delivery ties); MaxMix caps a source's share of a project.
	MaxMix Value `yaml:"max_mix" unit:"fraction" min:"0" max:"1"`
	// EnergyPrice is what a MWh from this power source costs to run (fuel,
	// tariff, operation), for power sources.
	EnergyPrice Value `yaml:"energy_price" unit:"price" per:"MWh" min:"0" max:"10000"`
}

// Expansion is how a supply line grows when the factory pays for it.
type Expansion struct {
	LeadTime Value `yaml:"lead_time" unit:"duration" min:"0" max:"520"`
	// Cost is USD per unit per week of added capacity (per worker for crews).
	Cost Value `yaml:"cost" unit:"money" min:"0" max:"1e12"`
	// MaxGrowth caps funded additions per year as a share of the line's
	// capacity; zero means the factory cannot expand the line.
	MaxGrowth Value `yaml:"max_growth" unit:"growth" min:"0" max:"10"`
	// Step, when set, is the capacity one expansion adds (a factory line,
	// a substation bay), in the line's capacity unit: expansions then come
	// in whole steps, in the simulation and in a lumpy plan.
	Step Value `yaml:"step"`
}

// Value is one scenario number: its canonical value, the text it was
// written as, its unit's dimension, where it came from and its source.
type Value struct {
	V          float64 // in the dimension's canonical unit
	Q          units.Quantity
	Text       string
	Source     string
	Confidence string
	Pos        Pos
	Set        bool
	// Dist is the distribution the value was written as, or nil; V then
	// holds its median (see Dist).
	Dist *Dist
}

// Confidences are the tags a value's source may carry, most certain first.
var Confidences = []string{"primary", "secondary", "analyst", "assumption"}

// Date is a calendar date, written YYYY-MM-DD.
type Date struct {
	time.Time
	Pos        Pos
	Set        bool
	Source     string
	Confidence string
}

// String prints the date as YYYY-MM-DD.
func (d Date) String() string {
	if !d.Set {
		return ""
	}
	return d.Format(time.DateOnly)
}

// Resource returns the resource called name, or nil.
func (s *Scenario) Resource(name string) *Resource {
	for i := range s.Resources {
		if s.Resources[i].Name == name {
			return &s.Resources[i]
		}
	}
	return nil
}

// HorizonWeeks is the number of weekly steps in a run.
func (s *Scenario) HorizonWeeks() int { return int(s.Horizon.V + 0.5) }
