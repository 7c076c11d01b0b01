package models

import (
	"context"
	"time"
)

// SyntheticPerson is a member of staff with a completed skills attempt,
// for benchmarks and load tests: one row per domain in Scores.
type SyntheticPerson struct {
	Email, Name                     string
	StaffGroup, PayBand, Department string
	Period                          string
	Scores                          []SkillsDomainScore
}

// BulkCompletedSkills inserts people with completed attempts in batches,
// in one transaction: tens of thousands in seconds, where the journey's
// one-at-a-time path would take minutes. It writes exactly what
// CompleteSkillsAssessment writes, the workforce totals included.
func (s *Store) BulkCompletedSkills(ctx context.Context, organisationID, frameworkID uint, people []SyntheticPerson) error {
	const batch = 1000
	now := time.Now().UTC()
	err := s.inTx(ctx, func(tx *Store) error {
		for start := 0; start < len(people); start += batch {
			part := people[start:min(start+batch, len(people))]
			users := make([]User, len(part))
			for i, p := range part {
				users[i] = User{OrganisationID: organisationID, Email: NormaliseEmail(p.Email), Name: p.Name,
					RoleCodes: Roles{RoleStaff}.String(), Active: true, StaffGroup: p.StaffGroup, PayBand: p.PayBand,
					Department: p.Department, CreatedAt: now, UpdatedAt: now, OwnSignInAt: &now}
			}
			if err := tx.db.Create(&users).Error; err != nil {
				return err
			}
			attempts := make([]SkillsAssessment, len(part))
			for i, p := range part {
				attempts[i] = SkillsAssessment{OrganisationID: organisationID, UserID: users[i].ID, FrameworkID: frameworkID,
					StartedAt: now, UpdatedAt: now, CompletedAt: &now, Period: p.Period, Latest: true, LatestInPeriod: true,
					StaffGroup: p.StaffGroup, PayBand: p.PayBand, Department: p.Department, RecordKey: NewRecordKey()}
			}
			if err := tx.db.Create(&attempts).Error; err != nil {
				return err
			}
			var scores []SkillsDomainScore
			for i, p := range part {
				for _, sc := range p.Scores {
					sc.OrganisationID, sc.AssessmentID = organisationID, attempts[i].ID
					scores = append(scores, sc)
				}
			}
			if err := tx.db.CreateInBatches(&scores, 1000).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.RebuildSkillsRollup(ctx)
}
