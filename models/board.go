package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Named errors of the board's sign-off, reopening, advice and evidence.
var (
	ErrNoQuorum  = errors.New("too few board members have answered")
	ErrNoSignOff = errors.New("the board meeting and who signed it off are needed")
	ErrNoReason  = errors.New("a reason for reopening is needed")
	ErrAnswered  = errors.New("the advice has been given already")
)

// QuorumError names the questions whose level could not be agreed because
// fewer than Quorum assigned board members have answered them.
type QuorumError struct {
	Questions []string
	Quorum    int
}

func (e *QuorumError) Error() string {
	return fmt.Sprintf("fewer than %d board members answered: %s", e.Quorum, strings.Join(e.Questions, ", "))
}

func (e *QuorumError) Unwrap() error { return ErrNoQuorum }

// answeredBy counts the assigned board members who chose a level (or not
// applicable) for one question. Advice is in a table of its own, so it can
// never count.
func (s *Store) answeredBy(cycleID uint, sectionCode, questionCode string) (int, error) {
	join := "JOIN maturity_assignments m ON m.cycle_id = a.cycle_id AND m.user_id = a.respondent_id"
	args := []any{}
	if sectionCode != "" {
		join += " AND m.section_code = ?"
		args = append(args, sectionCode)
	}
	args = append(args, cycleID, questionCode)
	var n int
	err := s.db.Raw("SELECT COUNT(DISTINCT a.respondent_id) FROM maturity_answers a "+join+
		" WHERE a.cycle_id = ? AND a.question_code = ? AND a.level IS NOT NULL", args...).Scan(&n).Error
	return n, err
}

// carryForwardAssignments gives a new cycle the assignments of the
// organisation's previous cycle (the latest earlier period), keeping only
// people who are still active board members.
func (s *Store) carryForwardAssignments(c MaturityCycle) error {
	var prev MaturityCycle
	err := s.db.Where("organisation_id = ? AND id <> ? AND period < ?", c.OrganisationID, c.ID, c.Period).
		Order("period DESC, id DESC").First(&prev).Error
	if errors.Is(namedError(err), ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return s.db.Exec(`INSERT INTO maturity_assignments (organisation_id, cycle_id, section_code, user_id, created_at)
SELECT a.organisation_id, ?, a.section_code, a.user_id, ? FROM maturity_assignments a
JOIN users u ON u.id = a.user_id
WHERE a.cycle_id = ? AND u.organisation_id = ? AND u.active = ? AND ' ' || u.roles || ' ' LIKE ?`,
		c.ID, time.Now().UTC(), prev.ID, c.OrganisationID, true, "% "+string(RoleBoard)+" %").Error
}

// SignOff is the board meeting that approved a submission.
type SignOff struct {
	MeetingOn time.Time
	Name      string
	Role      string
}

// Reopening is one time a submitted cycle was reopened, with why.
type Reopening struct {
	ID             uint
	OrganisationID uint
	CycleID        uint
	Reason         string
	ReopenedByID   *uint
	ReopenedAt     time.Time
	// ReopenedBy is the name of who reopened it, for pages.
	ReopenedBy string `gorm:"->;-:migration"`
}

// TableName keeps GORM on the maturity_reopenings table.
func (Reopening) TableName() string { return "maturity_reopenings" }

// Reopenings lists a cycle's reopenings, oldest first.
func (s *Store) Reopenings(ctx context.Context, cycleID uint) ([]Reopening, error) {
	var list []Reopening
	err := s.db.WithContext(ctx).Table("maturity_reopenings r").
		Select("r.*, COALESCE(users.name, '') AS reopened_by").
		Joins("LEFT JOIN users ON users.id = r.reopened_by_id").
		Where("r.cycle_id = ?", cycleID).Order("r.reopened_at, r.id").Scan(&list).Error
	return list, err
}

// SubmittedCycles lists an organisation's submitted cycles, oldest period
// first: the trend.
func (s *Store) SubmittedCycles(ctx context.Context, organisationID uint) ([]MaturityCycle, error) {
	var list []MaturityCycle
	err := s.db.WithContext(ctx).Where("organisation_id = ? AND status = ?", organisationID, CycleSubmitted).
		Order("period, id").Find(&list).Error
	return list, err
}

// SectionScoresOf returns the stored section scores of several cycles, by
// cycle id, then section code.
func (s *Store) SectionScoresOf(ctx context.Context, organisationID uint, cycleIDs []uint) (map[uint]map[string]float64, error) {
	out := map[uint]map[string]float64{}
	if len(cycleIDs) == 0 {
		return out, nil
	}
	var rows []MaturitySectionScore
	if err := s.db.WithContext(ctx).Where("organisation_id = ? AND cycle_id IN ?", organisationID, cycleIDs).Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		if out[r.CycleID] == nil {
			out[r.CycleID] = map[string]float64{}
		}
		out[r.CycleID][r.SectionCode] = r.Score
	}
	return out, nil
}

