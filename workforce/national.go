package workforce

import "slices"

// The national release is checked together with every organisation's: a
// national figure is a sum over organisations, so after each
// organisation's release is fixed, what a national figure adds is only
// its part that no organisation's release gives away (its residual in
// each organisation's quotient space). Published national figures must
// not, together, give away any organisation's hidden figure, nor a small
// national group.

// national is the national scope, its records those of every
// organisation in order.
type national struct {
	*scope
	recOrg   []int // index into orgs
	recLocal []int
	stopOrg  []int
	stopLoc  []int
}

func newNational(orgs []*scope, in Input, min int, previous []Cell) *scope {
	var records []Record
	var stops []Stop
	n := &national{}
	invited := 0
	for oi, o := range orgs {
		for i, r := range o.records {
			r.Department = ""
			records = append(records, r)
			n.recOrg, n.recLocal = append(n.recOrg, oi), append(n.recLocal, i)
		}
		for i, st := range o.stops {
			stops = append(stops, st)
			n.stopOrg, n.stopLoc = append(n.stopOrg, oi), append(n.stopLoc, i)
		}
		invited += o.invited
	}
	n.scope = newScope(0, records, stops, invited, min, true, previous)
	for _, c := range n.cells {
		c.cell.OrganisationID = 0
	}
	for _, c := range n.all() {
		c.parts = n.partsOf(orgs, c)
	}
	n.scope.nat = n
	return n.scope
}

// all lists every national cell with a part in the check: this release's
// and the previous one's.
func (n *national) all() []*cellWork {
	return append(append(slices.Clone(n.cells), n.prevFixed...), n.prevHidden...)
}

// partsOf splits a national cell into its organisations' parts: for each,
// the vector over that organisation's generators.
func (n *national) partsOf(orgs []*scope, c *cellWork) map[int]vector {
	recs := map[int][]int{}
	for _, i := range c.records {
		recs[n.recOrg[i]] = append(recs[n.recOrg[i]], n.recLocal[i])
	}
	stops := map[int][]int{}
	for _, i := range c.stops {
		stops[n.stopOrg[i]] = append(stops[n.stopOrg[i]], n.stopLoc[i])
	}
	parts := map[int]vector{}
	for oi, o := range orgs {
		if len(recs[oi]) == 0 && len(stops[oi]) == 0 {
			continue
		}
		v := o.vectorOf(recs[oi], false)
		for _, si := range stops[oi] {
			v = append(v, entry{o.stopGen[o.stops[si].Domain], 1})
		}
		parts[oi] = normalise(v)
	}
	return parts
}

// jointOf is a figure's residual, from its organisations' parts: for each
// organisation, the part its published figures do not give.
func jointOf(orgs []*scope, parts map[int]vector) vector {
	var joint vector
	for oi, o := range orgs {
		if v, ok := parts[oi]; ok {
			rest, _ := o.span.reduce(v, false)
			joint = append(joint, shift(rest, o.offset)...)
		}
	}
	return joint
}

func shift(v vector, by int) vector {
	out := make(vector, len(v))
	for i, e := range v {
		out[i] = entry{e.col + by, e.val}
	}
	return out
}

// nationalTarget is a figure the national check must keep hidden, by its
// organisations' parts; protect is the national cell it is, if any.
type nationalTarget struct {
	parts   map[int]vector
	protect *cellWork
}

// suppressNational chooses the national secondary suppression. A figure
// that national figures would give away is protected by hiding a national
// cell; where none of this release's can do it (the derivation rests on
// the previous release's national figures alone), by hiding a cell of an
// organisation, whose own check then runs again.
func (s *scope) suppressNational(orgs []*scope) {
	n := s.nat
	for {
		// What must stay hidden: every organisation's hidden figures (this
		// release's and the last one's), and the national ones.
		var targets []nationalTarget
		for oi, o := range orgs {
			for _, c := range append(slices.Clone(o.cells), o.prevHidden...) {
				if c.needsHiding() && len(c.vec) > 0 {
					targets = append(targets, nationalTarget{parts: map[int]vector{oi: c.vec}})
				}
			}
		}
		for _, c := range s.prevHidden {
			targets = append(targets, nationalTarget{parts: c.parts})
		}
		for _, c := range n.all() {
			c.joint = jointOf(orgs, c.parts)
		}
		orgsChanged := s.nationalRounds(orgs, targets)
		if len(orgsChanged) == 0 {
			return
		}
		for _, o := range orgsChanged {
			o.suppress()
		}
	}
}

// nationalRounds suppresses national cells until nothing hidden follows;
// it returns the organisations given a cover of their own instead.
func (s *scope) nationalRounds(orgs []*scope, targets []nationalTarget) []*scope {
	n := s.nat
	for {
		sp := newSpan()
		for k, c := range s.prevFixed {
			if len(c.joint) > 0 {
				sp.add(c.joint, len(s.cells)+k)
			}
		}
		for i, c := range s.cells {
			if c.shown() && len(c.joint) > 0 {
				sp.add(c.joint, i)
			}
		}
		changed, stuck := false, false
		var orgsChanged []*scope
		check := func(t nationalTarget) {
			v := jointOf(orgs, t.parts)
			if len(v) == 0 {
				return
			}
			rest, used := sp.reduce(v, true)
			if len(rest) != 0 || !s.intact(used) {
				return
			}
			protect := t.protect
			if protect == nil {
				protect = &cellWork{}
			}
			if cover := s.cover(used, protect); cover != nil {
				cover.suppressed = true
				changed = true
				return
			}
			o := n.orgCover(orgs, t, used)
			switch {
			case o == nil:
				stuck = true
			case !slices.Contains(orgsChanged, o):
				orgsChanged = append(orgsChanged, o)
			}
		}
		// Organisations' hidden figures first: the national cells they make
		// hidden often cover the national small groups too.
		for _, t := range targets {
			check(t)
		}
		for _, c := range s.cells {
			if c.needsHiding() {
				check(nationalTarget{parts: c.parts, protect: c})
			}
		}
		if len(orgsChanged) > 0 {
			return orgsChanged
		}
		if !changed {
			s.unprotected = stuck
			return nil
		}
	}
}

// orgCover hides a published cell of an organisation to break a
// derivation made of the previous release's national figures: in some
// organisation, what the derivation needs of its own figures, written in
// its published cells, names the cell to hide. It returns that
// organisation, or nil if none has a cell that would do.
func (n *national) orgCover(orgs []*scope, t nationalTarget, used vector) *scope {
	for oi, o := range orgs {
		// w: the organisation's part of the target, less its part of the
		// national figures the derivation used; it lies in what the
		// organisation publishes.
		w := slices.Clone(t.parts[oi])
		for _, e := range used {
			row := n.rowByID(e.col)
			if row == nil {
				continue
			}
			if part, ok := row.parts[oi]; ok {
				w = normalise(append(w, scaled(part, subMod(0, e.val))...))
			}
		}
		if len(w) == 0 {
			continue
		}
		if _, orgUsed := o.span.reduce(w, true); len(orgUsed) > 0 {
			if cover := o.cover(orgUsed, &cellWork{}); cover != nil {
				cover.suppressed, cover.pinned = true, true
				return o
			}
		}
	}
	return nil
}

// rowByID is the national cell of a span row id: this release's cells
// first, then the previous release's published ones.
func (n *national) rowByID(id int) *cellWork {
	switch {
	case id < len(n.cells):
		return n.cells[id]
	case id < len(n.cells)+len(n.prevFixed):
		return n.prevFixed[id-len(n.cells)]
	}
	return nil
}
