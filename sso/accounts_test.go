package sso

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"nhs-digital-maturity/models"
	"nhs-digital-maturity/models/testdb"
	"nhs-digital-maturity/validation"
)

func TestIssuerProblem(t *testing.T) {
	const ask = "Enter the issuer URL, starting https://, like https://login.microsoftonline.com/your-tenant-id/v2.0"
	for issuer, want := range map[string]string{
		"https://login.microsoftonline.com/tenant/v2.0": "",
		"http://127.0.0.1:5556/dex":                     "",
		"http://localhost/issuer":                       "",
		"http://login.example.com":                      ask,
		"https://login.example.com/?q=1":                ask,
		"https://user@login.example.com":                ask,
		"":                                              ask,
		"https://x.example/" + strings.Repeat("a", 500): "The issuer URL must be 500 characters or fewer",
	} {
		if got := issuerProblem(issuer); got != want {
			t.Errorf("issuerProblem(%q) = %q, want %q", issuer, got, want)
		}
	}
}

func TestParseDomainsAndScopes(t *testing.T) {
	got, p := parseDomains("Trust.NHS.uk, @nhs.net;trust.nhs.uk")
	if p != "" || strings.Join(got, " ") != "trust.nhs.uk nhs.net" {
		t.Errorf("domains %q, %q", got, p)
	}
	if _, p := parseDomains("not a domain!"); p != "“not” is not an email domain: enter domains like example.nhs.uk, separated by spaces or commas" {
		t.Errorf("bad domain: %q", p)
	}
	if _, p := parseDomains(" , "); p != "Enter at least one email domain, like example.nhs.uk" {
		t.Errorf("no domain: %q", p)
	}
	scopes, p := parseScopes("openid nhsperson, email nhsperson")
	if p != "" || strings.Join(scopes, " ") != "nhsperson" {
		t.Errorf("scopes %q, %q", scopes, p)
	}
	if _, p := parseScopes("bad<scope>"); p == "" {
		t.Error("a scope with < is accepted")
	}
}

type ssoFixture struct {
	ctx      context.Context
	accounts *Accounts
	org      models.Organisation
}

func newSSOFixture(t *testing.T) *ssoFixture {
	t.Helper()
	sealer, err := NewSealer([]byte(strings.Repeat("k", 32)))
	if err != nil {
		t.Fatal(err)
	}
	f := &ssoFixture{ctx: context.Background()}
	f.accounts = &Accounts{Store: testdb.Open(t), Client: NewClient(time.Second), Sealer: sealer,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), TokenHash: func(s string) string { return "hash:" + s },
		CallbackURL: "https://service.test/sign-in/sso/callback"}
	f.org = f.organisation(t, "Riverside Trust", "RVT")
	return f
}

func (f *ssoFixture) organisation(t *testing.T, name, ods string) models.Organisation {
	t.Helper()
	return testdb.Organisation(t, f.accounts.Store, name, ods)
}

func (f *ssoFixture) user(t *testing.T, org models.Organisation, email string, active bool) models.User {
	t.Helper()
	u := models.User{OrganisationID: org.ID, Email: email, Name: "Someone", RoleCodes: string(models.RoleLead), Active: active, PasswordHash: "hash"}
	if err := f.accounts.Store.CreateUser(f.ctx, &u); err != nil {
		t.Fatal(err)
	}
	return u
}

func TestSaveSettings(t *testing.T) {
	f := newSSOFixture(t)
	lead := f.user(t, f.org, "lead@riverside.nhs.uk", true)
	form := Form{ProviderName: "NHSmail", Issuer: "http://elsewhere.example", ClientID: "client", Domains: "riverside.nhs.uk",
		Enabled: "maybe", CreateAccounts: "no", SSOOnly: "yes"}
	err := f.accounts.SaveSettings(f.ctx, f.org.ID, form, "", lead.ID)
	var fe validation.Errors
	if !errors.As(err, &fe) {
		t.Fatalf("got %v, want the form's problems", err)
	}
	for _, field := range []string{"issuer", "client-secret", "enabled", "break-glass"} {
		if !fe.Has(field) {
			t.Errorf("no problem with %s: %v", field, fe)
		}
	}
	// Turned off, the provider is not asked: nothing goes over the network.
	form.Issuer, form.Enabled, form.BreakGlass = "https://login.example.com", "no", fmt.Sprint(lead.ID)
	if err := f.accounts.SaveSettings(f.ctx, f.org.ID, form, "the-secret", lead.ID); err != nil {
		t.Fatal(err)
	}
	got, secretSaved, err := f.accounts.Settings(f.ctx, f.org.ID)
	if err != nil || got != form || !secretSaved {
		t.Errorf("saved %+v (secret %v), want %+v: %v", got, secretSaved, form, err)
	}
	st, err := f.accounts.Store.SSOSettingsFor(f.ctx, f.org.ID)
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.accounts.Provider(st)
	if err != nil || p.ClientSecret != "the-secret" || p.RedirectURL != f.accounts.CallbackURL {
		t.Errorf("provider %+v: %v", p, err)
	}
	page, err := f.accounts.SettingsPage(f.ctx, f.org, secretSaved)
	if err != nil || len(page.BreakGlass) != 1 || page.BreakGlass[0].Value != fmt.Sprint(lead.ID) {
		t.Errorf("page %+v: %v", page, err)
	}
}

