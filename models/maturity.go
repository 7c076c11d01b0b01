package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Named errors of the maturity assessment.
var (
	ErrCycleLocked      = errors.New("the cycle has been submitted and is read-only")
	ErrFrameworkChanged = errors.New("framework content changed without a new version")
)

// Cycle statuses.
const (
	CycleDraft     = "draft"
	CycleInReview  = "in-review"
	CycleSubmitted = "submitted"
)

// CycleStatusLabel is a status as people read it.
func CycleStatusLabel(status string) string {
	switch status {
	case CycleDraft:
		return "Answering"
	case CycleInReview:
		return "In review"
	case CycleSubmitted:
		return "Submitted"
	}
	return status
}

// FrameworkVersion is the stored record of one framework file's version.
type FrameworkVersion struct {
	ID          uint
	Code        string
	Kind        string
	Version     string
	Title       string
	ContentHash string
	CreatedAt   time.Time
}

// TableName keeps GORM on the frameworks table.
func (FrameworkVersion) TableName() string { return "frameworks" }

// RegisterFramework records a framework version found at start. A version
// that answers refer to may not change: if its content hash differs from
// the stored one, it returns ErrFrameworkChanged.
func (s *Store) RegisterFramework(ctx context.Context, fv FrameworkVersion) (FrameworkVersion, error) {
	var stored FrameworkVersion
	err := s.db.WithContext(ctx).Where("code = ? AND version = ?", fv.Code, fv.Version).First(&stored).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		fv.CreatedAt = time.Now().UTC()
		err := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&fv).Error
		if err != nil {
			return fv, err
		}
		if fv.ID == 0 { // another instance registered it at the same moment
			return s.RegisterFramework(ctx, fv)
		}
		return fv, nil
	}
	if err != nil {
		return fv, err
	}
	if stored.ContentHash == fv.ContentHash {
		return stored, nil
	}
	used, err := s.frameworkInUse(ctx, stored.ID)
	if err != nil {
		return stored, err
	}
	if used {
		return stored, fmt.Errorf("%w: %s version %s is used by saved answers, so its file may not change; "+
			"give the changed file a new version number", ErrFrameworkChanged, fv.Code, fv.Version)
	}
	stored.ContentHash, stored.Title = fv.ContentHash, fv.Title
	return stored, s.db.WithContext(ctx).Model(&stored).Updates(map[string]any{"content_hash": fv.ContentHash, "title": fv.Title}).Error
}

// frameworkInUse says whether a cycle or a skills attempt refers to a
// framework version: either kind of answer pins its file.
func (s *Store) frameworkInUse(ctx context.Context, frameworkID uint) (bool, error) {
	for _, model := range []any{&MaturityCycle{}, &SkillsAssessment{}} {
		var n int64
		if err := s.db.WithContext(ctx).Model(model).Where("framework_id = ?", frameworkID).Count(&n).Error; err != nil {
			return false, err
		}
		if n > 0 {
			return true, nil
		}
	}
	return false, nil
}

// MaturityCycle is one round of the board's maturity assessment.
type MaturityCycle struct {
	ID             uint
	OrganisationID uint
	FrameworkID    uint
	Period         string
	Status         string
	DueDate        time.Time
	Version        int64
	OverallScore   *float64
	SubmittedAt    *time.Time
	CreatedByID    *uint
	CreatedAt      time.Time
	UpdatedAt      time.Time
	// Quorum is how many assigned board members must have answered a
	// question before its level can be agreed; set when the cycle opens.
	Quorum int
	// The board meeting that approved the submission, and who signed it
	// off: empty until submitted, cleared when reopened.
	BoardMeetingOn *time.Time
	SignedOffBy    string
	SignedOffRole  string
}

// StatusLabel is the status as people read it.
func (c MaturityCycle) StatusLabel() string { return CycleStatusLabel(c.Status) }

// Locked says whether answers and agreed levels can no longer change.
func (c MaturityCycle) Locked() bool { return c.Status == CycleSubmitted }

// DefaultQuorum is a cycle's quorum unless the lead sets another.
const DefaultQuorum = 2

