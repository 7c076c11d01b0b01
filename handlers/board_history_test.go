package handlers

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"nhs-digital-maturity/models"
)

// rowCells is the text of each cell of one table row, by the row's id.
func rowCells(t *testing.T, body, id string) []string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<tr[^>]*id="` + regexp.QuoteMeta(id) + `">(.*?)</tr>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no row %s", id)
	}
	var cells []string
	for _, c := range regexp.MustCompile(`(?s)<t[dh][^>]*>(.*?)</t[dh]>`).FindAllStringSubmatch(m[1], -1) {
		cells = append(cells, strings.TrimSpace(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(c[1], "")))
	}
	return cells
}

// TestTrendDraftComparisonAndBenchmarkByPeriod works the history through
// by hand: three submitted cycles and a draft; the draft compared with the
// latest submitted cycle, fully agreed measures only; the benchmark by
// period with its labelled fallback.
func TestTrendDraftComparisonAndBenchmarkByPeriod(t *testing.T) {
	m := newMaturityApp(t)
	ctx := context.Background()
	// Three submitted cycles: overall 1.5, 2.0, 2.6; well led 1.0, 2.5, 3.0;
	// smart foundations only in 2024/25, at 2.0.
	submittedCycle(t, m.testApp, m.org, "2022/23", 1.5, map[string]float64{"well-led": 1.0})
	submittedCycle(t, m.testApp, m.org, "2023/24", 2.0, map[string]float64{"well-led": 2.5})
	submittedCycle(t, m.testApp, m.org, "2024/25", 2.6, map[string]float64{"well-led": 3.0, "smart-foundations": 2.0})

	cycle := m.openCycle(t)
	period := periods(time.Now())[1].Value
	// The draft: well led fully agreed at 4; smart foundations 3 of 6 at 2.
	wantStatus(t, m.lead.post(cycle+"/review/well-led", m.agreeForm(t, cycle, "well-led", 4, "")), http.StatusSeeOther)
	form := m.agreeForm(t, cycle, "smart-foundations", 2, "")
	for _, q := range []string{"smart-foundations-4", "smart-foundations-5", "smart-foundations-6"} {
		form.Set("agreed-"+q, "")
	}
	wantStatus(t, m.lead.post(cycle+"/review/smart-foundations", form), http.StatusSeeOther)

	res := m.lead.get(cycle + "/results")
	wantStatus(t, res, http.StatusOK)
	// Only 1 of 7 measures is fully agreed: no overall score, so nothing
	// part-agreed is compared with 2024/25's complete 2.6.
	wantContains(t, res, "1 of 7 agreed: no overall score yet")
	if strings.Contains(res.body, `id="overall-change"`) {
		t.Error("a part-agreed overall is compared")
	}
	// Well led 4.0 against the latest submitted (2024/25) 3.0: up 1.0.
	if row := sectionCell(res.body, "well-led"); !strings.Contains(row, "3.0 (up 1.0)") {
		t.Errorf("well led is not compared with 2024/25: %s", row)
	}
	// Smart foundations 2.0 from 3 of 6: shown as part agreed, not compared.
	row := sectionCell(res.body, "smart-foundations")
	if !strings.Contains(row, "part agreed: 3 of 6 questions") || !strings.Contains(row, "Not compared until every question is agreed") {
		t.Errorf("smart foundations: %s", row)
	}
	// The trend: every submitted cycle, then the draft with its complete
	// measures only.
	want := map[string][]string{
		"trend-overall-row":       {"Overall", "1.5", "2.0", "2.6", "None"},
		"trend-well-led":          {"Well led", "1.0", "2.5", "3.0", "4.0"},
		"trend-smart-foundations": {"Ensure smart foundations", "None", "None", "2.0", "None"},
	}
	for id, cells := range want {
		if got := rowCells(t, res.body, id); strings.Join(got, "|") != strings.Join(cells, "|") {
			t.Errorf("%s: %q, want %q", id, got, cells)
		}
	}
	wantContains(t, res, period+" (draft)</th>", `Well led: score by cycle</title>`,
		fmt.Sprintf("2022/23: 1.0; 2023/24: 2.5; 2024/25: 3.0; %s: 4.0 (draft). Scores from 0 to 5.", period))

	// A reopened cycle leaves the trend until it is submitted again.
	cycles, _ := m.store.Cycles(ctx, m.org.ID)
	for _, c := range cycles {
		if c.Period == "2023/24" {
			if err := m.store.ReopenCycle(ctx, c, "Checking", 0); err != nil {
				t.Fatal(err)
			}
		}
	}
	if got := rowCells(t, m.lead.get(cycle+"/results").body, "trend-well-led"); strings.Join(got, "|") != "Well led|1.0|3.0|4.0" {
		t.Errorf("trend after reopening 2023/24: %q", got)
	}

	// Benchmark by period. Five acute peers submitted 2025/26 at 1.0; four
	// of them also this period at 2.0, 2.5, 3.0, 3.5. Four are too few for
	// this period, so each peer's latest is used, and the page says so:
	// 1.0 2.0 2.5 3.0 3.5, median at 0.5*4 = 2 -> 2.5, quartiles at 1 -> 2.0
	// and 3 -> 3.0.
	var peers []models.Organisation
	for i := range 5 {
		o := m.organisation(fmt.Sprintf("Peer %d", i), fmt.Sprintf("PR%d", i), models.KindAcute)
		submittedCycle(t, m.testApp, o, "2025/26", 1.0, map[string]float64{"well-led": 1.0})
		peers = append(peers, o)
	}
	for i, score := range []float64{2.0, 2.5, 3.0, 3.5} {
		submittedCycle(t, m.testApp, peers[i], period, score, map[string]float64{"well-led": score})
	}
	res = m.lead.get(cycle + "/results")
	wantContains(t, res, "Fewer than 5 other acute trusts have submitted for "+period+", so this uses each one",
		"median 2.5, middle half 2.0 to 3.0 (5 organisations)")
	// The fifth peer submits for this period at 4.0: 2.0 2.5 3.0 3.5 4.0,
	// median 3.0, quartiles 2.5 and 3.5, for this period alone.
	submittedCycle(t, m.testApp, peers[4], period, 4.0, map[string]float64{"well-led": 4.0})
	res = m.lead.get(cycle + "/results")
	wantContains(t, res, "Other acute trusts in "+period+": median 3.0, middle half 2.5 to 3.5 (5 organisations)")
	// Well led against the same five: 2.0 2.5 3.0 3.5 4.0.
	if row := sectionCell(res.body, "well-led"); !strings.Contains(row, "median 3.0 (2.5 to 3.5)") {
		t.Errorf("well led benchmark: %s", row)
	}
}

