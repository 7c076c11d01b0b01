package handlers

import (
	"cmp"
	"crypto/subtle"
	"errors"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/models"
	"nhs-digital-maturity/sso"
	"nhs-digital-maturity/validation"
)

// Single sign-on (OpenID Connect). The sign-in page learns the person's
// email address first; when its domain belongs to an organisation with
// single sign-on, the person is offered "Sign in with <provider>". The
// state, nonce and PKCE verifier of each sign-in live in the database
// (sso_logins) until the provider sends the browser back, so any instance
// can finish what another started; the state also sits in a short cookie,
// so a callback is only accepted in the browser that began it.

const (
	ssoStateCookie = "sso_state"
	ssoLoginTTL    = 10 * time.Minute
	ssoCallbackURL = "/sign-in/sso/callback"
)

// ssoButton is one organisation's "Sign in with" button.
type ssoButton struct {
	OrganisationID   uint
	OrganisationName string
	ProviderName     string
}

type signInSSOData struct {
	Buttons []ssoButton
	Email   string
	Next    string
	// PasswordAllowed offers the password form as well; false when every
	// organisation offered is single sign-on only.
	PasswordAllowed bool
}

// ssoChoices are the organisations offering single sign-on to email's domain.
func (s *Server) ssoChoices(c echo.Context, email string) ([]models.SSOChoice, error) {
	d := sso.Domain(email)
	if d == "" {
		return nil, nil
	}
	return s.store.SSOForDomain(c.Request().Context(), d)
}

// renderSSOChoice shows the "Sign in with" page; errs, when given, say why
// a password was refused.
func (s *Server) renderSSOChoice(c echo.Context, status int, email, next string, choices []models.SSOChoice, errs formErrors) error {
	data := signInSSOData{Email: email, Next: next}
	for _, ch := range choices {
		data.Buttons = append(data.Buttons, ssoButton{ch.Settings.OrganisationID, ch.OrganisationName, ch.Settings.ProviderName})
		if !ch.Settings.SSOOnly {
			data.PasswordAllowed = true
		}
	}
	v := s.view(c, "Sign in with your organisation's account")
	v.Errors = errs
	v.Data = data
	return s.render(c, status, "sign_in_sso", v)
}

// ssoPasswordRefusal says whether a password sign-in must be refused because
// the organisation is single sign-on only, and which organisations to offer
// instead. For an address with no account, the domain decides, so that the
// answer does not tell whether the account exists.
func (s *Server) ssoPasswordRefusal(c echo.Context, u models.User, found bool, choices []models.SSOChoice) ([]models.SSOChoice, error) {
	ctx := c.Request().Context()
	if found {
		st, err := s.store.SSOSettingsFor(ctx, u.OrganisationID)
		if errors.Is(err, models.ErrNotFound) || (err == nil && !st.RefusesPassword(u)) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		org, err := s.store.OrganisationByID(ctx, u.OrganisationID)
		if err != nil {
			return nil, err
		}
		return []models.SSOChoice{{Settings: st, OrganisationName: org.Name}}, nil
	}
	var only []models.SSOChoice
	for _, ch := range choices {
		if ch.Settings.SSOOnly {
			only = append(only, ch)
		}
	}
	return only, nil
}

func ssoOnlyMessage(choices []models.SSOChoice) string {
	name := "Your organisation"
	if len(choices) == 1 {
		name = choices[0].OrganisationName
	}
	return name + " uses single sign-on only: sign in with your organisation's account below, not a password"
}

