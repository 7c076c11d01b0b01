package handlers

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"nhs-digital-maturity/models"
)

// ssoCallback is the redirect address the test deployment registers with
// its provider: BASE_URL plus the callback path.
const ssoCallback = "http://example.test/sign-in/sso/callback"

// ssoTrust is an organisation with single sign-on set up through the admin
// page against a provider started for the test.
type ssoTrust struct {
	app      *testApp
	org      models.Organisation
	provider *testProvider
	admin    *client
}

// newSSOTrust starts the service and a provider, and has an admin of
// another organisation set up the trust's single sign-on through the page.
func newSSOTrust(t *testing.T, extra url.Values) *ssoTrust {
	t.Helper()
	app := newTestApp(t)
	org := app.organisation("Example Hospitals NHS Foundation Trust", "ZZA", models.KindAcute)
	platform := app.organisation("Platform", "ZZP", models.KindAcute)
	app.user(platform, "admin@platform.test", models.RoleAdmin)
	p := newTestProvider(t, ssoCallback)
	st := &ssoTrust{app: app, org: org, provider: p, admin: app.signedIn("admin@platform.test")}
	form := url.Values{
		"provider-name":   {"Example Trust Entra ID"},
		"issuer":          {p.issuer()},
		"client-id":       {p.clientID},
		"client-secret":   {p.clientSecret},
		"domains":         {"example.nhs.uk, EXAMPLE.nhs.net"},
		"enabled":         {"yes"},
		"create-accounts": {"no"},
		"sso-only":        {"no"},
	}
	for k, v := range extra {
		form[k] = v
	}
	res := st.admin.post(st.settingsPath(), form)
	wantStatus(t, res, http.StatusSeeOther)
	return st
}

func (st *ssoTrust) settingsPath() string {
	return "/admin/organisations/" + strconv.FormatUint(uint64(st.org.ID), 10) + "/sign-in"
}

var ssoOrganisationField = regexp.MustCompile(`name="organisation" value="(\d+)"`)

// ssoSignIn walks the whole journey as a browser would: the email on the
// sign-in page, the "Sign in with" button, the provider, and back. It
// returns the service's answer to the callback, and the callback address.
func (st *ssoTrust) ssoSignIn(c *client, email string, as providerLogin) (response, string) {
	st.app.t.Helper()
	t := st.app.t
	st.provider.signInNext(as)
	res := c.post("/sign-in", url.Values{"email": {email}, "password": {""}})
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res, "Sign in with Example Trust Entra ID")
	m := ssoOrganisationField.FindStringSubmatch(res.body)
	if m == nil {
		t.Fatalf("no single sign-on button on the page:\n%s", res.body)
	}
	res = c.post("/sign-in/sso", url.Values{"organisation": {m[1]}, "email": {email}, "next": {"/"}})
	wantStatus(t, res, http.StatusSeeOther)
	if !strings.HasPrefix(res.location(), st.provider.issuer()+"/authorize?") {
		t.Fatalf("sign-in button goes to %q, want the provider", res.location())
	}
	// The provider is another site: the browser carries no cookies of ours there.
	at, err := http.NewRequest(http.MethodGet, res.location(), nil)
	if err != nil {
		t.Fatal(err)
	}
	back := c.do(at)
	if back.status != http.StatusFound {
		t.Fatalf("provider answered %d: %s", back.status, back.body)
	}
	callback := back.location()
	if !strings.HasPrefix(callback, ssoCallback+"?") {
		t.Fatalf("provider sends the browser to %q, want %s", callback, ssoCallback)
	}
	path := strings.TrimPrefix(callback, "http://example.test")
	return c.get(path), path
}

// wantSignedOut fails when the client has a session.
func wantSignedOut(t *testing.T, c *client) {
	t.Helper()
	if res := c.get("/"); res.status != http.StatusSeeOther || !strings.HasPrefix(res.location(), "/sign-in") {
		t.Errorf("after a refused single sign-on, / answers %d to %q: the person is signed in", res.status, res.location())
	}
}