// CreateCycle opens a cycle; a second cycle for the same period is
// ErrDuplicate. The new cycle starts with the assignments of the
// organisation's previous cycle (by period), for those still active
// board members, so that the lead only changes what changed.
func (s *Store) CreateCycle(ctx context.Context, c *MaturityCycle, actorID uint) error {
	c.Status, c.Version = CycleDraft, 1
	if c.Quorum < 1 {
		c.Quorum = DefaultQuorum
	}
	return s.inTx(ctx, func(tx *Store) error {
		if err := namedError(tx.db.Create(c).Error); err != nil {
			return err
		}
		if err := tx.carryForwardAssignments(*c); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEvent{OrganisationID: &c.OrganisationID, ActorID: actorRef(actorID),
			Action: "maturity.cycle.open", Subject: c.Period})
	})
}

// CycleInOrganisation returns a cycle only if it belongs to organisationID.
func (s *Store) CycleInOrganisation(ctx context.Context, organisationID, id uint) (MaturityCycle, error) {
	var c MaturityCycle
	err := s.db.WithContext(ctx).Where("organisation_id = ?", organisationID).First(&c, id).Error
	return c, namedError(err)
}

// Cycles lists an organisation's cycles, newest first.
func (s *Store) Cycles(ctx context.Context, organisationID uint) ([]MaturityCycle, error) {
	var list []MaturityCycle
	err := s.db.WithContext(ctx).Where("organisation_id = ?", organisationID).Order("created_at DESC, id DESC").Find(&list).Error
	return list, err
}

// CyclesAssignedTo lists the cycles in which a person has sections to
// answer, and every submitted cycle, whose results the board reads.
func (s *Store) CyclesAssignedTo(ctx context.Context, organisationID, userID uint) ([]MaturityCycle, error) {
	var list []MaturityCycle
	err := s.db.WithContext(ctx).Where("organisation_id = ? AND (status = ? OR id IN (?))", organisationID, CycleSubmitted,
		s.db.Model(&MaturityAssignment{}).Select("cycle_id").Where("user_id = ?", userID)).
		Order("created_at DESC, id DESC").Find(&list).Error
	return list, err
}

// PreviousSubmittedCycle is the organisation's latest submitted cycle for
// a period before c's, or ErrNotFound. A draft is so compared with the last
// result the board stood behind, never with another draft. Periods
// ("2025/26") sort as text.
func (s *Store) PreviousSubmittedCycle(ctx context.Context, c MaturityCycle) (MaturityCycle, error) {
	var prev MaturityCycle
	err := s.db.WithContext(ctx).
		Where("organisation_id = ? AND status = ? AND id <> ? AND period < ?", c.OrganisationID, CycleSubmitted, c.ID, c.Period).
		Order("period DESC, id DESC").First(&prev).Error
	return prev, namedError(err)
}

// MaturityAssignment gives one board member one section of a cycle.
type MaturityAssignment struct {
	OrganisationID uint
	CycleID        uint   `gorm:"primaryKey"`
	SectionCode    string `gorm:"primaryKey"`
	UserID         uint   `gorm:"primaryKey"`
	CreatedAt      time.Time
}

// Assignment is an assignment with the member's name, for pages.
type Assignment struct {
	SectionCode string
	UserID      uint
	Name        string
	Email       string
}

// Assignments lists a cycle's assignments by section, then name.
func (s *Store) Assignments(ctx context.Context, cycleID uint) ([]Assignment, error) {
	var list []Assignment
	err := s.db.WithContext(ctx).Table("maturity_assignments").
		Select("maturity_assignments.section_code, maturity_assignments.user_id, users.name, users.email").
		Joins("JOIN users ON users.id = maturity_assignments.user_id").
		Where("maturity_assignments.cycle_id = ?", cycleID).
		Order("maturity_assignments.section_code, users.name").Scan(&list).Error
	return list, err
}

// AssignedSections lists the sections a person is to answer in a cycle.
func (s *Store) AssignedSections(ctx context.Context, cycleID, userID uint) ([]string, error) {
	var codes []string
	err := s.db.WithContext(ctx).Model(&MaturityAssignment{}).Where("cycle_id = ? AND user_id = ?", cycleID, userID).
		Pluck("section_code", &codes).Error
	return codes, err
}