func TestSignInFindsOrRefusesTheAccount(t *testing.T) {
	f := newSSOFixture(t)
	other := f.organisation(t, "Hilltop Trust", "HLT")
	f.user(t, other, "moved@riverside.nhs.uk", true)
	f.user(t, f.org, "gone@riverside.nhs.uk", false)
	existing := f.user(t, f.org, "here@riverside.nhs.uk", true)
	st := models.SSOSettings{OrganisationID: f.org.ID, Domains: "riverside.nhs.uk", Enabled: true}
	for email, want := range map[string]error{
		"someone@elsewhere.nhs.uk": ErrDomainNotAllowed,
		"moved@riverside.nhs.uk":   ErrOtherOrganisation,
		"gone@riverside.nhs.uk":    ErrAccountDeactivated,
		"new@riverside.nhs.uk":     ErrNoAccount,
	} {
		if _, err := f.accounts.SignIn(f.ctx, st, Identity{Email: email, Issuer: "https://idp"}); !errors.Is(err, want) {
			t.Errorf("%s: %v, want %v", email, err, want)
		}
	}
	if u, err := f.accounts.SignIn(f.ctx, st, Identity{Email: "here@riverside.nhs.uk"}); err != nil || u.ID != existing.ID {
		t.Errorf("existing account: %d, %v", u.ID, err)
	}
	st.CreateAccounts = true
	long := strings.Repeat("n", validation.MaxNameLength+5)
	u, err := f.accounts.SignIn(f.ctx, st, Identity{Email: "new@riverside.nhs.uk", Name: long})
	if err != nil || u.ID == 0 || u.OrganisationID != f.org.ID || len(u.Name) != validation.MaxNameLength {
		t.Errorf("new account %+v: %v", u, err)
	}
	if got := Refusal(Login{Identity: Identity{Email: "a@b.example"}}, ErrDomainNotAllowed); !strings.Contains(got, "a@b.example") {
		t.Errorf("domain refusal %q", got)
	}
	if got := Refusal(Login{}, errors.New("something else")); got != "" {
		t.Errorf("not a refusal: %q", got)
	}
}

func TestFinishUnknownOrRefused(t *testing.T) {
	f := newSSOFixture(t)
	if _, err := f.accounts.Finish(f.ctx, "never-started", "code"); !errors.Is(err, ErrLoginUnknown) {
		t.Errorf("unknown state: %v", err)
	}
	if _, _, err := f.accounts.Begin(f.ctx, f.org.ID, "a@riverside.nhs.uk", "/"); !errors.Is(err, ErrNotOffered) {
		t.Errorf("no settings: %v", err)
	}
	if err := f.accounts.Store.CreateSSOLogin(f.ctx, models.SSOLogin{StateHash: "hash:sso state:s1", OrganisationID: f.org.ID,
		Next: "/profile", ExpiresAt: time.Now().Add(time.Minute).UTC()}); err != nil {
		t.Fatal(err)
	}
	l, err := f.accounts.Finish(f.ctx, "s1", "")
	if !errors.Is(err, ErrProviderRefused) || l.Next != "/profile" || l.OrganisationID != f.org.ID {
		t.Errorf("no code: %+v, %v", l, err)
	}
	if _, err := f.accounts.Finish(f.ctx, "s1", "code"); !errors.Is(err, ErrLoginUnknown) {
		t.Errorf("used state: %v", err)
	}
}
