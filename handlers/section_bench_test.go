package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
)

// sectionBench is a trust with a cycle whose well-led section is assigned
// to one board member, Ann, and her six answers with evidence as a form.
func sectionBench(b *testing.B) (m *maturityApp, cycle string, form url.Values) {
	b.Helper()
	m = &maturityApp{testApp: newTestApp(b)}
	m.org = m.organisation("Home Trust", "HOM", models.KindAcute)
	m.user(m.org, "lead@home.test", models.RoleLead)
	ann := m.user(m.org, "ann@home.test", models.RoleBoard)
	m.fw, _ = m.server.frameworks.Latest(assessments.KindMaturity)
	m.lead = m.signedIn("lead@home.test")
	m.ann = m.signedIn("ann@home.test")
	cycle = m.openCycle(b)
	if res := m.lead.post(cycle+"/assignments", url.Values{"assign-well-led": {itoa(ann.ID)}}); res.status != http.StatusSeeOther {
		b.Fatalf("assign: %d", res.status)
	}
	form = m.sectionForm("well-led", 3, strings.Repeat("Evidence seen by the board. ", 10))
	form.Set("next", "later")
	return m, cycle, form
}

// BenchmarkSectionPage times a board member's questionnaire page: six
// questions with their level descriptors and the member's saved answers.
// bench/page.sh measures the same page under load against a static file.
//
//	go test ./handlers -run XXX -bench SectionPage -benchmem
func BenchmarkSectionPage(b *testing.B) {
	m, cycle, form := sectionBench(b)
	if res := m.ann.post(cycle+"/sections/well-led", form); res.status != http.StatusSeeOther {
		b.Fatalf("save: %d", res.status)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if res := m.ann.get(cycle + "/sections/well-led"); res.status != http.StatusOK {
			b.Fatalf("status %d", res.status)
		}
	}
}

// BenchmarkSectionSave times a board member saving a section of six
// answers with evidence ("save and come back later"). bench/writes.sh
// measures the same request under load against pgbench.
//
//	go test ./handlers -run XXX -bench SectionSave -benchmem
func BenchmarkSectionSave(b *testing.B) {
	m, cycle, form := sectionBench(b)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if res := m.ann.post(cycle+"/sections/well-led", form); res.status != http.StatusSeeOther {
			b.Fatalf("save: %d", res.status)
		}
	}
}
