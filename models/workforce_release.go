package models

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ErrReleaseNotDue is a request to build a workforce release before the
// interval since the last one has passed: releases come on a schedule,
// whoever asks.
var ErrReleaseNotDue = errors.New("the next workforce release is not due yet")

// WorkforceGroup is one finest group of completed attempts that a
// workforce release is built from: the attempts of one organisation's
// staff with the same profile in one period, with the same standing in
// this release and the one before. DomainCode "" carries the people and
// their record keys; the others a domain's sums.
type WorkforceGroup struct {
	OrganisationID uint
	StaffGroup     string
	PayBand        string
	Department     string
	Period         string
	// Latest: each its person's latest attempt; InRelease: each its
	// person's latest in its period, and so in this release.
	Latest    bool
	InRelease bool
	// PreviousStanding is their standing in the previous release: 0 not in
	// it, 1 in it as the latest in their period, 2 as the person's latest
	// too.
	PreviousStanding int
	DomainCode       string
	People           int64
	KeySum           int64
	NowSum           float64
	NeedSum          float64
	GapSum           float64
}

// WorkforceStop counts people who started but have not completed, by the
// domain where their newest attempt stopped.
type WorkforceStop struct {
	OrganisationID uint
	CurrentDomain  string
	People         int64
	KeySum         int64
}

// WorkforceInvited counts an organisation's staff accounts and pending
// staff invitations.
type WorkforceInvited struct {
	OrganisationID uint
	People         int64
}

// WorkforceSource reads what a release is built from, in aggregate: each
// person's latest completed attempt in each period, grouped by profile,
// counted only when its owner has signed in themselves; and, when there
// was a release before (built at previous), the attempts that were in it,
// with their standing then. Standing then follows from the times alone:
// an attempt was counted if it and its owner's own sign-in came before
// that release, and latest if no attempt of theirs (in its period) was
// completed between it and that release.
// The groups are handed to each one at a time, so that a national
// release does not hold millions of rows at once.
func (s *Store) WorkforceSource(ctx context.Context, previous time.Time, each func(WorkforceGroup)) ([]WorkforceStop, []WorkforceInvited, error) {
	db := s.db.WithContext(ctx)
	previous = previous.UTC()
	attempts := `SELECT a.id, a.organisation_id, a.staff_group, a.pay_band, a.department, a.period, a.latest,
		a.latest_in_period AS in_release, a.record_key,
		CASE WHEN a.completed_at <= @previous AND u.own_sign_in_at <= @previous THEN
			CASE WHEN NOT EXISTS (SELECT 1 FROM skills_assessments x WHERE x.user_id = a.user_id
				AND x.completed_at > a.completed_at AND x.completed_at <= @previous) THEN 2
			WHEN NOT EXISTS (SELECT 1 FROM skills_assessments x WHERE x.user_id = a.user_id AND x.period = a.period
				AND x.completed_at > a.completed_at AND x.completed_at <= @previous) THEN 1
			ELSE 0 END
		ELSE 0 END AS previous_standing
		FROM skills_assessments a JOIN users u ON u.id = a.user_id
		WHERE a.completed_at IS NOT NULL AND u.own_sign_in_at IS NOT NULL AND (a.latest_in_period OR a.completed_at <= @previous)`
	group := "t.organisation_id, t.staff_group, t.pay_band, t.department, t.period, t.latest, t.in_release, t.previous_standing"
	args := map[string]any{"previous": previous}
	for _, q := range []string{
		"SELECT " + group + ", '' AS domain_code, COUNT(*) AS people, SUM(t.record_key) AS key_sum, NULL AS now_sum, NULL AS need_sum, NULL AS gap_sum FROM (" + attempts +
			") t WHERE t.in_release OR t.previous_standing > 0 GROUP BY " + group,
		"SELECT " + group + ", d.domain_code, COUNT(*) AS people, NULL AS key_sum, SUM(d.now) AS now_sum, SUM(d.need) AS need_sum, SUM(d.gap) AS gap_sum FROM (" + attempts +
			") t JOIN skills_domain_scores d ON d.assessment_id = t.id WHERE t.in_release OR t.previous_standing > 0 GROUP BY " + group + ", d.domain_code",
	} {
		if err := s.eachGroup(db.Raw(q, args), each); err != nil {
			return nil, nil, err
		}
	}

	// Where people stopped: the newest unfinished attempt of each counted
	// person with no completed attempt.
	var stops []WorkforceStop
	if err := db.Table("skills_assessments a").Joins("JOIN users u ON u.id = a.user_id").
		Where("a.completed_at IS NULL AND u.own_sign_in_at IS NOT NULL").
		Where("NOT EXISTS (SELECT 1 FROM skills_assessments x WHERE x.user_id = a.user_id AND (x.completed_at IS NOT NULL OR x.id > a.id))").
		Select("a.organisation_id, a.current_domain, COUNT(*) AS people, SUM(a.record_key) AS key_sum").
		Group("a.organisation_id, a.current_domain").Scan(&stops).Error; err != nil {
		return nil, nil, err
	}

	var invited []WorkforceInvited
	if err := db.Table("users u").Where("u.active = TRUE AND ' ' || u.roles || ' ' LIKE '% staff %'").
		Select("u.organisation_id, COUNT(*) AS people").Group("u.organisation_id").Scan(&invited).Error; err != nil {
		return nil, nil, err
	}
	var pending []WorkforceInvited
	if err := db.Table("invitations i").Where("i.used_at IS NULL AND i.expires_at > ? AND ' ' || i.roles || ' ' LIKE ?", time.Now().UTC(), "% staff %").
		Where("NOT EXISTS (SELECT 1 FROM users x WHERE x.email = i.email)").
		Select("i.organisation_id, COUNT(*) AS people").Group("i.organisation_id").Scan(&pending).Error; err != nil {
		return nil, nil, err
	}
	return stops, append(invited, pending...), nil
}

