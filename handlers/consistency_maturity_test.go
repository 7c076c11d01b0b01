package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
)

// agreeAll agrees every section of a cycle at one level.
func (m *maturityApp) agreeAll(t *testing.T, cycle string, level int) {
	t.Helper()
	for _, sec := range m.fw.Sections {
		wantStatus(t, m.lead.post(cycle+"/review/"+sec.Code, m.agreeForm(t, cycle, sec.Code, level, "")), http.StatusSeeOther)
	}
}

// TestCycleSubmissionRefusesLevelsChangedSinceShown: a lead submits from a
// cycle page loaded before a colleague changed an agreed level: refused as
// a conflict, nothing submitted.
func TestCycleSubmissionRefusesLevelsChangedSinceShown(t *testing.T) {
	m := newMaturityApp(t)
	second := m.signedInAs(m.org, "lead2@home.test", models.RoleLead)
	cycle := m.openCycle(t)
	m.agreeAll(t, cycle, 3)

	page := m.lead.get(cycle + "/submit")
	version := hiddenValue(page.body, "version")
	if version == "" {
		t.Fatal("no version on the cycle page")
	}
	form := url.Values{"target": {""}}
	review := second.get(cycle + "/review/well-led")
	sec, _ := m.fw.Section("well-led")
	for _, q := range sec.Questions {
		form.Set("agreed-"+q.Code, "3")
		form.Set("version-"+q.Code, hiddenValue(review.body, "version-"+q.Code))
	}
	form.Set("agreed-well-led-1", "1")
	wantStatus(t, second.post(cycle+"/review/well-led", form), http.StatusSeeOther)

	res := m.lead.post(cycle+"/submit", signOff(version))
	wantStatus(t, res, http.StatusConflict)
	wantContains(t, res, "changed this assessment while you were looking at it")
	c, _ := m.store.CycleInOrganisation(context.Background(), m.org.ID, cycleID(t, cycle))
	if c.Locked() {
		t.Error("a submission from a stale page went through")
	}
}

