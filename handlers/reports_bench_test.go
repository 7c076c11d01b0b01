package handlers

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/models/modelstest"
)

// BenchmarkBoardReport times the whole board report request for a trust
// of 1,000 and of 20,000 staff with completed skills assessments and a
// fully agreed maturity cycle: the queries, the small-group rules and the
// PDF. Allocations per report should be the same at both sizes: the
// database aggregates, so no per-person row reaches Go.
//
//	go test ./handlers -run XXX -bench BoardReport -benchmem
func BenchmarkBoardReport(b *testing.B) {
	for _, staff := range []int{1000, 20000} {
		b.Run(fmt.Sprintf("staff=%d", staff), func(b *testing.B) { benchmarkBoardReport(b, staff) })
	}
}

func benchmarkBoardReport(b *testing.B, staff int) {
	m := &maturityApp{testApp: newTestApp(b)}
	ctx := context.Background()
	m.org = m.organisation("Large Trust", "LRG", models.KindAcute)
	m.user(m.org, "lead@large.test", models.RoleLead)
	m.withBoard()
	m.fw, _ = m.server.frameworks.Latest(assessments.KindMaturity)
	m.lead = m.signedIn("lead@large.test")

	skills, _ := m.server.frameworks.Latest(assessments.KindSkills)
	fv, err := m.store.FrameworkVersionByCode(ctx, skills.Code, skills.Version)
	if err != nil {
		b.Fatal(err)
	}
	groups, bands := models.StaffGroups(), models.PayBands()
	people := make([]modelstest.SyntheticPerson, staff)
	for i := range people {
		p := modelstest.SyntheticPerson{Email: fmt.Sprintf("s%05d@large.test", i), Name: fmt.Sprintf("Staff %d", i),
			StaffGroup: groups[i%len(groups)], PayBand: bands[i%len(bands)], Department: fmt.Sprintf("Department %d", i%40), Period: "2026/27"}
		for j, sec := range skills.Sections {
			now := 1 + float64((i+j)%4)
			p.Scores = append(p.Scores, models.SkillsDomainScore{DomainCode: sec.Code, Now: now, Need: 4, Gap: 4 - now})
		}
		people[i] = p
	}
	if err := modelstest.BulkCompletedSkills(ctx, m.store, m.org.ID, fv.ID, people); err != nil {
		b.Fatal(err)
	}
	// The report's workforce page reads the release.
	m.publish()
	cycle := m.openCycle(b)
	for i, section := range m.fw.SectionCodes() {
		res := m.lead.post(cycle+"/review/"+section, m.agreeForm(b, cycle, section, 1+i%5, "4"))
		if res.status != http.StatusSeeOther {
			b.Fatalf("agree %s: %d", section, res.status)
		}
	}
	b.ResetTimer()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		res := m.lead.get(cycle + "/report.pdf")
		if res.status != http.StatusOK {
			b.Fatalf("status %d", res.status)
		}
	}
}
