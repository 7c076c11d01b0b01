package models

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// The skills rollup keeps, per organisation, staff group and pay band, the
// number of people and the sums of their domain scores, changed in the
// same transaction that completes an attempt. Workforce views that neither
// filter nor group by department read these few rows instead of joining
// every person's attempt to their domain scores: a national view of 1.5
// million staff reads about 75,000 rows instead of 7 million.
//
// Two bases: "latest" counts each person's latest completed attempt (the
// current picture; period is ""); "period" counts each person's latest
// attempt within each period (the trend). The row with domain code ""
// counts people only.
const (
	rollupLatest = "latest"
	rollupPeriod = "period"
)

// rollupRow is one row of skills_rollup, or a change to one.
type rollupRow struct {
	OrganisationID uint
	Basis          string
	Period         string
	StaffGroup     string
	PayBand        string
	DomainCode     string
	People         int64
	NowSum         float64
	NeedSum        float64
	GapSum         float64
}

func (rollupRow) TableName() string { return "skills_rollup" }

func (r rollupRow) key() string {
	return strings.Join([]string{strconv.FormatUint(uint64(r.OrganisationID), 10), r.Basis, r.Period, r.StaffGroup, r.PayBand, r.DomainCode}, "\x00")
}

// rollupAttempt is what the rollup needs of a completed attempt.
type rollupAttempt struct {
	OrganisationID      uint
	Period              string
	StaffGroup, PayBand string
	Scores              []SkillsDomainScore
}

// rollupChanges turns attempts joining (sign +1) or leaving (sign -1) a
// basis into row changes: one per domain and one counting the person.
func rollupChanges(changes []rollupRow, a rollupAttempt, basis string, sign int64) []rollupRow {
	period := a.Period
	if basis == rollupLatest {
		period = ""
	}
	row := rollupRow{OrganisationID: a.OrganisationID, Basis: basis, Period: period, StaffGroup: a.StaffGroup, PayBand: a.PayBand}
	person := row
	person.People = sign
	changes = append(changes, person)
	for _, sc := range a.Scores {
		r := row
		r.DomainCode, r.People = sc.DomainCode, sign
		r.NowSum, r.NeedSum, r.GapSum = float64(sign)*sc.Now, float64(sign)*sc.Need, float64(sign)*sc.Gap
		changes = append(changes, r)
	}
	return changes
}

// applyRollup adds changes to the rollup in one statement. Changes to the
// same row are merged first, and rows are written in key order, so that
// two completions touching the same rows lock them in the same order and
// cannot deadlock.
func (s *Store) applyRollup(changes []rollupRow) error {
	index := map[string]int{}
	var rows []rollupRow
	for _, c := range changes {
		if i, ok := index[c.key()]; ok {
			m := &rows[i]
			m.People += c.People
			m.NowSum, m.NeedSum, m.GapSum = m.NowSum+c.NowSum, m.NeedSum+c.NeedSum, m.GapSum+c.GapSum
			continue
		}
		index[c.key()] = len(rows)
		rows = append(rows, c)
	}
	if len(rows) == 0 {
		return nil
	}
	slices.SortFunc(rows, func(a, b rollupRow) int { return cmp.Compare(a.key(), b.key()) })
	var sql strings.Builder
	sql.WriteString("INSERT INTO skills_rollup (organisation_id, basis, period, staff_group, pay_band, domain_code, people, now_sum, need_sum, gap_sum) VALUES ")
	args := make([]any, 0, len(rows)*10)
	for i, r := range rows {
		if i > 0 {
			sql.WriteString(", ")
		}
		sql.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
		args = append(args, r.OrganisationID, r.Basis, r.Period, r.StaffGroup, r.PayBand, r.DomainCode, r.People, r.NowSum, r.NeedSum, r.GapSum)
	}
	sql.WriteString(" ON CONFLICT (organisation_id, basis, period, staff_group, pay_band, domain_code) DO UPDATE SET " +
		"people = skills_rollup.people + excluded.people, now_sum = skills_rollup.now_sum + excluded.now_sum, " +
		"need_sum = skills_rollup.need_sum + excluded.need_sum, gap_sum = skills_rollup.gap_sum + excluded.gap_sum")
	return s.db.Exec(sql.String(), args...).Error
}

