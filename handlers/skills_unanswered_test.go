package handlers

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
)

// A "need" not yet chosen reads "Not answered", never the first level's
// label ("I have not done this"), wherever the attempt's answers are shown.
func TestSkillsUnansweredNeedNotFirstLevel(t *testing.T) {
	app := newTestApp(t)
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	app.user(org, "staff@home.test", models.RoleStaff)
	fw, _ := app.server.frameworks.Latest(assessments.KindSkills)
	first := fw.Sections[0]
	q := first.Questions[0]
	level1 := fw.ScaleLabel(1)
	c := app.signedIn("staff@home.test")
	wantStatus(t, c.post("/skills/start", nil), http.StatusSeeOther)
	// Now given (level 2), need not, saved for later.
	wantStatus(t, c.post("/skills/domains/"+first.Code, url.Values{"next": {"later"}, "now-" + q.Code: {"2"}}), http.StatusSeeOther)

	check := c.get("/skills/check")
	wantStatus(t, check, http.StatusOK)
	row := regexp.MustCompile(`(?s)<dt class="nhsuk-summary-list__key">` + regexp.QuoteMeta(q.Title) + `</dt>.*?</dd>`).FindString(check.body)
	if !strings.Contains(row, "Role needs: Not answered") || strings.Contains(row, "Role needs: "+level1) {
		t.Errorf("check page row for a need not chosen: %q", row)
	}
	if !strings.Contains(row, "Now: "+fw.ScaleLabel(2)) {
		t.Errorf("check page row lacks the now given: %q", row)
	}
	page := c.get("/skills/domains/" + first.Code)
	if regexp.MustCompile(`name="need-` + q.Code + `" type="radio" value="\d" checked`).MatchString(page.body) {
		t.Error("domain page shows a need chosen that was not")
	}
}
