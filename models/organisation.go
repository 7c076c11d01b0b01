package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Organisation kinds, as the NHS names its care settings.
const (
	KindAcute         = "acute"
	KindMentalHealth  = "mental-health"
	KindCommunity     = "community"
	KindAmbulance     = "ambulance"
	KindICB           = "icb"
	KindPrimaryCare   = "primary-care"
	KindSpecialist    = "specialist"
	KindCombinedTrust = "combined"
)

// OrganisationKind is a stored code with the label people read.
type OrganisationKind struct{ Code, Label string }

// OrganisationKinds lists the kinds in the order forms offer them.
func OrganisationKinds() []OrganisationKind {
	return []OrganisationKind{
		{KindAcute, "Acute trust"},
		{KindMentalHealth, "Mental health trust"},
		{KindCommunity, "Community trust"},
		{KindAmbulance, "Ambulance trust"},
		{KindCombinedTrust, "Combined trust (acute and community, or mental health and community)"},
		{KindSpecialist, "Specialist trust"},
		{KindPrimaryCare, "Primary care (general practice)"},
		{KindICB, "Integrated care board"},
	}
}

// OrganisationKindLabel returns the label for a kind code, or the code itself.
func OrganisationKindLabel(code string) string {
	for _, k := range OrganisationKinds() {
		if k.Code == code {
			return k.Label
		}
	}
	return code
}

// Organisation is a tenant: every organisation's data is its own.
type Organisation struct {
	ID        uint
	Name      string
	ODSCode   string `gorm:"column:ods_code"`
	Kind      string
	ParentID  *uint
	CreatedAt time.Time
	UpdatedAt time.Time
}

// KindLabel is the kind as people read it.
func (o Organisation) KindLabel() string { return OrganisationKindLabel(o.Kind) }

// IsICB says whether other organisations can have this one as their parent.
func (o Organisation) IsICB() bool { return o.Kind == KindICB }

// OrganisationByID returns one organisation or ErrNotFound.
func (s *Store) OrganisationByID(ctx context.Context, id uint) (Organisation, error) {
	var o Organisation
	err := s.db.WithContext(ctx).First(&o, id).Error
	return o, namedError(err)
}

// OrganisationByODSCode returns one organisation or ErrNotFound.
func (s *Store) OrganisationByODSCode(ctx context.Context, code string) (Organisation, error) {
	var o Organisation
	err := s.db.WithContext(ctx).Where("ods_code = ?", code).First(&o).Error
	return o, namedError(err)
}

// Organisations lists every organisation by name.
func (s *Store) Organisations(ctx context.Context) ([]Organisation, error) {
	var list []Organisation
	err := s.db.WithContext(ctx).Order("name").Find(&list).Error
	return list, err
}

// IntegratedCareBoards lists the organisations that can be a parent.
func (s *Store) IntegratedCareBoards(ctx context.Context) ([]Organisation, error) {
	var list []Organisation
	err := s.db.WithContext(ctx).Where("kind = ?", KindICB).Order("name").Find(&list).Error
	return list, err
}

// CountOrganisations is 0 only for an empty service.
func (s *Store) CountOrganisations(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Organisation{}).Count(&n).Error
	return n, err
}

// organisationDetails is the audit record of an organisation's details
// changing; a parent is named by its ODS code.
func organisationDetails(tx *Store, before, after Organisation) string {
	parent := func(id *uint) string {
		if id == nil {
			return ""
		}
		var p Organisation
		if err := tx.db.Select("ods_code").First(&p, *id).Error; err != nil {
			return fmt.Sprint(*id)
		}
		return p.ODSCode
	}
	return changeDetails(
		AuditField{Field: "Name", Before: before.Name, After: after.Name},
		AuditField{Field: "ODS code", Before: before.ODSCode, After: after.ODSCode},
		AuditField{Field: "Kind", Before: before.KindLabel(), After: after.KindLabel()},
		AuditField{Field: "Parent", Before: parent(before.ParentID), After: parent(after.ParentID)},
	)
}

// CreateOrganisation stores a new organisation; a taken ODS code is ErrDuplicate.
func (s *Store) CreateOrganisation(ctx context.Context, o *Organisation, actorID uint) error {
	return s.inTx(ctx, func(tx *Store) error {
		if err := namedError(tx.db.Create(o).Error); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEvent{OrganisationID: &o.ID, ActorID: actorRef(actorID), Action: "organisation.create",
			Subject: o.ODSCode, Details: o.Name})
	})
}

// UpdateOrganisation saves name, ODS code, kind and parent.
func (s *Store) UpdateOrganisation(ctx context.Context, o *Organisation, actorID uint) error {
	return s.inTx(ctx, func(tx *Store) error {
		var before Organisation
		if err := namedError(tx.db.First(&before, o.ID).Error); err != nil {
			return err
		}
		err := tx.db.Model(o).Select("name", "ods_code", "kind", "parent_id", "updated_at").Updates(o).Error
		if err := namedError(err); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEvent{OrganisationID: &o.ID, ActorID: actorRef(actorID), Action: "organisation.update",
			Subject: o.ODSCode, Details: organisationDetails(tx, before, *o)})
	})
}

// inTx runs fn with a Store bound to one transaction.
func (s *Store) inTx(ctx context.Context, fn func(tx *Store) error) error {
	return s.db.WithContext(ctx).Transaction(func(db *gorm.DB) error {
		return fn(&Store{db: db, dialect: s.dialect})
	})
}

// actorRef is the audit actor: nil when the service itself acted (id 0),
// for example from the command line.
func actorRef(id uint) *uint {
	if id == 0 {
		return nil
	}
	return &id
}
