package workforce

import (
	"fmt"
	"slices"
	"strings"
)

// Audit proves a release safe against linear attack: it writes every
// published figure as a sum of the finest groups of the input (records and
// stops), and shows by exact rational elimination that no hidden figure —
// a suppressed cell, or a group of fewer than the minimum under its stored
// name in any published table — is a combination of published ones. The
// figures of the previous release (in.Previous) count as published too,
// and its hidden ones as hidden: nothing hidden in either may follow from
// both together. It shares no code with the builder's own check, so that
// each checks the other. It returns the first derivable figure as an
// error.
func Audit(in Input, r *Release) error {
	a := &auditor{in: in, min: r.MinGroupSize, atoms: map[string]int{}, span: &ratSpan{pivot: map[int]int{}}}
	a.release(r.Cells, false)
	if len(in.Previous) > 0 {
		a.release(in.Previous, true)
	}
	for i, row := range a.published {
		a.span.add(row, i)
	}
	for _, t := range a.targets {
		if a.span.contains(t.vec) {
			return fmt.Errorf("derivable: %s", t.name)
		}
	}
	return nil
}

type auditTarget struct {
	name string
	vec  ratVector
}

type auditor struct {
	in        Input
	min       int
	atoms     map[string]int
	published []ratVector
	targets   []auditTarget
	span      *ratSpan
}

// auditView is one release as the auditor reads it: the labels it shows
// per organisation (0: national) and dimension, and whether it is the
// previous release.
type auditView struct {
	previous bool
	shown    map[uint]map[string]map[string]bool
}

// release adds one release's figures: published ones as rows, hidden ones
// (and its small groups under their stored names) as targets.
func (a *auditor) release(cells []Cell, previous bool) {
	v := auditView{previous: previous, shown: map[uint]map[string]map[string]bool{}}
	for _, c := range cells {
		for dim, val := range map[string]string{StaffGroup: c.StaffGroup, PayBand: c.PayBand, Department: c.Department} {
			if val == "" {
				continue
			}
			if v.shown[c.OrganisationID] == nil {
				v.shown[c.OrganisationID] = map[string]map[string]bool{}
			}
			if v.shown[c.OrganisationID][dim] == nil {
				v.shown[c.OrganisationID][dim] = map[string]bool{}
			}
			v.shown[c.OrganisationID][dim][val] = true
		}
	}
	for _, c := range cells {
		// Of an earlier release's participation only "completed" is
		// followed: the rest counts people who had stopped then.
		if previous && c.Dims == "participation" && c.Item != ItemCompleted {
			continue
		}
		vec, n := a.members(v, c)
		name := describe(c)
		if previous {
			name = "previous release: " + name
		}
		switch {
		case c.Suppressed:
			a.targets = append(a.targets, auditTarget{name, vec})
		case n == 0 && c.Item != ItemInvited:
		default:
			a.published = append(a.published, vec)
		}
	}
	a.smallGroups(v)
}

func describe(c Cell) string {
	var parts []string
	if c.OrganisationID == 0 {
		parts = append(parts, "national")
	} else {
		parts = append(parts, fmt.Sprintf("organisation %d", c.OrganisationID))
	}
	if c.Basis != "" {
		parts = append(parts, "period "+c.Basis)
	}
	parts = append(parts, "table ["+c.Dims+"]")
	for _, v := range []string{c.StaffGroup, c.PayBand, c.Department, c.Item} {
		if v != "" {
			parts = append(parts, v)
		}
	}
	return strings.Join(parts, " ")
}

// publishedLabel is the label the release shows for a record's value.
func (v auditView) publishedLabel(org uint, dim, val string) string {
	name := val
	if val == "" {
		name = NotGiven
	}
	if v.shown[org][dim][name] {
		return name
	}
	return map[string]string{StaffGroup: OtherStaffGroups, PayBand: OtherPayBands, Department: OtherDepartments}[dim]
}

func (a *auditor) atom(key string) int {
	if i, ok := a.atoms[key]; ok {
		return i
	}
	a.atoms[key] = len(a.atoms)
	return len(a.atoms) - 1
}

func recordAtom(r Record) string {
	return fmt.Sprintf("r\x00%d\x00%s\x00%s\x00%s\x00%s\x00%t\x00%t\x00%d", r.OrganisationID, r.StaffGroup, r.PayBand, r.Department,
		r.Period, r.Latest, r.Gone, r.Before)
}

