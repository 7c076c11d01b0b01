package handlers

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"nhs-digital-maturity/models"
)

var accountRow = regexp.MustCompile(`<a href="/accounts/\d+">([^<]+)</a>`)

// accountNames lists the names in the accounts table, in order.
func accountNames(body string) []string {
	var names []string
	for _, m := range accountRow.FindAllStringSubmatch(body, -1) {
		names = append(names, m[1])
	}
	return names
}

// TestAccountsArePagedSearchedAndSorted: the accounts page shows a page
// of 50 at a time, in alphabetical order whatever the case, finds people by
// name or email address, and sorts by another column when asked.
func TestAccountsArePagedSearchedAndSorted(t *testing.T) {
	app := newTestApp(t)
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	app.user(org, "lead@home.test", models.RoleLead)
	for i := range 119 {
		app.user(org, fmt.Sprintf("person%03d@home.test", i), models.RoleStaff)
	}
	// Text order puts capitals first; people expect "anna" before "Bea".
	lower := app.user(org, "anna@home.test", models.RoleStaff)
	_ = lower
	c := app.signedIn("lead@home.test")

	res := c.get("/accounts")
	wantStatus(t, res, http.StatusOK)
	names := accountNames(res.body)
	if len(names) != 50 {
		t.Fatalf("first page lists %d accounts, want 50", len(names))
	}
	wantContains(t, res, "121 accounts", "Page 2 of 3")
	seen := map[string]bool{}
	for page := 1; page <= 3; page++ {
		res := c.get(fmt.Sprintf("/accounts?page=%d", page))
		for _, n := range accountNames(res.body) {
			if seen[n] {
				t.Errorf("%s listed on two pages", n)
			}
			seen[n] = true
		}
	}
	if len(seen) != 121 {
		t.Errorf("the pages list %d accounts, want 121", len(seen))
	}

	// The test people are all "Person <email>": rename one to lower case.
	if err := app.store.UpdateProfile(t.Context(), &models.User{ID: lower.ID, OrganisationID: org.ID, Email: lower.Email, Name: "anna lower"}); err != nil {
		t.Fatal(err)
	}
	names = accountNames(c.get("/accounts").body)
	if len(names) == 0 || names[0] != "anna lower" {
		t.Errorf("sorted by name, the list starts %q, want anna lower first", names[:min(3, len(names))])
	}

	res = c.get("/accounts?q=PERSON007")
	names = accountNames(res.body)
	if len(names) != 1 || !strings.Contains(names[0], "person007") {
		t.Errorf("search for PERSON007 lists %q", names)
	}
	wantContains(t, res, `value="PERSON007"`, "1 account")
	res = c.get("/accounts?q=" + "person11")
	if names = accountNames(res.body); len(names) != 9 {
		t.Errorf("search for person11 lists %d accounts, want 9", len(names))
	}
	res = c.get("/accounts?q=nobody-at-all")
	wantContains(t, res, "No accounts match")

	res = c.get("/accounts?sort=email-desc")
	names = accountNames(res.body)
	if len(names) == 0 || !strings.Contains(names[0], "person118") {
		t.Errorf("sorted by email address, last first, the list starts %q", names[:min(3, len(names))])
	}
	res = c.get("/accounts?sort=nonsense")
	wantStatus(t, res, http.StatusOK)
}

// TestLeadIsNotOfferedADeactivationThatMustFail: a lead is not shown a
// button to deactivate an administrator, nor themselves.
func TestLeadIsNotOfferedADeactivationThatMustFail(t *testing.T) {
	app := newTestApp(t)
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	lead := app.user(org, "lead@home.test", models.RoleLead)
	admin := app.user(org, "admin@home.test", models.RoleAdmin)
	staff := app.user(org, "staff@home.test", models.RoleStaff)
	c := app.signedIn("lead@home.test")
	for _, u := range []models.User{admin, lead} {
		res := c.get("/accounts/" + itoa(u.ID))
		wantStatus(t, res, http.StatusOK)
		if strings.Contains(res.body, `id="deactivate"`) {
			t.Errorf("the lead is offered to deactivate %s, which can only fail", u.Email)
		}
	}
	res := c.get("/accounts/" + itoa(admin.ID))
	wantContains(t, res, "Only an administrator can deactivate")
	res = c.get("/accounts/" + itoa(staff.ID))
	wantContains(t, res, `id="deactivate"`)
	res = app.signedIn("admin@home.test").get("/accounts/" + itoa(admin.ID))
	if strings.Contains(res.body, `id="deactivate"`) {
		t.Error("an admin is offered to deactivate their own account")
	}
}
