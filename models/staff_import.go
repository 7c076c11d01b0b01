package models

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Statuses of a staff import.
const (
	ImportPreview = "preview"
	ImportApplied = "applied"
)

// ImportPerson is one person of an import file, already validated.
type ImportPerson struct {
	Line       int
	Email      string
	Name       string
	StaffGroup string
	// PayBand, Department and JobRole are nil when the file has no such
	// column: an import then leaves the stored value as it is.
	PayBand    *string `json:",omitempty"`
	Department *string `json:",omitempty"`
	JobRole    *string `json:",omitempty"`
	// Leaver marks a person the file says has left: their account is
	// deactivated, and they are not invited.
	Leaver bool `json:",omitempty"`
}

// ImportProblem is a line of the file that will not be imported.
type ImportProblem struct {
	Line   int
	Email  string
	Reason string
}

// StaffImport is an uploaded file between preview and confirmation. The
// rows are kept so that the lead confirms exactly what they previewed.
type StaffImport struct {
	ID             uint
	OrganisationID uint
	CreatedByID    *uint
	FileName       string
	RowsJSON       string
	ProblemsJSON   string
	Status         string
	CreatedCount   int
	UpdatedCount   int
	UnchangedCount int
	// DeactivatedCount is the leavers the import deactivated.
	DeactivatedCount int
	CreatedAt        time.Time
	AppliedAt        *time.Time
}

// People decodes the import's rows.
func (i StaffImport) People() ([]ImportPerson, error) {
	var rows []ImportPerson
	err := json.Unmarshal([]byte(i.RowsJSON), &rows)
	return rows, err
}

// Problems decodes the import's refused lines.
func (i StaffImport) Problems() ([]ImportProblem, error) {
	var p []ImportProblem
	err := json.Unmarshal([]byte(i.ProblemsJSON), &p)
	return p, err
}

// CreateStaffImport stores a parsed file for preview.
func (s *Store) CreateStaffImport(ctx context.Context, organisationID, actorID uint, fileName string, rows []ImportPerson, problems []ImportProblem) (StaffImport, error) {
	rj, err := json.Marshal(rows)
	if err != nil {
		return StaffImport{}, err
	}
	pj, err := json.Marshal(problems)
	if err != nil {
		return StaffImport{}, err
	}
	imp := StaffImport{OrganisationID: organisationID, CreatedByID: actorRef(actorID), FileName: fileName,
		RowsJSON: string(rj), ProblemsJSON: string(pj), Status: ImportPreview, CreatedAt: time.Now().UTC()}
	err = s.db.WithContext(ctx).Create(&imp).Error
	return imp, err
}

// StaffImportInOrganisation returns an import only of organisationID.
func (s *Store) StaffImportInOrganisation(ctx context.Context, organisationID, id uint) (StaffImport, error) {
	var imp StaffImport
	err := s.db.WithContext(ctx).Where("organisation_id = ?", organisationID).First(&imp, id).Error
	return imp, namedError(err)
}

// ImportChange says what applying a row would do.
type ImportChange struct {
	Person ImportPerson
	Action string // one of the Import actions below
	UserID uint
	// Fields are what the row sets (create) or changes (update), field by
	// field, in the order of the account page.
	Fields []FieldChange
}

// FieldChange is one field of an account before and after an import; ""
// is a value not given.
type FieldChange struct{ Field, Before, After string }

// Import actions. An address with an account in another organisation is
// planned as ImportCreate, like a new one, so that an import tells the lead
// nothing about other organisations; applying it makes the invitation only.
const (
	ImportCreate    = "create"
	ImportUpdate    = "update"
	ImportUnchanged = "unchanged"
	// ImportProtected is an account holding a role above the importer's
	// highest: an import never changes it.
	ImportProtected = "protected"
	// ImportDeactivate is a leaver's active account: applying deactivates
	// it, as the account page would, so retention counts from then.
	ImportDeactivate = "deactivate"
)

// Fields of an account an import may change, as named in previews and in
// the audit log.
const (
	FieldName       = "Name"
	FieldStaffGroup = "Staff group"
	FieldPayBand    = "Pay band"
	FieldDepartment = "Department"
	FieldJobRole    = "Job role"
	FieldRoles      = "Roles"
	FieldAccount    = "Account"
)