// SetAssignments replaces the members assigned to each section given.
// userIDs must already be checked to be board members of the organisation.
func (s *Store) SetAssignments(ctx context.Context, c MaturityCycle, bySection map[string][]uint, actorID uint) error {
	now := time.Now().UTC()
	return s.inTx(ctx, func(tx *Store) error {
		for section, ids := range bySection {
			if err := tx.db.Where("cycle_id = ? AND section_code = ?", c.ID, section).Delete(&MaturityAssignment{}).Error; err != nil {
				return err
			}
			for _, id := range ids {
				a := MaturityAssignment{OrganisationID: c.OrganisationID, CycleID: c.ID, SectionCode: section, UserID: id, CreatedAt: now}
				if err := tx.db.Create(&a).Error; err != nil {
					return err
				}
			}
			if err := tx.Audit(ctx, AuditEvent{OrganisationID: &c.OrganisationID, ActorID: actorRef(actorID),
				Action: "maturity.assign", Subject: c.Period + " " + section, Details: fmt.Sprintf("%d members", len(ids))}); err != nil {
				return err
			}
		}
		return nil
	})
}

// MaturityAnswer is one board member's answer to one question. Level is
// nil until chosen; 0 means not applicable.
type MaturityAnswer struct {
	ID             uint
	OrganisationID uint
	CycleID        uint
	RespondentID   uint
	QuestionCode   string
	Level          *int
	Evidence       string
	UpdatedAt      time.Time
}

// RespondentAnswer is an answer with the member's name, for the review.
type RespondentAnswer struct {
	MaturityAnswer
	RespondentName string
}

// SaveAnswers stores one member's answers, replacing earlier ones for the
// same questions and leaving everyone else's alone. It refuses a submitted
// cycle, checked inside the transaction.
func (s *Store) SaveAnswers(ctx context.Context, c MaturityCycle, respondent User, section string, answers []MaturityAnswer) error {
	now := time.Now().UTC()
	for i := range answers {
		answers[i].ID = 0
		answers[i].OrganisationID, answers[i].CycleID, answers[i].RespondentID, answers[i].UpdatedAt = c.OrganisationID, c.ID, respondent.ID, now
	}
	return s.inTx(ctx, func(tx *Store) error {
		if err := tx.checkOpen(c.ID, false); err != nil {
			return err
		}
		if len(answers) > 0 {
			// One multi-row upsert written out, rather than built by
			// reflection: members save sections all the time.
			var sql strings.Builder
			sql.WriteString("INSERT INTO maturity_answers (organisation_id, cycle_id, respondent_id, question_code, level, evidence, updated_at) VALUES ")
			args := make([]any, 0, len(answers)*7)
			for i, a := range answers {
				if i > 0 {
					sql.WriteString(", ")
				}
				sql.WriteString("(?, ?, ?, ?, ?, ?, ?)")
				args = append(args, a.OrganisationID, a.CycleID, a.RespondentID, a.QuestionCode, a.Level, a.Evidence, a.UpdatedAt)
			}
			sql.WriteString(" ON CONFLICT (cycle_id, respondent_id, question_code) DO UPDATE SET level = excluded.level, evidence = excluded.evidence, updated_at = excluded.updated_at")
			if err := tx.db.Exec(sql.String(), args...).Error; err != nil {
				return err
			}
		}
		return tx.Audit(ctx, AuditEvent{OrganisationID: &c.OrganisationID, ActorID: &respondent.ID,
			Action: "maturity.answers.save", Subject: c.Period + " " + section, Details: fmt.Sprintf("%d answers", len(answers))})
	})
}

// checkOpen re-reads a cycle's status inside a transaction. On PostgreSQL
// the row is locked so that a submission cannot slip in before commit:
// shared for members' answers, which may be saved side by side; exclusive
// (forUpdate) for the lead's saves, which may also change the cycle's
// status. SQLite's write transactions are serialised already.
func (s *Store) checkOpen(cycleID uint, forUpdate bool) error {
	q := s.db.Select("status")
	if s.dialect == Postgres {
		strength := "SHARE"
		if forUpdate {
			strength = "UPDATE"
		}
		q = q.Clauses(clause.Locking{Strength: strength})
	}
	var c MaturityCycle
	if err := q.First(&c, cycleID).Error; err != nil {
		return namedError(err)
	}
	if c.Status == CycleSubmitted {
		return ErrCycleLocked
	}
	return nil
}

