package accounts

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"time"

	"nhs-digital-maturity/models"
	"nhs-digital-maturity/validation"
)

// InviteForm is an invitation as typed.
type InviteForm struct {
	Email        string
	Name         string
	Roles        models.Roles
	Organisation string
}

// InvitePage is what the invitation form shows besides the form.
type InvitePage struct {
	Organisation  models.Organisation
	Organisations []Option
	Roles         []RoleChoice
	IsAdmin       bool
}

// InvitePage composes the invitation form me sees for org, with the roles
// of form ticked; an admin chooses the organisation.
func (s *Service) InvitePage(ctx context.Context, me models.User, org models.Organisation, form InviteForm) (InvitePage, error) {
	p := InvitePage{Organisation: org, Roles: RoleChoices(me, form.Roles), IsAdmin: me.Has(models.RoleAdmin)}
	if p.IsAdmin {
		orgs, err := s.Store.Organisations(ctx)
		if err != nil {
			return InvitePage{}, err
		}
		for _, o := range orgs {
			p.Organisations = append(p.Organisations, Option{strconv.FormatUint(uint64(o.ID), 10), o.Name + " (" + o.ODSCode + ")"})
		}
	}
	return p, nil
}

// Sent is an invitation just made, with its link: shown once, never stored.
type Sent struct {
	Invitation   models.Invitation
	Organisation models.Organisation
	Link         string
}

// Invite checks the form and invites the person into org on me's behalf.
func (s *Service) Invite(ctx context.Context, me models.User, org models.Organisation, form InviteForm, in Input) (Sent, error) {
	p := problems{in: in}
	var lookupErr error
	p.check("email", func() string {
		if m := validation.EmailProblem(form.Email); m != "" {
			return m
		}
		taken, err := s.Store.UserByEmail(ctx, form.Email)
		if err != nil {
			if !errors.Is(err, models.ErrNotFound) {
				lookupErr = err
			}
			return ""
		}
		// Only what concerns an organisation the inviter manages is said:
		// an account elsewhere is invited like a new address, and the
		// person who owns it learns, on accepting, that they have one.
		switch {
		case taken.OrganisationID == org.ID:
			return "This person already has an account in " + org.Name
		case me.Has(models.RoleAdmin):
			return "An account with this email address already exists in another organisation"
		}
		return ""
	})
	if lookupErr != nil {
		return Sent{}, lookupErr
	}
	p.check("name", func() string { return validation.TextProblem(form.Name, "their name", false, validation.MaxNameLength) })
	p.check(rolesField, func() string {
		switch {
		case len(form.Roles) == 0:
			return "Select at least one role"
		case slices.ContainsFunc(form.Roles, func(r models.Role) bool { return !slices.Contains(GrantableRoles(me), r) }):
			return "You cannot give the administrator role"
		}
		return ""
	})
	if err := p.err(); err != nil {
		return Sent{}, err
	}
	token := s.NewToken()
	inv := models.Invitation{
		OrganisationID: org.ID, Email: form.Email, Name: form.Name, RoleCodes: form.Roles.String(),
		TokenHash: s.TokenHash(token), InvitedByID: &me.ID, ExpiresAt: time.Now().Add(s.InvitationLifetime).UTC(),
	}
	if err := s.Store.CreateInvitation(ctx, &inv, me.ID); err != nil {
		return Sent{}, err
	}
	return Sent{Invitation: inv, Organisation: org, Link: s.BaseURL + "/invitations/" + token}, nil
}

// Invitation finds the usable invitation of a link, and its organisation.
// The store's ErrInvitationUsed, ErrInvitationExpired and ErrNotFound say
// why a link cannot be used.
func (s *Service) Invitation(ctx context.Context, token string) (models.Invitation, models.Organisation, error) {
	inv, err := s.Store.InvitationByTokenHash(ctx, s.TokenHash(token))
	if err != nil {
		return inv, models.Organisation{}, err
	}
	org, err := s.Store.OrganisationByID(ctx, inv.OrganisationID)
	return inv, org, err
}

// NewPassword is a password typed twice.
type NewPassword struct{ Password, Confirm string }

// check adds what is wrong with the new password of the account of email.
func (n NewPassword) check(p *problems, email string) {
	if m := p.in.Fields.For("password"); m != "" {
		p.errs.Add("password", m)
	} else if m := validation.PasswordProblem(n.Password, email); m != "" {
		p.errs.Add("password", m)
	} else if n.Confirm != n.Password {
		p.errs.Add("confirm-password", "The passwords do not match. Enter the same password twice")
	}
}

// newHash checks the new password after the form's other problems p, and
// hashes it only when the whole form is right.
func (s *Service) newHash(ctx context.Context, p problems, pw NewPassword, email string) (string, error) {
	pw.check(&p, email)
	if err := p.err(); err != nil {
		return "", err
	}
	return s.HashPassword(ctx, pw.Password)
}

// Accept makes the invited person's account with their name and password.
// The store's ErrInvitationUsed (someone used it a moment ago) and
// ErrDuplicate (the address has an account) come back as they are.
func (s *Service) Accept(ctx context.Context, inv models.Invitation, name string, pw NewPassword, in Input) (models.User, error) {
	p := problems{in: in}
	p.check("name", func() string { return validation.TextProblem(name, "your full name", true, validation.MaxNameLength) })
	hash, err := s.newHash(ctx, p, pw, inv.Email)
	if err != nil {
		return models.User{}, err
	}
	u := models.User{Name: name, PasswordHash: hash}
	return u, s.Store.AcceptInvitation(ctx, inv, &u)
}
