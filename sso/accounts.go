package sso

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"nhs-digital-maturity/models"
	"nhs-digital-maturity/validation"
)

// Accounts is the service's side of single sign-on: each organisation's
// settings, as an administrator keeps them, and the account a person
// signed in by their provider gets.
type Accounts struct {
	Store  *models.Store
	Client *Client
	// Sealer keeps the client secrets encrypted in the database.
	Sealer *Sealer
	Log    *slog.Logger
	// TokenHash is the keyed hash a sign-in's state is kept under.
	TokenHash func(string) string
	// CallbackURL is the service's callback, as registered with providers.
	CallbackURL string
}

// Why a person the provider signed in gets no account here.
var (
	ErrDomainNotAllowed   = errors.New("sso: the email domain is not allowed for this organisation")
	ErrOtherOrganisation  = errors.New("sso: the account belongs to another organisation")
	ErrAccountDeactivated = errors.New("sso: the account is deactivated")
	ErrNoAccount          = errors.New("sso: no account and none is made")
	// ErrAccountRace: another sign-in made the account a moment ago.
	ErrAccountRace = errors.New("sso: the account was being made at the same moment")
	// ErrSecretSealed: the client secret was sealed under another
	// SESSION_KEY, so an administrator must enter it again.
	ErrSecretSealed = errors.New("sso: the client secret does not open")
)

// SecretAAD binds a sealed client secret to its organisation.
func SecretAAD(organisationID uint) string {
	return "organisation:" + strconv.FormatUint(uint64(organisationID), 10)
}

// Provider is st's client registration with its secret opened.
func (a *Accounts) Provider(st models.SSOSettings) (Provider, error) {
	secret, err := a.Sealer.Open(st.ClientSecret, SecretAAD(st.OrganisationID))
	if err != nil {
		return Provider{}, fmt.Errorf("organisation %d: %w: %w", st.OrganisationID, ErrSecretSealed, err)
	}
	return Provider{Issuer: st.Issuer, ClientID: st.ClientID, ClientSecret: secret,
		RedirectURL: a.CallbackURL, ExtraScopes: strings.Fields(st.Scopes)}, nil
}

// SignIn finds or makes the account of the person the provider signed in
// under st, by their verified email address: an existing (imported)
// account, an invitation, or a new staff account when the organisation
// allows it. The sign-in counts as the person's own, and is audited.
func (a *Accounts) SignIn(ctx context.Context, st models.SSOSettings, id Identity) (models.User, error) {
	if !DomainAllowed(id.Email, st.DomainList()) {
		return models.User{}, ErrDomainNotAllowed
	}
	u, err := a.account(ctx, st, id)
	if err != nil {
		return u, err
	}
	// Signed in through their own organisation's account: the person
	// themselves, as with their own password.
	if err := a.Store.MarkOwnSignIn(ctx, u.ID); err != nil {
		return u, err
	}
	return u, a.Store.Audit(ctx, models.AuditEvent{OrganisationID: &u.OrganisationID, ActorID: &u.ID, Action: "sign-in.sso",
		Subject: u.Email, Details: "issuer " + id.Issuer})
}

func (a *Accounts) account(ctx context.Context, st models.SSOSettings, id Identity) (models.User, error) {
	u, err := a.Store.UserByEmail(ctx, id.Email)
	switch {
	case err == nil && u.OrganisationID != st.OrganisationID:
		return u, ErrOtherOrganisation
	case err == nil && !u.Active:
		return u, ErrAccountDeactivated
	case err == nil:
		return u, nil
	case !errors.Is(err, models.ErrNotFound):
		return u, err
	}
	name := cmp.Or(id.Name, id.Email)
	if r := []rune(name); len(r) > validation.MaxNameLength {
		name = string(r[:validation.MaxNameLength])
	}
	inv, err := a.Store.PendingInvitationByEmail(ctx, st.OrganisationID, id.Email)
	switch {
	case err == nil:
		u = models.User{Name: cmp.Or(inv.Name, name)}
		err = a.Store.AcceptInvitation(ctx, inv, &u)
	case !errors.Is(err, models.ErrNotFound):
		return u, err
	case st.CreateAccounts:
		u = models.User{OrganisationID: st.OrganisationID, Email: id.Email, Name: name}
		err = a.Store.CreateSSOUser(ctx, &u)
	default:
		return u, ErrNoAccount
	}
	if errors.Is(err, models.ErrDuplicate) || errors.Is(err, models.ErrInvitationUsed) {
		return u, ErrAccountRace
	}
	return u, err
}