// AnswersBy returns one member's answers in a cycle by question code.
func (s *Store) AnswersBy(ctx context.Context, cycleID, respondentID uint) (map[string]MaturityAnswer, error) {
	var list []MaturityAnswer
	if err := s.db.WithContext(ctx).Where("cycle_id = ? AND respondent_id = ?", cycleID, respondentID).Find(&list).Error; err != nil {
		return nil, err
	}
	m := make(map[string]MaturityAnswer, len(list))
	for _, a := range list {
		m[a.QuestionCode] = a
	}
	return m, nil
}

// CycleAnswers returns every member's answers in a cycle, by name.
func (s *Store) CycleAnswers(ctx context.Context, cycleID uint) ([]RespondentAnswer, error) {
	var list []RespondentAnswer
	err := s.db.WithContext(ctx).Table("maturity_answers").
		Select("maturity_answers.*, users.name AS respondent_name").
		Joins("JOIN users ON users.id = maturity_answers.respondent_id").
		Where("maturity_answers.cycle_id = ?", cycleID).
		Order("users.name, maturity_answers.respondent_id").Scan(&list).Error
	return list, err
}

// AgreedAnswer is the level the digital lead records for the organisation.
// Version counts its saves, for optimistic locking.
type AgreedAnswer struct {
	ID             uint
	OrganisationID uint
	CycleID        uint
	QuestionCode   string
	Level          *int
	Note           string
	Version        int64
	UpdatedByID    *uint
	UpdatedAt      time.Time
}

// TableName keeps GORM on the maturity_agreed table.
func (AgreedAnswer) TableName() string { return "maturity_agreed" }

// Agreed returns a cycle's agreed answers by question code.
func (s *Store) Agreed(ctx context.Context, cycleID uint) (map[string]AgreedAnswer, error) {
	var list []AgreedAnswer
	if err := s.db.WithContext(ctx).Where("cycle_id = ?", cycleID).Find(&list).Error; err != nil {
		return nil, err
	}
	m := make(map[string]AgreedAnswer, len(list))
	for _, a := range list {
		m[a.QuestionCode] = a
	}
	return m, nil
}

// AgreedChange is what an editor submitted for one question, with the
// version they started from (0 when nothing had been agreed yet).
type AgreedChange struct {
	// SectionCode is the question's section: only the members assigned
	// to it count towards the quorum (any assigned member when empty).
	SectionCode  string
	QuestionCode string
	Level        *int
	Note         string
	Version      int64
}

// ConflictError lists what someone else changed first: agreed levels by
// question code, and the section's target.
type ConflictError struct {
	Questions []string
	Target    bool
}

func (e *ConflictError) Error() string {
	what := slices.Clone(e.Questions)
	if e.Target {
		what = append(what, "target")
	}
	return "changed by someone else: " + strings.Join(what, ", ")
}

func (e *ConflictError) Unwrap() error { return ErrConflict }

func (e *ConflictError) any() bool { return len(e.Questions) > 0 || e.Target }

// TargetChange is the target an editor submitted for a section (0 for no
// target), with the version they started from (0 when none was stored).
type TargetChange struct {
	SectionCode string
	Target      int
	Version     int64
}

// SaveAgreed stores agreed levels and notes; see SaveReview.
func (s *Store) SaveAgreed(ctx context.Context, c MaturityCycle, changes []AgreedChange, actorID uint) error {
	return s.SaveReview(ctx, c, changes, nil, actorID)
}

