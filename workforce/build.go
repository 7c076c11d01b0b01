package workforce

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Build makes a release from its input: the fixed tables for every
// organisation and nationally, primary and secondary suppression chosen
// over all of them at once, then perturbation and rounding of what is
// published.
func Build(in Input) (*Release, error) {
	if len(in.Domains) == 0 {
		return nil, ErrNoDomains
	}
	min := max(in.MinGroupSize, MinGroupSizeFloor)
	byOrg := map[uint][]Record{}
	for _, r := range in.Records {
		if r.People > 0 {
			byOrg[r.OrganisationID] = append(byOrg[r.OrganisationID], r)
		}
	}
	stops := map[uint][]Stop{}
	for _, s := range in.Stops {
		if s.People > 0 {
			stops[s.OrganisationID] = append(stops[s.OrganisationID], s)
		}
	}
	var ids []uint
	for id := range byOrg {
		ids = append(ids, id)
	}
	for id := range stops {
		if _, ok := byOrg[id]; !ok {
			ids = append(ids, id)
		}
	}
	for id := range in.Invited {
		if _, ok := byOrg[id]; !ok && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)

	rel := &Release{MinGroupSize: min, Domains: slices.Clone(in.Domains)}
	var orgs []*scope
	offset := 0
	previous := map[uint][]Cell{}
	for _, c := range in.Previous {
		previous[c.OrganisationID] = append(previous[c.OrganisationID], c)
	}
	for id := range previous {
		if _, ok := byOrg[id]; !ok && id != 0 && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	for _, id := range ids {
		o := newScope(id, byOrg[id], stops[id], in.Invited[id], min, false, previous[id])
		o.offset = offset
		offset += o.nGens
		o.suppress()
		orgs = append(orgs, o)
		if o.completed > 0 {
			rel.Organisations++
		}
	}
	nat := newNational(orgs, in, min, previous[0])
	nat.suppressNational(orgs)
	for _, o := range append(orgs, nat) {
		if o.unprotected {
			return nil, ErrUnprotected
		}
	}
	for _, o := range append(orgs, nat) {
		first := len(rel.Cells)
		for _, c := range o.cells {
			if c.publish {
				rel.Cells = append(rel.Cells, c.finish(o, min, in.Domains, in.ScaleMax))
			}
		}
		invitedAtLeastStarted(rel.Cells[first:])
	}
	return rel, nil
}

// scope is one organisation's (or the national) part of a release while
// it is built: its records, the generators of its linear algebra, and its
// cells.
type scope struct {
	id       uint
	national bool
	min      int
	records  []Record
	stops    []Stop
	invited  int
	// labels map each dimension's stored value to its published label.
	labels map[string]map[string]string
	// Generators: the figures every cell is a sum of. "c" generators are the
	// records of one staff group and band (as stored) in one period,
	// latest or not; "d" generators those of one published department in
	// one period, latest or not; "s" generators the people stopped at one
	// domain. Within one period and latest flag, the c and d generators are
	// two partitions of the same people, related only by one equation per
	// connected part, which relations holds.
	gens      map[string]int
	nGens     int
	recC      []int
	recD      []int
	stopGen   map[string]int
	relations []vector
	cells     []*cellWork
	completed int
	span      *span
	// offset places the scope's generators among all organisations' for
	// the national check.
	offset int
	// nat is set on the national scope.
	nat *national
	// The previous release's cells of this scope: its published figures,
	// which stay known (fixed), and its hidden ones, which must stay
	// hidden; prevShown are the labels it showed, by dimension.
	prevFixed  []*cellWork
	prevHidden []*cellWork
	prevShown  map[string]map[string]bool
	// unprotected says a hidden figure was left derivable with nothing to
	// hide in its place; the release is then refused.
	unprotected bool
}

// cellWork is a cell while the release is built.
type cellWork struct {
	cell    Cell
	records []int // indices into the scope's records
	stops   []int // indices into the scope's stops
	n       int
	vec     vector
	// publish says the cell is part of the published tables; a cell that is
	// not is a group that must stay hidden all the same (a small group under
	// its stored name).
	publish    bool
	suppressed bool
	// pinned says the national check hid this organisation's cell: the
	// organisation's own relax must not publish it again.
	pinned bool
	// parts are a national cell's organisations' parts, and joint its
	// vector in the national check: the part of the cell that no
	// organisation's release gives away.
	parts map[int]vector
	joint vector
}

func newScope(id uint, records []Record, stops []Stop, invited, min int, national bool, previous []Cell) *scope {
	s := &scope{id: id, national: national, min: min, records: records, stops: stops, invited: invited,
		gens: map[string]int{}, stopGen: map[string]int{}}
	if len(previous) > 0 {
		s.prevShown = shownLabels(previous)
	}
	s.labels = map[string]map[string]string{
		StaffGroup: mergeSmall(records, StaffGroup, min, OtherStaffGroups),
		PayBand:    mergeSmall(records, PayBand, min, OtherPayBands),
		Department: mergeSmall(records, Department, min, OtherDepartments),
	}
	for _, r := range records {
		if r.member("", false) {
			s.completed += r.People
		}
	}
	s.generators()
	s.makeCells()
	s.previousCells(previous)
	return s
}

// shownLabels are the labels of each dimension that cells carry.
func shownLabels(cells []Cell) map[string]map[string]bool {
	shown := map[string]map[string]bool{StaffGroup: {}, PayBand: {}, Department: {}}
	for _, c := range cells {
		for dim, v := range map[string]string{StaffGroup: c.StaffGroup, PayBand: c.PayBand, Department: c.Department} {
			if v != "" {
				shown[dim][v] = true
			}
		}
	}
	return shown
}

// otherLabel is a dimension's "Other" group.
func otherLabel(dim string) string {
	return map[string]string{StaffGroup: OtherStaffGroups, PayBand: OtherPayBands, Department: OtherDepartments}[dim]
}

// prevLabel is the label the previous release showed for a record's value,
// or "" when there was no previous release.
func (s *scope) prevLabel(r Record, dim string) string {
	if s.prevShown == nil {
		return ""
	}
	name := value(r, dim)
	if name == "" {
		name = NotGiven
	}
	if s.prevShown[dim][name] {
		return name
	}
	return otherLabel(dim)
}

// value is a record's stored value of a dimension.
func value(r Record, dim string) string {
	switch dim {
	case StaffGroup:
		return r.StaffGroup
	case PayBand:
		return r.PayBand
	}
	return r.Department
}

// mergeSmall maps each stored value of dim to its published label: "Not
// given" for an empty one, and the dimension's "Other" group for any with
// fewer than min people in the current picture.
func mergeSmall(records []Record, dim string, min int, other string) map[string]string {
	people := map[string]int{}
	for _, r := range records {
		if r.member("", false) {
			people[value(r, dim)] += r.People
		} else if _, ok := people[value(r, dim)]; !ok {
			people[value(r, dim)] = 0
		}
	}
	labels := map[string]string{}
	for v, n := range people {
		label := v
		if v == "" {
			label = NotGiven
		}
		if n < min {
			label = other
		}
		labels[v] = label
	}
	return labels
}

func (s *scope) label(r Record, dim string) string { return s.labels[dim][value(r, dim)] }

// layer names the records that stand alike in this release and the one
// before: the same period, latest or not, gone or not, and standing then.
func layer(r Record) string {
	return fmt.Sprintf("%s\x00%t\x00%t\x00%d", r.Period, r.Latest, r.Gone, r.Before)
}

func (s *scope) gen(key string) int {
	if g, ok := s.gens[key]; ok {
		return g
	}
	s.gens[key] = s.nGens
	s.nGens++
	return s.nGens - 1
}

// generators numbers the generators and writes the relations between them.
func (s *scope) generators() {
	s.recC, s.recD = make([]int, len(s.records)), make([]int, len(s.records))
	for i, r := range s.records {
		s.recC[i] = s.gen("c\x00" + r.StaffGroup + "\x00" + r.PayBand + "\x00" + layer(r))
		s.recD[i] = s.gen("d\x00" + s.label(r, Department) + "\x00" + s.prevLabel(r, Department) + "\x00" + layer(r))
	}
	for _, st := range s.stops {
		s.stopGen[st.Domain] = s.gen("s\x00" + st.Domain)
	}
	// Union-find over the generators joined by a record.
	parent := make([]int, s.nGens)
	for i := range parent {
		parent[i] = i
	}
	root := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for i := range s.records {
		parent[root(s.recC[i])] = root(s.recD[i])
	}
	parts := map[int][]entry{}
	seen := map[int]bool{}
	for i := range s.records {
		for _, g := range []int{s.recC[i], s.recD[i]} {
			if seen[g] {
				continue
			}
			seen[g] = true
			val := uint64(1)
			if g == s.recD[i] {
				val = prime - 1
			}
			parts[root(g)] = append(parts[root(g)], entry{g, val})
		}
	}
	roots := make([]int, 0, len(parts))
	for r := range parts {
		roots = append(roots, r)
	}
	slices.Sort(roots)
	for _, r := range roots {
		s.relations = append(s.relations, normalise(parts[r]))
	}
}

// periodsOf lists the periods of a release's records (this one's, or the
// previous one's), oldest first.
func periodsOf(records []Record, previous bool) []string {
	var ps []string
	for _, r := range records {
		if (previous && r.Before == StandingNone) || (!previous && r.Gone) {
			continue
		}
		if !slices.Contains(ps, r.Period) {
			ps = append(ps, r.Period)
		}
	}
	slices.Sort(ps)
	return ps
}

// makeCells lays out the scope's tables: every published table for the
// current picture and each period, the participation figures, and the
// small groups under their stored names, which must stay hidden too.
func (s *scope) makeCells() {
	bases := append([]string{""}, periodsOf(s.records, false)...)
	for _, t := range tables {
		if s.national && !t.national {
			continue
		}
		for _, basis := range bases {
			if basis != "" && !t.periods {
				continue
			}
			s.tableCells(t.dims, basis, true)
			// The same groups under their stored names: a group merged into
			// "Other" here may be told apart elsewhere (nationally, or in
			// another organisation's figures).
			if !slices.Contains(t.dims, Department) && len(t.dims) > 0 {
				s.tableCells(t.dims, basis, false)
			}
		}
	}
	s.participationCells()
}

// tableCells adds the cells of one table and basis; published cells use
// the published labels, hidden ones the stored values (kept only where
// they are small groups).
func (s *scope) tableCells(dims []string, basis string, publish bool) {
	index := map[string]*cellWork{}
	var order []string
	for i, r := range s.records {
		if !r.member(basis, false) {
			continue
		}
		c := Cell{OrganisationID: s.id, Basis: basis, Dims: DimsKey(dims...)}
		var key []string
		for _, d := range dims {
			v := s.label(r, d)
			if !publish {
				v = value(r, d)
			}
			switch d {
			case StaffGroup:
				c.StaffGroup = v
			case PayBand:
				c.PayBand = v
			case Department:
				c.Department = v
			}
			key = append(key, v)
		}
		k := strings.Join(key, "\x00")
		cw, ok := index[k]
		if !ok {
			cw = &cellWork{cell: c, publish: publish}
			index[k] = cw
			order = append(order, k)
		}
		cw.records = append(cw.records, i)
		cw.n += r.People
	}
	slices.Sort(order)
	for _, k := range order {
		cw := index[k]
		if !publish && (cw.n >= s.min || s.mergedSame(cw)) {
			continue
		}
		cw.vec = s.vectorOf(cw.records, slices.Contains(dims, Department))
		cw.suppressed = cw.n < s.min
		s.cells = append(s.cells, cw)
	}
}

// mergedSame says a hidden cell under stored names is the very group of a
// published cell (nothing was merged into it), so it needs no second row.
func (s *scope) mergedSame(cw *cellWork) bool {
	r := s.records[cw.records[0]]
	for _, d := range strings.Split(cw.cell.Dims, ",") {
		if l := s.label(r, d); l == OtherStaffGroups || l == OtherPayBands || l == OtherDepartments {
			return false
		}
	}
	return true
}

// vectorOf is the sum of the generators covering the records: "c" ones, or
// "d" ones for a department table.
func (s *scope) vectorOf(records []int, department bool) vector {
	seen := map[int]bool{}
	var cols []int
	for _, i := range records {
		g := s.recC[i]
		if department {
			g = s.recD[i]
		}
		if !seen[g] {
			seen[g] = true
			cols = append(cols, g)
		}
	}
	return ones(cols)
}

func (s *scope) participationCells() {
	var current []int
	for i, r := range s.records {
		if r.member("", false) {
			current = append(current, i)
		}
	}
	base := Cell{OrganisationID: s.id, Dims: "participation"}
	completed := &cellWork{cell: base, records: current, n: s.completed, publish: true}
	completed.cell.Item = ItemCompleted
	completed.vec = s.vectorOf(current, false)
	started := &cellWork{cell: base, records: current, n: s.completed, publish: true}
	started.cell.Item = ItemStarted
	started.vec = completed.vec
	var stopCells []*cellWork
	for i, st := range s.stops {
		c := &cellWork{cell: base, stops: []int{i}, n: st.People, publish: true}
		c.cell.Item = ItemStopped + ":" + st.Domain
		c.vec = ones([]int{s.stopGen[st.Domain]})
		started.stops = append(started.stops, i)
		started.n += st.People
		started.vec = normalise(append(slices.Clone(started.vec), c.vec...))
		stopCells = append(stopCells, c)
	}
	for _, c := range append([]*cellWork{completed, started}, stopCells...) {
		c.suppressed = c.n > 0 && c.n < s.min
		s.cells = append(s.cells, c)
	}
	// Invited counts accounts and invitations, whatever their people have
	// done; it is rounded to ten and shares no generator with the rest.
	inv := &cellWork{cell: base, n: s.invited, publish: true, suppressed: s.invited > 0 && s.invited < s.min}
	inv.cell.Item = ItemInvited
	s.cells = append(s.cells, inv)
}

// needsHiding says the cell's figures must not be derivable: it is
// suppressed, or a small group that is not published at all.
func (c *cellWork) needsHiding() bool { return c.n > 0 && (c.suppressed || !c.publish) }

// shown says the cell's figures are published.
func (c *cellWork) shown() bool { return c.publish && !c.suppressed && c.n > 0 }

// suppress chooses the scope's secondary suppression: while any figure
// that must stay hidden lies in the span of the published ones (and the
// relations between generators), the smallest published cell used in
// deriving it is suppressed as well.
func (s *scope) suppress() {
	for {
		sp := newSpan()
		for k, rel := range s.relations {
			sp.add(rel, len(s.cells)+k)
		}
		for k, c := range s.prevFixed {
			sp.add(c.vec, len(s.cells)+len(s.relations)+k)
		}
		for i, c := range s.cells {
			if c.shown() && len(c.vec) > 0 {
				sp.add(c.vec, i)
			}
		}
		changed, stuck := false, false
		for _, c := range append(slices.Clone(s.cells), s.prevHidden...) {
			if !c.needsHiding() || len(c.vec) == 0 {
				continue
			}
			if rest, used := sp.reduce(c.vec, true); len(rest) == 0 && s.intact(used) {
				if cover := s.cover(used, c); cover != nil {
					cover.suppressed = true
					changed = true
				} else {
					stuck = true
				}
			}
		}
		if !changed {
			// Only a figure still derivable once nothing more changes is
			// left unprotected.
			s.unprotected = stuck
			s.relaxScope(sp)
			s.span = sp
			return
		}
	}
}

// intact says every cell a derivation used is still published: one whose
// cover was chosen earlier in the same round is checked again in the next
// rather than given a second cover.
func (s *scope) intact(used vector) bool {
	for _, e := range used {
		if e.col < len(s.cells) && !s.cells[e.col].shown() {
			return false
		}
	}
	return true
}

// cover picks, among the published cells of a derivation, the one to
// suppress: preferably in the same table and basis as the cell it
// protects, then the smallest.
func (s *scope) cover(used vector, protect *cellWork) *cellWork {
	var best *cellWork
	rank := func(c *cellWork) (int, int) {
		same := 1
		if c.cell.Dims == protect.cell.Dims && c.cell.Basis == protect.cell.Basis {
			same = 0
		}
		return same, c.n
	}
	for _, e := range used {
		if e.col >= len(s.cells) {
			continue // a relation, not a cell
		}
		c := s.cells[e.col]
		if !c.shown() {
			continue
		}
		if best == nil {
			best = c
			continue
		}
		bs, bn := rank(best)
		cs, cn := rank(c)
		if cmp.Or(cmp.Compare(cs, bs), cmp.Compare(cn, bn)) < 0 {
			best = c
		}
	}
	return best
}

// invitedAtLeastStarted keeps a scope's rounded count of staff invited
// from reading below its published count of those who started, which a
// reader would rightly find odd; it uses only published figures.
func invitedAtLeastStarted(cells []Cell) {
	invited, started := -1, 0
	for i, c := range cells {
		switch {
		case c.Dims == "participation" && c.Item == ItemInvited && !c.Suppressed:
			invited = i
		case c.Dims == "participation" && c.Item == ItemStarted && !c.Suppressed:
			started = c.People
		}
	}
	if invited >= 0 {
		cells[invited].People = max(cells[invited].People, started)
	}
}

// previousCells lays out the previous release's cells of this scope over
// this release's generators: those it published stay known, and those it
// hid (with its small groups under their stored names) must stay hidden.
// Of its participation figures only "completed" (its all-staff count) is
// in the check; the others count people who had stopped, which this
// release's records do not follow.
func (s *scope) previousCells(previous []Cell) {
	for _, pc := range previous {
		if pc.Dims == "participation" && pc.Item != ItemCompleted {
			continue
		}
		var dims []string
		if pc.Dims != "" && pc.Dims != "participation" {
			dims = strings.Split(pc.Dims, ",")
		}
		var members []int
		n := 0
		for i, r := range s.records {
			if !r.member(pc.Basis, true) {
				continue
			}
			match := true
			for _, d := range dims {
				if s.prevLabel(r, d) != pc.Label(d) {
					match = false
				}
			}
			if match {
				members, n = append(members, i), n+r.People
			}
		}
		if n == 0 {
			continue
		}
		cw := &cellWork{cell: pc, records: members, n: n, publish: true, suppressed: pc.Suppressed,
			vec: s.vectorOf(members, slices.Contains(dims, Department))}
		if pc.Suppressed {
			s.prevHidden = append(s.prevHidden, cw)
		} else {
			s.prevFixed = append(s.prevFixed, cw)
		}
	}
	if len(previous) == 0 {
		return
	}
	// The previous release's small groups under their stored names.
	for _, t := range tables {
		if (s.national && !t.national) || len(t.dims) == 0 || slices.Contains(t.dims, Department) {
			continue
		}
		for _, basis := range append([]string{""}, periodsOf(s.records, true)...) {
			if basis != "" && !t.periods {
				continue
			}
			groups := map[string][]int{}
			people := map[string]int{}
			for i, r := range s.records {
				if !r.member(basis, true) {
					continue
				}
				var key []string
				for _, d := range t.dims {
					key = append(key, value(r, d))
				}
				k := strings.Join(key, "\x00")
				groups[k], people[k] = append(groups[k], i), people[k]+r.People
			}
			for k, members := range groups {
				if people[k] < s.min {
					s.prevHidden = append(s.prevHidden, &cellWork{cell: Cell{Basis: basis, Dims: DimsKey(t.dims...)},
						records: members, n: people[k], vec: s.vectorOf(members, false)})
				}
			}
		}
	}
}

// relaxItem is a hidden figure while relax runs: its normal form against
// the published span, and its cell if it is one that might be published
// again.
type relaxItem struct {
	nf        vector
	cell      *cellWork
	candidate bool
}

// relax undoes what the greedy choice of covers hid without need: each
// secondary-suppressed cell, largest first, is published again when that
// gives no hidden figure away. A hidden figure t is derivable once a cell
// r is published exactly when the normal forms of t and r against the
// published span are parallel, so each trial is a comparison, and each
// cell published again updates the normal forms by one elimination. sp is
// the published span; id names a cell's row in it.
func relax(sp *span, items []*relaxItem, id func(*cellWork) int) {
	var candidates []*relaxItem
	for _, it := range items {
		if it.candidate {
			candidates = append(candidates, it)
		}
	}
	slices.SortStableFunc(candidates, func(a, b *relaxItem) int { return b.cell.n - a.cell.n })
	hidden := func(it *relaxItem) bool { return it.cell == nil || it.cell.suppressed || !it.cell.publish }
	for _, cand := range candidates {
		if len(cand.nf) == 0 || !cand.cell.suppressed {
			continue
		}
		// The same group may stand in several tables (the same people by
		// staff group and by band, now and this period): those cells are
		// published again together or not at all.
		key := parallelKey(cand.nf)
		var class []*relaxItem
		conflict := false
		for _, it := range items {
			if !hidden(it) {
				continue
			}
			if len(it.nf) == 0 {
				conflict = true
				break
			}
			if parallelKey(it.nf) == key {
				if !it.candidate {
					conflict = true
					break
				}
				class = append(class, it)
			}
		}
		if conflict {
			continue
		}
		rho := scaled(cand.nf, invMod(cand.nf[0].val))
		pivot := rho[0].col
		for _, it := range class {
			it.cell.suppressed = false
			sp.add(it.cell.vec, id(it.cell))
		}
		for _, it := range items {
			if i, ok := find(it.nf, pivot); ok {
				it.nf = axpy(it.nf, it.nf[i].val, rho)
			}
		}
	}
}

// parallelKey names a vector up to a non-zero factor.
func parallelKey(v vector) string {
	inv := invMod(v[0].val)
	var b strings.Builder
	for _, e := range v {
		fmt.Fprintf(&b, "%d:%d,", e.col, mulMod(e.val, inv))
	}
	return b.String()
}

// relaxScope is relax for an organisation's cells.
func (s *scope) relaxScope(sp *span) {
	var items []*relaxItem
	for _, c := range append(slices.Clone(s.cells), s.prevHidden...) {
		if !c.needsHiding() || len(c.vec) == 0 {
			continue
		}
		nf, _ := sp.reduce(c.vec, false)
		items = append(items, &relaxItem{nf: nf, cell: c, candidate: c.publish && c.suppressed && !c.pinned && c.n >= s.min && slices.Contains(s.cells, c)})
	}
	relax(sp, items, func(c *cellWork) int { return slices.Index(s.cells, c) })
}
