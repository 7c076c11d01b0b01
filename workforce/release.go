// Package workforce builds the workforce figures that anyone but the person
// themselves sees: releases, immutable dated snapshots of a fixed set of
// tables, with small groups suppressed jointly over the whole release and
// the rest perturbed in the manner of the ONS cell-key method. It knows
// nothing of HTTP or the database: models gathers its input and stores its
// output; handlers, reports and exports only read a release.
package workforce

import (
	"errors"
	"slices"
	"strings"
)

// Dimensions by which the published tables break staff down.
const (
	StaffGroup = "staff_group"
	PayBand    = "pay_band"
	Department = "department"
)

// Labels of merged and missing groups. A group of fewer than the minimum
// group size is never named: it joins the "Other" group of its dimension
// in every table of the release.
const (
	NotGiven         = "Not given"
	OtherStaffGroups = "Other staff groups"
	OtherPayBands    = "Other pay bands"
	OtherDepartments = "Other departments"
)

// Participation items: how many were invited, started and completed, and
// where those who have not finished stopped.
const (
	ItemInvited   = "invited"
	ItemStarted   = "started"
	ItemCompleted = "completed"
	ItemStopped   = "stopped"
)

// MinGroupSizeFloor is the smallest minimum group size a release accepts.
const MinGroupSizeFloor = 5

// ErrNoDomains is an input without the skills domains to publish.
var ErrNoDomains = errors.New("workforce release: no skills domains given")

// ErrUnprotected is a release in which a hidden figure could still be
// worked out and no published cell was left to hide in its place: it is
// refused rather than published, and the last release stays.
var ErrUnprotected = errors.New("workforce release: a hidden figure could not be protected, so the release is not published")

// Record is the finest group the release is built from: the completed
// attempts of one organisation's staff with the same profile in one period,
// and whether they are their people's latest. Each person's latest attempt
// in each period is one record's member; their latest overall is also in
// the current picture.
type Record struct {
	OrganisationID                  uint
	StaffGroup, PayBand, Department string
	Period                          string
	Latest                          bool
	// Gone says the attempts were in the previous release but are not in
	// this one (their person has since taken another in the same period).
	Gone bool
	// Before is the attempts' standing in the previous release.
	Before Standing
	People int
	// KeySum is the sum of the attempts' secret record keys, each below
	// 2^32: the cell key of any cell is the sum of its records' modulo 2^32.
	KeySum uint64
	// Sums are the sums of the attempts' domain scores, by domain code.
	Sums map[string]Sums
}

// Standing is how a record's attempts stood in a release.
type Standing int

// Standings: not in the release; in it as their person's latest in their
// period; and as their latest overall too.
const (
	StandingNone Standing = iota
	StandingPeriod
	StandingLatest
)

// member says the record's attempts are in a basis ("" for the current
// picture, or a period) of this release, or of the previous one.
func (r Record) member(basis string, previous bool) bool {
	switch {
	case previous && basis == "":
		return r.Before == StandingLatest
	case previous:
		return r.Before >= StandingPeriod && r.Period == basis
	case r.Gone:
		return false
	case basis == "":
		return r.Latest
	}
	return r.Period == basis
}

// Sums are the sums (or, once published, the means) of now, need and gap.
type Sums struct{ Now, Need, Gap float64 }

// Stop counts the people of an organisation who started but have not
// completed, by the domain where their newest attempt stopped.
type Stop struct {
	OrganisationID uint
	Domain         string
	People         int
	KeySum         uint64
}

// Input is everything a release is built from.
type Input struct {
	Records []Record
	Stops   []Stop
	// Invited is, per organisation, the staff accounts and invitations.
	Invited map[uint]int
	// Domains are the skills domain codes, in the framework's order.
	Domains []string
	// ScaleMax is the top of the rating scale (published means stay in
	// 1..ScaleMax).
	ScaleMax     int
	MinGroupSize int
	// Previous are the cells of the release before this one, as published
	// (labels, and which were suppressed): what an attacker already has.
	// Nothing hidden in either release may be derivable from both.
	Previous []Cell
}

// Cell is one published figure of a release: a group of people, its count
// and its domain means, or suppressed.
type Cell struct {
	// OrganisationID is 0 for the national release.
	OrganisationID uint
	// Basis is "" for the current picture (each person's latest completed
	// attempt) or a period of the trend (each person's latest in it).
	Basis string
	// Dims names the table: "" (all staff), "staff_group", "pay_band",
	// "department", "staff_group,pay_band", or "participation".
	Dims                            string
	StaffGroup, PayBand, Department string
	// Item is the participation figure ("invited", ..., "stopped:<domain>").
	Item       string
	Suppressed bool
	// People is the published count: perturbed, never below the minimum
	// group size; 0 for an empty group.
	People int
	// Means are the published domain means, rounded to one decimal place;
	// none for a suppressed or empty cell, or a participation figure.
	Means map[string]Sums
	// exact figures, kept for the auditor and the accuracy tests only.
	exactPeople int
	exactSums   map[string]Sums
	keySum      uint64
}

// Exact is the cell's true count and sums, known only while a release is
// built: for the auditor and the accuracy tests, never stored or shown.
func (c Cell) Exact() (int, map[string]Sums) { return c.exactPeople, c.exactSums }

// Empty says the group has nobody in it.
func (c Cell) Empty() bool { return !c.Suppressed && c.People == 0 }

// Release is the set of published cells, national and per organisation.
type Release struct {
	MinGroupSize int
	Domains      []string
	Cells        []Cell
	// Organisations counts, nationally, the organisations with at least one
	// completed self-assessment counted.
	Organisations int
}

// tableDef is one published table: its dimensions, and whether it is also
// published for each period of the trend and nationally.
type tableDef struct {
	dims     []string
	periods  bool
	national bool
}

// tables is the fixed set of tables of every release.
var tables = []tableDef{
	{dims: nil, periods: true, national: true},
	{dims: []string{StaffGroup}, periods: true, national: true},
	{dims: []string{PayBand}, periods: true, national: true},
	{dims: []string{Department}},
	{dims: []string{StaffGroup, PayBand}, national: true},
}

// DimsKey names a table by its dimensions, as Cell.Dims does.
func DimsKey(dims ...string) string { return strings.Join(dims, ",") }

// Published says whether the release has a table of these dimensions for
// the basis ("" or a period) and scope (national or an organisation).
func Published(dims []string, period bool, national bool) bool {
	for _, t := range tables {
		if DimsKey(t.dims...) == DimsKey(dims...) && (!period || t.periods) && (!national || t.national) {
			return true
		}
	}
	return false
}

// Periods lists the periods of the trend in the release, oldest first.
func (r *Release) Periods() []string {
	var ps []string
	for _, c := range r.Cells {
		if c.Basis != "" && !slices.Contains(ps, c.Basis) {
			ps = append(ps, c.Basis)
		}
	}
	slices.Sort(ps)
	return ps
}