// supersededAttempts returns the rollup view of the person's attempts that
// a new completion in period replaces: their latest, and their latest in
// the same period (often the same attempt), with the basis each leaves.
func (s *Store) supersededAttempts(userID, newID uint, period string) ([]rollupRow, error) {
	// One row per domain score of each replaced attempt (one row with no
	// score for an attempt without any).
	var rows []struct {
		ID                  uint
		OrganisationID      uint
		Period              string
		StaffGroup, PayBand string
		Latest              bool
		LatestInPeriod      bool
		DomainCode          *string
		Now, Need, Gap      *float64
	}
	if err := s.db.Table("skills_assessments a").
		Select("a.id, a.organisation_id, a.period, a.staff_group, a.pay_band, a.latest, a.latest_in_period, d.domain_code, d.now, d.need, d.gap").
		Joins("LEFT JOIN skills_domain_scores d ON d.assessment_id = a.id").
		Where("a.user_id = ? AND a.id <> ? AND (a.latest = ? OR (a.latest_in_period = ? AND a.period = ?))", userID, newID, true, true, period).
		Order("a.id, d.domain_code").Scan(&rows).Error; err != nil {
		return nil, err
	}
	var changes []rollupRow
	for i := 0; i < len(rows); {
		o := rows[i]
		a := rollupAttempt{OrganisationID: o.OrganisationID, Period: o.Period, StaffGroup: o.StaffGroup, PayBand: o.PayBand}
		for ; i < len(rows) && rows[i].ID == o.ID; i++ {
			if r := rows[i]; r.DomainCode != nil {
				a.Scores = append(a.Scores, SkillsDomainScore{DomainCode: *r.DomainCode, Now: *r.Now, Need: *r.Need, Gap: *r.Gap})
			}
		}
		if o.Latest {
			changes = rollupChanges(changes, a, rollupLatest, -1)
		}
		if o.LatestInPeriod && o.Period == period {
			changes = rollupChanges(changes, a, rollupPeriod, -1)
		}
	}
	return changes, nil
}

// RebuildSkillsRollup recomputes the rollup from every completed attempt,
// for loaders that write attempts in bulk rather than one completion at a
// time.
func (s *Store) RebuildSkillsRollup(ctx context.Context) error {
	return s.inTx(ctx, func(tx *Store) error {
		for _, stmt := range []string{
			`DELETE FROM skills_rollup`,
			`INSERT INTO skills_rollup (organisation_id, basis, period, staff_group, pay_band, domain_code, people, now_sum, need_sum, gap_sum)
			SELECT a.organisation_id, 'latest', '', a.staff_group, a.pay_band, d.domain_code, COUNT(*), SUM(d.now), SUM(d.need), SUM(d.gap)
			FROM skills_assessments a JOIN skills_domain_scores d ON d.assessment_id = a.id WHERE a.latest
			GROUP BY a.organisation_id, a.staff_group, a.pay_band, d.domain_code`,
			`INSERT INTO skills_rollup (organisation_id, basis, period, staff_group, pay_band, domain_code, people, now_sum, need_sum, gap_sum)
			SELECT a.organisation_id, 'latest', '', a.staff_group, a.pay_band, '', COUNT(*), 0, 0, 0
			FROM skills_assessments a WHERE a.latest GROUP BY a.organisation_id, a.staff_group, a.pay_band`,
			`INSERT INTO skills_rollup (organisation_id, basis, period, staff_group, pay_band, domain_code, people, now_sum, need_sum, gap_sum)
			SELECT a.organisation_id, 'period', a.period, a.staff_group, a.pay_band, d.domain_code, COUNT(*), SUM(d.now), SUM(d.need), SUM(d.gap)
			FROM skills_assessments a JOIN skills_domain_scores d ON d.assessment_id = a.id WHERE a.latest_in_period
			GROUP BY a.organisation_id, a.period, a.staff_group, a.pay_band, d.domain_code`,
			`INSERT INTO skills_rollup (organisation_id, basis, period, staff_group, pay_band, domain_code, people, now_sum, need_sum, gap_sum)
			SELECT a.organisation_id, 'period', a.period, a.staff_group, a.pay_band, '', COUNT(*), 0, 0, 0
			FROM skills_assessments a WHERE a.latest_in_period GROUP BY a.organisation_id, a.period, a.staff_group, a.pay_band`,
		} {
			if err := tx.db.Exec(stmt).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// usesRollup says whether a view can be read from the rollup: it keeps no
// department, so a department filter or grouping reads the attempts.
func usesRollup(f SkillsFilter, dimension string) bool {
	return f.Department == "" && dimension != DimensionDepartment
}

// rollupRows starts a query on the rollup for the scope, basis and filter.
func (s *Store) rollupRows(ctx context.Context, scope SkillsScope, basis string, f SkillsFilter) (*gorm.DB, error) {
	q, err := scope.where(s.db.WithContext(ctx).Table("skills_rollup r"), "r.organisation_id")
	if err != nil {
		return nil, err
	}
	// usesRollup has ruled out a department, which the totals do not keep.
	return filtered(q.Where("r.basis = ?", basis), "r", f), nil
}

// rollupSums is an aggregate of rollup rows; means are worked out in Go
// from sums rounded to nine places, so that the additions and
// subtractions of many completions leave no trace in a shown figure.
type rollupSums struct {
	Group      string
	Period     string
	DomainCode string
	People     int64
	NowSum     float64
	NeedSum    float64
	GapSum     float64
}

func (r rollupSums) mean(sum float64) float64 {
	return math.Round(sum*1e9) / 1e9 / float64(r.People)
}
