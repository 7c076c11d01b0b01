package handlers

import (
	"bufio"
	"context"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"nhs-digital-maturity/models"
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

// badTexts are values that break the input rule: a NUL byte, and bytes that
// are not UTF-8 (PostgreSQL refuses both; SQLite would store them raw).
var badTexts = map[string]string{"NUL": "Ann\x00Lee", "invalid UTF-8": "Ann \xff\xfe Lee"}

// TestTextInputRule sends text that breaks the input rule to every kind of
// form: each is refused with a clear error by the field (422, NHS error
// summary) and nothing is stored, on both databases.
func TestTextInputRule(t *testing.T) {
	for kind, bad := range badTexts {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			m := newMaturityApp(t)
			cycle := m.openCycle(t)

			// Signing in, unauthenticated.
			anon := m.client()
			res := anon.post("/sign-in", url.Values{"email": {"lead@home.test" + bad}, "password": {testPassword}})
			wantRefused(t, res, "There is a problem", `href="#email"`, "Email address must not contain")
			res = anon.post("/sign-in", url.Values{"email": {"lead@home.test"}, "password": {testPassword + bad}})
			wantRefused(t, res, `href="#password"`, "Password must not contain")

			// The profile: the error is by the field, what was typed is kept.
			res = m.lead.post("/profile", url.Values{"name": {bad}, "department": {"Ward 1"}})
			wantRefused(t, res, "There is a problem", `href="#name"`, "Your full name must not contain", `id="name-error"`, `value="Ward 1"`, "Ann")
			if u, _ := m.store.UserByEmail(ctx, "lead@home.test"); u.Name != "Person lead@home.test" {
				t.Errorf("name stored as %q", u.Name)
			}
			res = m.lead.post("/profile", url.Values{"name": {"Lead"}, "job-role": {bad}})
			wantRefused(t, res, `href="#job-role"`, "Your job role must not contain")

			// An action.
			res = m.lead.post(cycle+"/actions", url.Values{"section": {"well-led"}, "title": {bad}, "owner": {"CIO"}, "status": {"in-progress"}})
			wantRefused(t, res, `href="#title"`, "What will be done must not contain")
			if n := len(cycleActions(t, m, cycle)); n != 0 {
				t.Errorf("%d actions stored", n)
			}

			// Evidence in a section: nothing of the section is stored.
			wantStatus(t, m.lead.post(cycle+"/assignments", url.Values{"assign-well-led": {itoa(m.annID)}}), http.StatusSeeOther)
			form := m.sectionForm("well-led", 4, "Minutes")
			sec, _ := m.fw.Section("well-led")
			form.Set("evidence-"+sec.Questions[1].Code, bad)
			res = m.ann.post(cycle+"/sections/well-led", form)
			wantRefused(t, res, "There is a problem", "must not contain")
			if answers, _ := m.store.AnswersBy(ctx, cycleID(t, cycle), m.annID); len(answers) != 0 {
				t.Errorf("%d answers stored", len(answers))
			}

			// A note on the review page.
			form = m.agreeForm(t, cycle, "well-led", 3, "4")
			form.Set("note-"+sec.Questions[0].Code, bad)
			res = m.lead.post(cycle+"/review/well-led", form)
			wantRefused(t, res, "must not contain")
			if agreed, _ := m.store.Agreed(ctx, cycleID(t, cycle)); len(agreed) != 0 {
				t.Errorf("%d agreed levels stored", len(agreed))
			}

			// A form without free text, and a query that reaches the database.
			res = m.lead.post(cycle+"/assignments", url.Values{"assign-well-led": {itoa(m.annID) + bad}})
			wantRefused(t, res, "There is a problem", "must not contain")
			res = m.lead.get("/organisation/skills?department=" + url.QueryEscape(bad))
			wantRefused(t, res, "There is a problem", "must not contain")

			// A file name in an upload.
			// (A NUL in a part's header is a malformed body: 400.)
			res = m.lead.upload("/organisation/staff/import", "staff"+bad+".csv", "email,name\nx@home.test,X\n")
			if kind == "NUL" {
				wantStatus(t, res, http.StatusBadRequest)
			} else {
				wantRefused(t, res, "must not contain")
			}
		})
	}
}

func cycleActions(t *testing.T, m *maturityApp, cyclePath string) []models.Action {
	t.Helper()
	actions, err := m.store.CycleActions(context.Background(), m.org.ID, cycleID(t, cyclePath))
	if err != nil {
		t.Fatal(err)
	}
	return actions
}

// TestDuplicatedFormValue: the same assignment twice is a clear 422, not a
// 500 from the unique index.
func TestDuplicatedFormValue(t *testing.T) {
	m := newMaturityApp(t)
	cycle := m.openCycle(t)
	res := m.lead.post(cycle+"/assignments", url.Values{"assign-well-led": {itoa(m.annID), itoa(m.annID)}})
	wantRefused(t, res, "There is a problem", "was sent twice")
	if a, _ := m.store.Assignments(context.Background(), cycleID(t, cycle)); len(a) != 0 {
		t.Errorf("%d assignments stored", len(a))
	}
	wantStatus(t, m.lead.post(cycle+"/assignments", url.Values{"assign-well-led": {itoa(m.annID), itoa(m.bobID)}}), http.StatusSeeOther)
}

