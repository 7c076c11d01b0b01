package handlers

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"nhs-digital-maturity/models"
)

// testSignOff is the board meeting of tests that submit in the store.
var testSignOff = models.SignOff{MeetingOn: time.Date(2026, 3, 12, 0, 0, 0, 0, time.UTC), Name: "Dr Jane Chair", Role: "Chair"}

// signOff is the confirmation page's form, filled in, for a cycle version
// ("" for the version the server loads).
func signOff(version string) url.Values {
	return url.Values{"version": {version}, "meeting-day": {"12"}, "meeting-month": {"3"}, "meeting-year": {"2026"},
		"signed-off-by": {"Dr Jane Chair"}, "signed-off-role": {"Chair"}, "reviewed": {"yes"}}
}

// ensureQuorum makes Ann and Bob answer, at level, every question of a
// section that they have not answered, assigning them where needed, so
// that tests about agreeing can agree it.
func (m *maturityApp) ensureQuorum(t testing.TB, cyclePath, section string, level int) {
	t.Helper()
	ctx := context.Background()
	id, err := strconv.ParseUint(cycleLocation.FindStringSubmatch(cyclePath)[1], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	cycle, err := m.store.CycleInOrganisation(ctx, m.org.ID, uint(id))
	if err != nil {
		t.Fatal(err)
	}
	if cycle.Locked() {
		return
	}
	assignments, err := m.store.Assignments(ctx, cycle.ID)
	if err != nil {
		t.Fatal(err)
	}
	ids := []uint{}
	for _, a := range assignments {
		if a.SectionCode == section {
			ids = append(ids, a.UserID)
		}
	}
	for _, want := range []uint{m.annID, m.bobID} {
		if !slices.Contains(ids, want) {
			ids = append(ids, want)
		}
	}
	if err := m.store.SetAssignments(ctx, cycle, map[string][]uint{section: ids}, 0); err != nil {
		t.Fatal(err)
	}
	sec, _ := m.fw.Section(section)
	for _, member := range []uint{m.annID, m.bobID} {
		u, err := m.store.UserByID(ctx, member)
		if err != nil {
			t.Fatal(err)
		}
		have, err := m.store.AnswersBy(ctx, cycle.ID, member)
		if err != nil {
			t.Fatal(err)
		}
		var answers []models.MaturityAnswer
		for _, q := range sec.Questions {
			if a, ok := have[q.Code]; ok && a.Level != nil {
				continue
			}
			l := level
			answers = append(answers, models.MaturityAnswer{QuestionCode: q.Code, Level: &l, Evidence: "Test evidence"})
		}
		if len(answers) > 0 {
			if err := m.store.SaveAnswers(ctx, cycle, u, section, answers); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// openCycleWithQuorum opens a cycle through the form with a quorum.
func (m *maturityApp) openCycleWithQuorum(t *testing.T, quorum string) string {
	t.Helper()
	due := time.Now().AddDate(0, 4, 0)
	res := m.lead.post("/maturity/cycles", url.Values{
		"period": {periods(time.Now())[1].Value}, "framework": {m.fw.Code + "@" + m.fw.Version},
		"due-day": {strconv.Itoa(due.Day())}, "due-month": {strconv.Itoa(int(due.Month()))}, "due-year": {strconv.Itoa(due.Year())},
		"quorum": {quorum},
	})
	wantStatus(t, res, http.StatusSeeOther)
	return res.location()
}

// TestAgreeingNeedsQuorum: a question's level can be agreed only once the
// cycle's quorum of assigned board members has answered it; the review
// page says how many answered and who has not yet.
func TestAgreeingNeedsQuorum(t *testing.T) {
	m := newMaturityApp(t)
	ctx := context.Background()

	// The quorum is set when the cycle opens: never below 1.
	due := time.Now().AddDate(0, 4, 0)
	res := m.lead.post("/maturity/cycles", url.Values{"period": {periods(time.Now())[1].Value},
		"framework": {m.fw.Code + "@" + m.fw.Version}, "due-day": {strconv.Itoa(due.Day())},
		"due-month": {strconv.Itoa(int(due.Month()))}, "due-year": {strconv.Itoa(due.Year())}, "quorum": {"0"}})
	wantRefused(t, res, "The quorum must be a whole number from 1 to 20", `href="#quorum"`, `name="quorum" type="text" value="0"`)

	cycle := m.openCycleWithQuorum(t, "2")
	wantContains(t, m.lead.get(cycle), "2 board members must answer a question before its level can be agreed")
	wantStatus(t, m.lead.post(cycle+"/assignments", url.Values{"assign-well-led": {itoa(m.annID), itoa(m.bobID)}}), http.StatusSeeOther)
	form := m.sectionForm("well-led", 3, "Board minutes")
	form.Set("next", "later")
	wantStatus(t, m.ann.post(cycle+"/sections/well-led", form), http.StatusSeeOther)

	review := m.lead.get(cycle + "/review/well-led")
	wantContains(t, review, "No quorum yet", "1 of the 2 assigned board members needed has answered.",
		"Not yet answered: Person bob@home.test.")

	agree := url.Values{"agreed-well-led-1": {"3"}, "note-well-led-1": {"Discussed in March"}, "target": {""}}
	res = m.lead.post(cycle+"/review/well-led", agree)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, "There is a problem",
		"You cannot agree a level for board-owned digital and data strategy yet: 1 of the 2 board members needed has answered it. Still to answer: Person bob@home.test",
		`value="3" aria-describedby="agreed-well-led-1-3-hint" checked`, "Discussed in March")
	if agreed, _ := m.store.Agreed(ctx, cycleID(t, cycle)); len(agreed) != 0 {
		t.Errorf("a level was agreed without quorum: %+v", agreed)
	}

	// Once Bob has answered too, the same form is saved.
	wantStatus(t, m.bob.post(cycle+"/sections/well-led", form), http.StatusSeeOther)
	wantContains(t, m.lead.get(cycle+"/review/well-led"), "Quorum reached", "2 of the 2 assigned board members needed have answered.")
	wantStatus(t, m.lead.post(cycle+"/review/well-led", agree), http.StatusSeeOther)
	if agreed, _ := m.store.Agreed(ctx, cycleID(t, cycle)); agreed["well-led-1"].Level == nil {
		t.Error("the level was not agreed once the quorum answered")
	}
}

// TestSignOffIsRecordedAndReported: submitting goes through a page that
// lists what is weak and records the board meeting that approved it; the
// results page and the report show it, with how many board members
// answered each measure.
func TestSignOffIsRecordedAndReported(t *testing.T) {
	needPoppler(t)
	m := newMaturityApp(t)
	ctx := context.Background()
	cycle := m.openCycleWithQuorum(t, "1")
	// Well led: Ann alone answers, so every question rests on one answer.
	wantStatus(t, m.lead.post(cycle+"/assignments", url.Values{"assign-well-led": {itoa(m.annID)}}), http.StatusSeeOther)
	form := m.sectionForm("well-led", 3, "Board minutes")
	form.Set("next", "later")
	wantStatus(t, m.ann.post(cycle+"/sections/well-led", form), http.StatusSeeOther)
	agree := url.Values{"target": {""}}
	sec, _ := m.fw.Section("well-led")
	for _, q := range sec.Questions {
		agree.Set("agreed-"+q.Code, "3")
	}
	wantStatus(t, m.lead.post(cycle+"/review/well-led", agree), http.StatusSeeOther)
	for _, s := range m.fw.Sections[1:] {
		m.ensureQuorum(t, cycle, s.Code, 3)
	}
	// Bob answers smart-foundations-1 two levels above Ann: a wide spread.
	bob, _ := m.store.UserByID(ctx, m.bobID)
	five := 5
	c, _ := m.store.CycleInOrganisation(ctx, m.org.ID, cycleID(t, cycle))
	if err := m.store.SaveAnswers(ctx, c, bob, "smart-foundations", []models.MaturityAnswer{{QuestionCode: "smart-foundations-1", Level: &five, Evidence: "x"}}); err != nil {
		t.Fatal(err)
	}
	for _, s := range m.fw.Sections[1:] {
		wantStatus(t, m.lead.post(cycle+"/review/"+s.Code, m.agreeForm(t, cycle, s.Code, 3, "")), http.StatusSeeOther)
	}

	page := m.lead.get(cycle + "/submit")
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page, "Questions answered by one board member only (6)", "Wide spreads without a note (1)",
		"Success measures without a target (7)", "board members answered from 3 to 5, and the agreed level has no note")

	// Without the meeting, nothing is submitted.
	res := m.lead.post(cycle+"/submit", url.Values{"version": {hiddenValue(page.body, "version")}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, "Enter the date of the board meeting", "Enter the name of who signed the assessment off",
		"Enter their role", "Confirm that the board has seen what is listed as weak")
	future := signOff("")
	future.Set("meeting-year", strconv.Itoa(time.Now().Year()+1))
	future.Set("signed-off-by", "Dr Jane Chair")
	res = m.lead.post(cycle+"/submit", future)
	wantRefused(t, res, "The date of the board meeting must be today or in the past", `value="Dr Jane Chair"`)
	if c, _ := m.store.CycleInOrganisation(ctx, m.org.ID, cycleID(t, cycle)); c.Locked() {
		t.Fatal("submitted without a sign-off")
	}

	wantStatus(t, m.lead.post(cycle+"/submit", signOff(hiddenValue(page.body, "version"))), http.StatusSeeOther)
	c, _ = m.store.CycleInOrganisation(ctx, m.org.ID, cycleID(t, cycle))
	if !c.Locked() || c.SignedOffBy != "Dr Jane Chair" || c.SignedOffRole != "Chair" || c.BoardMeetingOn == nil || c.BoardMeetingOn.Format("2006-01-02") != "2026-03-12" {
		t.Fatalf("sign-off not recorded: %+v", c)
	}
	want := "Approved by the board meeting of 12 March 2026; signed off by Dr Jane Chair, Chair"
	results := m.lead.get(cycle + "/results")
	wantContains(t, results, want)
	if row := sectionCell(results.body, "well-led"); !strings.Contains(row, "Board members who answered </span>1<") {
		t.Errorf("well-led row lacks 1 board member: %s", row)
	}
	if row := sectionCell(results.body, "safe-practice"); !strings.Contains(row, "Board members who answered </span>2<") {
		t.Errorf("safe-practice row lacks 2 board members: %s", row)
	}
	text := squash(pdfText(t, []byte(m.lead.get(cycle+"/report.pdf").body), 0))
	for _, s := range []string{want, "Board members who answered: 1", "Board members who answered: 2"} {
		if !strings.Contains(text, squash(s)) {
			t.Errorf("report lacks %q", s)
		}
	}
}

// TestReopeningNeedsAReason: reopening asks why; the reason is kept in the
// audit log, on the results page and in the report.
func TestReopeningNeedsAReason(t *testing.T) {
	needPoppler(t)
	m := newMaturityApp(t)
	ctx := context.Background()
	cycle := m.openCycle(t)
	m.agreeAll(t, cycle, 3)
	wantStatus(t, m.lead.post(cycle+"/submit", signOff("")), http.StatusSeeOther)
	version := hiddenValue(m.lead.get(cycle).body, "version")

	res := m.lead.post(cycle+"/reopen", url.Values{"version": {version}, "reason": {"   "}})
	wantRefused(t, res, "Enter why the assessment is being reopened", `href="#reason"`)
	if c, _ := m.store.CycleInOrganisation(ctx, m.org.ID, cycleID(t, cycle)); !c.Locked() {
		t.Fatal("reopened without a reason")
	}
	reason := "The audit committee found the evidence for safe practice out of date"
	wantStatus(t, m.lead.post(cycle+"/reopen", url.Values{"version": {version}, "reason": {reason}}), http.StatusSeeOther)
	log, _ := m.store.AuditLog(ctx, m.org.ID, 500)
	found := false
	for _, e := range log {
		found = found || (e.Action == "maturity.cycle.reopen" && strings.Contains(e.Details, reason))
	}
	if !found {
		t.Error("the audit log lacks the reason")
	}
	wantContains(t, m.lead.get(cycle+"/results"), reason)
	// Submitted again, the report keeps the reason.
	wantStatus(t, m.lead.post(cycle+"/submit", signOff("")), http.StatusSeeOther)
	wantContains(t, m.lead.get(cycle+"/results"), reason)
	if text := squash(pdfText(t, []byte(m.lead.get(cycle+"/report.pdf").body), 0)); !strings.Contains(text, squash(reason)) {
		t.Error("the report lacks the reason for reopening")
	}
}

// TestBoardMembersReadSubmittedResults: a board member reads the results
// and downloads the board report of a submitted cycle, and is offered no
// link they cannot follow.
func TestBoardMembersReadSubmittedResults(t *testing.T) {
	m := newMaturityApp(t)
	cycle := m.openCycle(t)
	m.agreeAll(t, cycle, 3)
	draft := m.ann.get(cycle + "/results")
	wantStatus(t, draft, http.StatusOK)
	for _, link := range []string{cycle + "/report.pdf", cycle + "/actions", cycle + "/export.xlsx"} {
		if strings.Contains(draft.body, `href="`+link) {
			t.Errorf("a board member is offered %s of a draft", link)
		}
	}
	wantStatus(t, m.ann.get(cycle+"/report.pdf"), http.StatusForbidden)

	wantStatus(t, m.lead.post(cycle+"/submit", signOff("")), http.StatusSeeOther)
	// Carol is on the board but was never assigned: she reads it too.
	carol := m.signedInAs(m.org, "carol@home.test", models.RoleBoard)
	for _, c := range []*client{m.ann, carol} {
		list := c.get("/maturity/cycles")
		wantContains(t, list, `href="`+cycle+`/results"`, `href="`+cycle+`/report.pdf"`)
		page := c.get(cycle + "/results")
		wantStatus(t, page, http.StatusOK)
		wantContains(t, page, `href="`+cycle+`/report.pdf"`, "Approved by the board meeting of 12 March 2026")
		for _, link := range []string{cycle + "/actions", cycle + "/export.xlsx", cycle + "/results.csv"} {
			if strings.Contains(page.body, `href="`+link) {
				t.Errorf("a board member is offered %s, which answers 403", link)
			}
		}
		res := c.get(cycle + "/report.pdf")
		wantStatus(t, res, http.StatusOK)
		if ct := res.header.Get("Content-Type"); ct != "application/pdf" {
			t.Errorf("report Content-Type %q", ct)
		}
	}
}
