package handlers

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
)

// access is the expected status of one route for each kind of visitor.
// otherLead and otherBoard are a digital lead and a board member of another
// organisation: for anything that belongs to the first organisation they
// must get what a stranger gets.
type access struct{ anon, staff, board, lead, admin, otherLead, otherBoard int }

const (
	ok         = http.StatusOK
	toSignIn   = http.StatusSeeOther // redirect to /sign-in, or after a successful POST
	forbidden  = http.StatusForbidden
	notFound   = http.StatusNotFound
	invalid    = http.StatusUnprocessableEntity
	gone       = http.StatusNotFound // an unknown invitation token
	badRequest = http.StatusBadRequest
)

// authorisationMatrix has one row for every route the server registers.
// POSTs carry a valid CSRF token and an empty form, so a permitted request
// is refused by validation (422) without changing anything, except where the
// row says it succeeds (303). Later issues add their rows here.
var authorisationMatrix = map[string]access{
	"GET /healthz":             {ok, ok, ok, ok, ok, ok, ok},
	"GET /readyz":              {ok, ok, ok, ok, ok, ok, ok},
	"GET /static/*":            {ok, ok, ok, ok, ok, ok, ok},
	"GET /accessibility":       {ok, ok, ok, ok, ok, ok, ok},
	"GET /privacy":             {ok, ok, ok, ok, ok, ok, ok},
	"GET /sign-in":             {ok, toSignIn, toSignIn, toSignIn, toSignIn, toSignIn, toSignIn},
	"POST /sign-in":            {invalid, invalid, invalid, invalid, invalid, invalid, invalid},
	"POST /sign-out":           {toSignIn, toSignIn, toSignIn, toSignIn, toSignIn, toSignIn, toSignIn},
	"GET /invitations/:token":  {gone, gone, gone, gone, gone, gone, gone},
	"POST /invitations/:token": {gone, gone, gone, gone, gone, gone, gone},
	// Single sign-on: an empty form names no organisation; a callback with
	// no state this browser started is refused, for everyone alike.
	"POST /sign-in/sso":         {invalid, invalid, invalid, invalid, invalid, invalid, invalid},
	"GET /sign-in/sso/callback": {badRequest, badRequest, badRequest, badRequest, badRequest, badRequest, badRequest},
	// Password reset: the same for everyone; an unknown link is not found.
	"GET /password/forgot":        {ok, ok, ok, ok, ok, ok, ok},
	"POST /password/forgot":       {invalid, invalid, invalid, invalid, invalid, invalid, invalid},
	"GET /password/reset/:token":  {gone, gone, gone, gone, gone, gone, gone},
	"POST /password/reset/:token": {gone, gone, gone, gone, gone, gone, gone},

	"GET /":          {toSignIn, ok, ok, ok, ok, ok, ok},
	"GET /profile":   {toSignIn, ok, ok, ok, ok, ok, ok},
	"POST /profile":  {toSignIn, invalid, invalid, invalid, invalid, invalid, invalid},
	"GET /password":  {toSignIn, ok, ok, ok, ok, ok, ok},
	"POST /password": {toSignIn, invalid, invalid, invalid, invalid, invalid, invalid},

	"GET /accounts":             {toSignIn, forbidden, forbidden, ok, ok, ok, forbidden},
	"GET /accounts/invite":      {toSignIn, forbidden, forbidden, ok, ok, ok, forbidden},
	"POST /accounts/invite":     {toSignIn, forbidden, forbidden, invalid, invalid, invalid, forbidden},
	"GET /accounts/:id":         {toSignIn, forbidden, forbidden, ok, ok, notFound, forbidden},
	"POST /accounts/:id/roles":  {toSignIn, forbidden, forbidden, invalid, invalid, notFound, forbidden},
	"POST /accounts/:id/active": {toSignIn, forbidden, forbidden, toSignIn, toSignIn, notFound, forbidden},
	// The row above deactivated the target, so a reset link is refused
	// (TestLeadIssuesResetLink covers the link itself).
	"POST /accounts/:id/reset-link":               {toSignIn, forbidden, forbidden, invalid, invalid, notFound, forbidden},
	"GET /audit":                                  {toSignIn, forbidden, forbidden, ok, ok, ok, forbidden},
	"GET /audit.csv":                              {toSignIn, forbidden, forbidden, ok, ok, ok, forbidden},
	"GET /maturity/cycles":                        {toSignIn, forbidden, ok, ok, forbidden, ok, ok},
	"GET /maturity/cycles/new":                    {toSignIn, forbidden, forbidden, ok, forbidden, ok, forbidden},
	"POST /maturity/cycles":                       {toSignIn, forbidden, forbidden, invalid, forbidden, invalid, forbidden},
	"GET /maturity/cycles/:id":                    {toSignIn, forbidden, ok, ok, forbidden, notFound, notFound},
	"POST /maturity/cycles/:id/assignments":       {toSignIn, forbidden, forbidden, toSignIn, forbidden, notFound, forbidden},
	"GET /maturity/cycles/:id/sections/:section":  {toSignIn, forbidden, ok, forbidden, forbidden, notFound, notFound},
	"POST /maturity/cycles/:id/sections/:section": {toSignIn, forbidden, invalid, forbidden, forbidden, notFound, notFound},
	"GET /maturity/cycles/:id/review/:section":    {toSignIn, forbidden, forbidden, ok, forbidden, notFound, forbidden},
	"POST /maturity/cycles/:id/review/:section":   {toSignIn, forbidden, forbidden, toSignIn, forbidden, notFound, forbidden},
	"GET /maturity/cycles/:id/submit":             {toSignIn, forbidden, forbidden, ok, forbidden, notFound, forbidden},
	"POST /maturity/cycles/:id/submit":            {toSignIn, forbidden, forbidden, invalid, forbidden, notFound, forbidden},
	"POST /maturity/cycles/:id/reopen":            {toSignIn, forbidden, forbidden, invalid, forbidden, notFound, forbidden},
	"GET /maturity/cycles/:id/actions":            {toSignIn, forbidden, forbidden, ok, forbidden, notFound, forbidden},
	"POST /maturity/cycles/:id/actions":           {toSignIn, forbidden, forbidden, invalid, forbidden, notFound, forbidden},
	"GET /maturity/cycles/:id/actions/:action":    {toSignIn, forbidden, forbidden, ok, forbidden, notFound, forbidden},
	"POST /maturity/cycles/:id/actions/:action":   {toSignIn, forbidden, forbidden, invalid, forbidden, notFound, forbidden},
	"GET /maturity/cycles/:id/report.pdf":         {toSignIn, forbidden, forbidden, ok, ok, notFound, notFound}, // board: a draft
	"GET /maturity/cycles/:id/results.csv":        {toSignIn, forbidden, forbidden, ok, ok, notFound, forbidden},
	"GET /maturity/cycles/:id/actions.csv":        {toSignIn, forbidden, forbidden, ok, ok, notFound, forbidden},
	"GET /maturity/cycles/:id/export.xlsx":        {toSignIn, forbidden, forbidden, ok, ok, notFound, forbidden},
	"GET /maturity/cycles/:id/results":            {toSignIn, forbidden, ok, ok, forbidden, notFound, notFound},
	// Evidence: uploads by the section's board members; downloads by the
	// lead, admins and the cycle's board members, anyone else 404.
	"POST /maturity/cycles/:id/sections/:section/evidence": {toSignIn, forbidden, invalid, forbidden, forbidden, forbidden, notFound},
	"GET /maturity/cycles/:id/evidence/:doc":               {toSignIn, notFound, ok, ok, ok, notFound, notFound},
	// Advice: asked by the lead or a board member of the question's
	// section; seen and given by the colleague asked (the staff member) only.
	"GET /maturity/cycles/:id/advice/new": {toSignIn, forbidden, ok, ok, forbidden, notFound, notFound},
	"POST /maturity/cycles/:id/advice":    {toSignIn, forbidden, invalid, invalid, forbidden, notFound, notFound},
	"GET /advice/:id":                     {toSignIn, ok, notFound, notFound, notFound, notFound, notFound},
	"POST /advice/:id":                    {toSignIn, invalid, notFound, notFound, notFound, notFound, notFound},

	"GET /skills":                  {toSignIn, ok, forbidden, forbidden, forbidden, forbidden, forbidden},
	"POST /skills/start":           {toSignIn, toSignIn, forbidden, forbidden, forbidden, forbidden, forbidden},
	"GET /skills/domains/:domain":  {toSignIn, ok, forbidden, forbidden, forbidden, forbidden, forbidden},
	"POST /skills/domains/:domain": {toSignIn, invalid, forbidden, forbidden, forbidden, forbidden, forbidden},
	"GET /skills/check":            {toSignIn, ok, forbidden, forbidden, forbidden, forbidden, forbidden},
	"POST /skills/submit":          {toSignIn, invalid, forbidden, forbidden, forbidden, forbidden, forbidden},
	"GET /skills/results":          {toSignIn, toSignIn, forbidden, forbidden, forbidden, forbidden, forbidden},
	// Another person's attempt: not found, even for a colleague.
	"GET /skills/results/:id":        {toSignIn, notFound, forbidden, forbidden, forbidden, forbidden, forbidden},
	"GET /skills/results/report.pdf": {toSignIn, toSignIn, forbidden, forbidden, forbidden, forbidden, forbidden},
	// Another person's report: not found.
	"GET /skills/results/:id/report.pdf": {toSignIn, notFound, forbidden, forbidden, forbidden, forbidden, forbidden},
	"GET /skills/history":                {toSignIn, ok, forbidden, forbidden, forbidden, forbidden, forbidden},

	"GET /organisation/skills":                   {toSignIn, forbidden, forbidden, ok, forbidden, ok, forbidden},
	"GET /organisation/skills/export.csv":        {toSignIn, forbidden, forbidden, ok, forbidden, ok, forbidden},
	"GET /organisation/skills/export.xlsx":       {toSignIn, forbidden, forbidden, ok, forbidden, ok, forbidden},
	"GET /organisation/staff/import":             {toSignIn, forbidden, forbidden, ok, forbidden, ok, forbidden},
	"POST /organisation/staff/import":            {toSignIn, forbidden, forbidden, invalid, forbidden, invalid, forbidden},
	"GET /organisation/staff/imports/:id":        {toSignIn, forbidden, forbidden, ok, forbidden, notFound, forbidden},
	"POST /organisation/staff/imports/:id":       {toSignIn, forbidden, forbidden, toSignIn, forbidden, notFound, forbidden},
	"POST /organisation/staff/imports/:id/links": {toSignIn, forbidden, forbidden, ok, forbidden, notFound, forbidden},
	// Without SMTP_URL, sending by email is refused with a message.
	"POST /organisation/staff/imports/:id/email": {toSignIn, forbidden, forbidden, invalid, forbidden, notFound, forbidden},
	"GET /organisation/reminders":                {toSignIn, forbidden, forbidden, ok, forbidden, ok, forbidden},
	"POST /organisation/reminders":               {toSignIn, forbidden, forbidden, invalid, forbidden, invalid, forbidden},

	"GET /admin/organisations":      {toSignIn, forbidden, forbidden, forbidden, ok, forbidden, forbidden},
	"GET /admin/organisations/new":  {toSignIn, forbidden, forbidden, forbidden, ok, forbidden, forbidden},
	"POST /admin/organisations":     {toSignIn, forbidden, forbidden, forbidden, invalid, forbidden, forbidden},
	"GET /admin/organisations/:id":  {toSignIn, forbidden, forbidden, forbidden, ok, forbidden, forbidden},
	"POST /admin/organisations/:id": {toSignIn, forbidden, forbidden, forbidden, invalid, forbidden, forbidden},
	// An organisation's single sign-on settings: platform admins only.
	"GET /admin/organisations/:id/sign-in":  {toSignIn, forbidden, forbidden, forbidden, ok, forbidden, forbidden},
	"POST /admin/organisations/:id/sign-in": {toSignIn, forbidden, forbidden, forbidden, invalid, forbidden, forbidden},
	// The national workforce view: platform admins only, never a lead.
	"GET /admin/skills": {toSignIn, forbidden, forbidden, forbidden, ok, forbidden, forbidden},
	// The email queue: counts only, for platform admins.
	"GET /admin/email":        {toSignIn, forbidden, forbidden, forbidden, ok, forbidden, forbidden},
	"POST /admin/email/retry": {toSignIn, forbidden, forbidden, forbidden, toSignIn, forbidden, forbidden},
}