// SaveReview stores a review form in one transaction: agreed levels and
// notes, and (when target is not nil) the section's target. An agreed
// level or target whose stored version moved on since the editor loaded
// it, and whose stored value differs from theirs, is a conflict: nothing
// is saved and a *ConflictError names each one. Unchanged values are
// skipped. Any change counts as a change of the cycle (its version goes
// up), so that a submission prepared before it is refused.
func (s *Store) SaveReview(ctx context.Context, c MaturityCycle, changes []AgreedChange, target *TargetChange, actorID uint) error {
	now := time.Now().UTC()
	return s.inTx(ctx, func(tx *Store) error {
		cur, err := tx.lockCycle(c.ID)
		if err != nil {
			return err
		}
		if cur.Locked() {
			return ErrCycleLocked
		}
		conflict := &ConflictError{}
		changed, err := tx.saveAgreed(ctx, cur, changes, actorID, now, conflict)
		var quorum *QuorumError
		if errors.As(err, &quorum) {
			err = nil
		}
		if err != nil {
			return err
		}
		if target != nil {
			n, err := tx.saveTarget(ctx, cur, *target, actorID, now, conflict)
			if err != nil {
				return err
			}
			changed += n
		}
		if conflict.any() {
			return conflict
		}
		if quorum != nil {
			return quorum
		}
		if changed == 0 {
			return nil
		}
		status := cur.Status
		if status == CycleDraft {
			status = CycleInReview
		}
		return tx.changedCycle(cur.ID, now, map[string]any{"status": status})
	})
}

// saveAgreed writes the agreed changes that are not conflicts, adding
// conflicts to conflict; it returns how many it wrote.
func (s *Store) saveAgreed(ctx context.Context, c MaturityCycle, changes []AgreedChange, actorID uint, now time.Time, conflict *ConflictError) (int, error) {
	current, err := s.Agreed(ctx, c.ID)
	if err != nil {
		return 0, err
	}
	changed := 0
	short := &QuorumError{Quorum: c.Quorum}
	for _, ch := range changes {
		cur, exists := current[ch.QuestionCode]
		if exists && sameLevel(cur.Level, ch.Level) && cur.Note == ch.Note {
			continue
		}
		if !exists && ch.Level == nil && ch.Note == "" {
			continue
		}
		if (exists && cur.Version != ch.Version) || (!exists && ch.Version != 0) {
			conflict.Questions = append(conflict.Questions, ch.QuestionCode)
			continue
		}
		if ch.Level != nil {
			n, err := s.answeredBy(c.ID, ch.SectionCode, ch.QuestionCode)
			if err != nil {
				return changed, err
			}
			if n < max(c.Quorum, 1) {
				short.Questions = append(short.Questions, ch.QuestionCode)
				continue
			}
		}
		if !exists {
			row := AgreedAnswer{OrganisationID: c.OrganisationID, CycleID: c.ID, QuestionCode: ch.QuestionCode,
				Level: ch.Level, Note: ch.Note, Version: 1, UpdatedByID: actorRef(actorID), UpdatedAt: now}
			if err := s.db.Create(&row).Error; err != nil {
				if errors.Is(err, gorm.ErrDuplicatedKey) {
					// Someone agreed this question first. PostgreSQL has
					// aborted the transaction, so stop here.
					conflict.Questions = append(conflict.Questions, ch.QuestionCode)
					return changed, conflict
				}
				return changed, err
			}
		} else {
			res := s.db.Model(&AgreedAnswer{}).Where("cycle_id = ? AND question_code = ? AND version = ?", c.ID, ch.QuestionCode, ch.Version).
				Updates(map[string]any{"level": ch.Level, "note": ch.Note, "version": gorm.Expr("version + 1"),
					"updated_by_id": actorRef(actorID), "updated_at": now})
			if res.Error != nil {
				return changed, res.Error
			}
			if res.RowsAffected == 0 {
				conflict.Questions = append(conflict.Questions, ch.QuestionCode)
				continue
			}
		}
		changed++
		if err := s.Audit(ctx, AuditEvent{OrganisationID: &c.OrganisationID, ActorID: actorRef(actorID),
			Action: "maturity.agreed.save", Subject: c.Period + " " + ch.QuestionCode, Details: agreedDetails(cur, exists, ch)}); err != nil {
			return changed, err
		}
	}
	if len(short.Questions) > 0 {
		return changed, short
	}
	return changed, nil
}

