package models

import (
	"context"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Role is what a person may do in their organisation.
type Role string

const (
	RoleStaff Role = "staff"
	RoleBoard Role = "board"
	RoleLead  Role = "lead"
	RoleAdmin Role = "admin"
)

// AllRoles in the order forms and pages list them.
func AllRoles() []Role { return []Role{RoleStaff, RoleBoard, RoleLead, RoleAdmin} }

// Label is the role as people read it.
func (r Role) Label() string {
	switch r {
	case RoleStaff:
		return "Staff member"
	case RoleBoard:
		return "Board member"
	case RoleLead:
		return "Digital lead"
	case RoleAdmin:
		return "Service administrator"
	}
	return string(r)
}

// Hint says in one sentence what the role can do.
func (r Role) Hint() string {
	switch r {
	case RoleStaff:
		return "Takes the digital skills self-assessment. Their answers are seen by them alone."
	case RoleBoard:
		return "Answers the sections of the board maturity assessment assigned to them."
	case RoleLead:
		return "Runs assessments, manages accounts and sees the organisation's results."
	case RoleAdmin:
		return "Manages every organisation and account in the service."
	}
	return ""
}

// Roles is a set of roles, stored as space-separated codes.
type Roles []Role

// ParseRoles reads stored or submitted codes; unknown codes are dropped.
func ParseRoles(codes ...string) Roles {
	var rs Roles
	for _, c := range codes {
		for _, f := range strings.Fields(c) {
			r := Role(f)
			if slices.Contains(AllRoles(), r) && !slices.Contains(rs, r) {
				rs = append(rs, r)
			}
		}
	}
	// Keep the canonical order so stored values compare equal.
	slices.SortFunc(rs, func(a, b Role) int { return slices.Index(AllRoles(), a) - slices.Index(AllRoles(), b) })
	return rs
}

// String is the stored form.
func (rs Roles) String() string {
	codes := make([]string, len(rs))
	for i, r := range rs {
		codes[i] = string(r)
	}
	return strings.Join(codes, " ")
}

// Has says whether the set holds r.
func (rs Roles) Has(r Role) bool { return slices.Contains(rs, r) }

// rank is the place of the highest role in AllRoles, -1 for none.
func (rs Roles) rank() int {
	r := -1
	for _, x := range rs {
		r = max(r, slices.Index(AllRoles(), x))
	}
	return r
}

// Outranks says whether rs holds a role above every role of other: an
// administrator outranks a digital lead, who does not outrank another.
func (rs Roles) Outranks(other Roles) bool { return rs.rank() > other.rank() }

// Labels lists the roles as people read them.
func (rs Roles) Labels() string {
	labels := make([]string, len(rs))
	for i, r := range rs {
		labels[i] = r.Label()
	}
	return strings.Join(labels, ", ")
}

// User is an account. The staff profile fields describe the person for the
// workforce views; they are optional until the skills assessment asks.
type User struct {
	ID             uint
	OrganisationID uint
	Email          string
	Name           string
	PasswordHash   string
	RoleCodes      string `gorm:"column:roles"`
	Active         bool
	StaffGroup     string
	PayBand        string
	Department     string
	JobRole        string
	LastSignInAt   *time.Time
	// OwnSignInAt is the first time the person signed in themselves (not
	// through an invitation link someone else could have followed): until
	// then their self-assessment counts towards no workforce figure.
	OwnSignInAt *time.Time
	// LeftAt is when the account was deactivated: the person has left,
	// and retention counts from then (nil while active).
	LeftAt    *time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Roles returns the user's roles.
func (u User) Roles() Roles { return ParseRoles(u.RoleCodes) }

// Has says whether the user holds role r.
func (u User) Has(r Role) bool { return u.Roles().Has(r) }

// ProfileComplete says whether the person has given everything their
// results are grouped by: staff group, pay band, department and job role.
func (u User) ProfileComplete() bool {
	return u.StaffGroup != "" && u.PayBand != "" && u.Department != "" && u.JobRole != ""
}

// NormaliseEmail is how addresses are stored and compared.
func NormaliseEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// UserByID returns one user of any organisation, or ErrNotFound.
func (s *Store) UserByID(ctx context.Context, id uint) (User, error) {
	var u User
	err := s.db.WithContext(ctx).First(&u, id).Error
	return u, namedError(err)
}

// UserInOrganisation returns a user only if they belong to organisationID.
func (s *Store) UserInOrganisation(ctx context.Context, organisationID, id uint) (User, error) {
	var u User
	err := s.db.WithContext(ctx).Where("organisation_id = ?", organisationID).First(&u, id).Error
	return u, namedError(err)
}

// UserByEmail returns the account with that address, or ErrNotFound.
func (s *Store) UserByEmail(ctx context.Context, email string) (User, error) {
	var u User
	err := s.db.WithContext(ctx).Where("email = ?", NormaliseEmail(email)).First(&u).Error
	return u, namedError(err)
}

// UsersInOrganisation lists an organisation's accounts by name.
func (s *Store) UsersInOrganisation(ctx context.Context, organisationID uint) ([]User, error) {
	var list []User
	err := s.db.WithContext(ctx).Where("organisation_id = ?", organisationID).Order("name, email").Find(&list).Error
	return list, err
}

// AccountQuery chooses a page of an organisation's accounts.
type AccountQuery struct {
	// Search is part of a name or email address, in any case.
	Search string
	// Sort is one of AccountSorts; anything else sorts by name.
	Sort          string
	Offset, Limit int
}

// AccountSorts are the orders of the accounts page, by key.
var AccountSorts = map[string]string{
	"name":       "LOWER(name), email",
	"name-desc":  "LOWER(name) DESC, email DESC",
	"email":      "email",
	"email-desc": "email DESC",
	// Most recent first; never signed in last.
	"signed-in": "CASE WHEN last_sign_in_at IS NULL THEN 1 ELSE 0 END, last_sign_in_at DESC, LOWER(name)",
	"status":    "active DESC, LOWER(name), email",
}

// AccountsPage returns one page of an organisation's accounts that match
// q, and how many match in all.
func (s *Store) AccountsPage(ctx context.Context, organisationID uint, q AccountQuery) ([]User, int64, error) {
	base := func() *gorm.DB {
		db := s.db.WithContext(ctx).Model(&User{}).Where("organisation_id = ?", organisationID)
		if term := strings.TrimSpace(q.Search); term != "" {
			like := "%" + escapeLike(strings.ToLower(term)) + "%"
			db = db.Where("(LOWER(name) LIKE ? ESCAPE '\\' OR email LIKE ? ESCAPE '\\')", like, like)
		}
		return db
	}
	var total int64
	if err := base().Count(&total).Error; err != nil {
		return nil, 0, err
	}
	order, ok := AccountSorts[q.Sort]
	if !ok {
		order = AccountSorts["name"]
	}
	var list []User
	err := base().Order(order).Offset(q.Offset).Limit(q.Limit).Find(&list).Error
	return list, total, err
}

// CreateUser stores a new account; a taken email is ErrDuplicate.
func (s *Store) CreateUser(ctx context.Context, u *User) error {
	u.Email = NormaliseEmail(u.Email)
	u.RoleCodes = ParseRoles(u.RoleCodes).String()
	return namedError(s.db.WithContext(ctx).Create(u).Error)
}

// UpdateProfile saves the name and staff profile a person edits themselves.
func (s *Store) UpdateProfile(ctx context.Context, u *User) error {
	return s.inTx(ctx, func(tx *Store) error {
		err := tx.db.Model(u).Select("name", "staff_group", "pay_band", "department", "job_role", "updated_at").Updates(u).Error
		if err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEvent{OrganisationID: &u.OrganisationID, ActorID: &u.ID, Action: "profile.update", Subject: u.Email})
	})
}

// SetRoles changes a user's roles and records who did it.
func (s *Store) SetRoles(ctx context.Context, u *User, roles Roles, actorID uint) error {
	before := u.Roles().Labels()
	u.RoleCodes = roles.String()
	return s.inTx(ctx, func(tx *Store) error {
		if err := tx.db.Model(u).Select("roles", "updated_at").Updates(u).Error; err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEvent{OrganisationID: &u.OrganisationID, ActorID: actorRef(actorID), Action: "account.roles",
			Subject: u.Email, Details: changeDetails(AuditField{Field: "Roles", Before: before, After: roles.Labels()})})
	})
}