// startSSO sends the browser to the organisation's provider.
func (s *Server) startSSO(c echo.Context) error {
	ctx := c.Request().Context()
	email := strings.TrimSpace(c.FormValue("email"))
	next := safeNext(c.FormValue("next"))
	id, perr := strconv.ParseUint(c.FormValue("organisation"), 10, 64)
	var st models.SSOSettings
	var err error
	if perr == nil {
		st, err = s.store.SSOSettingsFor(ctx, uint(id))
	}
	if perr != nil || errors.Is(err, models.ErrNotFound) || (err == nil && !st.Enabled) || textRule(c, "email", "email address") != "" {
		v := s.view(c, "Sign in")
		v.Form = signInForm{Email: email, Next: next}
		v.Data = s.signInPageData(c)
		v.Errors.Add("email", "Enter your email address, then choose how to sign in")
		v.Errors = withInputErrors(c, v.Errors)
		return s.render(c, http.StatusUnprocessableEntity, "sign_in", v)
	}
	if err != nil {
		return err
	}
	provider, ok, err := s.ssoProvider(c, st)
	if !ok || err != nil {
		return err
	}
	start := sso.NewStart()
	to, err := s.sso.AuthCodeURL(ctx, provider, start, email)
	if errors.Is(err, sso.ErrProviderUnavailable) {
		s.log.Warn("single sign-on provider unavailable", "organisation", st.OrganisationID, "err", err)
		return s.ssoProblem(c, http.StatusBadGateway, "Your organisation's sign-in service could not be reached. Try again in a few minutes. If it keeps happening, tell your IT service desk.")
	}
	if err != nil {
		return err
	}
	if err := s.store.CreateSSOLogin(ctx, models.SSOLogin{StateHash: s.tokenHash("sso state:" + start.State),
		OrganisationID: st.OrganisationID, Nonce: start.Nonce, CodeVerifier: start.Verifier, Next: next,
		ExpiresAt: time.Now().Add(ssoLoginTTL).UTC()}); err != nil {
		return err
	}
	s.setCookie(c, &http.Cookie{Name: ssoStateCookie, Value: start.State, MaxAge: int(ssoLoginTTL.Seconds())})
	return c.Redirect(http.StatusSeeOther, to)
}

// ssoProvider is the organisation's client registration with its secret
// opened; ok is false when the problem page has been written instead.
func (s *Server) ssoProvider(c echo.Context, st models.SSOSettings) (sso.Provider, bool, error) {
	secret, err := s.sealer.Open(st.ClientSecret, ssoSecretAAD(st.OrganisationID))
	if err != nil {
		// Sealed under another SESSION_KEY: an administrator must enter it again.
		s.log.Error("single sign-on client secret does not open", "organisation", st.OrganisationID, "err", err)
		return sso.Provider{}, false, s.ssoProblem(c, http.StatusServiceUnavailable,
			"Single sign-on is not working for your organisation at the moment. Tell your IT service desk: the service's administrator needs to enter the client secret again.")
	}
	return sso.Provider{Issuer: st.Issuer, ClientID: st.ClientID, ClientSecret: secret,
		RedirectURL: s.cfg.BaseURL + ssoCallbackURL, ExtraScopes: strings.Fields(st.Scopes)}, true, nil
}

func ssoSecretAAD(organisationID uint) string {
	return "organisation:" + strconv.FormatUint(uint64(organisationID), 10)
}

// ssoProblem renders the page that says why single sign-on did not sign
// the person in, with the way back to the sign-in page.
func (s *Server) ssoProblem(c echo.Context, status int, body string) error {
	v := s.view(c, "We could not sign you in")
	v.Data = body
	return s.render(c, status, "sso_problem", v)
}

// ssoRefusals are the messages for each reason the sso package names.
var ssoRefusals = []struct {
	err     error
	status  int
	message string
}{
	{sso.ErrTokenExpired, http.StatusForbidden, "The answer from your organisation's account has expired. Start again from the sign-in page."},
	{sso.ErrNonce, http.StatusForbidden, "The answer from your organisation's account does not belong to this sign-in. Start again from the sign-in page."},
	{sso.ErrEmailUnverified, http.StatusForbidden, "Your organisation's account says your email address has not been verified, so we cannot match it to an account here. Ask your IT service desk."},
	{sso.ErrNoEmail, http.StatusForbidden, "Your organisation's account did not give us your email address, so we cannot match it to an account here. Ask your IT service desk."},
	{sso.ErrTokenInvalid, http.StatusForbidden, "The answer from your organisation's account could not be checked, so we did not sign you in. Start again from the sign-in page."},
	{sso.ErrProviderUnavailable, http.StatusBadGateway, "Your organisation's sign-in service could not be reached. Try again in a few minutes. If it keeps happening, tell your IT service desk."},
}