// rawRequest writes head and body on a fresh connection, closes the writing
// side and returns the status of the answer.
func rawRequest(t *testing.T, app *testApp, head, body string) int {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(app.http.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, head+"\r\n"+body); err != nil {
		t.Fatal(err)
	}
	conn.(*net.TCPConn).CloseWrite()
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// TestMalformedBodies: a body cut short is a 400 and one too large or with
// too many fields a 413, each with its own page, not "Your form could not be
// sent" (403) from a parse error swallowed on the way to the CSRF check.
func TestMalformedBodies(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	token := c.csrf()
	head := func(length string) string {
		h := "POST /sign-in HTTP/1.1\r\nHost: example.test\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
			"Cookie: " + csrfCookie + "=" + token + "\r\nConnection: close\r\n"
		if length == "chunked" {
			return h + "Transfer-Encoding: chunked\r\n"
		}
		return h + "Content-Length: " + length + "\r\n"
	}
	form := "_csrf=" + token + "&email=a%40b.test&password=x"
	if got := rawRequest(t, app, head("500"), form); got != http.StatusBadRequest {
		t.Errorf("body cut short: status %d, want 400", got)
	}
	many := form + strings.Repeat("&f=1", 20000)
	if got := rawRequest(t, app, head(strconv.Itoa(len(many))), many); got != http.StatusRequestEntityTooLarge {
		t.Errorf("too many fields: status %d, want 413", got)
	}
	some := form + strings.Repeat("&f=1", 1500)
	if got := rawRequest(t, app, head(strconv.Itoa(len(some))), some); got != http.StatusRequestEntityTooLarge {
		t.Errorf("more fields than any form has: status %d, want 413", got)
	}
	big := form + "&f=" + strings.Repeat("x", 3<<20)
	chunked := strconv.FormatInt(int64(len(big)), 16) + "\r\n" + big + "\r\n0\r\n\r\n"
	if got := rawRequest(t, app, head("chunked"), chunked); got != http.StatusRequestEntityTooLarge {
		t.Errorf("body over the limit without a length: status %d, want 413", got)
	}
	res := c.postRaw("/sign-in", url.Values{csrfField: {token}, "email": {"a%zz"}})
	if res.status == http.StatusInternalServerError {
		t.Errorf("status %d", res.status)
	}
	// The pages say what happened.
	req, _ := http.NewRequest(http.MethodPost, app.http.URL+"/sign-in", strings.NewReader(many))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	wantContains(t, c.do(req), "too large")
}

// TestEveryPostRouteKeepsTheInputRule posts a value that breaks the input
// rule to every POST route, as a person who may use them all: none stores
// anything (no redirect) or fails (500); a field form answers 422.
func TestEveryPostRouteKeepsTheInputRule(t *testing.T) {
	ctx := context.Background()
	app, org := newHomeApp(t)
	app.user(org, "all@home.test", models.RoleStaff, models.RoleBoard, models.RoleLead, models.RoleAdmin)
	app.user(org, "staff@home.test", models.RoleStaff)
	app.user(org, "lead@home.test", models.RoleLead)
	app.user(org, "board@home.test", models.RoleBoard)
	c := app.signedIn("all@home.test")
	cycle, action := matrixCycle(t, app, org)
	me, _ := app.store.UserByEmail(ctx, "all@home.test")
	_, imp := matrixSkills(t, app, org, me)
	if err := app.store.SetAssignments(ctx, cycle, map[string][]uint{"well-led": {me.ID}}, 0); err != nil {
		t.Fatal(err)
	}
	inv := models.Invitation{OrganisationID: org.ID, Email: "new@home.test", RoleCodes: "staff",
		TokenHash: app.server.tokenHash("the-invitation-token"), ExpiresAt: time.Now().Add(time.Hour)}
	if err := app.store.CreateInvitation(ctx, &inv, 0); err != nil {
		t.Fatal(err)
	}
	ids := strings.NewReplacer(":token", "the-invitation-token", ":section", "well-led", ":action", itoa(action.ID))
	for _, r := range app.server.Routes() {
		if r.Method != http.MethodPost || r.Path == "/sign-out" {
			continue
		}
		path := r.Path
		switch {
		case strings.HasPrefix(path, "/maturity/cycles/:id"):
			path = strings.Replace(path, ":id", itoa(cycle.ID), 1)
		case strings.HasPrefix(path, "/organisation/staff/imports/:id"):
			path = strings.Replace(path, ":id", itoa(imp.ID), 1)
		case strings.HasPrefix(path, "/admin/organisations/:id"):
			path = strings.Replace(path, ":id", itoa(org.ID), 1)
		case strings.HasPrefix(path, "/accounts/:id"):
			path = strings.Replace(path, ":id", itoa(me.ID), 1)
		}
		path = ids.Replace(path)
		for kind, bad := range badTexts {
			res := c.post(path, url.Values{"name": {"Name " + bad}, "extra": {bad}, "email": {"x@home.test"}})
			want := http.StatusUnprocessableEntity
			if res.status != want {
				t.Errorf("POST %s with %s: status %d, want %d", r.Path, kind, res.status, want)
			}
		}
	}
}

// TestUploadOverTheLimitWithoutLength: a staff file sent without a length
// that goes over the upload limit is a 413, not a 403 or a 400.
func TestUploadOverTheLimitWithoutLength(t *testing.T) {
	app, org := newHomeApp(t)
	c := app.signedInAs(org, "lead@home.test", models.RoleLead)
	var body strings.Builder
	w := multipart.NewWriter(&body)
	w.WriteField(csrfField, c.csrf())
	fw, _ := w.CreateFormFile("file", "staff.csv")
	fw.Write([]byte("email,name\n" + strings.Repeat("someone@home.test,Some One\n", 22<<20/27)))
	w.Close()
	// A reader of unknown length, so the request is sent in chunks.
	req, _ := http.NewRequest(http.MethodPost, app.http.URL+"/organisation/staff/import", io.MultiReader(strings.NewReader(body.String())))
	req.Header.Set("Content-Type", w.FormDataContentType())
	res := c.do(req)
	wantStatus(t, res, http.StatusRequestEntityTooLarge)
	wantContains(t, res, "too large")
}
