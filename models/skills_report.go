package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// ErrUnknownDimension is a grouping the organisation view does not offer.
var ErrUnknownDimension = errors.New("unknown grouping")

// ErrNoSkillsScope is a skills query asked for with neither one
// organisation nor the national scope: it is refused, never read as
// "everything".
var ErrNoSkillsScope = errors.New("skills query without a scope: name one organisation or the national scope")

// SkillsScope is whose staff a workforce skills figure covers: one
// organisation (a digital lead's view) or every organisation (the platform
// admins' national view). The zero value covers nobody.
type SkillsScope struct {
	OrganisationID uint
	National       bool
}

// OrganisationScope covers the staff of one organisation.
func OrganisationScope(organisationID uint) SkillsScope {
	return SkillsScope{OrganisationID: organisationID}
}

// NationalScope covers the staff of every organisation in the service.
func NationalScope() SkillsScope { return SkillsScope{National: true} }

// where limits q to the scope, on column (the organisation id of q's
// table). The national scope adds no condition; a scope that names no
// organisation and is not national, or names one and is national, is
// ErrNoSkillsScope.
func (sc SkillsScope) where(q *gorm.DB, column string) (*gorm.DB, error) {
	switch {
	case sc.National && sc.OrganisationID == 0:
		return q, nil
	case !sc.National && sc.OrganisationID != 0:
		return q.Where(column+" = ?", sc.OrganisationID), nil
	}
	return nil, ErrNoSkillsScope
}

// Skills dimensions: the staff profile fields copied onto each completed
// attempt, by which the organisation view groups and filters.
const (
	DimensionStaffGroup = "staff_group"
	DimensionPayBand    = "pay_band"
	DimensionDepartment = "department"
)

// SkillsFilter narrows the organisation view; empty fields do not filter.
type SkillsFilter struct {
	StaffGroup, PayBand, Department string
}

// Without returns the filter with one dimension removed, for the
// differencing check of small-group protection.
func (f SkillsFilter) Without(dimension string) SkillsFilter {
	switch dimension {
	case DimensionStaffGroup:
		f.StaffGroup = ""
	case DimensionPayBand:
		f.PayBand = ""
	case DimensionDepartment:
		f.Department = ""
	}
	return f
}

// Set lists the dimensions the filter uses.
func (f SkillsFilter) Set() []string {
	var dims []string
	if f.StaffGroup != "" {
		dims = append(dims, DimensionStaffGroup)
	}
	if f.PayBand != "" {
		dims = append(dims, DimensionPayBand)
	}
	if f.Department != "" {
		dims = append(dims, DimensionDepartment)
	}
	return dims
}

// latestAttempts selects each person's latest completed attempt in the
// scope, filtered.
func (s *Store) latestAttempts(ctx context.Context, scope SkillsScope, f SkillsFilter) (*gorm.DB, error) {
	q, err := scope.where(s.db.WithContext(ctx).Table("skills_assessments a"), "a.organisation_id")
	if err != nil {
		return nil, err
	}
	return filtered(q.Where("a.latest = ?", true), "a", f), nil
}

// filtered narrows rows of attempts or of workforce totals, named alias in
// q, to the filter.
func filtered(q *gorm.DB, alias string, f SkillsFilter) *gorm.DB {
	if f.StaffGroup != "" {
		q = q.Where(alias+".staff_group = ?", f.StaffGroup)
	}
	if f.PayBand != "" {
		q = q.Where(alias+".pay_band = ?", f.PayBand)
	}
	if f.Department != "" {
		q = q.Where(alias+".department = ?", f.Department)
	}
	return q
}

// CountSkillsPeople counts the people in the scope whose latest completed
// attempt matches the filter.
func (s *Store) CountSkillsPeople(ctx context.Context, scope SkillsScope, f SkillsFilter) (int, error) {
	if usesRollup(f, "") {
		q, err := s.rollupRows(ctx, scope, rollupLatest, f)
		if err != nil {
			return 0, err
		}
		var n int64
		err = q.Where("r.domain_code = ''").Select("COALESCE(SUM(r.people), 0)").Scan(&n).Error
		return int(n), err
	}
	q, err := s.latestAttempts(ctx, scope, f)
	if err != nil {
		return 0, err
	}
	var n int64
	err = q.Count(&n).Error
	return int(n), err
}

// DomainMean is an aggregate of domain scores over a group of people.
type DomainMean struct {
	Group      string
	DomainCode string
	People     int
	Now        float64
	Need       float64
	Gap        float64
}

