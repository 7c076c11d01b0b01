package handlers

import (
	"net/http"
	"strings"
	"testing"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
)

// completeSkills takes a whole attempt with the same ratings everywhere.
func completeSkills(t *testing.T, c *client, fw *assessments.Framework, now, need int) {
	t.Helper()
	wantStatus(t, c.post("/skills/start", nil), http.StatusSeeOther)
	for _, sec := range fw.Sections {
		wantStatus(t, c.post("/skills/domains/"+sec.Code, domainForm(fw, sec.Code, now, need, "continue")), http.StatusSeeOther)
	}
	wantStatus(t, c.post("/skills/submit", nil), http.StatusSeeOther)
}

// A retake can start from the last attempt's answers, or afresh; only the
// person's own answers are ever copied.
func TestSkillsRetakeFromLastAnswers(t *testing.T) {
	app := newTestApp(t)
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	app.user(org, "staff@home.test", models.RoleStaff)
	app.user(org, "other@home.test", models.RoleStaff)
	fw, _ := app.server.frameworks.Latest(assessments.KindSkills)
	first := fw.Sections[0]
	q := first.Questions[0].Code

	// Someone else's later attempt, which must never be copied.
	other := app.signedIn("other@home.test")
	completeSkills(t, other, fw, 4, 4)

	c := app.signedIn("staff@home.test")
	start := c.get("/skills")
	if strings.Contains(start.body, "Start from your last answers") {
		t.Fatal("a first attempt is offered last answers")
	}
	completeSkills(t, c, fw, 2, 3)
	completeSkills(t, other, fw, 1, 1)

	start = c.get("/skills")
	wantContains(t, start, "Start from your last answers", "Start afresh")

	res := c.post("/skills/start", map[string][]string{"from": {"last"}})
	wantStatus(t, res, http.StatusSeeOther)
	page := c.get(res.location())
	wantContains(t, page,
		`id="now-`+q+`-2" name="now-`+q+`" type="radio" value="2" checked`,
		`id="need-`+q+`-3" name="need-`+q+`" type="radio" value="3" checked`)
	check := c.get("/skills/check")
	if strings.Contains(check.body, "still need an answer") || strings.Contains(check.body, "Not answered") {
		t.Errorf("pre-filled attempt has gaps on the check page")
	}
	// The copy is a new attempt: submitting it leaves two completed.
	wantStatus(t, c.post("/skills/submit", nil), http.StatusSeeOther)
	wantContains(t, c.get("/skills"), "completed the self-assessment 2 times")

	// Afresh: nothing pre-filled.
	res = c.post("/skills/start", map[string][]string{"from": {"afresh"}})
	wantStatus(t, res, http.StatusSeeOther)
	page = c.get(res.location())
	if strings.Contains(page.body, `name="now-`+q+`" type="radio" value="2" checked`) {
		t.Error("a fresh attempt is pre-filled")
	}
}