// TestNewCycleCarriesForward: a new cycle starts with the previous cycle's
// assignments (of people still on the board), which stay editable, and
// shows last cycle's agreed level beside each question while answering.
func TestNewCycleCarriesForward(t *testing.T) {
	m := newMaturityApp(t)
	ctx := context.Background()
	carol := m.user(m.org, "carol@home.test", models.RoleBoard)
	last := m.newCycle(t, m.org, "2025/26", time.Now())
	if err := m.store.SetAssignments(ctx, last, map[string][]uint{"well-led": {m.annID, m.bobID, carol.ID}, "smart-foundations": {m.annID}}, 0); err != nil {
		t.Fatal(err)
	}
	four := 4
	for _, id := range []uint{m.annID, m.bobID} {
		u, _ := m.store.UserByID(ctx, id)
		if err := m.store.SaveAnswers(ctx, last, u, "well-led", []models.MaturityAnswer{{QuestionCode: "well-led-1", Level: &four, Evidence: "x"}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.store.SaveAgreed(ctx, last, []models.AgreedChange{{SectionCode: "well-led", QuestionCode: "well-led-1", Level: &four}}, 0); err != nil {
		t.Fatal(err)
	}
	last, _ = m.store.CycleInOrganisation(ctx, m.org.ID, last.ID)
	if err := m.store.SubmitCycle(ctx, last, fixedCycleScores(map[string]float64{"well-led": 4}, &[]float64{4}[0]), testSignOff, 0); err != nil {
		t.Fatal(err)
	}
	// Carol has left the board since.
	if err := m.store.SetActive(ctx, &carol, false, 0); err != nil {
		t.Fatal(err)
	}

	cycle := m.openCycle(t)
	page := m.lead.get(cycle)
	for _, box := range []string{fmt.Sprintf(`id="assign-well-led-%d" name="assign-well-led" type="checkbox" value="%d" checked`, m.annID, m.annID),
		fmt.Sprintf(`id="assign-well-led-%d" name="assign-well-led" type="checkbox" value="%d" checked`, m.bobID, m.bobID),
		fmt.Sprintf(`id="assign-smart-foundations-%d" name="assign-smart-foundations" type="checkbox" value="%d" checked`, m.annID, m.annID)} {
		if !strings.Contains(page.body, box) {
			t.Errorf("not carried forward: %s", box)
		}
	}
	if a, _ := m.store.Assignments(ctx, cycleID(t, cycle)); len(a) != 3 {
		t.Errorf("%d assignments carried forward, want 3 (Carol left): %+v", len(a), a)
	}
	// Ann sees last cycle's agreed level while answering.
	section := m.ann.get(cycle + "/sections/well-led")
	wantStatus(t, section, http.StatusOK)
	wantContains(t, section, "<strong>Agreed in 2025/26:</strong> Level 4.")
	// The assignments stay editable: Bob is taken off well-led.
	wantStatus(t, m.lead.post(cycle+"/assignments", map[string][]string{"assign-well-led": {itoa(m.annID)}}), http.StatusSeeOther)
	wantStatus(t, m.bob.get(cycle+"/sections/well-led"), http.StatusForbidden)
}