// TestAuthorisationMatrix walks every registered route with every role and
// with a user of another organisation.
func TestAuthorisationMatrix(t *testing.T) {
	app := newTestApp(t)
	home := app.organisation("Home Trust", "HOM", models.KindAcute)
	other := app.organisation("Other Trust", "OTH", models.KindAcute)
	app.user(home, "staff@home.test", models.RoleStaff)
	homeBoard := app.user(home, "board@home.test", models.RoleBoard)
	app.user(home, "lead@home.test", models.RoleLead)
	app.user(home, "admin@home.test", models.RoleAdmin)
	app.user(other, "lead@other.test", models.RoleLead)
	app.user(other, "board@other.test", models.RoleBoard)
	// The account that account routes act on: nobody signs in with it.
	target := app.user(home, "target@home.test", models.RoleStaff)
	// A cycle of the home organisation with one section assigned to its
	// board member, and one action.
	cycle, action := matrixCycle(t, app, home)
	doc, advice := matrixBoardItems(t, app, cycle, homeBoard)
	// The staff member has an attempt in progress; the target account has a
	// completed one, which nobody else may open; the lead has an import.
	othersAttempt, imp := matrixSkills(t, app, home, target)

	params := map[string]string{
		":id":      strconv.FormatUint(uint64(target.ID), 10),
		":token":   "not-a-real-invitation-token",
		":section": "well-led",
		":domain":  "data-information",
		":action":  strconv.FormatUint(uint64(action.ID), 10),
		":doc":     strconv.FormatUint(uint64(doc.ID), 10),
		"*":        "app/app.js",
	}
	// Organisation routes use the home organisation's id.
	orgID := strconv.FormatUint(uint64(home.ID), 10)

	var routes []string
	for _, r := range app.server.Routes() {
		if r.Method == echo.RouteNotFound {
			continue
		}
		key := r.Method + " " + r.Path
		if _, ok := authorisationMatrix[key]; !ok {
			t.Errorf("route %s has no row in the authorisation matrix: add one", key)
			continue
		}
		routes = append(routes, key)
	}
	// Sign-out ends the client's session, so it goes last.
	sort.Slice(routes, func(i, j int) bool {
		return routes[j] == "POST /sign-out" || (routes[i] != "POST /sign-out" && routes[i] < routes[j])
	})

	visitors := []struct {
		name   string
		client *client
		want   func(access) int
	}{
		{"anonymous", app.client(), func(a access) int { return a.anon }},
		{"staff", app.signedIn("staff@home.test"), func(a access) int { return a.staff }},
		{"board", app.signedIn("board@home.test"), func(a access) int { return a.board }},
		{"lead", app.signedIn("lead@home.test"), func(a access) int { return a.lead }},
		{"admin", app.signedIn("admin@home.test"), func(a access) int { return a.admin }},
		{"other organisation's lead", app.signedIn("lead@other.test"), func(a access) int { return a.otherLead }},
		{"other organisation's board member", app.signedIn("board@other.test"), func(a access) int { return a.otherBoard }},
	}
	for _, key := range routes {
		method, path, _ := strings.Cut(key, " ")
		if strings.HasPrefix(path, "/admin/organisations/:id") {
			path = strings.Replace(path, ":id", orgID, 1)
		}
		if strings.HasPrefix(path, "/skills/results/:id") || strings.HasPrefix(path, "/skills/results/:id/report.pdf") {
			path = strings.Replace(path, ":id", strconv.FormatUint(uint64(othersAttempt.ID), 10), 1)
		}
		if strings.HasPrefix(path, "/organisation/staff/imports/:id") {
			path = strings.Replace(path, ":id", strconv.FormatUint(uint64(imp.ID), 10), 1)
		}
		if strings.HasPrefix(path, "/maturity/cycles/:id") {
			path = strings.Replace(path, ":id", strconv.FormatUint(uint64(cycle.ID), 10), 1)
		}
		if strings.HasPrefix(path, "/advice/:id") {
			path = strings.Replace(path, ":id", strconv.FormatUint(uint64(advice.ID), 10), 1)
		}
		if key == "GET /maturity/cycles/:id/advice/new" {
			path += "?question=well-led-1"
		}
		for k, v := range params {
			path = strings.Replace(path, k, v, 1)
		}
		for _, v := range visitors {
			want := v.want(authorisationMatrix[key])
			var res response
			if method == http.MethodGet {
				res = v.client.get(path)
			} else {
				form := url.Values{}
				for k, vals := range matrixForms(key, homeBoard.ID) {
					form[k] = vals
				}
				// Confirming an import needs the plan its preview shows.
				if key == "POST /organisation/staff/imports/:id" {
					if m := planInPage.FindStringSubmatch(v.client.get(path).body); m != nil {
						form.Set("plan", m[1])
					}
				}
				res = v.client.post(path, form)
			}
			if res.status != want {
				t.Errorf("%s %s as %s: status %d, want %d", method, path, v.name, res.status, want)
			}
			if res.status == toSignIn && want == toSignIn && v.name == "anonymous" && method == http.MethodGet &&
				!strings.HasPrefix(res.location(), "/sign-in") {
				t.Errorf("%s %s as anonymous redirects to %q, want the sign-in page", method, path, res.location())
			}
			if strings.Contains(res.body, "Person target@home.test") && (want == forbidden || want == notFound) {
				t.Errorf("%s %s as %s shows the target account's name", method, path, v.name)
			}
		}
	}
}