func TestSSOSignInMatchesImportedAccount(t *testing.T) {
	st := newSSOTrust(t, nil)
	ctx := context.Background()
	// An imported person: an account with no password, never signed in.
	imported := models.User{OrganisationID: st.org.ID, Email: "jo.bloggs@example.nhs.uk", Name: "Jo Bloggs",
		RoleCodes: models.Roles{models.RoleStaff}.String(), Active: true, StaffGroup: "Administrative and Clerical"}
	if err := st.app.store.CreateUser(ctx, &imported); err != nil {
		t.Fatal(err)
	}
	c := st.app.client()
	res, _ := st.ssoSignIn(c, "Jo.Bloggs@example.nhs.uk", providerLogin{Subject: "entra-oid-1",
		Email: "jo.bloggs@example.nhs.uk", Name: "Jo Bloggs (Entra)", EmailVerified: verified(true)})
	wantStatus(t, res, http.StatusSeeOther)
	if res.location() != "/" {
		t.Errorf("after single sign-on, sent to %q, want /", res.location())
	}
	home := c.get("/")
	wantStatus(t, home, http.StatusOK)
	wantContains(t, home, "Jo Bloggs")
	u, err := st.app.store.UserByEmail(ctx, "jo.bloggs@example.nhs.uk")
	if err != nil {
		t.Fatal(err)
	}
	if u.ID != imported.ID || u.OrganisationID != st.org.ID {
		t.Errorf("signed in as account %d of organisation %d, want the imported %d of %d", u.ID, u.OrganisationID, imported.ID, st.org.ID)
	}
	if u.OwnSignInAt == nil {
		t.Error("a single sign-on does not count as the person signing in themselves (own_sign_in_at is empty)")
	}
	if u.RoleCodes != "staff" {
		t.Errorf("roles %q after single sign-on, want the service's own: staff", u.RoleCodes)
	}
}

// TestSSORefusals: each bent token or claim is refused with an NHS-style
// page that says why, and nobody is signed in.
func TestSSORefusals(t *testing.T) {
	good := providerLogin{Subject: "entra-oid-2", Email: "sam.jones@example.nhs.uk", Name: "Sam Jones", EmailVerified: verified(true)}
	cases := []struct {
		name   string
		email  string
		bend   func(l *providerLogin)
		status int
		says   string
	}{
		{"wrong audience", "sam.jones@example.nhs.uk", func(l *providerLogin) { l.Audience = "some-other-client" },
			http.StatusForbidden, "could not be checked"},
		{"expired token", "sam.jones@example.nhs.uk", func(l *providerLogin) { l.Expired = true },
			http.StatusForbidden, "has expired"},
		{"wrong nonce", "sam.jones@example.nhs.uk", func(l *providerLogin) { l.Nonce = "not-the-nonce-we-sent" },
			http.StatusForbidden, "does not belong to this sign-in"},
		{"unverified email", "sam.jones@example.nhs.uk", func(l *providerLogin) { l.EmailVerified = verified(false) },
			http.StatusForbidden, "has not been verified"},
		{"email_verified missing", "sam.jones@example.nhs.uk", func(l *providerLogin) { l.EmailVerified = nil },
			http.StatusForbidden, "has not been verified"},
		{"disallowed domain", "sam.jones@example.nhs.uk", func(l *providerLogin) { l.Email = "sam.jones@elsewhere.nhs.uk" },
			http.StatusForbidden, "not one this organisation allows"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st := newSSOTrust(t, nil)
			st.app.user(st.org, "sam.jones@example.nhs.uk", models.RoleStaff)
			st.app.user(st.org, "sam.jones@elsewhere.nhs.uk", models.RoleStaff)
			as := good
			tc.bend(&as)
			c := st.app.client()
			res, _ := st.ssoSignIn(c, tc.email, as)
			wantStatus(t, res, tc.status)
			wantContains(t, res, "We could not sign you in", tc.says, `href="/sign-in"`, "nhsuk-")
			wantSignedOut(t, c)
		})
	}
}

// TestSSOReplayedState: a callback works once; the same state again, even
// with its cookie put back, is refused.
func TestSSOReplayedState(t *testing.T) {
	st := newSSOTrust(t, nil)
	st.app.user(st.org, "sam.jones@example.nhs.uk", models.RoleStaff)
	c := st.app.client()
	res, callback := st.ssoSignIn(c, "sam.jones@example.nhs.uk", providerLogin{Subject: "s", Email: "sam.jones@example.nhs.uk",
		Name: "Sam Jones", EmailVerified: verified(true)})
	wantStatus(t, res, http.StatusSeeOther)

	u, _ := url.Parse(callback)
	attacker := st.app.client()
	attacker.setCookie(ssoStateCookie, u.Query().Get("state"))
	res = attacker.get(callback)
	wantStatus(t, res, http.StatusBadRequest)
	wantContains(t, res, "We could not sign you in", "already been used or has expired")
	wantSignedOut(t, attacker)

	// A callback whose state this browser never started is refused too.
	other := st.app.client()
	res = other.get(callback)
	wantStatus(t, res, http.StatusBadRequest)
	wantSignedOut(t, other)
}

