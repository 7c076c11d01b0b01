package workforce

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
)

// DefaultInterval is how often releases are built unless configured.
const DefaultInterval = 7 * 24 * time.Hour

// ErrNoRelease is a request for figures before the first release.
var ErrNoRelease = errors.New("no workforce release yet")

// Publisher builds releases on their schedule, stores them, and reads them
// back for the pages, reports and exports.
type Publisher struct {
	Store *models.Store
	// Interval is the least time between two releases.
	Interval     time.Duration
	MinGroupSize int
	// Domains are the skills domain codes in the framework's order, and
	// ScaleMax the top of its rating scale.
	Domains  []string
	ScaleMax int
}

// Due says whether a release may be built at now: there is none yet, or
// the interval since the last has passed.
func (p *Publisher) Due(ctx context.Context, now time.Time) (bool, error) {
	last, err := p.Store.LatestWorkforceRelease(ctx)
	if errors.Is(err, models.ErrNotFound) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	return !now.Before(last.NextAt), nil
}

// Publish builds and stores a release of the figures as they are at now,
// unless one is not due (models.ErrReleaseNotDue).
func (p *Publisher) Publish(ctx context.Context, now time.Time) (models.WorkforceRelease, error) {
	if due, err := p.Due(ctx, now); err != nil || !due {
		if err == nil {
			err = models.ErrReleaseNotDue
		}
		return models.WorkforceRelease{}, err
	}
	in, err := p.input(ctx)
	if err != nil {
		return models.WorkforceRelease{}, err
	}
	rel, err := Build(in)
	if err != nil {
		return models.WorkforceRelease{}, err
	}
	interval := p.Interval
	if interval <= 0 {
		interval = DefaultInterval
	}
	now = now.UTC()
	stored := models.WorkforceRelease{BuiltAt: now, NextAt: now.Add(interval), MinGroupSize: rel.MinGroupSize,
		Organisations: rel.Organisations, Domains: strings.Join(rel.Domains, ",")}
	cells := make([]models.WorkforceCell, len(rel.Cells))
	for i, c := range rel.Cells {
		cells[i] = storedCell(c)
	}
	if err := p.Store.SaveWorkforceRelease(ctx, &stored, cells); err != nil {
		return models.WorkforceRelease{}, err
	}
	return stored, nil
}

// Input reads what a release would be built from now: for the auditor and
// the accuracy tests.
func (p *Publisher) Input(ctx context.Context) (Input, error) { return p.input(ctx) }

func (p *Publisher) input(ctx context.Context) (Input, error) {
	in := Input{Domains: p.Domains, ScaleMax: p.ScaleMax, MinGroupSize: p.MinGroupSize, Invited: map[uint]int{}}
	// The release before this one: what it published is known to anyone
	// who kept it, so this one is built around it.
	var since time.Time
	last, err := p.Store.LatestWorkforceRelease(ctx)
	switch {
	case err == nil:
		stored, err := p.Store.AllWorkforceCells(ctx, last.ID)
		if err != nil {
			return Input{}, err
		}
		for _, sc := range stored {
			in.Previous = append(in.Previous, readCell(sc))
		}
		since = last.BuiltAt
	case !errors.Is(err, models.ErrNotFound):
		return Input{}, err
	}
	type key struct {
		org                             uint
		staffGroup, payBand, department string
		period                          string
		latest, gone                    bool
		before                          int
	}
	index := map[key]int{}
	stops, invited, err := p.Store.WorkforceSource(ctx, since, func(g models.WorkforceGroup) {
		k := key{g.OrganisationID, g.StaffGroup, g.PayBand, g.Department, g.Period, g.Latest && g.InRelease, !g.InRelease, g.PreviousStanding}
		i, ok := index[k]
		if !ok {
			i = len(in.Records)
			index[k] = i
			in.Records = append(in.Records, Record{OrganisationID: g.OrganisationID, StaffGroup: g.StaffGroup, PayBand: g.PayBand,
				Department: g.Department, Period: g.Period, Latest: k.latest, Gone: k.gone, Before: Standing(g.PreviousStanding),
				Sums: map[string]Sums{}})
		}
		r := &in.Records[i]
		if g.DomainCode == "" {
			r.People, r.KeySum = int(g.People), uint64(g.KeySum)
			return
		}
		r.Sums[g.DomainCode] = Sums{Now: g.NowSum, Need: g.NeedSum, Gap: g.GapSum}
	})
	if err != nil {
		return Input{}, fmt.Errorf("read workforce figures: %w", err)
	}
	for _, s := range stops {
		in.Stops = append(in.Stops, Stop{OrganisationID: s.OrganisationID, Domain: s.CurrentDomain, People: int(s.People), KeySum: uint64(s.KeySum)})
	}
	for _, v := range invited {
		in.Invited[v.OrganisationID] += int(v.People)
	}
	return in, nil
}

// readCell is a stored cell as the package knows it.
func readCell(sc models.WorkforceCell) Cell {
	c := Cell{Basis: sc.Basis, Dims: sc.Dims, StaffGroup: sc.StaffGroup, PayBand: sc.PayBand, Department: sc.Department,
		Item: sc.Item, Suppressed: sc.Suppressed, People: sc.People}
	if sc.OrganisationID != nil {
		c.OrganisationID = *sc.OrganisationID
	}
	return c
}

func storedCell(c Cell) models.WorkforceCell {
	out := models.WorkforceCell{Basis: c.Basis, Dims: c.Dims, StaffGroup: c.StaffGroup, PayBand: c.PayBand,
		Department: c.Department, Item: c.Item, Suppressed: c.Suppressed, People: c.People}
	if c.OrganisationID != 0 {
		id := c.OrganisationID
		out.OrganisationID = &id
	}
	means := map[string][3]float64{}
	for d, m := range c.Means {
		means[d] = [3]float64{m.Now, m.Need, m.Gap}
	}
	out.Means = models.EncodeMeans(means)
	return out
}

// Latest reads the newest release's figures for one scope: an
// organisation's, or national. Before the first release it is
// ErrNoRelease.
func (p *Publisher) Latest(ctx context.Context, scope models.SkillsScope) (*Publication, error) {
	rel, err := p.Store.LatestWorkforceRelease(ctx)
	if errors.Is(err, models.ErrNotFound) {
		return nil, ErrNoRelease
	}
	if err != nil {
		return nil, err
	}
	stored, err := p.Store.WorkforceCells(ctx, rel.ID, scope)
	if err != nil {
		return nil, err
	}
	pub := &Publication{Release: rel, National: scope.National, Domains: rel.DomainList(), cells: map[string]Cell{}}
	for _, sc := range stored {
		c := readCell(sc)
		means, err := sc.DomainMeans()
		if err != nil {
			return nil, fmt.Errorf("release %d: %w", rel.ID, err)
		}
		if len(means) > 0 {
			c.Means = map[string]Sums{}
			for d, m := range means {
				c.Means[d] = Sums{Now: m[0], Need: m[1], Gap: m[2]}
			}
		}
		pub.add(c)
	}
	return pub, nil
}

// NewPublisher is the publisher of releases of the skills framework fw's
// domains.
func NewPublisher(store *models.Store, fw *assessments.Framework, minGroupSize int, interval time.Duration) *Publisher {
	p := &Publisher{Store: store, Interval: interval, MinGroupSize: minGroupSize, ScaleMax: len(fw.Scale)}
	for _, sec := range fw.Sections {
		p.Domains = append(p.Domains, sec.Code)
	}
	return p
}
