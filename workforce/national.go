package workforce

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

func newNational(orgs []*scope, in Input, min int) *scope {
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
	n.scope = newScope(0, records, stops, invited, min, true)
	for _, c := range n.cells {
		c.cell.OrganisationID = 0
		c.joint = n.jointOf(orgs, c)
	}
	n.scope.nat = n
	return n.scope
}

// jointOf is the national cell's residual: for each organisation, the
// part of the cell that organisation's published figures do not give.
func (n *national) jointOf(orgs []*scope, c *cellWork) vector {
	recs := make([][]int, len(orgs))
	for _, i := range c.records {
		recs[n.recOrg[i]] = append(recs[n.recOrg[i]], n.recLocal[i])
	}
	stops := make([][]int, len(orgs))
	for _, i := range c.stops {
		stops[n.stopOrg[i]] = append(stops[n.stopOrg[i]], n.stopLoc[i])
	}
	var joint vector
	for oi, o := range orgs {
		if len(recs[oi]) == 0 && len(stops[oi]) == 0 {
			continue
		}
		v := o.vectorOf(recs[oi], false)
		for _, si := range stops[oi] {
			v = append(v, entry{o.stopGen[o.stops[si].Domain], 1})
		}
		rest, _ := o.span.reduce(normalise(v), false)
		joint = append(joint, shift(rest, o.offset)...)
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

// suppressNational chooses the national secondary suppression.
func (s *scope) suppressNational(orgs []*scope) {
	// What must stay hidden: every organisation's hidden figures, and the
	// national small groups.
	var targets []vector
	for _, o := range orgs {
		for _, c := range o.cells {
			if c.needsHiding() && len(c.vec) > 0 {
				rest, _ := o.span.reduce(c.vec, false)
				targets = append(targets, shift(rest, o.offset))
			}
		}
	}
	for {
		sp := newSpan()
		for i, c := range s.cells {
			if c.shown() && len(c.joint) > 0 {
				sp.add(c.joint, i)
			}
		}
		changed := false
		check := func(v vector, protect *cellWork) {
			if len(v) == 0 {
				return
			}
			if rest, used := sp.reduce(v, true); len(rest) == 0 && s.intact(used) {
				if cover := s.cover(used, protect); cover != nil {
					cover.suppressed = true
					changed = true
				}
			}
		}
		// Organisations' hidden figures first: the national cells they make
		// hidden often cover the national small groups too.
		for _, t := range targets {
			check(t, &cellWork{})
		}
		for _, c := range s.cells {
			if c.needsHiding() {
				check(c.joint, c)
			}
		}
		if !changed {
			return
		}
	}
}