// saveTarget writes a section's target unless it is a conflict (then it
// sets conflict.Target); it returns 1 when it wrote. Clearing a target
// keeps its row at 0, so that its version still tells a stale tab apart.
func (s *Store) saveTarget(ctx context.Context, c MaturityCycle, t TargetChange, actorID uint, now time.Time, conflict *ConflictError) (int, error) {
	var row MaturityTarget
	err := s.db.Where("cycle_id = ? AND section_code = ?", c.ID, t.SectionCode).First(&row).Error
	exists := err == nil
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return 0, err
	}
	if row.Target == t.Target {
		return 0, nil
	}
	if row.Version != t.Version {
		conflict.Target = true
		return 0, nil
	}
	if exists {
		res := s.db.Model(&MaturityTarget{}).Where("cycle_id = ? AND section_code = ? AND version = ?", c.ID, t.SectionCode, t.Version).
			Updates(map[string]any{"target": t.Target, "version": gorm.Expr("version + 1"), "updated_at": now})
		if res.Error != nil {
			return 0, res.Error
		}
		if res.RowsAffected == 0 {
			conflict.Target = true
			return 0, nil
		}
	} else {
		row = MaturityTarget{OrganisationID: c.OrganisationID, CycleID: c.ID, SectionCode: t.SectionCode, Target: t.Target, Version: 1, UpdatedAt: now}
		if err := s.db.Create(&row).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				conflict.Target = true
				return 0, conflict
			}
			return 0, err
		}
	}
	return 1, s.Audit(ctx, AuditEvent{OrganisationID: &c.OrganisationID, ActorID: actorRef(actorID),
		Action: "maturity.target.save", Subject: c.Period + " " + t.SectionCode, Details: changeDetails(
			AuditField{Field: "Target", Before: targetText(row.Target), After: targetText(t.Target)})})
}

// lockCycle re-reads a cycle inside a transaction that changes what its
// scores or its status depend on (agreed levels, targets, actions). On
// PostgreSQL the row stays locked until commit, so such changes and a
// submission take turns; SQLite's write transactions (BEGIN IMMEDIATE)
// take turns already.
func (s *Store) lockCycle(cycleID uint) (MaturityCycle, error) {
	q := s.db
	if s.dialect == Postgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var c MaturityCycle
	err := q.First(&c, cycleID).Error
	return c, namedError(err)
}

// changedCycle counts one more change of a cycle, with any other columns
// given: a submission or reopening prepared from an earlier version is then
// a conflict.
func (s *Store) changedCycle(cycleID uint, now time.Time, columns map[string]any) error {
	if columns == nil {
		columns = map[string]any{}
	}
	columns["version"], columns["updated_at"] = gorm.Expr("version + 1"), now
	return s.db.Model(&MaturityCycle{}).Where("id = ?", cycleID).Updates(columns).Error
}

// agreedDetails is the audit record of an agreed level and note changing
// from cur (when it exists) to ch.
func agreedDetails(cur AgreedAnswer, exists bool, ch AgreedChange) string {
	before := AuditField{Field: "Agreed level", After: levelText(ch.Level)}
	note := AuditField{Field: "Note", After: ch.Note}
	if exists {
		before.Before, note.Before = levelText(cur.Level), cur.Note
	}
	return changeDetails(before, note)
}

// targetText is a stored target as the audit log shows it: 0 is none.
func targetText(t int) string {
	if t == 0 {
		return ""
	}
	return fmt.Sprint(t)
}

func sameLevel(a, b *int) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }

func levelText(l *int) string {
	switch {
	case l == nil:
		return "not agreed"
	case *l == 0:
		return "not applicable"
	}
	return fmt.Sprint(*l)
}

// MaturityTarget is the level the board aims for in a section.
type MaturityTarget struct {
	OrganisationID uint
	CycleID        uint   `gorm:"primaryKey"`
	SectionCode    string `gorm:"primaryKey"`
	Target         int    // 0: no target (a cleared target keeps its row and version)
	Version        int64
	UpdatedAt      time.Time
}