// members is the cell's vector over the finest groups, found from the
// input by the cell's own labels, and its number of people.
func (a *auditor) members(v auditView, c Cell) (ratVector, int) {
	var cols []int
	n := 0
	if c.Dims == "participation" {
		if c.Item == ItemInvited {
			// Everyone who started, and those invited who have not: a group
			// no other figure counts.
			sv, m := a.members(v, Cell{OrganisationID: c.OrganisationID, Dims: "participation", Item: ItemStarted})
			cols := []int{a.atom(fmt.Sprintf("n\x00%d", c.OrganisationID))}
			for _, e := range sv {
				cols = append(cols, e.col)
			}
			return ratOnes(cols), m
		}
		for _, r := range a.in.Records {
			if r.People > 0 && r.member("", v.previous) && (c.OrganisationID == 0 || r.OrganisationID == c.OrganisationID) {
				cols, n = append(cols, a.atom(recordAtom(r))), n+r.People
			}
		}
		if c.Item == ItemCompleted {
			return ratOnes(cols), n
		}
		for _, st := range a.in.Stops {
			if st.People > 0 && (c.OrganisationID == 0 || st.OrganisationID == c.OrganisationID) &&
				(c.Item == ItemStarted || c.Item == ItemStopped+":"+st.Domain) {
				cols, n = append(cols, a.atom(fmt.Sprintf("s\x00%d\x00%s", st.OrganisationID, st.Domain))), n+st.People
			}
		}
		if c.Item != ItemStarted {
			// A stop cell alone: not the completed people.
			cols, n = cols[:0], 0
			for _, st := range a.in.Stops {
				if st.People > 0 && (c.OrganisationID == 0 || st.OrganisationID == c.OrganisationID) && c.Item == ItemStopped+":"+st.Domain {
					cols, n = append(cols, a.atom(fmt.Sprintf("s\x00%d\x00%s", st.OrganisationID, st.Domain))), n+st.People
				}
			}
		}
		return ratOnes(cols), n
	}
	dims := strings.Split(c.Dims, ",")
	if c.Dims == "" {
		dims = nil
	}
	for _, r := range a.in.Records {
		if r.People == 0 || (c.OrganisationID != 0 && r.OrganisationID != c.OrganisationID) || !r.member(c.Basis, v.previous) {
			continue
		}
		match := true
		for _, d := range dims {
			want := map[string]string{StaffGroup: c.StaffGroup, PayBand: c.PayBand, Department: c.Department}[d]
			if v.publishedLabel(c.OrganisationID, d, value(r, d)) != want {
				match = false
			}
		}
		if match {
			cols, n = append(cols, a.atom(recordAtom(r))), n+r.People
		}
	}
	return ratOnes(cols), n
}

// smallGroups adds, as figures that must stay hidden, every group of
// fewer than the minimum under its stored values in each table the
// release publishes, for each organisation and nationally.
func (a *auditor) smallGroups(v auditView) {
	orgs := map[uint]bool{0: true}
	for _, rec := range a.in.Records {
		orgs[rec.OrganisationID] = true
	}
	periods := append([]string{""}, periodsOf(a.in.Records, v.previous)...)
	for org := range orgs {
		for _, t := range tables {
			if org == 0 && !t.national {
				continue
			}
			for _, basis := range periods {
				if basis != "" && !t.periods {
					continue
				}
				groups := map[string][]int{}
				people := map[string]int{}
				for _, rec := range a.in.Records {
					if rec.People == 0 || (org != 0 && rec.OrganisationID != org) || !rec.member(basis, v.previous) {
						continue
					}
					var key []string
					for _, d := range t.dims {
						key = append(key, value(rec, d))
					}
					k := strings.Join(key, "\x00")
					groups[k] = append(groups[k], a.atom(recordAtom(rec)))
					people[k] += rec.People
				}
				for k, cols := range groups {
					if people[k] < a.min {
						a.targets = append(a.targets, auditTarget{
							fmt.Sprintf("previous %t organisation %d period %q group [%s] %q of %d people", v.previous, org, basis, DimsKey(t.dims...), k, people[k]),
							ratOnes(cols)})
					}
				}
			}
		}
	}
	slices.SortFunc(a.targets, func(x, y auditTarget) int { return strings.Compare(x.name, y.name) })
}

// ratEntry and ratVector: exact sparse vectors over the rationals.
type ratEntry struct {
	col int
	val rat
}

type ratVector []ratEntry

func ratOnes(cols []int) ratVector {
	slices.Sort(cols)
	cols = slices.Compact(cols)
	v := make(ratVector, len(cols))
	for i, c := range cols {
		v[i] = ratEntry{c, ratInt(1)}
	}
	return v
}

// ratAxpy returns v - f*w.
func ratAxpy(v ratVector, f rat, w ratVector) ratVector {
	out := make(ratVector, 0, len(v)+len(w))
	i, j := 0, 0
	for i < len(v) || j < len(w) {
		switch {
		case j == len(w) || (i < len(v) && v[i].col < w[j].col):
			out = append(out, v[i])
			i++
		case i == len(v) || w[j].col < v[i].col:
			out = append(out, ratEntry{w[j].col, ratSub(ratInt(0), ratMul(f, w[j].val))})
			j++
		default:
			x := ratSub(v[i].val, ratMul(f, w[j].val))
			if !x.isZero() {
				out = append(out, ratEntry{v[i].col, x})
			}
			i++
			j++
		}
	}
	return out
}

// ratSpan is an echelon basis over the rationals, each row's pivot its
// first column.
type ratSpan struct {
	rows  []ratVector
	pivot map[int]int
}

func (s *ratSpan) reduce(v ratVector) ratVector {
	for k := 0; k < len(v); {
		r, ok := s.pivot[v[k].col]
		if !ok {
			k++
			continue
		}
		f := ratQuo(v[k].val, s.rows[r][0].val)
		v = ratAxpy(v, f, s.rows[r])
	}
	return v
}

func (s *ratSpan) add(v ratVector, _ int) {
	v = s.reduce(v)
	if len(v) == 0 {
		return
	}
	s.pivot[v[0].col] = len(s.rows)
	s.rows = append(s.rows, v)
}

func (s *ratSpan) contains(v ratVector) bool { return len(s.reduce(v)) == 0 }
