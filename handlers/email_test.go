package handlers

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"nhs-digital-maturity/accounts"
	"regexp"
	"strings"
	"testing"
	"time"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/email"
	"nhs-digital-maturity/email/smtptest"
	"nhs-digital-maturity/models"
)

// mailApp is the service with email on, and a real SMTP server started by
// the test that the queue is sent to.
type mailApp struct {
	*testApp
	smtp   *smtptest.Server
	worker *email.Worker
}

func newMailApp(t *testing.T) *mailApp {
	t.Helper()
	app := newTestAppWith(t, func(c *Config) { c.Mail = true })
	srv := smtptest.Start(t, smtptest.Options{})
	sender, err := email.NewSMTP(email.SMTPOptions{URL: srv.URL(), From: "no-reply@service.test", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	w := email.NewWorker(app.store, sender, slog.New(slog.NewTextHandler(io.Discard, nil)))
	return &mailApp{testApp: app, smtp: srv, worker: w}
}

// deliver sends what the queue holds, as the service's sender would.
func (a *mailApp) deliver(t *testing.T) int {
	t.Helper()
	a.worker.Now = func() time.Time { return time.Now().Add(time.Second) }
	n, err := a.worker.RunOnce(context.Background())
	if err != nil {
		t.Fatalf("send the queue: %v", err)
	}
	return n
}

var linkInMail = regexp.MustCompile(`http://example\.test(/\S+)`)

// onlyMessage is the one message to addr, and the path of its link.
func (a *mailApp) onlyMessage(t *testing.T, addr string) (smtptest.Received, string) {
	t.Helper()
	got := a.smtp.To(addr)
	if len(got) != 1 {
		t.Fatalf("%s got %d messages, want 1", addr, len(got))
	}
	m := linkInMail.FindStringSubmatch(got[0].Text)
	if m == nil {
		t.Fatalf("no link in the message to %s:\n%s", addr, got[0].Text)
	}
	return got[0], m[1]
}

// TestImportInvitesByEmail: a lead imports staff and sends the invitations
// by email; each arrives once with a link that sets up the account.
func TestImportInvitesByEmail(t *testing.T) {
	app := newMailApp(t)
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	app.user(org, "lead@home.test", models.RoleLead)
	lead := app.signedIn("lead@home.test")
	path, _ := importFile(t, lead, "email,name,staff group\n"+
		"amy@home.test,Amy Jones,Nursing and Midwifery Registered\n"+
		"ben@home.test,Ben Ode,Allied Health Professionals\n")
	wantStatus(t, confirmImport(t, lead, path), http.StatusSeeOther)
	page := lead.get(path)
	wantContains(t, page, "Send the invitations by email")
	res := lead.post(path+"/email", nil)
	wantStatus(t, res, http.StatusSeeOther)
	wantContains(t, lead.get(res.location()), "2 invitations are being sent by email")
	if n := app.deliver(t); n != 2 {
		t.Fatalf("sent %d, want 2", n)
	}
	msg, link := app.onlyMessage(t, "amy@home.test")
	if !strings.Contains(msg.Subject, "Set up your account") || !strings.Contains(msg.Text, "Home Trust") {
		t.Errorf("invitation: %q\n%s", msg.Subject, msg.Text)
	}
	app.onlyMessage(t, "ben@home.test")

	amy := app.client()
	wantStatus(t, amy.get(link), http.StatusOK)
	res = amy.post(link, url.Values{"name": {"Amy Jones"}, "password": {testPassword}, "confirm-password": {testPassword}})
	wantStatus(t, res, http.StatusSeeOther)
	wantStatus(t, app.signedIn("amy@home.test").get("/skills"), http.StatusOK)
	// The link worked once.
	wantStatus(t, app.client().get(link), http.StatusGone)
}

// TestPasswordResetByEmail: "Forgot your password?" sends a link that sets
// a new password once; the used link, an expired one and an old one are
// refused.
func TestPasswordResetByEmail(t *testing.T) {
	app := newMailApp(t)
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	staff := app.user(org, "amy@home.test", models.RoleStaff)
	signedIn := app.signedIn("amy@home.test")

	c := app.client()
	wantContains(t, c.get("/sign-in"), `href="/password/forgot"`)
	res := c.post("/password/forgot", url.Values{"email": {"Amy@Home.test "}})
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res, "Check your email")
	app.deliver(t)
	msg, link := app.onlyMessage(t, "amy@home.test")
	if msg.Subject != "Reset your password" || !strings.Contains(msg.Text, "1 hour") {
		t.Errorf("reset message: %q\n%s", msg.Subject, msg.Text)
	}

	wantStatus(t, c.get(link), http.StatusOK)
	// A weak password is refused by the same rules as ever.
	res = c.post(link, url.Values{"password": {"short"}, "confirm-password": {"short"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, "nhsuk-error-summary")
	newPassword := "a brand new password for amy"
	res = c.post(link, url.Values{"password": {newPassword}, "confirm-password": {newPassword}})
	wantStatus(t, res, http.StatusSeeOther)
	if res.location() != "/sign-in" {
		t.Errorf("after reset: to %q", res.location())
	}
	// The old password and the sessions it opened are gone.
	if r := signedIn.get("/profile"); r.status != http.StatusSeeOther {
		t.Errorf("a session from before the reset still works: %d", r.status)
	}
	wantStatus(t, app.client().signIn("amy@home.test", testPassword), http.StatusUnprocessableEntity)
	wantStatus(t, app.client().signIn("amy@home.test", newPassword), http.StatusSeeOther)

	// Used: refused, the page says why.
	res = app.client().get(link)
	wantStatus(t, res, http.StatusGone)
	wantContains(t, res, "already been used")
	res = app.client().post(link, url.Values{"password": {"another good password"}, "confirm-password": {"another good password"}})
	wantStatus(t, res, http.StatusGone)

	// Expired: refused.
	ctx := context.Background()
	token := newToken()
	if err := app.store.CreatePasswordReset(ctx, staff, app.server.tokenHash(token), time.Now().Add(-time.Minute), models.ResetIssue{How: "test"}); err != nil {
		t.Fatal(err)
	}
	res = app.client().get("/password/reset/" + token)
	wantStatus(t, res, http.StatusGone)
	wantContains(t, res, "has expired")

	// A newer link ends an older one not yet used.
	app.client().post("/password/forgot", url.Values{"email": {"amy@home.test"}})
	app.client().post("/password/forgot", url.Values{"email": {"amy@home.test"}})
	app.deliver(t)
	got := app.smtp.To("amy@home.test")
	if len(got) != 3 {
		t.Fatalf("amy got %d messages, want 3", len(got))
	}
	older := linkInMail.FindStringSubmatch(got[1].Text)[1]
	wantStatus(t, app.client().get(older), http.StatusGone)
	newer := linkInMail.FindStringSubmatch(got[2].Text)[1]
	wantStatus(t, app.client().get(newer), http.StatusOK)
}

// TestForgotPasswordSameAnswer: the page answers the same for an unknown
// address, a deactivated account and a real one, and is rate-limited
// without saying so.
func TestForgotPasswordSameAnswer(t *testing.T) {
	app := newMailApp(t)
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	app.user(org, "amy@home.test", models.RoleStaff)
	gone := app.user(org, "gone@home.test", models.RoleStaff)
	if err := app.store.SetActive(context.Background(), &gone, false, 0); err != nil {
		t.Fatal(err)
	}
	page := func(addr string) string {
		res := app.client().post("/password/forgot", url.Values{"email": {addr}})
		wantStatus(t, res, http.StatusOK)
		body := strings.ReplaceAll(res.body, addr, "ADDRESS")
		return csrfInPage.ReplaceAllString(body, "")
	}
	known := page("amy@home.test")
	for _, addr := range []string{"nobody@home.test", "gone@home.test", "someone@elsewhere.test"} {
		if got := page(addr); got != known {
			t.Errorf("the answer for %s differs from the one for an account", addr)
		}
	}
	// Past three in an hour, no more email, and the same answer.
	for range 4 {
		if got := page("amy@home.test"); got != known {
			t.Error("the answer past the limit differs")
		}
	}
	app.deliver(t)
	if n := len(app.smtp.To("amy@home.test")); n != accounts.MaxResetsPerEmail {
		t.Errorf("amy got %d messages, want %d (the limit)", n, accounts.MaxResetsPerEmail)
	}
	for _, addr := range []string{"nobody@home.test", "gone@home.test", "someone@elsewhere.test"} {
		if n := len(app.smtp.To(addr)); n != 0 {
			t.Errorf("%s got %d messages", addr, n)
		}
	}
	// An empty address is an error by the field, not a 500.
	res := app.client().post("/password/forgot", url.Values{"email": {""}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, "Enter your email address", `href="#email"`)
}

// TestLeadIssuesResetLink: without email, a digital lead makes a reset
// link for an account of their organisation, shown once and audited; not
// for an administrator's account nor another organisation's.
func TestLeadIssuesResetLink(t *testing.T) {
	app := newTestApp(t)
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	other := app.organisation("Other Trust", "OTH", models.KindAcute)
	app.user(org, "lead@home.test", models.RoleLead)
	amy := app.user(org, "amy@home.test", models.RoleStaff)
	admin := app.user(org, "admin@home.test", models.RoleAdmin)
	stranger := app.user(other, "sam@other.test", models.RoleStaff)
	lead := app.signedIn("lead@home.test")

	// Without email, the forgot page says to ask the lead, and sends nothing.
	wantContains(t, app.client().get("/password/forgot"), "This service does not send email")
	wantContains(t, lead.get(accountURL(amy)), "Make a password reset link")
	res := lead.post(accountURL(amy)+"/reset-link", nil)
	wantStatus(t, res, http.StatusOK)
	m := regexp.MustCompile(`http://example\.test(/password/reset/[A-Za-z0-9_-]+)`).FindStringSubmatch(res.body)
	if m == nil {
		t.Fatalf("no link on the page:\n%s", res.body)
	}
	if res.header.Get("Cache-Control") != "no-store" {
		t.Error("the page with the link may be cached")
	}
	newPassword := "amy's new password from the lead"
	c := app.client()
	wantStatus(t, c.post(m[1], url.Values{"password": {newPassword}, "confirm-password": {newPassword}}), http.StatusSeeOther)
	wantStatus(t, app.client().signIn("amy@home.test", newPassword), http.StatusSeeOther)
	wantContains(t, lead.get("/audit"), "account.password.reset_link", "account.password.reset")

	wantStatus(t, lead.post(accountURL(admin)+"/reset-link", nil), http.StatusForbidden)
	wantStatus(t, lead.post(accountURL(stranger)+"/reset-link", nil), http.StatusNotFound)
}

func accountURL(u models.User) string { return "/accounts/" + itoa(u.ID) }

// TestResetPasswordCommand: the command line's link works like a lead's.
func TestIssueResetLinkForCommandLine(t *testing.T) {
	app := newTestApp(t)
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	app.user(org, "amy@home.test", models.RoleStaff)
	ctx := context.Background()
	link, _, err := IssueResetLink(ctx, app.store, app.server.cfg.SessionKey, "http://example.test/", "AMY@home.test")
	if err != nil {
		t.Fatal(err)
	}
	path := strings.TrimPrefix(link, "http://example.test")
	wantStatus(t, app.client().get(path), http.StatusOK)
	if _, _, err := IssueResetLink(ctx, app.store, app.server.cfg.SessionKey, "http://example.test", "nobody@home.test"); err != ErrNoSuchAccount {
		t.Errorf("unknown address: %v, want ErrNoSuchAccount", err)
	}
}

// TestSkillsRemindersGoToNonCompletersOnly: a reminder run emails exactly
// the staff who have not completed the self-assessment this year, and the
// lead sees a count, never the people, on the page or in the audit log.
func TestSkillsRemindersGoToNonCompletersOnly(t *testing.T) {
	app := newMailApp(t)
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	other := app.organisation("Other Trust", "OTH", models.KindAcute)
	app.user(org, "lead@home.test", models.RoleLead)
	app.user(other, "far@other.test", models.RoleStaff)
	var waiting, done []string
	for i := range 15 {
		addr := "waiting" + itoa(uint(i)) + "@home.test"
		app.user(org, addr, models.RoleStaff)
		waiting = append(waiting, addr)
	}
	for i := range 3 {
		addr := "done" + itoa(uint(i)) + "@home.test"
		completeThisYear(t, app.testApp, app.user(org, addr, models.RoleStaff))
		done = append(done, addr)
	}
	// Not staff, or deactivated: never reminded.
	app.user(org, "board@home.test", models.RoleBoard)
	left := app.user(org, "left@home.test", models.RoleStaff)
	app.store.SetActive(context.Background(), &left, false, 0)

	lead := app.signedIn("lead@home.test")
	wantStatus(t, lead.get("/organisation/reminders"), http.StatusOK)
	// Nothing chosen, nothing confirmed: errors by the fields.
	res := lead.post("/organisation/reminders", url.Values{"kind": {models.RunSkillsReminder}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, `href="#confirm"`)
	res = lead.post("/organisation/reminders", url.Values{"kind": {models.RunSkillsReminder}, "confirm": {"yes"}})
	wantStatus(t, res, http.StatusSeeOther)
	page := lead.get(res.location())
	// 15 non-completers: the lead is told "about 20", rounded as the
	// release rounds the staff invited.
	wantContains(t, page, "Reminders are being sent to about 20 people", "to about 20 people")
	if strings.Contains(page.body, "15 people") {
		t.Error("the lead is told the exact number of staff who have not completed")
	}
	if n := app.deliver(t); n != 15 {
		t.Fatalf("sent %d, want 15", n)
	}
	for _, addr := range waiting {
		if n := len(app.smtp.To(addr)); n != 1 {
			t.Errorf("%s got %d reminders, want 1", addr, n)
		}
	}
	for _, addr := range append(done, "board@home.test", "left@home.test", "far@other.test", "lead@home.test") {
		if n := len(app.smtp.To(addr)); n != 0 {
			t.Errorf("%s got %d reminders, want none", addr, n)
		}
	}
	m := app.smtp.To(waiting[0])[0]
	if !strings.Contains(m.Text, "http://example.test/skills") || strings.Contains(m.Text, "score") {
		t.Errorf("reminder text:\n%s", m.Text)
	}
	// Nobody is named where the lead or an admin can look.
	for _, path := range []string{"/organisation/reminders", "/audit"} {
		body := lead.get(path).body
		for _, addr := range append(waiting, done...) {
			if strings.Contains(body, addr) || strings.Contains(body, "Person "+addr) {
				t.Errorf("%s names %s", path, addr)
			}
		}
	}
	// A second run within the week is refused, and sends nothing.
	res = lead.post("/organisation/reminders", url.Values{"kind": {models.RunSkillsReminder}, "confirm": {"yes"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, "less than 7 days ago")
	// An invitation to everyone is another kind: it goes to all 18 staff.
	res = lead.post("/organisation/reminders", url.Values{"kind": {models.RunSkillsInvite}, "confirm": {"yes"}})
	wantStatus(t, res, http.StatusSeeOther)
	if n := app.deliver(t); n != 18 {
		t.Fatalf("invitations sent %d, want 18", n)
	}
}

// TestSmallReminderCountIsNotShown: a count below the minimum group size
// shows as "fewer than".
func TestSmallReminderCountIsNotShown(t *testing.T) {
	app := newMailApp(t)
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	app.user(org, "lead@home.test", models.RoleLead)
	for i := range 3 {
		app.user(org, "waiting"+itoa(uint(i))+"@home.test", models.RoleStaff)
	}
	lead := app.signedIn("lead@home.test")
	res := lead.post("/organisation/reminders", url.Values{"kind": {models.RunSkillsReminder}, "confirm": {"yes"}})
	wantStatus(t, res, http.StatusSeeOther)
	page := lead.get("/organisation/reminders")
	wantContains(t, page, "fewer than 10 people")
	if strings.Contains(page.body, "to 3 people") {
		t.Error("the exact small count is shown")
	}
}

// completeThisYear completes a self-assessment for u in the current period.
func completeThisYear(t *testing.T, app *testApp, u models.User) {
	t.Helper()
	ctx := context.Background()
	fw, _ := app.server.frameworks.Latest(assessments.KindSkills)
	fv, err := app.store.FrameworkVersionByCode(ctx, fw.Code, fw.Version)
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.store.StartSkillsAssessment(ctx, u, fv.ID)
	if err != nil {
		t.Fatal(err)
	}
	var scores []models.SkillsDomainScore
	for _, sec := range fw.Sections {
		scores = append(scores, models.SkillsDomainScore{DomainCode: sec.Code, Now: 2, Need: 3, Gap: 1})
	}
	if err := app.store.CompleteSkillsAssessment(ctx, a, u, models.FinancialYear(time.Now()), fixedScores(scores)); err != nil {
		t.Fatal(err)
	}
}

// TestAdminEmailPageShowsCountsOnly: the admin page shows the queue's
// counts and its last error, with no address and no message.
func TestAdminEmailPageShowsCountsOnly(t *testing.T) {
	app := newMailApp(t)
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	app.user(org, "admin@home.test", models.RoleAdmin)
	app.user(org, "amy@home.test", models.RoleStaff)
	app.client().post("/password/forgot", url.Values{"email": {"amy@home.test"}})
	app.smtp.Refuse(true)
	app.deliver(t)
	admin := app.signedIn("admin@home.test")
	res := admin.get("/admin/email")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res, "Waiting to be sent", "451")
	if strings.Contains(res.body, "amy@home.test") || strings.Contains(res.body, "/password/reset/") {
		t.Error("the admin page shows a recipient or a message")
	}
}

// TestBoardEmails: a member assigned a section is told; the lead is told
// once when every section is answered; a member with an unanswered
// section is reminded once before the due date.
func TestBoardEmails(t *testing.T) {
	app := newMailApp(t)
	ctx := context.Background()
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	app.user(org, "lead@home.test", models.RoleLead)
	board := app.user(org, "board@home.test", models.RoleBoard)
	late := app.user(org, "late@home.test", models.RoleBoard)
	cycle := app.newCycle(t, org, "2026/27", time.Now().AddDate(0, 0, 5))
	fw, _ := app.server.frameworks.Latest(assessments.KindMaturity)
	codes := fw.SectionCodes()

	lead := app.signedIn("lead@home.test")
	form := url.Values{}
	for _, code := range codes {
		form.Add("assign-"+code, itoa(board.ID))
	}
	form.Add("assign-"+codes[0], itoa(late.ID))
	wantStatus(t, lead.post(cyclePath(cycle, "/assignments"), form), http.StatusSeeOther)
	// Saving again tells nobody twice.
	wantStatus(t, lead.post(cyclePath(cycle, "/assignments"), form), http.StatusSeeOther)
	app.deliver(t)
	if n := len(app.smtp.To("board@home.test")); n != len(codes) {
		t.Errorf("board member got %d messages, want one per section (%d)", n, len(codes))
	}
	if n := len(app.smtp.To("late@home.test")); n != 1 {
		t.Errorf("late got %d messages, want 1", n)
	}

	// Due within a week: both have unanswered sections.
	n, err := app.server.Reminders().SendDue(ctx, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if n != len(codes)+1 {
		t.Errorf("due reminders: %d, want %d", n, len(codes)+1)
	}
	if n, _ := app.server.Reminders().SendDue(ctx, time.Now()); n != 0 {
		t.Errorf("second round of due reminders: %d, want none", n)
	}

	// Every section answered by everyone: the lead is told, once.
	answerAll := func(u models.User, sections []string) {
		for _, code := range sections {
			sec, _ := fw.Section(code)
			f := url.Values{"next": {"continue"}}
			for _, q := range sec.Questions {
				f.Set("level-"+q.Code, "2")
			}
			wantStatus(t, app.signedIn(u.Email).post(cyclePath(cycle, "/sections/", code), f), http.StatusSeeOther)
		}
	}
	answerAll(board, codes)
	app.deliver(t)
	if n := len(app.smtp.To("lead@home.test")); n != 0 {
		t.Fatalf("the lead was told before every member answered")
	}
	answerAll(late, codes[:1])
	answerAll(late, codes[:1])
	app.deliver(t)
	msg, link := app.onlyMessage(t, "lead@home.test")
	if link != cyclePath(cycle) || strings.Contains(msg.Text, "level 2") {
		t.Errorf("all-answered message: link %q\n%s", link, msg.Text)
	}
}