func TestSSOUnknownPerson(t *testing.T) {
	newcomer := providerLogin{Subject: "new-1", Email: "new.starter@example.nhs.uk", Name: "New Starter", EmailVerified: verified(true)}
	t.Run("refused", func(t *testing.T) {
		st := newSSOTrust(t, nil)
		c := st.app.client()
		res, _ := st.ssoSignIn(c, "new.starter@example.nhs.uk", newcomer)
		wantStatus(t, res, http.StatusForbidden)
		wantContains(t, res, "We could not sign you in", "no account")
		wantSignedOut(t, c)
		if _, err := st.app.store.UserByEmail(context.Background(), "new.starter@example.nhs.uk"); err == nil {
			t.Error("an account was made though the organisation refuses new people")
		}
	})
	t.Run("allowed", func(t *testing.T) {
		st := newSSOTrust(t, url.Values{"create-accounts": {"yes"}})
		c := st.app.client()
		res, _ := st.ssoSignIn(c, "new.starter@example.nhs.uk", newcomer)
		wantStatus(t, res, http.StatusSeeOther)
		u, err := st.app.store.UserByEmail(context.Background(), "new.starter@example.nhs.uk")
		if err != nil {
			t.Fatalf("no account made: %v", err)
		}
		if u.OrganisationID != st.org.ID || u.RoleCodes != "staff" || u.PasswordHash != "" || u.Name != "New Starter" {
			t.Errorf("made %+v, want a staff account of the trust with no password", u)
		}
	})
	t.Run("invited", func(t *testing.T) {
		st := newSSOTrust(t, nil)
		inv := models.Invitation{OrganisationID: st.org.ID, Email: "board.member@example.nhs.uk", Name: "Board Member",
			RoleCodes: "board", TokenHash: "x", ExpiresAt: time.Now().Add(72 * time.Hour)}
		if err := st.app.store.CreateInvitation(context.Background(), &inv, 0); err != nil {
			t.Fatal(err)
		}
		c := st.app.client()
		res, _ := st.ssoSignIn(c, "board.member@example.nhs.uk", providerLogin{Subject: "b", Email: "board.member@example.nhs.uk",
			Name: "Board Member", EmailVerified: verified(true)})
		wantStatus(t, res, http.StatusSeeOther)
		u, err := st.app.store.UserByEmail(context.Background(), "board.member@example.nhs.uk")
		if err != nil {
			t.Fatalf("the invited person has no account: %v", err)
		}
		if u.RoleCodes != "board" {
			t.Errorf("roles %q, want the invitation's: board", u.RoleCodes)
		}
	})
}

// TestSSOOnly: with "single sign-on only", passwords are refused for the
// trust's accounts, except the break-glass account chosen on the page.
func TestSSOOnly(t *testing.T) {
	st := newSSOTrust(t, nil)
	st.app.user(st.org, "staff@example.nhs.uk", models.RoleStaff)
	glass := st.app.user(st.org, "break.glass@example.nhs.uk", models.RoleLead)
	form := url.Values{
		"provider-name": {"Example Trust Entra ID"}, "issuer": {st.provider.issuer()}, "client-id": {st.provider.clientID},
		"domains": {"example.nhs.uk"}, "enabled": {"yes"}, "create-accounts": {"no"}, "sso-only": {"yes"},
	}
	// Without a break-glass account the page refuses, keeping what was typed.
	res := st.admin.post(st.settingsPath(), form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, "There is a problem", "Choose the break-glass account", st.provider.issuer())
	form.Set("break-glass", strconv.FormatUint(uint64(glass.ID), 10))
	wantStatus(t, st.admin.post(st.settingsPath(), form), http.StatusSeeOther)

	c := st.app.client()
	res = c.signIn("staff@example.nhs.uk", testPassword)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, "uses single sign-on only", "Sign in with Example Trust Entra ID")
	wantSignedOut(t, c)
	// An address of the domain with no account gets the same answer.
	res = c.signIn("nobody@example.nhs.uk", testPassword)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, "uses single sign-on only")

	g := st.app.client()
	wantStatus(t, g.signIn("break.glass@example.nhs.uk", testPassword), http.StatusSeeOther)
	// Accounts of other organisations are not affected.
	st.admin.get("/") // still signed in
	wantStatus(t, st.app.client().signIn("admin@platform.test", testPassword), http.StatusSeeOther)
}

