package models

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// SkillsAssessment is one attempt at the digital skills self-assessment.
// At completion the staff profile is copied onto it and the domain scores
// are written once, so that organisation views aggregate one row per
// person without reading anyone's answers.
type SkillsAssessment struct {
	ID             uint
	OrganisationID uint
	UserID         uint
	FrameworkID    uint
	StartedAt      time.Time
	UpdatedAt      time.Time
	CompletedAt    *time.Time
	Period         string
	Latest         bool
	LatestInPeriod bool
	// CurrentDomain is the first domain not yet fully rated: where the
	// person resumes, and where they stopped if they never finish.
	CurrentDomain string
	StaffGroup    string
	PayBand       string
	Department    string
	// RecordKey is the attempt's secret random key, below 2^32, from which
	// the workforce release's perturbation of every group it is in follows.
	RecordKey int64
}

// Completed says whether the attempt has been submitted.
func (a SkillsAssessment) Completed() bool { return a.CompletedAt != nil }

// SkillsAnswer is one statement's two ratings; nil until given.
type SkillsAnswer struct {
	AssessmentID  uint   `gorm:"primaryKey"`
	StatementCode string `gorm:"primaryKey"`
	Now           *int
	Need          *int
	UpdatedAt     time.Time
}

// SkillsDomainScore is a domain's means, written at completion.
type SkillsDomainScore struct {
	OrganisationID uint
	AssessmentID   uint   `gorm:"primaryKey"`
	DomainCode     string `gorm:"primaryKey"`
	Now            float64
	Need           float64
	Gap            float64
}

// NewRecordKey is a fresh secret record key: a random number below 2^32.
func NewRecordKey() int64 {
	var b [4]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return int64(binary.BigEndian.Uint32(b[:]))
}

// StartSkillsAssessment begins a new attempt for u, or returns the one in
// progress: a unique index allows one open attempt per person, so starts
// from two tabs at once give the same attempt.
func (s *Store) StartSkillsAssessment(ctx context.Context, u User, frameworkID uint) (SkillsAssessment, error) {
	now := time.Now().UTC()
	a := SkillsAssessment{OrganisationID: u.OrganisationID, UserID: u.ID, FrameworkID: frameworkID, StartedAt: now, UpdatedAt: now,
		RecordKey: NewRecordKey()}
	err := s.db.WithContext(ctx).Create(&a).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return s.OpenSkillsAssessment(ctx, u.ID)
	}
	return a, err
}

// OpenSkillsAssessment returns u's attempt in progress, or ErrNotFound.
func (s *Store) OpenSkillsAssessment(ctx context.Context, userID uint) (SkillsAssessment, error) {
	var a SkillsAssessment
	err := s.db.WithContext(ctx).Where("user_id = ? AND completed_at IS NULL", userID).Order("started_at DESC, id DESC").First(&a).Error
	return a, namedError(err)
}

// SkillsAssessmentOf returns one of u's own attempts, or ErrNotFound:
// nobody else's attempt is ever found this way.
func (s *Store) SkillsAssessmentOf(ctx context.Context, userID, id uint) (SkillsAssessment, error) {
	var a SkillsAssessment
	err := s.db.WithContext(ctx).Where("user_id = ?", userID).First(&a, id).Error
	return a, namedError(err)
}

// SkillsAssessments lists u's attempts, newest first.
func (s *Store) SkillsAssessments(ctx context.Context, userID uint) ([]SkillsAssessment, error) {
	var list []SkillsAssessment
	err := s.db.WithContext(ctx).Where("user_id = ?", userID).Order("started_at DESC, id DESC").Find(&list).Error
	return list, err
}

// SkillsAnswers returns an attempt's ratings by statement code.
func (s *Store) SkillsAnswers(ctx context.Context, assessmentID uint) (map[string]SkillsAnswer, error) {
	var list []SkillsAnswer
	if err := s.db.WithContext(ctx).Where("assessment_id = ?", assessmentID).Find(&list).Error; err != nil {
		return nil, err
	}
	m := make(map[string]SkillsAnswer, len(list))
	for _, a := range list {
		m[a.StatementCode] = a
	}
	return m, nil
}

// SaveSkillsAnswers stores one domain's ratings of an attempt still in
// progress; a completed attempt is ErrConflict.
func (s *Store) SaveSkillsAnswers(ctx context.Context, a SkillsAssessment, answers []SkillsAnswer, currentDomain string) error {
	now := time.Now().UTC()
	for i := range answers {
		answers[i].AssessmentID, answers[i].UpdatedAt = a.ID, now
	}
	return s.inTx(ctx, func(tx *Store) error {
		res := tx.db.Model(&SkillsAssessment{}).Where("id = ? AND completed_at IS NULL", a.ID).
			Updates(map[string]any{"updated_at": now, "current_domain": currentDomain})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrConflict
		}
		if len(answers) == 0 {
			return nil
		}
		return tx.db.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "assessment_id"}, {Name: "statement_code"}},
			DoUpdates: clause.AssignmentColumns([]string{"now", "need", "updated_at"}),
		}).Create(&answers).Error
	})
}