// eachGroup hands the rows of q to each, one at a time, scanned without
// reflection: a national release reads millions of them. The columns are
// those of WorkforceGroup, in its order.
func (s *Store) eachGroup(q *gorm.DB, each func(WorkforceGroup)) error {
	rows, err := q.Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var g WorkforceGroup
		var nowSum, needSum, gapSum, keySum *float64
		if err := rows.Scan(&g.OrganisationID, &g.StaffGroup, &g.PayBand, &g.Department, &g.Period, &g.Latest, &g.InRelease,
			&g.PreviousStanding, &g.DomainCode, &g.People, &keySum, &nowSum, &needSum, &gapSum); err != nil {
			return err
		}
		if keySum != nil {
			g.KeySum = int64(*keySum)
		}
		if nowSum != nil {
			g.NowSum, g.NeedSum, g.GapSum = *nowSum, *needSum, *gapSum
		}
		each(g)
	}
	return rows.Err()
}

// WorkforceRelease is one release: when it was built, when the next is
// due, and its parameters.
type WorkforceRelease struct {
	ID            uint
	BuiltAt       time.Time
	NextAt        time.Time
	MinGroupSize  int
	Organisations int
	// Domains are the skills domain codes published, comma-separated.
	Domains string
}

// WorkforceCell is one published figure of a release. OrganisationID is
// nil for the national release. Means holds the published domain means
// as JSON: {"domain": [now, need, gap]}.
type WorkforceCell struct {
	ReleaseID      uint
	OrganisationID *uint
	Basis          string
	Dims           string
	StaffGroup     string
	PayBand        string
	Department     string
	Item           string
	Suppressed     bool
	People         int
	Means          string
}

// DomainMeans decodes a cell's published means.
func (c WorkforceCell) DomainMeans() (map[string][3]float64, error) {
	m := map[string][3]float64{}
	if c.Means == "" {
		return m, nil
	}
	err := json.Unmarshal([]byte(c.Means), &m)
	return m, err
}

// EncodeMeans is the stored form of a cell's means.
func EncodeMeans(m map[string][3]float64) string {
	if len(m) == 0 {
		return ""
	}
	b, _ := json.Marshal(m) // a map of strings to numbers always encodes
	return string(b)
}