// TestOtherOrganisationCannotSeeAccounts checks the content, not only the
// status: a lead's account list never shows another organisation's people.
func TestOtherOrganisationCannotSeeAccounts(t *testing.T) {
	app := newTestApp(t)
	home := app.organisation("Home Trust", "HOM", models.KindAcute)
	other := app.organisation("Other Trust", "OTH", models.KindAcute)
	app.user(home, "staff@home.test", models.RoleStaff)
	app.user(other, "lead@other.test", models.RoleLead)

	c := app.signedIn("lead@other.test")
	res := c.get("/accounts")
	wantStatus(t, res, http.StatusOK)
	if strings.Contains(res.body, "staff@home.test") {
		t.Error("another organisation's account is listed")
	}
	// A lead cannot switch organisation with the admin's parameter.
	res = c.get("/accounts?organisation=" + strconv.FormatUint(uint64(home.ID), 10))
	wantStatus(t, res, http.StatusOK)
	if strings.Contains(res.body, "staff@home.test") {
		t.Error("the organisation parameter let a lead see another organisation")
	}
	res = c.get("/audit?organisation=" + strconv.FormatUint(uint64(home.ID), 10))
	if strings.Contains(res.body, "HOM") || strings.Contains(res.body, "staff@home.test") {
		t.Error("the organisation parameter let a lead see another organisation's audit log")
	}
	res = c.get("/audit.csv?organisation=" + strconv.FormatUint(uint64(home.ID), 10))
	if strings.Contains(res.body, "HOM") || strings.Contains(res.body, "staff@home.test") {
		t.Error("the organisation parameter let a lead export another organisation's audit log")
	}
}