// PlanStaffImport compares rows with existing accounts, reading them in
// batches of emails rather than one query per row. importer is the roles
// of the person importing: accounts with a higher role are left alone.
func (s *Store) PlanStaffImport(ctx context.Context, organisationID uint, importer Roles, rows []ImportPerson) ([]ImportChange, error) {
	existing, err := s.usersByEmail(ctx, rows)
	if err != nil {
		return nil, err
	}
	changes := make([]ImportChange, len(rows))
	for i, r := range rows {
		u, ok := existing[NormaliseEmail(r.Email)]
		switch {
		case r.Leaver && (!ok || u.OrganisationID != organisationID):
			// Nobody to deactivate, and nobody to invite: unchanged, as
			// for an address of another organisation, so nothing is told.
			changes[i] = ImportChange{Person: r, Action: ImportUnchanged}
		case !ok || u.OrganisationID != organisationID:
			changes[i] = ImportChange{Person: r, Action: ImportCreate, Fields: importFields(User{}, r)}
		case u.Roles().Outranks(importer):
			changes[i] = ImportChange{Person: r, Action: ImportProtected, UserID: u.ID}
		case r.Leaver && !u.Active:
			changes[i] = ImportChange{Person: r, Action: ImportUnchanged, UserID: u.ID}
		case r.Leaver:
			// A leaver's profile is not updated: the account only closes.
			changes[i] = ImportChange{Person: r, Action: ImportDeactivate, UserID: u.ID,
				Fields: []FieldChange{{FieldAccount, "Active", "Deactivated"}}}
		default:
			ch := ImportChange{Person: r, Action: ImportUnchanged, UserID: u.ID, Fields: importFields(u, r)}
			if len(ch.Fields) > 0 {
				ch.Action = ImportUpdate
			}
			changes[i] = ch
		}
	}
	return changes, nil
}

// usersByEmail finds the accounts, of any organisation, with the rows'
// addresses.
func (s *Store) usersByEmail(ctx context.Context, rows []ImportPerson) (map[string]User, error) {
	existing := map[string]User{}
	const batch = 1000
	for start := 0; start < len(rows); start += batch {
		end := min(start+batch, len(rows))
		emails := make([]string, 0, end-start)
		for _, r := range rows[start:end] {
			emails = append(emails, NormaliseEmail(r.Email))
		}
		var users []User
		if err := s.db.WithContext(ctx).Where("email IN ?", emails).Find(&users).Error; err != nil {
			return nil, err
		}
		for _, u := range users {
			existing[u.Email] = u
		}
	}
	return existing, nil
}

// importFields lists what importing r into u changes. An import only ever
// adds the staff role, and leaves a field alone when the file lacks its
// column.
func importFields(u User, r ImportPerson) []FieldChange {
	var out []FieldChange
	set := func(field, before string, after *string) {
		if after != nil && *after != before {
			out = append(out, FieldChange{field, before, *after})
		}
	}
	set(FieldName, u.Name, &r.Name)
	set(FieldStaffGroup, u.StaffGroup, &r.StaffGroup)
	set(FieldPayBand, u.PayBand, r.PayBand)
	set(FieldDepartment, u.Department, r.Department)
	set(FieldJobRole, u.JobRole, r.JobRole)
	if !u.Has(RoleStaff) {
		out = append(out, FieldChange{FieldRoles, u.Roles().Labels(), importRoles(u).Labels()})
	}
	return out
}

// importRoles are u's roles after an import: the same and the staff role.
func importRoles(u User) Roles { return ParseRoles(u.RoleCodes, string(RoleStaff)) }

// DescribeFields writes changes as the audit log keeps them, like
// "department: Ward 1 → Ward 2; pay band: (none) → Band 5".
func DescribeFields(changes []FieldChange) string {
	parts := make([]string, len(changes))
	for i, f := range changes {
		before, after := cmp.Or(f.Before, "(none)"), cmp.Or(f.After, "(none)")
		parts[i] = strings.ToLower(f.Field) + ": " + before + " → " + after
	}
	return strings.Join(parts, "; ")
}

// NewInvitation is an invitation for a person an import creates; the
// caller makes its token and keeps the raw token to show once.
type NewInvitation struct {
	Email     string
	TokenHash string
}