// SkillsScorer turns an attempt's answers into its domain scores. It runs
// inside the completing transaction, on the answers that transaction read,
// so the scores stored are those of the answers stored. Its error (for
// example, answers missing) rolls the completion back and is returned.
type SkillsScorer func(answers map[string]SkillsAnswer) ([]SkillsDomainScore, error)

// CompleteSkillsAssessment submits an attempt: it copies the person's
// staff profile and period onto it, writes the domain scores that score
// gives for its answers, and makes it the person's latest (and latest in
// its period). A second submission of the same attempt is ErrConflict.
func (s *Store) CompleteSkillsAssessment(ctx context.Context, a SkillsAssessment, u User, period string, score SkillsScorer) error {
	now := time.Now().UTC()
	return s.inTx(ctx, func(tx *Store) error {
		// The attempt row is updated before its answers are read: the update
		// locks the row (on SQLite the whole database), and a save takes the
		// same row lock first, so a save either commits before the answers
		// are read or finds the attempt completed.
		res := tx.db.Model(&SkillsAssessment{}).Where("id = ? AND user_id = ? AND completed_at IS NULL", a.ID, u.ID).
			Updates(map[string]any{"completed_at": now, "updated_at": now, "period": period, "latest": true, "latest_in_period": true,
				"staff_group": u.StaffGroup, "pay_band": u.PayBand, "department": u.Department})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrConflict
		}
		answers, err := tx.SkillsAnswers(ctx, a.ID)
		if err != nil {
			return err
		}
		scores, err := score(answers)
		if err != nil {
			return err
		}
		// One statement clears both flags of the attempts replaced: the
		// latest, and the latest in this period. Only flagged rows are
		// updated, so a person with many attempts costs one row, not all.
		if err := tx.db.Exec("UPDATE skills_assessments SET latest = ?, latest_in_period = CASE WHEN period = ? THEN ? ELSE latest_in_period END, updated_at = ? "+
			"WHERE user_id = ? AND id <> ? AND (latest = ? OR (latest_in_period = ? AND period = ?))",
			false, period, false, now, u.ID, a.ID, true, true, period).Error; err != nil {
			return err
		}
		for i := range scores {
			scores[i].OrganisationID, scores[i].AssessmentID = a.OrganisationID, a.ID
		}
		if len(scores) > 0 {
			if err := tx.db.Create(&scores).Error; err != nil {
				return err
			}
		}
		// No audit event: who completed, and when, is nobody else's to
		// see (the service's log keeps it for a security investigation).
		return nil
	})
}

// SkillsDomainScores returns a completed attempt's stored domain scores.
func (s *Store) SkillsDomainScores(ctx context.Context, assessmentID uint) ([]SkillsDomainScore, error) {
	var list []SkillsDomainScore
	err := s.db.WithContext(ctx).Where("assessment_id = ?", assessmentID).Find(&list).Error
	return list, err
}

// PreviousCompletedSkills is the person's completed attempt before a, or ErrNotFound.
func (s *Store) PreviousCompletedSkills(ctx context.Context, a SkillsAssessment) (SkillsAssessment, error) {
	var prev SkillsAssessment
	q := s.db.WithContext(ctx).Where("user_id = ? AND id <> ? AND completed_at IS NOT NULL", a.UserID, a.ID)
	if a.CompletedAt != nil {
		q = q.Where("completed_at < ?", *a.CompletedAt)
	}
	err := q.Order("completed_at DESC, id DESC").First(&prev).Error
	return prev, namedError(err)
}

// LatestCompletedSkills is the person's latest completed attempt, or ErrNotFound.
func (s *Store) LatestCompletedSkills(ctx context.Context, userID uint) (SkillsAssessment, error) {
	var a SkillsAssessment
	err := s.db.WithContext(ctx).Where("user_id = ? AND completed_at IS NOT NULL", userID).
		Order("completed_at DESC, id DESC").First(&a).Error
	return a, namedError(err)
}

// StartSkillsAssessmentFrom begins a new attempt for u with the answers of
// u's own completed attempt from, which must be on the same framework
// version (ErrNotFound otherwise). If an attempt is already in progress,
// that one is returned unchanged, as StartSkillsAssessment does.
func (s *Store) StartSkillsAssessmentFrom(ctx context.Context, u User, frameworkID, from uint) (SkillsAssessment, error) {
	now := time.Now().UTC()
	a := SkillsAssessment{OrganisationID: u.OrganisationID, UserID: u.ID, FrameworkID: frameworkID, StartedAt: now, UpdatedAt: now,
		RecordKey: NewRecordKey()}
	err := s.inTx(ctx, func(tx *Store) error {
		var src SkillsAssessment
		if err := tx.db.Where("user_id = ? AND framework_id = ? AND completed_at IS NOT NULL", u.ID, frameworkID).
			First(&src, from).Error; err != nil {
			return namedError(err)
		}
		if err := tx.db.Create(&a).Error; err != nil {
			return err
		}
		return tx.db.Exec("INSERT INTO skills_answers (assessment_id, statement_code, now, need, updated_at) "+
			"SELECT ?, statement_code, now, need, ? FROM skills_answers WHERE assessment_id = ?", a.ID, now, src.ID).Error
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return s.OpenSkillsAssessment(ctx, u.ID)
	}
	return a, err
}