// Targets returns a cycle's targets by section code, sections without one left out.
func (s *Store) Targets(ctx context.Context, cycleID uint) (map[string]int, error) {
	rows, err := s.TargetRows(ctx, cycleID)
	if err != nil {
		return nil, err
	}
	m := make(map[string]int, len(rows))
	for code, t := range rows {
		if t.Target > 0 {
			m[code] = t.Target
		}
	}
	return m, nil
}

// TargetRows returns a cycle's target rows, with their versions, by section code.
func (s *Store) TargetRows(ctx context.Context, cycleID uint) (map[string]MaturityTarget, error) {
	var list []MaturityTarget
	if err := s.db.WithContext(ctx).Where("cycle_id = ?", cycleID).Find(&list).Error; err != nil {
		return nil, err
	}
	m := make(map[string]MaturityTarget, len(list))
	for _, t := range list {
		m[t.SectionCode] = t
	}
	return m, nil
}

// CycleScorer works out a cycle's section scores (by section code, scored
// sections only) and overall score from its agreed answers. It runs inside
// the submitting transaction, on the agreed answers that transaction read;
// its error rolls the submission back and is returned.
type CycleScorer func(agreed map[string]AgreedAnswer) (sections map[string]float64, overall *float64, err error)

// SubmitCycle locks a cycle and writes the scores that score gives for its
// agreed answers, once, so that trends and benchmarks read stored numbers.
// c.Version is the cycle version the lead saw; if the cycle changed since
// (an agreed level, target, action or status), it returns ErrConflict.
func (s *Store) SubmitCycle(ctx context.Context, c MaturityCycle, score CycleScorer, signOff SignOff, actorID uint) error {
	now := time.Now().UTC()
	if signOff.MeetingOn.IsZero() || strings.TrimSpace(signOff.Name) == "" || strings.TrimSpace(signOff.Role) == "" {
		return ErrNoSignOff
	}
	meeting := signOff.MeetingOn.UTC()
	return s.inTx(ctx, func(tx *Store) error {
		// The cycle row is updated before the agreed answers are read: every
		// change to them locks this row first, so it either committed (and
		// moved the version on) or waits and then finds the cycle submitted.
		res := tx.db.Model(&MaturityCycle{}).Where("id = ? AND version = ? AND status <> ?", c.ID, c.Version, CycleSubmitted).
			Updates(map[string]any{"status": CycleSubmitted, "version": gorm.Expr("version + 1"), "submitted_at": now, "updated_at": now,
				"board_meeting_on": meeting, "signed_off_by": signOff.Name, "signed_off_role": signOff.Role})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrConflict
		}
		agreed, err := tx.Agreed(ctx, c.ID)
		if err != nil {
			return err
		}
		sectionScores, overall, err := score(agreed)
		if err != nil {
			return err
		}
		if err := tx.db.Model(&MaturityCycle{}).Where("id = ?", c.ID).Update("overall_score", overall).Error; err != nil {
			return err
		}
		if err := tx.db.Where("cycle_id = ?", c.ID).Delete(&MaturitySectionScore{}).Error; err != nil {
			return err
		}
		for code, score := range sectionScores {
			row := MaturitySectionScore{OrganisationID: c.OrganisationID, CycleID: c.ID, SectionCode: code, Score: score}
			if err := tx.db.Create(&row).Error; err != nil {
				return err
			}
		}
		return tx.Audit(ctx, AuditEvent{OrganisationID: &c.OrganisationID, ActorID: actorRef(actorID),
			Action: "maturity.cycle.submit", Subject: c.Period,
			Details: fmt.Sprintf("approved by the board meeting of %s, signed off by %s (%s)", meeting.Format("2 January 2006"), signOff.Name, signOff.Role)})
	})
}