// keepReleases is how many releases keep their cells; older releases keep
// only their dates.
const keepReleases = 10

// SaveWorkforceRelease stores a new release and its cells in one
// transaction, unless the previous release's next date is still to come
// (ErrReleaseNotDue): two instances asking together make one release.
func (s *Store) SaveWorkforceRelease(ctx context.Context, r *WorkforceRelease, cells []WorkforceCell) error {
	return s.inTx(ctx, func(tx *Store) error {
		if tx.dialect == Postgres {
			if err := tx.db.Exec("LOCK TABLE workforce_releases IN EXCLUSIVE MODE").Error; err != nil {
				return err
			}
		}
		var last WorkforceRelease
		err := tx.db.Order("id DESC").First(&last).Error
		switch {
		case err == nil && r.BuiltAt.Before(last.NextAt):
			return ErrReleaseNotDue
		case err != nil && !errors.Is(err, gorm.ErrRecordNotFound):
			return err
		}
		if err := tx.db.Create(r).Error; err != nil {
			return err
		}
		for i := range cells {
			cells[i].ReleaseID = r.ID
		}
		if len(cells) > 0 {
			if err := tx.db.CreateInBatches(cells, 500).Error; err != nil {
				return fmt.Errorf("store release cells: %w", err)
			}
		}
		var old []uint
		if err := tx.db.Model(&WorkforceRelease{}).Order("id DESC").Offset(keepReleases).Pluck("id", &old).Error; err != nil {
			return err
		}
		if len(old) > 0 {
			return tx.db.Where("release_id IN ?", old).Delete(&WorkforceCell{}).Error
		}
		return nil
	})
}

// LatestWorkforceRelease is the newest release, or ErrNotFound before the
// first.
func (s *Store) LatestWorkforceRelease(ctx context.Context) (WorkforceRelease, error) {
	var r WorkforceRelease
	err := s.db.WithContext(ctx).Order("id DESC").First(&r).Error
	return r, namedError(err)
}

// WorkforceReleases lists the releases, newest first.
func (s *Store) WorkforceReleases(ctx context.Context) ([]WorkforceRelease, error) {
	var list []WorkforceRelease
	err := s.db.WithContext(ctx).Order("id DESC").Find(&list).Error
	return list, err
}

// WorkforceCells reads one scope's cells of a release: one organisation's
// or the national ones (a scope that is neither is ErrNoSkillsScope).
func (s *Store) WorkforceCells(ctx context.Context, releaseID uint, scope SkillsScope) ([]WorkforceCell, error) {
	q := s.db.WithContext(ctx).Where("release_id = ?", releaseID)
	switch {
	case scope.National && scope.OrganisationID == 0:
		q = q.Where("organisation_id IS NULL")
	case !scope.National && scope.OrganisationID != 0:
		q = q.Where("organisation_id = ?", scope.OrganisationID)
	default:
		return nil, ErrNoSkillsScope
	}
	var cells []WorkforceCell
	err := q.Find(&cells).Error
	return cells, err
}

// AllWorkforceCells reads every cell of a release, of every organisation
// and the national ones: for building the next release only, which must
// know everything the last one published.
func (s *Store) AllWorkforceCells(ctx context.Context, releaseID uint) ([]WorkforceCell, error) {
	var cells []WorkforceCell
	err := s.db.WithContext(ctx).Where("release_id = ?", releaseID).Find(&cells).Error
	return cells, err
}

// DomainList splits a release's domain codes.
func (r WorkforceRelease) DomainList() []string {
	if r.Domains == "" {
		return nil
	}
	return strings.Split(r.Domains, ",")
}

// MarkOwnSignIn records that the person signed in themselves, the first
// time only.
func (s *Store) MarkOwnSignIn(ctx context.Context, userID uint) error {
	return s.db.WithContext(ctx).Model(&User{}).Where("id = ? AND own_sign_in_at IS NULL", userID).
		Update("own_sign_in_at", time.Now().UTC()).Error
}