// Form is an organisation's settings as typed; the yes-or-no choices are
// "yes" or "no".
type Form struct {
	ProviderName   string
	Issuer         string
	ClientID       string
	Domains        string
	Scopes         string
	Enabled        string
	CreateAccounts string
	SSOOnly        string
	BreakGlass     string
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// Settings are an organisation's settings as its form shows them, and
// whether a client secret is saved.
func (a *Accounts) Settings(ctx context.Context, organisationID uint) (Form, bool, error) {
	st, err := a.Store.SSOSettingsFor(ctx, organisationID)
	if errors.Is(err, models.ErrNotFound) {
		return Form{Enabled: "yes", CreateAccounts: "no", SSOOnly: "no"}, false, nil
	}
	if err != nil {
		return Form{}, false, err
	}
	f := Form{ProviderName: st.ProviderName, Issuer: st.Issuer, ClientID: st.ClientID, Domains: st.Domains, Scopes: st.Scopes,
		Enabled: yesNo(st.Enabled), CreateAccounts: yesNo(st.CreateAccounts), SSOOnly: yesNo(st.SSOOnly)}
	if st.BreakGlassUserID != nil {
		f.BreakGlass = strconv.FormatUint(uint64(*st.BreakGlassUserID), 10)
	}
	return f, st.ClientSecret != "", nil
}

// Choice is one choice of a select or radios on the settings page.
type Choice struct{ Value, Label string }

// SettingsPage is what the settings page shows besides the form.
type SettingsPage struct {
	Organisation models.Organisation
	SecretSaved  bool
	// BreakGlass are the accounts that may be the break-glass one.
	BreakGlass    []Choice
	YesNo         []Choice
	CreateOptions []Choice
	OnlyOptions   []Choice
	// Callback is the address to register with the provider.
	Callback string
}

// SettingsPage composes org's settings page.
func (a *Accounts) SettingsPage(ctx context.Context, org models.Organisation, secretSaved bool) (SettingsPage, error) {
	candidates, err := a.breakGlassChoices(ctx, org.ID)
	return SettingsPage{Organisation: org, SecretSaved: secretSaved, Callback: a.CallbackURL, BreakGlass: candidates,
		YesNo:         []Choice{{"yes", "Yes"}, {"no", "No"}},
		CreateOptions: []Choice{{"yes", "Give them a staff account in this organisation"}, {"no", "Refuse them: they need an invitation or an import first"}},
		OnlyOptions:   []Choice{{"no", "Yes, a password or single sign-on"}, {"yes", "No, single sign-on only (except the break-glass account)"}}}, err
}

// breakGlassChoices are the organisation's accounts with a password.
func (a *Accounts) breakGlassChoices(ctx context.Context, organisationID uint) ([]Choice, error) {
	candidates, err := a.Store.SSOBreakGlassCandidates(ctx, organisationID)
	if err != nil {
		return nil, err
	}
	var out []Choice
	for _, u := range candidates {
		if u.PasswordHash != "" {
			out = append(out, Choice{strconv.FormatUint(uint64(u.ID), 10), u.Name + " (" + u.Email + ")"})
		}
	}
	return out, nil
}

// SaveSettings checks and saves an organisation's settings on behalf of
// actorID; secret is the client secret typed, "" to keep the saved one.
func (a *Accounts) SaveSettings(ctx context.Context, organisationID uint, f Form, secret string, actorID uint) error {
	saved, err := a.Store.SSOSettingsFor(ctx, organisationID)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return err
	}
	var errs validation.Errors
	if p := validation.TextProblem(f.ProviderName, "the name of the sign-in service", true, 60); p != "" {
		errs.Add("provider-name", p)
	}
	if p := issuerProblem(f.Issuer); p != "" {
		errs.Add("issuer", p)
	}
	if p := validation.TextProblem(f.ClientID, "the client ID", true, 200); p != "" {
		errs.Add("client-id", p)
	}
	if p := validation.TextProblem(secret, "the client secret", saved.ClientSecret == "", 1000); p != "" {
		errs.Add("client-secret", p)
	}
	domains, p := parseDomains(f.Domains)
	if p != "" {
		errs.Add("domains", p)
	}
	scopes, p := parseScopes(f.Scopes)
	if p != "" {
		errs.Add("scopes", p)
	}
	for _, choice := range []struct{ field, value, message string }{
		{"enabled", f.Enabled, "Select whether single sign-on is on"},
		{"create-accounts", f.CreateAccounts, "Select whether people with no account get one"},
		{"sso-only", f.SSOOnly, "Select whether passwords can still be used"},
	} {
		if choice.value != "yes" && choice.value != "no" {
			errs.Add(choice.field, choice.message)
		}
	}
	var breakGlass *uint
	if f.SSOOnly == "yes" || f.BreakGlass != "" {
		choices, err := a.breakGlassChoices(ctx, organisationID)
		if err != nil {
			return err
		}
		if i := slices.IndexFunc(choices, func(c Choice) bool { return c.Value == f.BreakGlass }); i >= 0 {
			id, _ := strconv.ParseUint(choices[i].Value, 10, 64)
			chosen := uint(id)
			breakGlass = &chosen
		} else {
			errs.Add("break-glass", "Choose the break-glass account: the one account of this organisation that can still sign in with a password if single sign-on fails")
		}
	}
	// The issuer is checked last, and only when the rest is right: it asks
	// the provider over the network.
	if len(errs) == 0 && f.Enabled == "yes" {
		if _, err := a.Client.Discover(ctx, f.Issuer); err != nil {
			a.Log.Warn("single sign-on discovery failed", "issuer", f.Issuer, "err", err)
			errs.Add("issuer", "We could not read the provider's settings at "+strings.TrimSuffix(f.Issuer, "/")+
				"/.well-known/openid-configuration. Check the issuer URL, and that this service can reach it")
		}
	}
	if len(errs) > 0 {
		return errs
	}
	sealed := saved.ClientSecret
	if secret != "" {
		if sealed, err = a.Sealer.Seal(secret, SecretAAD(organisationID)); err != nil {
			return err
		}
	}
	return a.Store.SaveSSOSettings(ctx, models.SSOSettings{OrganisationID: organisationID, ProviderName: f.ProviderName,
		Issuer: f.Issuer, ClientID: f.ClientID, ClientSecret: sealed, Domains: strings.Join(domains, " "),
		Scopes: strings.Join(scopes, " "), Enabled: f.Enabled == "yes", CreateAccounts: f.CreateAccounts == "yes",
		SSOOnly: f.SSOOnly == "yes", BreakGlassUserID: breakGlass}, actorID)
}