// ReopenCycle makes a submitted cycle editable again and withdraws its
// stored scores from trends and benchmarks until it is submitted again.
// The reason is kept with the cycle's reopenings and in the audit log; the
// sign-off is withdrawn with the submission.
func (s *Store) ReopenCycle(ctx context.Context, c MaturityCycle, reason string, actorID uint) error {
	now := time.Now().UTC()
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return ErrNoReason
	}
	return s.inTx(ctx, func(tx *Store) error {
		res := tx.db.Model(&MaturityCycle{}).Where("id = ? AND version = ? AND status = ?", c.ID, c.Version, CycleSubmitted).
			Updates(map[string]any{"status": CycleInReview, "version": gorm.Expr("version + 1"),
				"overall_score": nil, "submitted_at": nil, "updated_at": now,
				"board_meeting_on": nil, "signed_off_by": "", "signed_off_role": ""})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrConflict
		}
		if err := tx.db.Where("cycle_id = ?", c.ID).Delete(&MaturitySectionScore{}).Error; err != nil {
			return err
		}
		if err := tx.db.Create(&Reopening{OrganisationID: c.OrganisationID, CycleID: c.ID, Reason: reason,
			ReopenedByID: actorRef(actorID), ReopenedAt: now}).Error; err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEvent{OrganisationID: &c.OrganisationID, ActorID: actorRef(actorID),
			Action: "maturity.cycle.reopen", Subject: c.Period, Details: "reason: " + reason})
	})
}

// MaturitySectionScore is a section's score written at submission.
type MaturitySectionScore struct {
	OrganisationID uint
	CycleID        uint   `gorm:"primaryKey"`
	SectionCode    string `gorm:"primaryKey"`
	Score          float64
}

// SectionScores returns a submitted cycle's stored section scores.
func (s *Store) SectionScores(ctx context.Context, cycleID uint) (map[string]float64, error) {
	var list []MaturitySectionScore
	if err := s.db.WithContext(ctx).Where("cycle_id = ?", cycleID).Find(&list).Error; err != nil {
		return nil, err
	}
	m := make(map[string]float64, len(list))
	for _, r := range list {
		m[r.SectionCode] = r.Score
	}
	return m, nil
}

// PeerScores are other organisations' latest submitted scores: Overall has
// one value per organisation, Sections one list per section code.
type PeerScores struct {
	Overall  []float64
	Sections map[string][]float64
}

// PeerScoresOfKind collects the latest submitted cycle of every other
// organisation of the same kind. Names never leave this query.
func (s *Store) PeerScoresOfKind(ctx context.Context, kind string, excludeOrganisationID uint) (PeerScores, error) {
	return s.peerScores(ctx, `
SELECT c.id, c.overall_score FROM maturity_cycles c
JOIN organisations o ON o.id = c.organisation_id
WHERE o.kind = ? AND c.organisation_id <> ? AND c.status = ?
  AND c.submitted_at = (SELECT MAX(c2.submitted_at) FROM maturity_cycles c2
                        WHERE c2.organisation_id = c.organisation_id AND c2.status = ?)`,
		kind, excludeOrganisationID, CycleSubmitted, CycleSubmitted)
}

// peerScores gathers the overall and section scores of the cycles that
// query (id, overall_score) selects.
func (s *Store) peerScores(ctx context.Context, query string, args ...any) (PeerScores, error) {
	var cycles []struct {
		ID           uint
		OverallScore *float64
	}
	if err := s.db.WithContext(ctx).Raw(query, args...).Scan(&cycles).Error; err != nil {
		return PeerScores{}, err
	}
	peers := PeerScores{Sections: map[string][]float64{}}
	ids := make([]uint, 0, len(cycles))
	for _, c := range cycles {
		ids = append(ids, c.ID)
		if c.OverallScore != nil {
			peers.Overall = append(peers.Overall, *c.OverallScore)
		}
	}
	if len(ids) == 0 {
		return peers, nil
	}
	var rows []MaturitySectionScore
	if err := s.db.WithContext(ctx).Where("cycle_id IN ?", ids).Find(&rows).Error; err != nil {
		return peers, err
	}
	for _, r := range rows {
		peers.Sections[r.SectionCode] = append(peers.Sections[r.SectionCode], r.Score)
	}
	return peers, nil
}

// FrameworkVersionByCode returns the stored record of a framework version.
func (s *Store) FrameworkVersionByCode(ctx context.Context, code, version string) (FrameworkVersion, error) {
	var fv FrameworkVersion
	err := s.db.WithContext(ctx).Where("code = ? AND version = ?", code, version).First(&fv).Error
	return fv, namedError(err)
}