// ssoCallback is where the provider sends the browser back.
func (s *Server) ssoCallback(c echo.Context) error {
	ctx := c.Request().Context()
	refuse := func(status int, message string) error {
		s.countSignIn(signInSSO, signInFailure)
		return s.ssoProblem(c, status, message)
	}
	state := c.QueryParam("state")
	ck, _ := c.Cookie(s.cookieName(ssoStateCookie))
	s.clearCookie(c, ssoStateCookie)
	const usedOrExpired = "This sign-in has already been used or has expired, or it was started in another browser. Start again from the sign-in page."
	if state == "" || ck == nil || subtle.ConstantTimeCompare([]byte(ck.Value), []byte(state)) != 1 {
		return refuse(http.StatusBadRequest, usedOrExpired)
	}
	login, err := s.store.TakeSSOLogin(ctx, s.tokenHash("sso state:"+state))
	if errors.Is(err, models.ErrNotFound) {
		return refuse(http.StatusBadRequest, usedOrExpired)
	}
	if err != nil {
		return err
	}
	if c.QueryParam("error") != "" || c.QueryParam("code") == "" {
		// The person cancelled, or the provider refused them.
		return refuse(http.StatusForbidden, "Your organisation's sign-in service did not sign you in. Start again from the sign-in page, or ask your IT service desk.")
	}
	st, err := s.store.SSOSettingsFor(ctx, login.OrganisationID)
	if errors.Is(err, models.ErrNotFound) || (err == nil && !st.Enabled) {
		return refuse(http.StatusForbidden, "Single sign-on has been turned off for your organisation. Sign in with your email address and password.")
	}
	if err != nil {
		return err
	}
	provider, ok, err := s.ssoProvider(c, st)
	if !ok || err != nil {
		return err
	}
	id, err := s.sso.Finish(ctx, provider, sso.Start{State: state, Nonce: login.Nonce, Verifier: login.CodeVerifier}, c.QueryParam("code"))
	if err != nil {
		for _, r := range ssoRefusals {
			if errors.Is(err, r.err) {
				s.log.Warn("single sign-on refused", "organisation", st.OrganisationID, "err", err)
				return refuse(r.status, r.message)
			}
		}
		return err
	}
	if !sso.DomainAllowed(id.Email, st.DomainList()) {
		return refuse(http.StatusForbidden, "Your organisation's account gave the email address "+id.Email+
			", whose domain is not one this organisation allows for single sign-on. Ask your organisation's digital lead.")
	}
	u, refusal, err := s.ssoAccount(c, st, id)
	if err != nil {
		return err
	}
	if refusal != "" {
		return refuse(http.StatusForbidden, refusal)
	}
	if err := s.startSession(c, u); err != nil {
		return err
	}
	// Signed in through their own organisation's account: the person
	// themselves, as with their own password.
	if err := s.store.MarkOwnSignIn(ctx, u.ID); err != nil {
		return err
	}
	if err := s.store.Audit(ctx, models.AuditEvent{OrganisationID: &u.OrganisationID, ActorID: &u.ID, Action: "sign-in.sso",
		Subject: u.Email, Details: "issuer " + id.Issuer}); err != nil {
		return err
	}
	s.countSignIn(signInSSO, signInSuccess)
	return redirect(c, login.Next)
}

// ssoAccount finds the account of the person the provider signed in, by
// their verified email address: an existing (imported) account, an
// invitation, or a new staff account when the organisation allows it.
// refusal says why they cannot sign in.
func (s *Server) ssoAccount(c echo.Context, st models.SSOSettings, id sso.Identity) (u models.User, refusal string, err error) {
	ctx := c.Request().Context()
	u, err = s.store.UserByEmail(ctx, id.Email)
	switch {
	case err == nil && u.OrganisationID != st.OrganisationID:
		return u, "Your account in this service belongs to another organisation. Sign in from that organisation, or ask its digital lead.", nil
	case err == nil && !u.Active:
		return u, "Your account has been deactivated. Ask your organisation's digital lead if you need it again.", nil
	case err == nil:
		return u, "", nil
	case !errors.Is(err, models.ErrNotFound):
		return u, "", err
	}
	name := cmp.Or(id.Name, id.Email)
	if r := []rune(name); len(r) > validation.MaxNameLength {
		name = string(r[:validation.MaxNameLength])
	}
	inv, err := s.store.PendingInvitationByEmail(ctx, st.OrganisationID, id.Email)
	switch {
	case err == nil:
		u = models.User{Name: cmp.Or(inv.Name, name)}
		err = s.store.AcceptInvitation(ctx, inv, &u)
	case !errors.Is(err, models.ErrNotFound):
		return u, "", err
	case st.CreateAccounts:
		u = models.User{OrganisationID: st.OrganisationID, Email: id.Email, Name: name}
		err = s.store.CreateSSOUser(ctx, &u)
	default:
		return u, "You have no account in this service yet. Ask your organisation's digital lead to invite you.", nil
	}
	if errors.Is(err, models.ErrDuplicate) || errors.Is(err, models.ErrInvitationUsed) {
		// Another sign-in made the account a moment ago: start again to use it.
		return u, "Your account was being set up at the same moment. Start again from the sign-in page.", nil
	}
	return u, "", err
}