// SkillsDomainMeans averages each domain over the people in the scope
// matching the filter, grouped by dimension ("" for no grouping). The
// database does the grouping; no individual row leaves this query.
func (s *Store) SkillsDomainMeans(ctx context.Context, scope SkillsScope, f SkillsFilter, dimension string) ([]DomainMean, error) {
	switch dimension {
	case "", DimensionStaffGroup, DimensionPayBand, DimensionDepartment:
	default:
		return nil, ErrUnknownDimension
	}
	if usesRollup(f, dimension) {
		return s.rollupDomainMeans(ctx, scope, f, dimension)
	}
	return s.attemptDomainMeans(ctx, scope, f, dimension)
}

// rollupDomainMeans is SkillsDomainMeans read from the rollup.
func (s *Store) rollupDomainMeans(ctx context.Context, scope SkillsScope, f SkillsFilter, dimension string) ([]DomainMean, error) {
	group, groupBy := "''", "r.domain_code"
	if dimension != "" {
		group = "r." + dimension
		groupBy = group + ", r.domain_code"
	}
	q, err := s.rollupRows(ctx, scope, rollupLatest, f)
	if err != nil {
		return nil, err
	}
	var sums []rollupSums
	err = q.Select(group + " AS \"group\", r.domain_code, SUM(r.people) AS people, SUM(r.now_sum) AS now_sum, SUM(r.need_sum) AS need_sum, SUM(r.gap_sum) AS gap_sum").
		Where("r.domain_code <> ''").Group(groupBy).Having("SUM(r.people) > 0").Scan(&sums).Error
	rows := make([]DomainMean, len(sums))
	for i, r := range sums {
		rows[i] = DomainMean{Group: r.Group, DomainCode: r.DomainCode, People: int(r.People), Now: r.mean(r.NowSum), Need: r.mean(r.NeedSum), Gap: r.mean(r.GapSum)}
	}
	return rows, err
}

// attemptDomainMeans is SkillsDomainMeans read from each person's latest
// attempt: the way for departments, which the rollup does not keep.
func (s *Store) attemptDomainMeans(ctx context.Context, scope SkillsScope, f SkillsFilter, dimension string) ([]DomainMean, error) {
	group, groupBy := "''", "d.domain_code"
	if dimension != "" {
		group = "a." + dimension
		groupBy = group + ", d.domain_code"
	}
	q, err := s.latestAttempts(ctx, scope, f)
	if err != nil {
		return nil, err
	}
	var rows []DomainMean
	err = q.Select(group + " AS \"group\", d.domain_code, COUNT(*) AS people, AVG(d.now) AS now, AVG(d.need) AS need, AVG(d.gap) AS gap").
		Joins("JOIN skills_domain_scores d ON d.assessment_id = a.id").
		Group(groupBy).Scan(&rows).Error
	return rows, err
}

// PeriodMean is a domain's means in one period.
type PeriodMean struct {
	Period     string
	DomainCode string
	People     int
	Now        float64
	Need       float64
	Gap        float64
}

// SkillsTrend averages each domain per period over the people in the
// scope, counting each person once per period (their latest attempt in it).
func (s *Store) SkillsTrend(ctx context.Context, scope SkillsScope, f SkillsFilter) ([]PeriodMean, error) {
	if usesRollup(f, "") {
		return s.rollupTrend(ctx, scope, f)
	}
	return s.attemptTrend(ctx, scope, f)
}

// rollupTrend is SkillsTrend read from the rollup.
func (s *Store) rollupTrend(ctx context.Context, scope SkillsScope, f SkillsFilter) ([]PeriodMean, error) {
	q, err := s.rollupRows(ctx, scope, rollupPeriod, f)
	if err != nil {
		return nil, err
	}
	var sums []rollupSums
	err = q.Select("r.period, r.domain_code, SUM(r.people) AS people, SUM(r.now_sum) AS now_sum, SUM(r.need_sum) AS need_sum, SUM(r.gap_sum) AS gap_sum").
		Where("r.domain_code <> ''").Group("r.period, r.domain_code").Having("SUM(r.people) > 0").Order("r.period").Scan(&sums).Error
	rows := make([]PeriodMean, len(sums))
	for i, r := range sums {
		rows[i] = PeriodMean{Period: r.Period, DomainCode: r.DomainCode, People: int(r.People), Now: r.mean(r.NowSum), Need: r.mean(r.NeedSum), Gap: r.mean(r.GapSum)}
	}
	return rows, err
}

