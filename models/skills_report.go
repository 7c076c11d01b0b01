package models

import "errors"

// ErrNoSkillsScope is a skills query asked for with neither one
// organisation nor the national scope: it is refused, never read as
// "everything".
var ErrNoSkillsScope = errors.New("skills query without a scope: name one organisation or the national scope")

// SkillsScope is whose staff a workforce skills figure covers: one
// organisation (a digital lead's view) or every organisation (the platform
// admins' national view). The zero value covers nobody.
type SkillsScope struct {
	OrganisationID uint
	National       bool
}

// OrganisationScope covers the staff of one organisation.
func OrganisationScope(organisationID uint) SkillsScope {
	return SkillsScope{OrganisationID: organisationID}
}

// NationalScope covers the staff of every organisation in the service.
func NationalScope() SkillsScope { return SkillsScope{National: true} }