// PeerScoresForPeriod collects the submitted cycles for one period of
// every other organisation of the same kind (one each: a period has one
// cycle per organisation). Names never leave this query.
func (s *Store) PeerScoresForPeriod(ctx context.Context, kind string, excludeOrganisationID uint, period string) (PeerScores, error) {
	return s.peerScores(ctx, `
SELECT c.id, c.overall_score FROM maturity_cycles c
JOIN organisations o ON o.id = c.organisation_id
WHERE o.kind = ? AND c.organisation_id <> ? AND c.status = ? AND c.period = ?`,
		kind, excludeOrganisationID, CycleSubmitted, period)
}

// AgreedIn returns the agreed levels of another cycle of the same
// organisation (last cycle's, shown beside each question while answering).
func (s *Store) AgreedIn(ctx context.Context, organisationID, cycleID uint) (map[string]AgreedAnswer, error) {
	var list []AgreedAnswer
	if err := s.db.WithContext(ctx).Where("organisation_id = ? AND cycle_id = ?", organisationID, cycleID).Find(&list).Error; err != nil {
		return nil, err
	}
	m := make(map[string]AgreedAnswer, len(list))
	for _, a := range list {
		m[a.QuestionCode] = a
	}
	return m, nil
}

// ---- Advice from a colleague ----

// Advice is a colleague's advice on one question, asked for by a board
// member or the lead. It is shown beside the board's answers and is never
// a board answer: it counts towards neither the quorum nor the spread.
type Advice struct {
	ID             uint
	OrganisationID uint
	CycleID        uint
	QuestionCode   string
	AdviserID      uint
	RequestedByID  uint
	RequestedAt    time.Time
	Level          *int // nil until answered; 0 not applicable
	Comment        string
	AnsweredAt     *time.Time
	// Names, for pages.
	AdviserName     string `gorm:"->;-:migration"`
	RequestedByName string `gorm:"->;-:migration"`
}

// TableName keeps GORM on the maturity_advice table.
func (Advice) TableName() string { return "maturity_advice" }

// Answered says whether the colleague has given their advice.
func (a Advice) Answered() bool { return a.AnsweredAt != nil }

// RequestAdvice records a request; adviserID must already be checked to be
// an active colleague of the organisation who is not on the board.
func (s *Store) RequestAdvice(ctx context.Context, c MaturityCycle, a *Advice) error {
	a.ID, a.OrganisationID, a.CycleID, a.RequestedAt = 0, c.OrganisationID, c.ID, time.Now().UTC()
	return s.inTx(ctx, func(tx *Store) error {
		if err := tx.checkOpen(c.ID, false); err != nil {
			return err
		}
		if err := tx.db.Create(a).Error; err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEvent{OrganisationID: &c.OrganisationID, ActorID: &a.RequestedByID,
			Action: "maturity.advice.request", Subject: c.Period + " " + a.QuestionCode, Details: fmt.Sprintf("adviser %d", a.AdviserID)})
	})
}

func (s *Store) adviceQuery(ctx context.Context) *gorm.DB {
	return s.db.WithContext(ctx).Table("maturity_advice").
		Select("maturity_advice.*, adviser.name AS adviser_name, requester.name AS requested_by_name").
		Joins("JOIN users adviser ON adviser.id = maturity_advice.adviser_id").
		Joins("JOIN users requester ON requester.id = maturity_advice.requested_by_id")
}

// CycleAdvice lists a cycle's advice requests, answered or not.
func (s *Store) CycleAdvice(ctx context.Context, cycleID uint) ([]Advice, error) {
	var list []Advice
	err := s.adviceQuery(ctx).Where("maturity_advice.cycle_id = ?", cycleID).
		Order("maturity_advice.question_code, maturity_advice.requested_at, maturity_advice.id").Scan(&list).Error
	return list, err
}

// AdviceAskedOf lists the requests made of one colleague, newest first.
func (s *Store) AdviceAskedOf(ctx context.Context, organisationID, adviserID uint) ([]Advice, error) {
	var list []Advice
	err := s.adviceQuery(ctx).Where("maturity_advice.organisation_id = ? AND maturity_advice.adviser_id = ?", organisationID, adviserID).
		Order("maturity_advice.requested_at DESC, maturity_advice.id DESC").Scan(&list).Error
	return list, err
}