// matrixCycle opens a cycle in org, assigns its first section to the
// organisation's board member and adds an action.
func matrixCycle(t *testing.T, app *testApp, org models.Organisation) (models.MaturityCycle, models.Action) {
	t.Helper()
	ctx := context.Background()
	cycle := app.newCycle(t, org, "2026/27", time.Now().AddDate(0, 3, 0))
	board, err := app.store.UserByEmail(ctx, "board@home.test")
	if err != nil {
		t.Fatal(err)
	}
	if err := app.store.SetAssignments(ctx, cycle, map[string][]uint{"well-led": {board.ID}}, 0); err != nil {
		t.Fatal(err)
	}
	action := models.Action{OrganisationID: org.ID, CycleID: &cycle.ID, SectionCode: "well-led", Title: "An action",
		Owner: "Someone", Status: models.ActionNotStarted}
	if err := app.store.SaveAction(ctx, &action, 0); err != nil {
		t.Fatal(err)
	}
	return cycle, action
}

// matrixForms are the POST bodies that must not change what later rows
// rely on: saving assignments keeps the board member on the first section.
func matrixForms(route string, boardID uint) url.Values {
	switch route {
	case "POST /maturity/cycles/:id/assignments":
		return url.Values{"assign-well-led": {strconv.FormatUint(uint64(boardID), 10)}}
	case "POST /maturity/cycles/:id/advice":
		// A question of the board member's section, without a colleague.
		return url.Values{"question": {"well-led-1"}}
	}
	return nil
}