// The administrator's settings page for an organisation's single sign-on.

type ssoForm struct {
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

type ssoSettingsData struct {
	Organisation  models.Organisation
	SecretSaved   bool
	BreakGlass    []option
	YesNo         []option
	CreateOptions []option
	OnlyOptions   []option
	Callback      string
}

func (s *Server) ssoSettingsPage(c echo.Context) error {
	org, err := s.organisationParam(c)
	if err != nil {
		return err
	}
	st, err := s.store.SSOSettingsFor(c.Request().Context(), org.ID)
	if errors.Is(err, models.ErrNotFound) {
		return s.renderSSOSettings(c, org, ssoForm{Enabled: "yes", CreateAccounts: "no", SSOOnly: "no"}, false, nil)
	}
	if err != nil {
		return err
	}
	form := ssoForm{ProviderName: st.ProviderName, Issuer: st.Issuer, ClientID: st.ClientID, Domains: st.Domains, Scopes: st.Scopes,
		Enabled: yesNo(st.Enabled), CreateAccounts: yesNo(st.CreateAccounts), SSOOnly: yesNo(st.SSOOnly)}
	if st.BreakGlassUserID != nil {
		form.BreakGlass = strconv.FormatUint(uint64(*st.BreakGlassUserID), 10)
	}
	return s.renderSSOSettings(c, org, form, st.ClientSecret != "", nil)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func (s *Server) renderSSOSettings(c echo.Context, org models.Organisation, form ssoForm, secretSaved bool, errs formErrors) error {
	candidates, err := s.store.SSOBreakGlassCandidates(c.Request().Context(), org.ID)
	if err != nil {
		return err
	}
	data := ssoSettingsData{Organisation: org, SecretSaved: secretSaved, Callback: s.cfg.BaseURL + ssoCallbackURL,
		YesNo:         []option{{"yes", "Yes"}, {"no", "No"}},
		CreateOptions: []option{{"yes", "Give them a staff account in this organisation"}, {"no", "Refuse them: they need an invitation or an import first"}},
		OnlyOptions:   []option{{"no", "Yes, a password or single sign-on"}, {"yes", "No, single sign-on only (except the break-glass account)"}}}
	for _, u := range candidates {
		if u.PasswordHash != "" {
			data.BreakGlass = append(data.BreakGlass, option{strconv.FormatUint(uint64(u.ID), 10), u.Name + " (" + u.Email + ")"})
		}
	}
	v := s.view(c, "Single sign-on for "+org.Name)
	v.BackLink = "/admin/organisations/" + strconv.FormatUint(uint64(org.ID), 10)
	v.Form = form
	v.Errors = errs
	v.Data = data
	return s.renderForm(c, "sso_settings", v)
}

var domainPattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$`)

func (s *Server) saveSSOSettings(c echo.Context) error {
	ctx := c.Request().Context()
	org, err := s.organisationParam(c)
	if err != nil {
		return err
	}
	saved, err := s.store.SSOSettingsFor(ctx, org.ID)
	hasSaved := err == nil
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return err
	}
	form := ssoForm{
		ProviderName:   strings.TrimSpace(c.FormValue("provider-name")),
		Issuer:         strings.TrimSpace(c.FormValue("issuer")),
		ClientID:       strings.TrimSpace(c.FormValue("client-id")),
		Domains:        strings.TrimSpace(c.FormValue("domains")),
		Scopes:         strings.TrimSpace(c.FormValue("scopes")),
		Enabled:        c.FormValue("enabled"),
		CreateAccounts: c.FormValue("create-accounts"),
		SSOOnly:        c.FormValue("sso-only"),
		BreakGlass:     c.FormValue("break-glass"),
	}
	secret := strings.TrimSpace(c.FormValue("client-secret"))
	var errs formErrors
	if p := textFieldProblem(c, "provider-name", form.ProviderName, "the name of the sign-in service", true, 60); p != "" {
		errs.Add("provider-name", p)
	}
	if p := textRule(c, "issuer", "the issuer URL"); p != "" {
		errs.Add("issuer", p)
	} else if p := issuerProblem(form.Issuer); p != "" {
		errs.Add("issuer", p)
	}
	if p := textFieldProblem(c, "client-id", form.ClientID, "the client ID", true, 200); p != "" {
		errs.Add("client-id", p)
	}
	if p := textFieldProblem(c, "client-secret", secret, "the client secret", !hasSaved || saved.ClientSecret == "", 1000); p != "" {
		errs.Add("client-secret", p)
	}
	domains, p := parseDomains(form.Domains)
	if p == "" {
		p = textRule(c, "domains", "the email domains")
	}
	if p != "" {
		errs.Add("domains", p)
	}
	scopes, p := parseScopes(form.Scopes)
	if p == "" {
		p = textRule(c, "scopes", "the extra scopes")
	}
	if p != "" {
		errs.Add("scopes", p)
	}
	if form.Enabled != "yes" && form.Enabled != "no" {
		errs.Add("enabled", "Select whether single sign-on is on")
	}
	if form.CreateAccounts != "yes" && form.CreateAccounts != "no" {
		errs.Add("create-accounts", "Select whether people with no account get one")
	}
	if form.SSOOnly != "yes" && form.SSOOnly != "no" {
		errs.Add("sso-only", "Select whether passwords can still be used")
	}
	var breakGlass *uint
	if form.SSOOnly == "yes" || form.BreakGlass != "" {
		id, perr := strconv.ParseUint(form.BreakGlass, 10, 64)
		candidates, err := s.store.SSOBreakGlassCandidates(ctx, org.ID)
		if err != nil {
			return err
		}
		for _, u := range candidates {
			if perr == nil && u.ID == uint(id) && u.PasswordHash != "" {
				breakGlass = &u.ID
			}
		}
		if breakGlass == nil {
			errs.Add("break-glass", "Choose the break-glass account: the one account of this organisation that can still sign in with a password if single sign-on fails")
		}
	}
	errs = withInputErrors(c, errs)
	// The issuer is checked last, and only when the rest is right: it asks
	// the provider over the network.
	if len(errs) == 0 && form.Enabled == "yes" {
		if _, err := s.sso.Discover(ctx, form.Issuer); err != nil {
			s.log.Warn("single sign-on discovery failed", "issuer", form.Issuer, "err", err)
			errs.Add("issuer", "We could not read the provider's settings at "+strings.TrimSuffix(form.Issuer, "/")+
				"/.well-known/openid-configuration. Check the issuer URL, and that this service can reach it")
		}
	}
	if len(errs) > 0 {
		return s.renderSSOSettings(c, org, form, hasSaved && saved.ClientSecret != "", errs)
	}
	sealed := saved.ClientSecret
	if secret != "" {
		if sealed, err = s.sealer.Seal(secret, ssoSecretAAD(org.ID)); err != nil {
			return err
		}
	}
	st := models.SSOSettings{OrganisationID: org.ID, ProviderName: form.ProviderName, Issuer: form.Issuer,
		ClientID: form.ClientID, ClientSecret: sealed, Domains: strings.Join(domains, " "), Scopes: strings.Join(scopes, " "), Enabled: form.Enabled == "yes",
		CreateAccounts: form.CreateAccounts == "yes", SSOOnly: form.SSOOnly == "yes", BreakGlassUserID: breakGlass}
	if err := s.store.SaveSSOSettings(ctx, st, mustUser(c).ID); err != nil {
		return err
	}
	s.setFlash(c, "Single sign-on for "+org.Name+" has been saved.")
	return redirect(c, "/admin/organisations/"+strconv.FormatUint(uint64(org.ID), 10)+"/sign-in")
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
		if !slices.Contains(sso.Scopes, sc) && !slices.Contains(out, sc) {
			out = append(out, sc)
		}
	}
	if len(out) > 20 {
		return nil, "Enter 20 extra scopes or fewer"
	}
	return out, ""
}
