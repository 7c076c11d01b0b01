package models

import (
	"fmt"
	"time"
)

// StaffGroups are the Electronic Staff Record (ESR) staff groups, the
// grouping NHS workforce statistics use.
func StaffGroups() []string {
	return []string{
		"Medical and Dental",
		"Nursing and Midwifery Registered",
		"Allied Health Professionals",
		"Additional Professional Scientific and Technical",
		"Healthcare Scientists",
		"Additional Clinical Services",
		"Administrative and Clerical",
		"Estates and Ancillary",
		"Students",
		"Supplementary Roles",
	}
}

// NotOnAgendaForChange is the pay band choice for doctors, dentists and very
// senior managers, who are paid on other contracts.
const NotOnAgendaForChange = "Not on Agenda for Change"

// PayBands are the Agenda for Change bands, band 8 split into 8a to 8d.
func PayBands() []string {
	return []string{
		"Band 1", "Band 2", "Band 3", "Band 4", "Band 5", "Band 6", "Band 7",
		"Band 8a", "Band 8b", "Band 8c", "Band 8d", "Band 9",
		NotOnAgendaForChange,
	}
}

// FinancialYear is the NHS financial year (April to March) that t falls
// in, written as the NHS writes it: "2026/27".
func FinancialYear(t time.Time) string {
	y := t.Year()
	if t.Month() < time.April {
		y--
	}
	return fmt.Sprintf("%d/%02d", y, (y+1)%100)
}