// matrixBoardItems attaches an evidence document to the cycle and asks the
// home staff member for advice on one question.
func matrixBoardItems(t *testing.T, app *testApp, cycle models.MaturityCycle, board models.User) (models.Evidence, models.Advice) {
	t.Helper()
	ctx := context.Background()
	staff, err := app.store.UserByEmail(ctx, "staff@home.test")
	if err != nil {
		t.Fatal(err)
	}
	doc := models.Evidence{QuestionCode: "well-led-1", UploadedByID: board.ID, FileName: "paper.pdf", ContentType: "application/pdf",
		Content: []byte("%PDF-1.4\n"), Size: 9}
	if err := app.store.AddEvidence(ctx, cycle, &doc); err != nil {
		t.Fatal(err)
	}
	advice := models.Advice{QuestionCode: "well-led-1", AdviserID: staff.ID, RequestedByID: board.ID}
	if err := app.store.RequestAdvice(ctx, cycle, &advice); err != nil {
		t.Fatal(err)
	}
	return doc, advice
}

// matrixSkills starts an attempt for the home staff member, completes one
// for target, and stores an import previewed by the home lead.
func matrixSkills(t *testing.T, app *testApp, org models.Organisation, target models.User) (models.SkillsAssessment, models.StaffImport) {
	t.Helper()
	ctx := context.Background()
	_, fv := app.latestFramework(t, assessments.KindSkills)
	staff, err := app.store.UserByEmail(ctx, "staff@home.test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.store.StartSkillsAssessment(ctx, staff, fv.ID); err != nil {
		t.Fatal(err)
	}
	done, err := app.store.StartSkillsAssessment(ctx, target, fv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := app.store.CompleteSkillsAssessment(ctx, done, target, "2026/27", fixedScores(nil)); err != nil {
		t.Fatal(err)
	}
	lead, err := app.store.UserByEmail(ctx, "lead@home.test")
	if err != nil {
		t.Fatal(err)
	}
	imp, err := app.store.CreateStaffImport(ctx, org.ID, lead.ID, "staff.csv",
		[]models.ImportPerson{{Line: 2, Email: "new.person@home.test", Name: "New Person", StaffGroup: "Students"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return done, imp
}
