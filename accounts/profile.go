package accounts

import (
	"context"
	"errors"
	"slices"
	"strconv"

	"nhs-digital-maturity/models"
	"nhs-digital-maturity/validation"
)

// Profile is what a person says about themselves, as typed.
type Profile struct {
	Name       string
	StaffGroup string
	PayBand    string
	Department string
	JobRole    string
}

// ProfileOf is u's profile as saved.
func ProfileOf(u models.User) Profile {
	return Profile{Name: u.Name, StaffGroup: u.StaffGroup, PayBand: u.PayBand, Department: u.Department, JobRole: u.JobRole}
}

// SaveProfile checks and saves u's profile.
func (s *Service) SaveProfile(ctx context.Context, u *models.User, pr Profile, in Input) error {
	p := problems{in: in}
	p.check("name", func() string {
		return validation.TextProblem(pr.Name, "your full name", true, validation.MaxNameLength)
	})
	p.check("staff-group", func() string {
		if pr.StaffGroup != "" && !slices.Contains(models.StaffGroups(), pr.StaffGroup) {
			return "Select your staff group from the list"
		}
		return ""
	})
	p.check("pay-band", func() string {
		if pr.PayBand != "" && !slices.Contains(models.PayBands(), pr.PayBand) {
			return "Select your pay band from the list"
		}
		return ""
	})
	p.check("department", func() string {
		return validation.TextProblem(pr.Department, "your department", false, validation.MaxTextLength)
	})
	p.check("job-role", func() string {
		return validation.TextProblem(pr.JobRole, "your job role", false, validation.MaxTextLength)
	})
	if err := p.err(); err != nil {
		return err
	}
	u.Name, u.StaffGroup, u.PayBand, u.Department, u.JobRole = pr.Name, pr.StaffGroup, pr.PayBand, pr.Department, pr.JobRole
	return s.Store.UpdateProfile(ctx, u)
}

// Organisations is the administrator's list of organisations, with the
// name of each, to name a parent by.
type Organisations struct {
	Organisations []models.Organisation
	Parents       map[uint]string
}

// Organisations lists every organisation.
func (s *Service) Organisations(ctx context.Context) (Organisations, error) {
	list, err := s.Store.Organisations(ctx)
	if err != nil {
		return Organisations{}, err
	}
	parents := map[uint]string{}
	for _, o := range list {
		parents[o.ID] = o.Name
	}
	return Organisations{Organisations: list, Parents: parents}, nil
}

// OrganisationForm is an organisation as typed; ID is 0 for a new one.
type OrganisationForm struct {
	ID       uint
	Name     string
	ODSCode  string
	Kind     string
	ParentID string
}

// OrganisationFormOf is o's form as saved.
func OrganisationFormOf(o models.Organisation) OrganisationForm {
	f := OrganisationForm{ID: o.ID, Name: o.Name, ODSCode: o.ODSCode, Kind: o.Kind}
	if o.ParentID != nil {
		f.ParentID = strconv.FormatUint(uint64(*o.ParentID), 10)
	}
	return f
}

// OrganisationChoices are the kinds and parents the form offers.
type OrganisationChoices struct {
	Kinds   []Option
	Parents []Option
	New     bool
}

// OrganisationChoices are the choices of form: every integrated care
// board but the organisation itself may be its parent.
func (s *Service) OrganisationChoices(ctx context.Context, form OrganisationForm) (OrganisationChoices, error) {
	icbs, err := s.Store.IntegratedCareBoards(ctx)
	if err != nil {
		return OrganisationChoices{}, err
	}
	ch := OrganisationChoices{New: form.ID == 0}
	for _, k := range models.OrganisationKinds() {
		ch.Kinds = append(ch.Kinds, Option{k.Code, k.Label})
	}
	for _, o := range icbs {
		if o.ID != form.ID {
			ch.Parents = append(ch.Parents, Option{strconv.FormatUint(uint64(o.ID), 10), o.Name})
		}
	}
	return ch, nil
}

// duplicateODS is the answer when the database's unique index refuses the
// code: another organisation took it a moment ago.
var duplicateODS = validation.Errors{{Field: "ods-code", Message: "Another organisation already has this ODS code"}}

// SaveOrganisation checks form and creates the organisation (form.ID 0) or
// saves the one it names, on behalf of actorID.
func (s *Service) SaveOrganisation(ctx context.Context, form OrganisationForm, in Input, actorID uint) (models.Organisation, error) {
	var o models.Organisation
	if form.ID != 0 {
		var err error
		if o, err = s.Store.OrganisationByID(ctx, form.ID); err != nil {
			return o, err
		}
	}
	parent, err := s.checkOrganisation(ctx, form, in)
	if err != nil {
		return o, err
	}
	o.Name, o.ODSCode, o.Kind, o.ParentID = form.Name, form.ODSCode, form.Kind, parent
	if form.ID == 0 {
		err = s.Store.CreateOrganisation(ctx, &o, actorID)
	} else {
		err = s.Store.UpdateOrganisation(ctx, &o, actorID)
	}
	if errors.Is(err, models.ErrDuplicate) {
		return o, duplicateODS
	}
	return o, err
}

// checkOrganisation checks form; parent is the chosen integrated care
// board, if any.
func (s *Service) checkOrganisation(ctx context.Context, form OrganisationForm, in Input) (*uint, error) {
	p := problems{in: in}
	p.check("name", func() string { return validation.TextProblem(form.Name, "the organisation's name", true, 200) })
	var lookupErr error
	p.check("ods-code", func() string {
		if m := validation.ODSCodeProblem(form.ODSCode); m != "" {
			return m
		}
		other, err := s.Store.OrganisationByODSCode(ctx, form.ODSCode)
		if err == nil && other.ID != form.ID {
			return "Another organisation already has this ODS code: " + other.Name
		}
		if err != nil && !errors.Is(err, models.ErrNotFound) {
			lookupErr = err
		}
		return ""
	})
	if lookupErr != nil {
		return nil, lookupErr
	}
	if models.OrganisationKindLabel(form.Kind) == form.Kind {
		p.errs.Add("kind", "Select the kind of organisation")
	}
	var parent *uint
	if form.ParentID != "" {
		pid, err := strconv.ParseUint(form.ParentID, 10, 64)
		o, lookupErr := s.Store.OrganisationByID(ctx, uint(pid))
		switch {
		case err != nil || errors.Is(lookupErr, models.ErrNotFound) || !o.IsICB() || o.ID == form.ID:
			p.errs.Add("parent", "Select an integrated care board from the list")
		case lookupErr != nil:
			return nil, lookupErr
		default:
			parent = &o.ID
		}
		if form.Kind == models.KindICB && parent != nil {
			p.errs.Add("parent", "An integrated care board cannot have a parent integrated care board")
		}
	}
	return parent, p.err()
}
