package models

import (
	"context"
	"errors"
)

// ErrNotEmpty means demo data was refused because the database holds data.
var ErrNotEmpty = errors.New("the database already holds organisations; demo data is only loaded into an empty database")

// DemoPassword is the password of every demo account.
const DemoPassword = "demo-password-1"

// DemoAccount is one of the demo trust's sign-ins, listed in the README.
type DemoAccount struct {
	Email, Name string
	Roles       Roles
	StaffGroup  string
	PayBand     string
	Department  string
	JobRole     string
}

// DemoAccounts returns the four demo sign-ins, one for each role.
func DemoAccounts() []DemoAccount {
	return []DemoAccount{
		{"admin@example.nhs.uk", "Alex Admin", Roles{RoleAdmin}, "Administrative and Clerical", "Band 7", "Digital services", "Service administrator"},
		{"lead@example.nhs.uk", "Priya Patel", Roles{RoleStaff, RoleLead}, "Administrative and Clerical", "Band 8c", "Digital transformation", "Chief clinical information officer's deputy"},
		{"board@example.nhs.uk", "Dr Sam Okafor", Roles{RoleBoard}, "Medical and Dental", NotOnAgendaForChange, "Executive team", "Medical director"},
		{"staff@example.nhs.uk", "Jo Williams", Roles{RoleStaff}, "Nursing and Midwifery Registered", "Band 5", "Emergency department", "Staff nurse"},
	}
}

// DemoTrustODSCode is the demo trust that holds the demo accounts.
const DemoTrustODSCode = "ZZA"

// SeedDemo fills an empty database with made-up organisations and the demo
// accounts, and marks it as demo data so that every page says so.
func (s *Store) SeedDemo(ctx context.Context, hasher PasswordHasher) error {
	n, err := s.CountOrganisations(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		return ErrNotEmpty
	}
	hash, err := hasher.Hash(DemoPassword)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Store) error {
		icb := Organisation{Name: "NHS Example Integrated Care Board", ODSCode: "ZZQ", Kind: KindICB}
		if err := tx.db.Create(&icb).Error; err != nil {
			return err
		}
		trusts := []Organisation{
			{Name: "Example Hospitals NHS Foundation Trust", ODSCode: DemoTrustODSCode, Kind: KindAcute},
			{Name: "Riverside University Hospitals NHS Trust", ODSCode: "ZZB", Kind: KindAcute},
			{Name: "Example Mental Health NHS Foundation Trust", ODSCode: "ZZM", Kind: KindMentalHealth},
			{Name: "Example Community Health Services NHS Trust", ODSCode: "ZZC", Kind: KindCommunity},
			{Name: "Example Ambulance Service NHS Trust", ODSCode: "ZZV", Kind: KindAmbulance},
			{Name: "Moorland Community Healthcare NHS Trust", ODSCode: "ZZD", Kind: KindCommunity},
		}
		for i := range trusts {
			trusts[i].ParentID = &icb.ID
		}
		if err := tx.db.Create(&trusts).Error; err != nil {
			return err
		}
		for _, a := range DemoAccounts() {
			u := User{OrganisationID: trusts[0].ID, Email: a.Email, Name: a.Name, PasswordHash: hash,
				RoleCodes: a.Roles.String(), Active: true, StaffGroup: a.StaffGroup, PayBand: a.PayBand,
				Department: a.Department, JobRole: a.JobRole}
			if err := tx.CreateUser(ctx, &u); err != nil {
				return err
			}
		}
		if err := tx.db.Exec("INSERT INTO settings (key, value) VALUES (?, ?)", SettingDemoData, "true").Error; err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEvent{OrganisationID: &trusts[0].ID, Action: "demo.seed", Details: "demo organisations and accounts loaded"})
	})
}

// CreateAdmin makes an admin account in an organisation from the command
// line, for a new deployment's first sign-in.
func (s *Store) CreateAdmin(ctx context.Context, organisationID uint, email, name, passwordHash string) (User, error) {
	u := User{OrganisationID: organisationID, Email: email, Name: name, PasswordHash: passwordHash,
		RoleCodes: Roles{RoleAdmin}.String(), Active: true}
	err := s.inTx(ctx, func(tx *Store) error {
		if err := tx.CreateUser(ctx, &u); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEvent{OrganisationID: &organisationID, Action: "account.create-admin", Subject: u.Email})
	})
	return u, err
}
