package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// outsideTheFonts has characters the report fonts cannot draw: an emoji
// (astral), a joined emoji sequence and CJK.
const outsideTheFonts = "😀 👩‍⚕️ 東京"

// TestReportsWithTextOutsideTheFonts downloads the board report and a
// personal report whose names, evidence and actions hold characters the
// fonts cannot draw: both are made, with the rest of the text kept.
func TestReportsWithTextOutsideTheFonts(t *testing.T) {
	needPoppler(t)
	ctx := context.Background()
	m, cycle := reportApp(t)
	m.org.Name = "Home Trust " + outsideTheFonts
	if err := m.store.UpdateOrganisation(ctx, &m.org, 0); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, m.lead.post(cycle+"/assignments", url.Values{"assign-well-led": {itoa(m.annID)}}), http.StatusSeeOther)
	form := m.sectionForm("well-led", 4, "Minutes "+outsideTheFonts+" of March")
	form.Set("next", "later")
	wantStatus(t, m.ann.post(cycle+"/sections/well-led", form), http.StatusSeeOther)
	wantStatus(t, m.lead.post(cycle+"/actions", url.Values{"section": {"well-led"}, "title": {"Plan " + outsideTheFonts + " agreed"},
		"owner": {"Chief 😀 Officer"}, "status": {"in-progress"}}), http.StatusSeeOther)

	res := m.lead.get(cycle + "/report.pdf")
	wantStatus(t, res, http.StatusOK)
	text := squash(pdfText(t, []byte(res.body), 0))
	for _, want := range []string{"Home Trust □ □ □", "Minutes □ □ □ of March", "Plan □ □ □ agreed", "Chief □ Officer"} {
		if !strings.Contains(text, squash(want)) {
			t.Errorf("board report lacks %q\n%s", want, text)
		}
	}

	// A member of staff whose name the fonts cannot wholly draw.
	completedPerson(t, m.testApp, m.org, "emoji@home.test", "Nursing and Midwifery Registered", "Band 5", "Ward 1", 2, 3)
	staff := m.signedIn("emoji@home.test")
	profile := url.Values{"name": {"Ann 😀 Lee 東"}, "staff-group": {"Nursing and Midwifery Registered"}, "pay-band": {"Band 5"}, "department": {"Ward ✓ 1"}}
	wantStatus(t, staff.post("/profile", profile), http.StatusSeeOther)
	u, err := m.store.UserByEmail(ctx, "emoji@home.test")
	if err != nil || u.Name != "Ann 😀 Lee 東" {
		t.Fatalf("name stored as %q (%v): emoji and CJK are valid text and must be kept", u.Name, err)
	}
	res = staff.get("/skills/results/report.pdf")
	wantStatus(t, res, http.StatusOK)
	if text := squash(pdfText(t, []byte(res.body), 0)); !strings.Contains(text, squash("Ann □ Lee □")) {
		t.Errorf("personal report lacks the name with its marks:\n%s", text)
	}
}
