package workforce

import (
	"slices"
	"strings"

	"nhs-digital-maturity/models"
)

// Publication is one scope's figures of a release, as pages, reports and
// exports read them: only published cells, by table and group.
type Publication struct {
	Release  models.WorkforceRelease
	National bool
	Domains  []string
	cells    map[string]Cell
	labels   map[string][]string
}

func cellKey(basis, dims, staffGroup, payBand, department, item string) string {
	return strings.Join([]string{basis, dims, staffGroup, payBand, department, item}, "\x00")
}

func (p *Publication) add(c Cell) {
	p.cells[cellKey(c.Basis, c.Dims, c.StaffGroup, c.PayBand, c.Department, c.Item)] = c
	if c.Basis != "" {
		return
	}
	if p.labels == nil {
		p.labels = map[string][]string{}
	}
	// The groups of the current one-way tables are those a filter offers.
	for _, dim := range []string{StaffGroup, PayBand, Department} {
		if v := c.Label(dim); c.Dims == dim && v != "" && !slices.Contains(p.labels[dim], v) {
			p.labels[dim] = append(p.labels[dim], v)
		}
	}
}

// Filter chooses a group of staff; empty fields do not filter.
type Filter struct {
	StaffGroup, PayBand, Department string
}

// Dims lists the filter's dimensions in the tables' order.
func (f Filter) Dims() []string {
	var dims []string
	if f.StaffGroup != "" {
		dims = append(dims, StaffGroup)
	}
	if f.PayBand != "" {
		dims = append(dims, PayBand)
	}
	if f.Department != "" {
		dims = append(dims, Department)
	}
	return dims
}

// with is the filter narrowed to one group of dim.
func (f Filter) with(dim, v string) Filter {
	switch dim {
	case StaffGroup:
		f.StaffGroup = v
	case PayBand:
		f.PayBand = v
	case Department:
		f.Department = v
	}
	return f
}

func (f Filter) get(dim string) string {
	return map[string]string{StaffGroup: f.StaffGroup, PayBand: f.PayBand, Department: f.Department}[dim]
}

// Options lists the published groups of a dimension, in the NHS's order
// ("Other" and "Not given" last): what a filter may offer.
func (p *Publication) Options(dim string) []string {
	list := slices.Clone(p.labels[dim])
	order := map[string][]string{StaffGroup: models.StaffGroups(), PayBand: models.PayBands()}[dim]
	rank := func(v string) int {
		if i := slices.Index(order, v); i >= 0 {
			return i
		}
		switch v {
		case OtherStaffGroups, OtherPayBands, OtherDepartments:
			return 1000
		case NotGiven:
			return 1001
		}
		return 500
	}
	slices.SortFunc(list, func(a, b string) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		return strings.Compare(a, b)
	})
	return list
}

// Group is the published cell of the filter's group in a basis ("" for
// now, or a period). A group with nobody in it, or not in the release, is
// a zero cell, empty.
func (p *Publication) Group(basis string, f Filter) Cell {
	c, ok := p.cells[cellKey(basis, DimsKey(f.Dims()...), f.StaffGroup, f.PayBand, f.Department, "")]
	if !ok {
		return Cell{Basis: basis, Dims: DimsKey(f.Dims()...), StaffGroup: f.StaffGroup, PayBand: f.PayBand, Department: f.Department}
	}
	return c
}

// Item is a participation figure of the release.
func (p *Publication) Item(item string) Cell {
	c, ok := p.cells[cellKey("", "participation", "", "", "", item)]
	if !ok {
		return Cell{Dims: "participation", Item: item}
	}
	return c
}

// View is what the workforce view shows for a filter and grouping, every
// figure read from the release.
type View struct {
	Filter    Filter
	Dimension string
	// Published says the release has the filter's group at all; when not,
	// the view offers no figures for it ("not published at this level of
	// detail").
	Published bool
	Headline  Cell
	// RowsPublished says the release breaks the group down by Dimension.
	RowsPublished bool
	Rows          []Cell
	// TrendPublished says the release has the group for each period.
	TrendPublished bool
	Trend          []Cell
}

// View gathers the figures for a filter and a grouping.
func (p *Publication) View(f Filter, dimension string) View {
	if p.National {
		f.Department = ""
	}
	v := View{Filter: f, Dimension: dimension}
	dims := f.Dims()
	if !Published(dims, false, p.National) {
		return v
	}
	v.Published = true
	v.Headline = p.Group("", f)
	rowDims := dims
	if !slices.Contains(dims, dimension) {
		rowDims = canonical(append(slices.Clone(dims), dimension))
	}
	if Published(rowDims, false, p.National) {
		v.RowsPublished = true
		if f.get(dimension) != "" {
			v.Rows = []Cell{v.Headline}
		} else {
			for _, g := range p.Options(dimension) {
				if c := p.Group("", f.with(dimension, g)); c.Suppressed || c.People > 0 {
					v.Rows = append(v.Rows, c)
				}
			}
		}
	}
	if Published(dims, true, p.National) {
		v.TrendPublished = true
		for _, period := range p.periods() {
			if c := p.Group(period, f); c.Suppressed || c.People > 0 {
				v.Trend = append(v.Trend, c)
			}
		}
	}
	return v
}

// canonical orders dimensions as the tables name them.
func canonical(dims []string) []string {
	var out []string
	for _, d := range []string{StaffGroup, PayBand, Department} {
		if slices.Contains(dims, d) {
			out = append(out, d)
		}
	}
	return out
}

func (p *Publication) periods() []string {
	var ps []string
	for _, c := range p.cells {
		if c.Basis != "" && !slices.Contains(ps, c.Basis) {
			ps = append(ps, c.Basis)
		}
	}
	slices.Sort(ps)
	return ps
}

// Label is how a group reads on a page: its published label, which is
// already "Other ..." or "Not given" where it must be.
func (c Cell) Label(dim string) string {
	return map[string]string{StaffGroup: c.StaffGroup, PayBand: c.PayBand, Department: c.Department}[dim]
}
