package handlers

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/models"
)

// access is the expected status of one route for each kind of visitor.
// otherOrg is a digital lead of another organisation: for anything that
// belongs to the first organisation they must get what a stranger gets.
type access struct{ anon, staff, board, lead, admin, otherOrg int }

const (
	ok        = http.StatusOK
	toSignIn  = http.StatusSeeOther // redirect to /sign-in, or after a successful POST
	forbidden = http.StatusForbidden
	notFound  = http.StatusNotFound
	invalid   = http.StatusUnprocessableEntity
	gone      = http.StatusNotFound // an unknown invitation token
)

// authorisationMatrix has one row for every route the server registers.
// POSTs carry a valid CSRF token and an empty form, so a permitted request
// is refused by validation (422) without changing anything, except where the
// row says it succeeds (303). Later issues add their rows here.
var authorisationMatrix = map[string]access{
	"GET /healthz":             {ok, ok, ok, ok, ok, ok},
	"GET /readyz":              {ok, ok, ok, ok, ok, ok},
	"GET /static/*":            {ok, ok, ok, ok, ok, ok},
	"GET /accessibility":       {ok, ok, ok, ok, ok, ok},
	"GET /privacy":             {ok, ok, ok, ok, ok, ok},
	"GET /sign-in":             {ok, toSignIn, toSignIn, toSignIn, toSignIn, toSignIn},
	"POST /sign-in":            {invalid, invalid, invalid, invalid, invalid, invalid},
	"POST /sign-out":           {toSignIn, toSignIn, toSignIn, toSignIn, toSignIn, toSignIn},
	"GET /invitations/:token":  {gone, gone, gone, gone, gone, gone},
	"POST /invitations/:token": {gone, gone, gone, gone, gone, gone},

	"GET /":          {toSignIn, ok, ok, ok, ok, ok},
	"GET /profile":   {toSignIn, ok, ok, ok, ok, ok},
	"POST /profile":  {toSignIn, invalid, invalid, invalid, invalid, invalid},
	"GET /password":  {toSignIn, ok, ok, ok, ok, ok},
	"POST /password": {toSignIn, invalid, invalid, invalid, invalid, invalid},

	"GET /accounts":                 {toSignIn, forbidden, forbidden, ok, ok, ok},
	"GET /accounts/invite":          {toSignIn, forbidden, forbidden, ok, ok, ok},
	"POST /accounts/invite":         {toSignIn, forbidden, forbidden, invalid, invalid, invalid},
	"GET /accounts/:id":             {toSignIn, forbidden, forbidden, ok, ok, notFound},
	"POST /accounts/:id/roles":      {toSignIn, forbidden, forbidden, invalid, invalid, notFound},
	"POST /accounts/:id/active":     {toSignIn, forbidden, forbidden, toSignIn, toSignIn, notFound},
	"GET /audit":                    {toSignIn, forbidden, forbidden, ok, ok, ok},
	"GET /admin/organisations":      {toSignIn, forbidden, forbidden, forbidden, ok, forbidden},
	"GET /admin/organisations/new":  {toSignIn, forbidden, forbidden, forbidden, ok, forbidden},
	"POST /admin/organisations":     {toSignIn, forbidden, forbidden, forbidden, invalid, forbidden},
	"GET /admin/organisations/:id":  {toSignIn, forbidden, forbidden, forbidden, ok, forbidden},
	"POST /admin/organisations/:id": {toSignIn, forbidden, forbidden, forbidden, invalid, forbidden},
}

// TestAuthorisationMatrix walks every registered route with every role and
// with a user of another organisation.
func TestAuthorisationMatrix(t *testing.T) {
	app := newTestApp(t)
	home := app.organisation("Home Trust", "HOM", models.KindAcute)
	other := app.organisation("Other Trust", "OTH", models.KindAcute)
	app.user(home, "staff@home.test", models.RoleStaff)
	app.user(home, "board@home.test", models.RoleBoard)
	app.user(home, "lead@home.test", models.RoleLead)
	app.user(home, "admin@home.test", models.RoleAdmin)
	app.user(other, "lead@other.test", models.RoleLead)
	// The account that account routes act on: nobody signs in with it.
	target := app.user(home, "target@home.test", models.RoleStaff)

	params := map[string]string{
		":id":    strconv.FormatUint(uint64(target.ID), 10),
		":token": "not-a-real-invitation-token",
		"*":      "app/app.js",
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
		{"other organisation's lead", app.signedIn("lead@other.test"), func(a access) int { return a.otherOrg }},
	}
	for _, key := range routes {
		method, path, _ := strings.Cut(key, " ")
		if strings.HasPrefix(path, "/admin/organisations/:id") {
			path = strings.Replace(path, ":id", orgID, 1)
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
				res = v.client.post(path, url.Values{})
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
}
