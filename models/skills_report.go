package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// ErrUnknownDimension is a grouping the organisation view does not offer.
var ErrUnknownDimension = errors.New("unknown grouping")

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

// latestAttempts selects each person's latest completed attempt in an
// organisation, filtered.
func (s *Store) latestAttempts(ctx context.Context, organisationID uint, f SkillsFilter) *gorm.DB {
	q := s.db.WithContext(ctx).Table("skills_assessments a").Where("a.organisation_id = ? AND a.latest = ?", organisationID, true)
	if f.StaffGroup != "" {
		q = q.Where("a.staff_group = ?", f.StaffGroup)
	}
	if f.PayBand != "" {
		q = q.Where("a.pay_band = ?", f.PayBand)
	}
	if f.Department != "" {
		q = q.Where("a.department = ?", f.Department)
	}
	return q
}

// CountSkillsPeople counts the people whose latest completed attempt
// matches the filter.
func (s *Store) CountSkillsPeople(ctx context.Context, organisationID uint, f SkillsFilter) (int, error) {
	var n int64
	err := s.latestAttempts(ctx, organisationID, f).Count(&n).Error
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

// SkillsDomainMeans averages each domain over the people matching the
// filter, grouped by dimension ("" for no grouping). The database does the
// grouping; no individual row leaves this query.
func (s *Store) SkillsDomainMeans(ctx context.Context, organisationID uint, f SkillsFilter, dimension string) ([]DomainMean, error) {
	group, groupBy := "''", "d.domain_code"
	switch dimension {
	case "":
	case DimensionStaffGroup, DimensionPayBand, DimensionDepartment:
		group = "a." + dimension
		groupBy = group + ", d.domain_code"
	default:
		return nil, ErrUnknownDimension
	}
	var rows []DomainMean
	err := s.latestAttempts(ctx, organisationID, f).
		Select(group + " AS \"group\", d.domain_code, COUNT(*) AS people, AVG(d.now) AS now, AVG(d.need) AS need, AVG(d.gap) AS gap").
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

// SkillsTrend averages each domain per period, counting each person once
// per period (their latest attempt in it).
func (s *Store) SkillsTrend(ctx context.Context, organisationID uint, f SkillsFilter) ([]PeriodMean, error) {
	q := s.db.WithContext(ctx).Table("skills_assessments a").
		Where("a.organisation_id = ? AND a.latest_in_period = ?", organisationID, true)
	if f.StaffGroup != "" {
		q = q.Where("a.staff_group = ?", f.StaffGroup)
	}
	if f.PayBand != "" {
		q = q.Where("a.pay_band = ?", f.PayBand)
	}
	if f.Department != "" {
		q = q.Where("a.department = ?", f.Department)
	}
	var rows []PeriodMean
	err := q.Select("a.period, d.domain_code, COUNT(*) AS people, AVG(d.now) AS now, AVG(d.need) AS need, AVG(d.gap) AS gap").
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

// Participation gathers the organisation's participation counts.
func (s *Store) Participation(ctx context.Context, organisationID uint) (SkillsParticipation, error) {
	p := SkillsParticipation{StoppedAt: map[string]int{}}
	db := s.db.WithContext(ctx)
	var accounts, pending int64
	if err := db.Model(&User{}).Where("organisation_id = ? AND active = ? AND ' ' || roles || ' ' LIKE ?", organisationID, true, "% staff %").
		Count(&accounts).Error; err != nil {
		return p, err
	}
	if err := db.Model(&Invitation{}).
		Where("organisation_id = ? AND used_at IS NULL AND expires_at > ? AND ' ' || roles || ' ' LIKE ?", organisationID, time.Now().UTC(), "% staff %").
		Where("email NOT IN (?)", db.Model(&User{}).Select("email")).Count(&pending).Error; err != nil {
		return p, err
	}
	p.Invited = int(accounts + pending)
	var started, completed int64
	if err := db.Model(&SkillsAssessment{}).Where("organisation_id = ?", organisationID).Distinct("user_id").Count(&started).Error; err != nil {
		return p, err
	}
	if err := db.Model(&SkillsAssessment{}).Where("organisation_id = ? AND completed_at IS NOT NULL", organisationID).
		Distinct("user_id").Count(&completed).Error; err != nil {
		return p, err
	}
	p.Started, p.Completed = int(started), int(completed)
	var stops []struct {
		CurrentDomain string
		People        int
	}
	err := db.Model(&SkillsAssessment{}).Select("current_domain, COUNT(DISTINCT user_id) AS people").
		Where("organisation_id = ? AND completed_at IS NULL", organisationID).
		Where("user_id NOT IN (?)", db.Model(&SkillsAssessment{}).Select("user_id").Where("organisation_id = ? AND completed_at IS NOT NULL", organisationID)).
		Group("current_domain").Scan(&stops).Error
	for _, st := range stops {
		p.StoppedAt[st.CurrentDomain] += st.People
	}
	return p, err
}

// SkillsDepartments lists the departments of the organisation's latest
// completed attempts, for the filter.
func (s *Store) SkillsDepartments(ctx context.Context, organisationID uint) ([]string, error) {
	var list []string
	err := s.latestAttempts(ctx, organisationID, SkillsFilter{}).Where("a.department <> ''").
		Distinct().Order("a.department").Pluck("a.department", &list).Error
	return list, err
}