// AdviceFor returns one request only to the colleague it was made of.
func (s *Store) AdviceFor(ctx context.Context, organisationID, adviserID, id uint) (Advice, error) {
	var list []Advice
	err := s.adviceQuery(ctx).Where("maturity_advice.organisation_id = ? AND maturity_advice.adviser_id = ? AND maturity_advice.id = ?",
		organisationID, adviserID, id).Scan(&list).Error
	if err != nil {
		return Advice{}, err
	}
	if len(list) == 0 {
		return Advice{}, ErrNotFound
	}
	return list[0], nil
}

// GiveAdvice stores the colleague's level and comment, once, while the
// cycle is open.
func (s *Store) GiveAdvice(ctx context.Context, a Advice, level int, comment string) error {
	now := time.Now().UTC()
	return s.inTx(ctx, func(tx *Store) error {
		if err := tx.checkOpen(a.CycleID, false); err != nil {
			return err
		}
		res := tx.db.Model(&Advice{}).Where("id = ? AND adviser_id = ? AND answered_at IS NULL", a.ID, a.AdviserID).
			Updates(map[string]any{"level": level, "comment": comment, "answered_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrAnswered
		}
		return tx.Audit(ctx, AuditEvent{OrganisationID: &a.OrganisationID, ActorID: &a.AdviserID,
			Action: "maturity.advice.give", Subject: a.QuestionCode, Details: "level " + levelText(&level)})
	})
}

// ---- Evidence documents ----

// Evidence is a document attached to a board member's answer. Content is
// loaded only for a download; listings leave it out.
type Evidence struct {
	ID             uint
	OrganisationID uint
	CycleID        uint
	QuestionCode   string
	UploadedByID   uint
	FileName       string
	ContentType    string
	Size           int64
	Content        []byte
	StoredPath     string
	CreatedAt      time.Time
	// UploadedBy is the uploader's name, for pages.
	UploadedBy string `gorm:"->;-:migration"`
}

// TableName keeps GORM on the maturity_evidence table.
func (Evidence) TableName() string { return "maturity_evidence" }

// AddEvidence stores a document's record (and content, unless it is kept
// in a folder at StoredPath) while the cycle is open.
func (s *Store) AddEvidence(ctx context.Context, c MaturityCycle, e *Evidence) error {
	e.ID, e.OrganisationID, e.CycleID, e.CreatedAt = 0, c.OrganisationID, c.ID, time.Now().UTC()
	return s.inTx(ctx, func(tx *Store) error {
		if err := tx.checkOpen(c.ID, false); err != nil {
			return err
		}
		if err := tx.db.Create(e).Error; err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEvent{OrganisationID: &c.OrganisationID, ActorID: &e.UploadedByID,
			Action: "maturity.evidence.add", Subject: c.Period + " " + e.QuestionCode, Details: fmt.Sprintf("%s (%d bytes)", e.FileName, e.Size)})
	})
}

// CycleEvidence lists a cycle's documents without their content.
func (s *Store) CycleEvidence(ctx context.Context, organisationID, cycleID uint) ([]Evidence, error) {
	var list []Evidence
	err := s.db.WithContext(ctx).Table("maturity_evidence e").
		Select("e.id, e.organisation_id, e.cycle_id, e.question_code, e.uploaded_by_id, e.file_name, e.content_type, e.size, e.stored_path, e.created_at, users.name AS uploaded_by").
		Joins("JOIN users ON users.id = e.uploaded_by_id").
		Where("e.organisation_id = ? AND e.cycle_id = ?", organisationID, cycleID).
		Order("e.question_code, e.created_at, e.id").Scan(&list).Error
	return list, err
}

// EvidenceInCycle returns one document, with its content, only if it
// belongs to the organisation's cycle.
func (s *Store) EvidenceInCycle(ctx context.Context, organisationID, cycleID, id uint) (Evidence, error) {
	var e Evidence
	err := s.db.WithContext(ctx).Where("organisation_id = ? AND cycle_id = ?", organisationID, cycleID).First(&e, id).Error
	return e, namedError(err)
}

// IsAssigned says whether a person has any section of a cycle.
func (s *Store) IsAssigned(ctx context.Context, cycleID, userID uint) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&MaturityAssignment{}).Where("cycle_id = ? AND user_id = ?", cycleID, userID).Count(&n).Error
	return n > 0, err
}