// SetActive deactivates or reactivates an account. Deactivating also ends
// every session the person has open.
func (s *Store) SetActive(ctx context.Context, u *User, active bool, actorID uint) error {
	u.Active = active
	action := "account.reactivate"
	if !active {
		action = "account.deactivate"
	}
	u.LeftAt = nil
	if !active {
		now := time.Now().UTC()
		u.LeftAt = &now
	}
	return s.inTx(ctx, func(tx *Store) error {
		if err := tx.db.Model(u).Select("active", "left_at", "updated_at").Updates(u).Error; err != nil {
			return err
		}
		if !active {
			if err := tx.db.Where("user_id = ?", u.ID).Delete(&Session{}).Error; err != nil {
				return err
			}
		}
		return tx.Audit(ctx, AuditEvent{OrganisationID: &u.OrganisationID, ActorID: actorRef(actorID), Action: action, Subject: u.Email})
	})
}

// SetPasswordHash stores a new password hash and ends the person's other
// sessions, so a changed password shuts out anyone who knew the old one.
func (s *Store) SetPasswordHash(ctx context.Context, u *User, hash string, keepSessionHash string) error {
	u.PasswordHash = hash
	return s.inTx(ctx, func(tx *Store) error {
		if err := tx.db.Model(u).Select("password_hash", "updated_at").Updates(u).Error; err != nil {
			return err
		}
		if err := tx.db.Where("user_id = ? AND token_hash <> ?", u.ID, keepSessionHash).Delete(&Session{}).Error; err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEvent{OrganisationID: &u.OrganisationID, ActorID: &u.ID, Action: "account.password", Subject: u.Email})
	})
}