// issuerProblem checks an issuer URL: https, or http on this machine only
// (a provider run for development or tests).
func issuerProblem(issuer string) string {
	const ask = "Enter the issuer URL, starting https://, like https://login.microsoftonline.com/your-tenant-id/v2.0"
	if issuer == "" {
		return ask
	}
	if len(issuer) > 500 {
		return "The issuer URL must be 500 characters or fewer"
	}
	u, err := url.Parse(issuer)
	if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return ask
	}
	switch u.Scheme {
	case "https":
		return ""
	case "http":
		host := u.Hostname()
		if ip := net.ParseIP(host); host == "localhost" || (ip != nil && ip.IsLoopback()) {
			return ""
		}
	}
	return ask
}

var domainPattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$`)

// parseDomains reads email domains separated by spaces or commas, in
// lower case and without repeats.
func parseDomains(raw string) ([]string, string) {
	var out []string
	for _, d := range strings.FieldsFunc(strings.ToLower(raw), func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\n' || r == '\r' }) {
		d = strings.TrimPrefix(d, "@")
		if !domainPattern.MatchString(d) {
			return nil, "“" + d + "” is not an email domain: enter domains like example.nhs.uk, separated by spaces or commas"
		}
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		return nil, "Enter at least one email domain, like example.nhs.uk"
	}
	if len(out) > 50 {
		return nil, "Enter 50 email domains or fewer"
	}
	return out, ""
}

var scopePattern = regexp.MustCompile(`^[A-Za-z0-9_:./-]{1,100}$`)

// parseScopes reads the extra scopes, separated by spaces or commas;
// openid, profile and email are always asked for, so they are left out.
func parseScopes(raw string) ([]string, string) {
	var out []string
	for _, sc := range strings.FieldsFunc(raw, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r' }) {
		if !scopePattern.MatchString(sc) {
			return nil, "“" + sc + "” is not a scope: enter scopes like nhsperson, separated by spaces"
		}
		if !slices.Contains(Scopes, sc) && !slices.Contains(out, sc) {
			out = append(out, sc)
		}
	}
	if len(out) > 20 {
		return nil, "Enter 20 extra scopes or fewer"
	}
	return out, ""
}
