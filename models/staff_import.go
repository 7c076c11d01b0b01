package models

import (
	"context"
	"encoding/json"
	"fmt"
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
	PayBand    string
	Department string
	JobRole    string
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
	CreatedAt      time.Time
	AppliedAt      *time.Time
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
	return imp, notFound(err)
}

// ImportChange says what applying a row would do.
type ImportChange struct {
	Person ImportPerson
	Action string // "create", "update", "unchanged", "other-organisation"
	UserID uint
}

// Import actions.
const (
	ImportCreate            = "create"
	ImportUpdate            = "update"
	ImportUnchanged         = "unchanged"
	ImportOtherOrganisation = "other-organisation"
)

// PlanStaffImport compares rows with existing accounts, reading them in
// batches of emails rather than one query per row.
func (s *Store) PlanStaffImport(ctx context.Context, organisationID uint, rows []ImportPerson) ([]ImportChange, error) {
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
	changes := make([]ImportChange, len(rows))
	for i, r := range rows {
		ch := ImportChange{Person: r, Action: ImportCreate}
		if u, ok := existing[NormaliseEmail(r.Email)]; ok {
			ch.UserID = u.ID
			switch {
			case u.OrganisationID != organisationID:
				ch.Action = ImportOtherOrganisation
			case u.Name == r.Name && u.StaffGroup == r.StaffGroup && u.PayBand == r.PayBand &&
				u.Department == r.Department && u.JobRole == r.JobRole && u.Has(RoleStaff):
				ch.Action = ImportUnchanged
			default:
				ch.Action = ImportUpdate
			}
		}
		changes[i] = ch
	}
	return changes, nil
}

// NewInvitation is an invitation for a person an import creates; the
// caller makes its token and keeps the raw token to show once.
type NewInvitation struct {
	Email     string
	TokenHash string
}

// ApplyStaffImport creates and updates accounts in batches, in one
// transaction: either the whole file is imported or nothing is. New people
// get an account without a password, the staff role and an invitation;
// tokenHash returns the hash of a fresh token for each. An import applied
// already is ErrConflict.
func (s *Store) ApplyStaffImport(ctx context.Context, imp StaffImport, changes []ImportChange, actorID uint, expires time.Time, tokenHash func(email string) string) (created, updated, unchanged int, err error) {
	now := time.Now().UTC()
	err = s.inTx(ctx, func(tx *Store) error {
		res := tx.db.Model(&StaffImport{}).Where("id = ? AND status = ?", imp.ID, ImportPreview).Update("status", ImportApplied)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrConflict
		}
		var newUsers []User
		var invites []Invitation
		for _, ch := range changes {
			p := ch.Person
			switch ch.Action {
			case ImportCreate:
				newUsers = append(newUsers, User{OrganisationID: imp.OrganisationID, Email: NormaliseEmail(p.Email), Name: p.Name,
					RoleCodes: Roles{RoleStaff}.String(), Active: true, StaffGroup: p.StaffGroup, PayBand: p.PayBand,
					Department: p.Department, JobRole: p.JobRole, CreatedAt: now, UpdatedAt: now})
				invites = append(invites, Invitation{OrganisationID: imp.OrganisationID, Email: NormaliseEmail(p.Email), Name: p.Name,
					RoleCodes: Roles{RoleStaff}.String(), TokenHash: tokenHash(p.Email), InvitedByID: actorRef(actorID),
					ExpiresAt: expires, CreatedAt: now, ImportID: &imp.ID})
				created++
			case ImportUpdate:
				var u User
				if err := tx.db.First(&u, ch.UserID).Error; err != nil {
					return err
				}
				roles := append(u.Roles(), RoleStaff)
				if err := tx.db.Model(&u).Updates(map[string]any{"name": p.Name, "staff_group": p.StaffGroup, "pay_band": p.PayBand,
					"department": p.Department, "job_role": p.JobRole, "roles": ParseRoles(roles.String()).String(), "updated_at": now}).Error; err != nil {
					return err
				}
				updated++
			default:
				unchanged++
			}
		}
		if len(newUsers) > 0 {
			if err := tx.db.CreateInBatches(&newUsers, 500).Error; err != nil {
				return notFound(err)
			}
			if err := tx.db.CreateInBatches(&invites, 500).Error; err != nil {
				return err
			}
		}
		if err := tx.db.Model(&StaffImport{}).Where("id = ?", imp.ID).Updates(map[string]any{"created_count": created,
			"updated_count": updated, "unchanged_count": unchanged, "applied_at": now}).Error; err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEvent{OrganisationID: &imp.OrganisationID, ActorID: actorRef(actorID), Action: "staff.import",
			Subject: imp.FileName, Details: fmt.Sprintf("%d created, %d updated, %d unchanged", created, updated, unchanged)})
	})
	return created, updated, unchanged, err
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