// attemptTrend is SkillsTrend read from the attempts, for a department.
func (s *Store) attemptTrend(ctx context.Context, scope SkillsScope, f SkillsFilter) ([]PeriodMean, error) {
	q, err := scope.where(s.db.WithContext(ctx).Table("skills_assessments a"), "a.organisation_id")
	if err != nil {
		return nil, err
	}
	var rows []PeriodMean
	err = filtered(q.Where("a.latest_in_period = ?", true), "a", f).
		Select("a.period, d.domain_code, COUNT(*) AS people, AVG(d.now) AS now, AVG(d.need) AS need, AVG(d.gap) AS gap").
		Joins("JOIN skills_domain_scores d ON d.assessment_id = a.id").
		Group("a.period, d.domain_code").Order("a.period").Scan(&rows).Error
	return rows, err
}

// SkillsParticipation counts who has been asked, who started and who
// finished, and where unfinished attempts stopped.
type SkillsParticipation struct {
	Invited   int
	Started   int
	Completed int
	// StoppedAt counts, per domain code, the people whose newest attempt is
	// unfinished and who have not completed any attempt.
	StoppedAt map[string]int
}

// Participation gathers the participation counts of the scope, each one
// aggregate query.
func (s *Store) Participation(ctx context.Context, scope SkillsScope) (SkillsParticipation, error) {
	p := SkillsParticipation{StoppedAt: map[string]int{}}
	db := s.db.WithContext(ctx)
	// from starts a query on table, named alias, limited to the scope.
	from := func(table, alias string) (*gorm.DB, error) {
		return scope.where(db.Table(table+" "+alias), alias+".organisation_id")
	}

	users, err := from("users", "u")
	if err != nil {
		return p, err
	}
	// Written as literals, exactly as the partial index users_active_staff
	// (migration 4) is, so that PostgreSQL counts from that index even in a
	// generic plan of the prepared statement.
	var accounts int64
	if err := users.Where("u.active = TRUE AND ' ' || u.roles || ' ' LIKE '% staff %'").Count(&accounts).Error; err != nil {
		return p, err
	}
	// An invitation counts until its person has an account, in any
	// organisation. NOT EXISTS, not NOT IN: PostgreSQL answers NOT EXISTS
	// with an anti-join (by the unique email index, or one hash of the
	// emails), whereas NOT IN over more emails than fit in work_mem reads
	// users again for every invitation. Both email columns are NOT NULL, so
	// the counts are the same.
	invitations, err := from("invitations", "i")
	if err != nil {
		return p, err
	}
	var pending int64
	if err := invitations.Where("i.used_at IS NULL AND i.expires_at > ? AND ' ' || i.roles || ' ' LIKE ?", time.Now().UTC(), "% staff %").
		Where("NOT EXISTS (SELECT 1 FROM users x WHERE x.email = i.email)").Count(&pending).Error; err != nil {
		return p, err
	}
	p.Invited = int(accounts + pending)

	var started, completed int64
	attempts, err := from("skills_assessments", "a")
	if err != nil {
		return p, err
	}
	if err := attempts.Distinct("a.user_id").Count(&started).Error; err != nil {
		return p, err
	}
	if attempts, err = from("skills_assessments", "a"); err != nil {
		return p, err
	}
	if err := attempts.Where("a.completed_at IS NOT NULL").Distinct("a.user_id").Count(&completed).Error; err != nil {
		return p, err
	}
	p.Started, p.Completed = int(started), int(completed)

	// Where people stopped: unfinished attempts of people with no completed
	// attempt in the scope.
	finished, err := from("skills_assessments", "x")
	if err != nil {
		return p, err
	}
	unfinished, err := from("skills_assessments", "a")
	if err != nil {
		return p, err
	}
	var stops []struct {
		CurrentDomain string
		People        int
	}
	err = unfinished.Select("a.current_domain, COUNT(DISTINCT a.user_id) AS people").
		Where("a.completed_at IS NULL").
		Where("NOT EXISTS (?)", finished.Select("1").Where("x.user_id = a.user_id AND x.completed_at IS NOT NULL")).
		Group("a.current_domain").Scan(&stops).Error
	for _, st := range stops {
		p.StoppedAt[st.CurrentDomain] += st.People
	}
	return p, err
}
