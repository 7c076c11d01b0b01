// Package modelstest fills a store with many people at once, for
// benchmarks and load tests that need the sizes of real trusts: tens of
// thousands in seconds, where the journey's one-at-a-time path would take
// minutes. Only tests import it.
package modelstest

import (
	"context"
	"time"

	"nhs-digital-maturity/models"
)

// SyntheticPerson is a member of staff with a completed skills attempt:
// one domain score for each of Scores.
type SyntheticPerson struct {
	Email, Name                     string
	StaffGroup, PayBand, Department string
	Period                          string
	Scores                          []models.SkillsDomainScore
}

// BulkCompletedSkills loads people with completed attempts in one
// transaction, through the models' own types. It writes what
// CompleteSkillsAssessment writes.
func BulkCompletedSkills(ctx context.Context, store *models.Store, organisationID, frameworkID uint, people []SyntheticPerson) error {
	users, err := models.TableOf[models.User](store)
	if err != nil {
		return err
	}
	attempts, err := models.TableOf[models.SkillsAssessment](store)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	return store.Load(ctx, func(l *models.Loader) error {
		// The load numbers the users and attempts itself, from the highest id.
		if err := l.LockTables(ctx, users, attempts); err != nil {
			return err
		}
		userBase, err := l.MaxID(ctx, users)
		if err != nil {
			return err
		}
		attemptBase, err := l.MaxID(ctx, attempts)
		if err != nil {
			return err
		}
		userID := func(i int) uint { return uint(userBase) + uint(i) + 1 }
		attemptID := func(i int) uint { return uint(attemptBase) + uint(i) + 1 }
		staff := models.Roles{models.RoleStaff}.String()

		i := 0
		if _, err := models.CopyModels(ctx, l, true, func(u *models.User) (bool, error) {
			if i == len(people) {
				return false, nil
			}
			p := people[i]
			*u = models.User{ID: userID(i), OrganisationID: organisationID, Email: models.NormaliseEmail(p.Email), Name: p.Name,
				RoleCodes: staff, Active: true, StaffGroup: p.StaffGroup, PayBand: p.PayBand, Department: p.Department,
				CreatedAt: now, UpdatedAt: now, OwnSignInAt: &now}
			i++
			return true, nil
		}); err != nil {
			return err
		}
		i = 0
		if _, err := models.CopyModels(ctx, l, true, func(a *models.SkillsAssessment) (bool, error) {
			if i == len(people) {
				return false, nil
			}
			p := people[i]
			*a = models.SkillsAssessment{ID: attemptID(i), OrganisationID: organisationID, UserID: userID(i), FrameworkID: frameworkID,
				StartedAt: now, UpdatedAt: now, CompletedAt: &now, Period: p.Period, Latest: true, LatestInPeriod: true,
				StaffGroup: p.StaffGroup, PayBand: p.PayBand, Department: p.Department, RecordKey: models.NewRecordKey()}
			i++
			return true, nil
		}); err != nil {
			return err
		}
		i = 0
		j := 0
		if _, err := models.CopyModels(ctx, l, false, func(s *models.SkillsDomainScore) (bool, error) {
			for i < len(people) && j == len(people[i].Scores) {
				i, j = i+1, 0
			}
			if i == len(people) {
				return false, nil
			}
			*s = people[i].Scores[j]
			s.OrganisationID, s.AssessmentID = organisationID, attemptID(i)
			j++
			return true, nil
		}); err != nil {
			return err
		}
		return l.SyncIDSequences(ctx, users, attempts)
	})
}