// ApplyStaffImport applies a plan of PlanStaffImport, in one transaction:
// either the whole file is imported or nothing is. New people get an
// account without a password, the staff role and an invitation; tokenHash
// returns the hash of a fresh token for each. An address that has an
// account in another organisation gets the invitation only: accepting it
// then says that the account exists, to the person who owns the address.
// Updates change exactly the planned fields, each recorded in the audit
// log; an account no longer in the organisation, or that now outranks
// importer, is left alone. An import applied already is ErrConflict.
//
// A leaver's account is deactivated (its left_at set and its sessions
// ended), audited as account.deactivate; one that is no longer active,
// or now outranks importer, is left alone. The count is DeactivatedCount.
func (s *Store) ApplyStaffImport(ctx context.Context, imp StaffImport, changes []ImportChange, actorID uint, importer Roles, expires time.Time, tokenHash func(email string) string) (created, updated, unchanged int, err error) {
	now := time.Now().UTC()
	deactivated := 0
	err = s.inTx(ctx, func(tx *Store) error {
		res := tx.db.Model(&StaffImport{}).Where("id = ? AND status = ?", imp.ID, ImportPreview).Update("status", ImportApplied)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrConflict
		}
		var creates []ImportPerson
		for _, ch := range changes {
			if ch.Action == ImportCreate {
				creates = append(creates, ch.Person)
			}
		}
		taken, err := tx.usersByEmail(ctx, creates)
		if err != nil {
			return err
		}
		var newUsers []User
		var invites []Invitation
		var events []AuditEvent
		for _, ch := range changes {
			p := ch.Person
			switch ch.Action {
			case ImportCreate:
				email := NormaliseEmail(p.Email)
				if _, ok := taken[email]; !ok {
					newUsers = append(newUsers, User{OrganisationID: imp.OrganisationID, Email: email, Name: p.Name,
						RoleCodes: Roles{RoleStaff}.String(), Active: true, StaffGroup: p.StaffGroup, PayBand: deref(p.PayBand),
						Department: deref(p.Department), JobRole: deref(p.JobRole), CreatedAt: now, UpdatedAt: now})
				}
				invites = append(invites, Invitation{OrganisationID: imp.OrganisationID, Email: email, Name: p.Name,
					RoleCodes: Roles{RoleStaff}.String(), TokenHash: tokenHash(p.Email), InvitedByID: actorRef(actorID),
					ExpiresAt: expires, CreatedAt: now, ImportID: &imp.ID})
				created++
			case ImportUpdate:
				var u User
				if err := tx.db.Where("organisation_id = ?", imp.OrganisationID).First(&u, ch.UserID).Error; err != nil {
					return namedError(err)
				}
				if u.Roles().Outranks(importer) {
					unchanged++
					continue
				}
				set := map[string]any{"updated_at": now}
				for _, f := range ch.Fields {
					set[importColumns[f.Field]] = f.After
				}
				if _, ok := set["roles"]; ok {
					set["roles"] = importRoles(u).String()
				}
				if err := tx.db.Model(&u).Updates(set).Error; err != nil {
					return err
				}
				events = append(events, AuditEvent{OrganisationID: &imp.OrganisationID, ActorID: actorRef(actorID),
					Action: "staff.import.update", Subject: u.Email, Details: DescribeFields(ch.Fields)})
				updated++
			case ImportDeactivate:
				var u User
				if err := tx.db.Where("organisation_id = ?", imp.OrganisationID).First(&u, ch.UserID).Error; err != nil {
					return namedError(err)
				}
				if !u.Active || u.Roles().Outranks(importer) {
					unchanged++
					continue
				}
				if err := tx.db.Model(&u).Updates(map[string]any{"active": false, "left_at": now, "updated_at": now}).Error; err != nil {
					return err
				}
				if err := tx.db.Where("user_id = ?", u.ID).Delete(&Session{}).Error; err != nil {
					return err
				}
				events = append(events, AuditEvent{OrganisationID: &imp.OrganisationID, ActorID: actorRef(actorID),
					Action: "account.deactivate", Subject: u.Email, Details: "marked as a leaver by staff import " + imp.FileName})
				deactivated++
			default:
				unchanged++
			}
		}
		if len(newUsers) > 0 {
			if err := tx.db.CreateInBatches(&newUsers, 500).Error; err != nil {
				return namedError(err)
			}
		}
		if len(invites) > 0 {
			if err := tx.db.CreateInBatches(&invites, 500).Error; err != nil {
				return err
			}
		}
		if err := tx.db.Model(&StaffImport{}).Where("id = ?", imp.ID).Updates(map[string]any{"created_count": created,
			"updated_count": updated, "unchanged_count": unchanged, "deactivated_count": deactivated, "applied_at": now}).Error; err != nil {
			return err
		}
		for _, e := range events {
			if err := tx.Audit(ctx, e); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, AuditEvent{OrganisationID: &imp.OrganisationID, ActorID: actorRef(actorID), Action: "staff.import",
			Subject: imp.FileName, Details: fmt.Sprintf("%d invited, %d updated, %d deactivated as leavers, %d unchanged", created, updated, deactivated, unchanged)})
	})
	return created, updated, unchanged, err
}

// importColumns maps the fields an import changes to their columns.
var importColumns = map[string]string{FieldName: "name", FieldStaffGroup: "staff_group", FieldPayBand: "pay_band",
	FieldDepartment: "department", FieldJobRole: "job_role", FieldRoles: "roles"}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// ReissueImportInvitations gives every still-pending invitation of an
// import a new token, so the lead can download the links again: only the
// hashes are stored, so old links stop working.
func (s *Store) ReissueImportInvitations(ctx context.Context, imp StaffImport, expires time.Time, tokenHash func(email string) string) ([]Invitation, error) {
	var list []Invitation
	err := s.inTx(ctx, func(tx *Store) error {
		if err := tx.db.Where("import_id = ? AND organisation_id = ? AND used_at IS NULL", imp.ID, imp.OrganisationID).
			Order("email").Find(&list).Error; err != nil {
			return err
		}
		for i := range list {
			list[i].TokenHash, list[i].ExpiresAt = tokenHash(list[i].Email), expires
			if err := tx.db.Model(&list[i]).Updates(map[string]any{"token_hash": list[i].TokenHash, "expires_at": expires}).Error; err != nil {
				return err
			}
		}
		return nil
	})
	return list, err
}
