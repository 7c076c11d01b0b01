package accounts

import (
	"context"

	"nhs-digital-maturity/models"
)

// Home is what a person's home page shows each of their roles to do next;
// a person with several roles sees each part.
type Home struct {
	IsStaff, IsBoard, IsLead, IsAdmin bool
	ProfileComplete                   bool
	PendingInvitations                int
	Accounts                          int
	Organisations                     int
	MinGroupSize                      int
	// LatestCycle is the lead's newest cycle, if any.
	LatestCycle *models.MaturityCycle
	// SkillsOpen and SkillsCompleted say where the person is with their
	// own skills self-assessment.
	SkillsOpen, SkillsCompleted bool
	// AdviceAsked are colleagues' requests for this person's advice.
	AdviceAsked []models.Advice
}

// Home composes u's home page; minGroupSize is the smallest group the
// organisation's figures describe, which the page promises.
func (s *Service) Home(ctx context.Context, u models.User, minGroupSize int) (Home, error) {
	h := Home{
		IsStaff: u.Has(models.RoleStaff), IsBoard: u.Has(models.RoleBoard),
		IsLead: u.Has(models.RoleLead), IsAdmin: u.Has(models.RoleAdmin),
		MinGroupSize: minGroupSize, ProfileComplete: u.ProfileComplete(),
	}
	if h.IsLead || h.IsAdmin {
		users, err := s.Store.UsersInOrganisation(ctx, u.OrganisationID)
		if err != nil {
			return Home{}, err
		}
		invitations, err := s.Store.PendingInvitations(ctx, u.OrganisationID)
		if err != nil {
			return Home{}, err
		}
		h.Accounts, h.PendingInvitations = len(users), len(invitations)
	}
	if h.IsStaff {
		attempts, err := s.Store.SkillsAssessments(ctx, u.ID)
		if err != nil {
			return Home{}, err
		}
		for _, a := range attempts {
			h.SkillsOpen = h.SkillsOpen || !a.Completed()
			h.SkillsCompleted = h.SkillsCompleted || a.Completed()
		}
	}
	var err error
	if h.AdviceAsked, err = s.Store.AdviceAskedOf(ctx, u.OrganisationID, u.ID); err != nil {
		return Home{}, err
	}
	if h.IsLead {
		cycles, err := s.Store.Cycles(ctx, u.OrganisationID)
		if err != nil {
			return Home{}, err
		}
		if len(cycles) > 0 {
			h.LatestCycle = &cycles[0]
		}
	}
	if h.IsAdmin {
		n, err := s.Store.CountOrganisations(ctx)
		if err != nil {
			return Home{}, err
		}
		h.Organisations = int(n)
	}
	return h, nil
}