// TestCycleSubmissionRacingAgreedSaves: submissions racing agreed-level
// saves from a second lead never store scores other than those of the
// agreed levels stored.
func TestCycleSubmissionRacingAgreedSaves(t *testing.T) {
	m := newMaturityApp(t)
	ctx := context.Background()
	second := m.signedInAs(m.org, "lead2@home.test", models.RoleLead)
	cycle := m.openCycle(t)
	id := cycleID(t, cycle)
	m.agreeAll(t, cycle, 3)
	submittedRounds := 0
	for round := range 20 {
		section := m.fw.Sections[round%len(m.fw.Sections)]
		version := hiddenValue(m.lead.get(cycle+"/submit").body, "version")
		form := m.agreeForm(t, cycle, section.Code, 1+round%5, "")
		var wg sync.WaitGroup
		start := make(chan struct{})
		var submitted, saved response
		wg.Add(2)
		go func() {
			defer wg.Done()
			<-start
			submitted = m.lead.post(cycle+"/submit", signOff(version))
		}()
		go func() { defer wg.Done(); <-start; saved = second.post(cycle+"/review/"+section.Code, form) }()
		close(start)
		wg.Wait()
		if submitted.status >= 500 || saved.status >= 500 {
			t.Fatalf("round %d: submit %d, save %d", round, submitted.status, saved.status)
		}
		c, err := m.store.CycleInOrganisation(ctx, m.org.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		if !c.Locked() {
			continue
		}
		submittedRounds++
		agreed, _ := m.store.Agreed(ctx, id)
		want := assessments.ScoreFramework(m.fw, agreedLevels(agreed))
		stored, _ := m.store.SectionScores(ctx, id)
		for _, sc := range want.Sections {
			if got, ok := stored[sc.Code]; !ok || !near(got, sc.Score) {
				t.Errorf("round %d: %s stored %.3f, agreed levels give %.3f", round, sc.Code, got, sc.Score)
			}
		}
		if c.OverallScore == nil || !near(*c.OverallScore, want.Overall) {
			t.Errorf("round %d: overall stored %s, agreed levels give %.3f", round, scoreText(c.OverallScore), want.Overall)
		}
		if err := m.store.ReopenCycle(ctx, c, "A test reopens it", 0); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d of 20 rounds submitted", submittedRounds)
}

// TestStaleTargetIsAConflict: a target saved from a page loaded before a
// colleague changed it is refused, both values shown, the stored one kept
// and pre-filled.
func TestStaleTargetIsAConflict(t *testing.T) {
	m := newMaturityApp(t)
	second := m.signedInAs(m.org, "lead2@home.test", models.RoleLead)
	cycle := m.openCycle(t)

	first := m.agreeForm(t, cycle, "well-led", 3, "4")
	stale := m.agreeForm(t, cycle, "well-led", 3, "2")
	wantStatus(t, m.lead.post(cycle+"/review/well-led", first), http.StatusSeeOther)
	res := second.post(cycle+"/review/well-led", stale)
	wantStatus(t, res, http.StatusConflict)
	wantContains(t, res, "Someone else changed the target", "It is now: level 4", "You chose: level 2",
		`<option value="4" selected>`)
	targets, _ := m.store.Targets(context.Background(), cycleID(t, cycle))
	if targets["well-led"] != 4 {
		t.Errorf("stored target %d, want the colleague's 4", targets["well-led"])
	}
	// Saving the re-shown page as it is keeps the colleague's target.
	again := url.Values{"target": {hiddenSelected(res.body, "target")}, "target-version": {hiddenValue(res.body, "target-version")}}
	sec, _ := m.fw.Section("well-led")
	for _, q := range sec.Questions {
		again.Set("agreed-"+q.Code, hiddenValueChecked(res.body, "agreed-"+q.Code))
		again.Set("version-"+q.Code, hiddenValue(res.body, "version-"+q.Code))
	}
	wantStatus(t, second.post(cycle+"/review/well-led", again), http.StatusSeeOther)
	targets, _ = m.store.Targets(context.Background(), cycleID(t, cycle))
	if targets["well-led"] != 4 {
		t.Errorf("after saving the re-shown page the target is %d, want 4", targets["well-led"])
	}
}

// hiddenSelected returns the selected option of a select.
func hiddenSelected(body, name string) string {
	start := strings.Index(body, `name="`+name+`"`)
	if start < 0 {
		return ""
	}
	rest := body[start:]
	rest = rest[:strings.Index(rest, "</select>")]
	i := strings.Index(rest, " selected>")
	if i < 0 {
		return ""
	}
	j := strings.LastIndex(rest[:i], `value="`)
	v := rest[j+len(`value="`):]
	return v[:strings.Index(v, `"`)]
}

// TestReviewSavesLevelsAndTargetTogether: when the target cannot be
// written, the agreed levels of the same form are not written either.
func TestReviewSavesLevelsAndTargetTogether(t *testing.T) {
	m := newMaturityApp(t)
	cycle := m.openCycle(t)
	// A fault in the database: every write of a target fails.
	ctx := context.Background()
	var err error
	if m.store.Dialect() == models.Postgres {
		err = m.store.Exec(ctx, `CREATE FUNCTION refuse_target() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'target refused'; END $$ LANGUAGE plpgsql`)
		if err == nil {
			err = m.store.Exec(ctx, `CREATE TRIGGER refuse_target BEFORE INSERT OR UPDATE ON maturity_targets FOR EACH ROW EXECUTE FUNCTION refuse_target()`)
		}
	} else {
		err = m.store.Exec(ctx, `CREATE TRIGGER refuse_target_insert BEFORE INSERT ON maturity_targets BEGIN SELECT RAISE(ABORT, 'target refused'); END`)
		if err == nil {
			err = m.store.Exec(ctx, `CREATE TRIGGER refuse_target_update BEFORE UPDATE ON maturity_targets BEGIN SELECT RAISE(ABORT, 'target refused'); END`)
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	res := m.lead.post(cycle+"/review/well-led", m.agreeForm(t, cycle, "well-led", 3, "4"))
	if res.status != http.StatusInternalServerError {
		t.Errorf("status %d, want 500 for the database fault", res.status)
	}
	agreed, _ := m.store.Agreed(ctx, cycleID(t, cycle))
	if len(agreed) != 0 {
		t.Errorf("%d agreed levels stored although the target in the same form failed", len(agreed))
	}
}

// TestAgreedLevelConflictShowsBothAndPrefillsTheStored: after a conflict
// the form shows what this person chose and what is stored, and is
// pre-filled with what is stored, so that "Save" does not undo the
// colleague's change.
func TestAgreedLevelConflictShowsBothAndPrefillsTheStored(t *testing.T) {
	m := newMaturityApp(t)
	second := m.signedInAs(m.org, "lead2@home.test", models.RoleLead)
	cycle := m.openCycle(t)

	first := m.agreeForm(t, cycle, "well-led", 3, "")
	stale := m.agreeForm(t, cycle, "well-led", 3, "")
	stale.Set("agreed-well-led-1", "2")
	stale.Set("note-well-led-1", "My view after the audit")
	wantStatus(t, m.lead.post(cycle+"/review/well-led", first), http.StatusSeeOther)
	res := second.post(cycle+"/review/well-led", stale)
	wantStatus(t, res, http.StatusConflict)
	wantContains(t, res, "It is now: level 3", "You chose: level 2", "My view after the audit",
		`id="agreed-well-led-1-3" name="agreed-well-led-1" type="radio" value="3" aria-describedby="agreed-well-led-1-3-hint" checked`)
	// "Save" on the re-shown page keeps the colleague's level.
	again := url.Values{"target": {""}}
	sec, _ := m.fw.Section("well-led")
	for _, q := range sec.Questions {
		again.Set("agreed-"+q.Code, hiddenValueChecked(res.body, "agreed-"+q.Code))
		again.Set("version-"+q.Code, hiddenValue(res.body, "version-"+q.Code))
	}
	wantStatus(t, second.post(cycle+"/review/well-led", again), http.StatusSeeOther)
	agreed, _ := m.store.Agreed(context.Background(), cycleID(t, cycle))
	if a := agreed["well-led-1"]; a.Level == nil || *a.Level != 3 {
		t.Errorf("saving the re-shown page changed the colleague's level 3 to %v", levelText(a.Level))
	}
	// Choosing their own level again, knowingly, replaces the stored one.
	res = second.get(cycle + "/review/well-led")
	again.Set("version-well-led-1", hiddenValue(res.body, "version-well-led-1"))
	again.Set("agreed-well-led-1", "2")
	wantStatus(t, second.post(cycle+"/review/well-led", again), http.StatusSeeOther)
	agreed, _ = m.store.Agreed(context.Background(), cycleID(t, cycle))
	if a := agreed["well-led-1"]; a.Level == nil || *a.Level != 2 {
		t.Errorf("the knowing second save did not replace the level: %v", levelText(a.Level))
	}
}

func levelText(l *int) string {
	if l == nil {
		return "none"
	}
	return strconv.Itoa(*l)
}

func scoreText(f *float64) string {
	if f == nil {
		return "none"
	}
	return fmt.Sprintf("%.3f", *f)
}

// actionFormOf reads an action's edit page into a form.
func actionFormOf(t *testing.T, c *client, path string) url.Values {
	t.Helper()
	page := c.get(path)
	wantStatus(t, page, http.StatusOK)
	return url.Values{"section": {"well-led"}, "title": {"Publish the digital strategy"}, "owner": {"Chief Information Officer"},
		"status": {models.ActionInProgress}, "version": {hiddenValue(page.body, "version")}}
}

// TestStaleActionEditIsAConflict: an action saved from a page loaded
// before a colleague changed it is refused, both versions shown, the
// stored one kept and pre-filled.
func TestStaleActionEditIsAConflict(t *testing.T) {
	m := newMaturityApp(t)
	second := m.signedInAs(m.org, "lead2@home.test", models.RoleLead)
	cycle := m.openCycle(t)
	wantStatus(t, m.lead.post(cycle+"/actions", url.Values{"section": {"well-led"}, "title": {"Publish the digital strategy"},
		"owner": {"Chief Information Officer"}, "status": {models.ActionNotStarted}}), http.StatusSeeOther)
	actions, _ := m.store.CycleActions(context.Background(), m.org.ID, cycleID(t, cycle))
	if len(actions) != 1 {
		t.Fatalf("%d actions", len(actions))
	}
	path := cycle + "/actions/" + strconv.FormatUint(uint64(actions[0].ID), 10)

	mine, theirs := actionFormOf(t, m.lead, path), actionFormOf(t, second, path)
	mine.Set("progress", "Board approved it in May")
	theirs.Set("owner", "Chief Nursing Information Officer")
	wantStatus(t, m.lead.post(path, mine), http.StatusSeeOther)
	res := second.post(path, theirs)
	wantStatus(t, res, http.StatusConflict)
	wantContains(t, res, "Someone else changed this action while you were editing", "Chief Nursing Information Officer",
		"Board approved it in May", `value="Chief Information Officer"`)
	a, _ := m.store.ActionInOrganisation(context.Background(), m.org.ID, actions[0].ID)
	if a.Owner != "Chief Information Officer" || a.Progress != "Board approved it in May" {
		t.Errorf("the stale edit changed the action: %+v", a)
	}
}

// TestActionChangeMovesTheCycleOn: an action added after the cycle page
// was loaded makes a submission from that page a conflict.
func TestActionChangeMovesTheCycleOn(t *testing.T) {
	m := newMaturityApp(t)
	cycle := m.openCycle(t)
	m.agreeAll(t, cycle, 3)
	version := hiddenValue(m.lead.get(cycle+"/submit").body, "version")
	wantStatus(t, m.lead.post(cycle+"/actions", url.Values{"section": {"well-led"}, "title": {"Publish the digital strategy"},
		"owner": {"Chief Information Officer"}, "status": {models.ActionNotStarted}}), http.StatusSeeOther)
	res := m.lead.post(cycle+"/submit", signOff(version))
	wantStatus(t, res, http.StatusConflict)
	wantStatus(t, m.lead.post(cycle+"/submit", signOff(hiddenValue(m.lead.get(cycle+"/submit").body, "version"))), http.StatusSeeOther)
}