// TestSSOSettingsPage: validation in the NHS error-summary style, and the
// client secret is never shown back nor stored as typed.
func TestSSOSettingsPage(t *testing.T) {
	st := newSSOTrust(t, nil)
	page := st.admin.get(st.settingsPath())
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page, "Single sign-on", st.provider.issuer(), "example.nhs.uk example.nhs.net", "A client secret is saved")
	if strings.Contains(page.body, st.provider.clientSecret) {
		t.Error("the settings page shows the saved client secret")
	}
	saved, err := st.app.store.SSOSettingsFor(context.Background(), st.org.ID)
	if err != nil {
		t.Fatal(err)
	}
	if saved.ClientSecret == "" || strings.Contains(saved.ClientSecret, st.provider.clientSecret) {
		t.Errorf("client secret stored as %q: want it sealed", saved.ClientSecret)
	}

	bad := url.Values{"provider-name": {""}, "issuer": {"ftp://login.example"}, "client-id": {""},
		"domains": {"example.nhs.uk not a domain"}, "enabled": {"yes"}, "create-accounts": {"maybe"}, "sso-only": {"no"}}
	res := st.admin.post(st.settingsPath(), bad)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, "There is a problem", "Enter the name of the sign-in service",
		"Enter the issuer URL, starting https://", "Enter the client ID", "is not an email domain",
		"Select whether people with no account get one", "ftp://login.example", "example.nhs.uk not a domain")

	// A provider that cannot be reached is a message, not a 500.
	unreachable := url.Values{"provider-name": {"X"}, "issuer": {"http://127.0.0.1:1/nothing"}, "client-id": {"x"},
		"domains": {"example.nhs.uk"}, "enabled": {"yes"}, "create-accounts": {"no"}, "sso-only": {"no"}}
	res = st.admin.post(st.settingsPath(), unreachable)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, "could not read the provider")

	// Saving again with the secret left empty keeps it: sign-in still works.
	keep := url.Values{"provider-name": {"Example Trust Entra ID"}, "issuer": {st.provider.issuer()}, "client-id": {st.provider.clientID},
		"domains": {"example.nhs.uk"}, "enabled": {"yes"}, "create-accounts": {"no"}, "sso-only": {"no"}}
	wantStatus(t, st.admin.post(st.settingsPath(), keep), http.StatusSeeOther)
	st.app.user(st.org, "sam.jones@example.nhs.uk", models.RoleStaff)
	res, _ = st.ssoSignIn(st.app.client(), "sam.jones@example.nhs.uk", providerLogin{Subject: "s",
		Email: "sam.jones@example.nhs.uk", Name: "Sam", EmailVerified: verified(true)})
	wantStatus(t, res, http.StatusSeeOther)
}

// TestSSOScopes: openid, profile and email always, and the extra scopes an
// organisation names (NHS CIS2's, here) as well.
func TestSSOScopes(t *testing.T) {
	st := newSSOTrust(t, url.Values{"scopes": {"nhsperson, associatedorgs selectedrole email"}})
	st.app.user(st.org, "sam.jones@example.nhs.uk", models.RoleStaff)
	res, _ := st.ssoSignIn(st.app.client(), "sam.jones@example.nhs.uk", providerLogin{Subject: "s",
		Email: "sam.jones@example.nhs.uk", Name: "Sam", EmailVerified: verified(true)})
	wantStatus(t, res, http.StatusSeeOther)
	if got, want := strings.Join(st.provider.scopes, " "), "openid profile email nhsperson associatedorgs selectedrole"; got != want {
		t.Errorf("scopes asked for: %q, want %q", got, want)
	}
	wantContains(t, st.admin.get(st.settingsPath()), `value="nhsperson associatedorgs selectedrole"`)
	bad := st.admin.post(st.settingsPath(), url.Values{"provider-name": {"X"}, "issuer": {st.provider.issuer()},
		"client-id": {"x"}, "domains": {"example.nhs.uk"}, "scopes": {"nhsperson <script>"}, "enabled": {"yes"},
		"create-accounts": {"no"}, "sso-only": {"no"}})
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	wantContains(t, bad, "is not a scope", "nhsperson &lt;script&gt;")
}

// TestSSOEmailFromUserInfo: a provider that gives the email only at its
// userinfo endpoint (NHS CIS2) still matches the person, and an unverified
// email there is refused as in the ID token.
func TestSSOEmailFromUserInfo(t *testing.T) {
	st := newSSOTrust(t, nil)
	st.app.user(st.org, "sam.jones@example.nhs.uk", models.RoleStaff)
	as := providerLogin{Subject: "cis2-uid-1", Email: "sam.jones@example.nhs.uk", Name: "Sam Jones",
		EmailVerified: verified(true), EmailInUserInfo: true}
	res, _ := st.ssoSignIn(st.app.client(), "sam.jones@example.nhs.uk", as)
	wantStatus(t, res, http.StatusSeeOther)

	as.EmailVerified = verified(false)
	c := st.app.client()
	res, _ = st.ssoSignIn(c, "sam.jones@example.nhs.uk", as)
	wantStatus(t, res, http.StatusForbidden)
	wantContains(t, res, "has not been verified")
	wantSignedOut(t, c)
}
