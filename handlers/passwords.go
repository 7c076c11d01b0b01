package handlers

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/email"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/validation"
)

// Limits of "Forgot your password?": per address and per client, in an
// hour. Past them no email is sent, and the page says the same as ever.
const (
	resetWindow          = time.Hour
	maxResetsPerEmail    = 3
	maxResetsPerAddress  = 20
	defaultResetLifetime = time.Hour
	// A link a lead or the command line makes is handed over by a person,
	// so it lasts longer than one sent by email.
	defaultIssuedResetLifetime = 24 * time.Hour
)

type forgotForm struct{ Email string }

type forgotData struct {
	// Mail says whether the service sends email; without it the page tells
	// people to ask their digital lead.
	Mail bool
	Sent bool
}

func (s *Server) forgotPasswordPage(c echo.Context) error {
	v := s.view(c, "Reset your password")
	v.BackLink = "/sign-in"
	v.Form = forgotForm{}
	v.Data = forgotData{Mail: s.cfg.Mail}
	return s.render(c, http.StatusOK, "forgot_password", v)
}

// forgotPassword sends a reset link when the address has an active
// account. The answer is the same whether or not it has, and whether or
// not a limit stopped the email.
func (s *Server) forgotPassword(c echo.Context) error {
	ctx := c.Request().Context()
	form := forgotForm{Email: strings.TrimSpace(c.FormValue("email"))}
	v := s.view(c, "Reset your password")
	v.BackLink = "/sign-in"
	v.Form = form
	v.Data = forgotData{Mail: s.cfg.Mail}
	if p := textRule(c, "email", "email address"); p != "" {
		v.Errors.Add("email", p)
	} else if form.Email == "" {
		v.Errors.Add("email", "Enter your email address")
	} else if !strings.Contains(form.Email, "@") {
		v.Errors.Add("email", "Enter an email address in the correct format, like name@example.nhs.uk")
	}
	if v.Errors = withInputErrors(c, v.Errors); len(v.Errors) > 0 {
		return s.renderForm(c, "forgot_password", v)
	}
	if !s.cfg.Mail {
		return s.render(c, http.StatusOK, "forgot_password", v)
	}
	emailKey, addressKey, byEmail, byAddress, err := s.recentAttempts(c, "reset", form.Email, resetWindow)
	if err != nil {
		return err
	}
	if err := s.store.RecordFailedSignIn(ctx, emailKey, addressKey); err != nil {
		return err
	}
	if byEmail < maxResetsPerEmail && byAddress < maxResetsPerAddress {
		u, err := s.store.UserByEmail(ctx, form.Email)
		switch {
		case errors.Is(err, models.ErrNotFound):
			s.log.Info("password reset asked for an unknown address")
		case err != nil:
			return err
		case !u.Active:
			s.log.Info("password reset asked for a deactivated account", "user", u.ID)
		default:
			token := newToken()
			link := s.cfg.BaseURL + "/password/reset/" + token
			msg := email.PasswordReset(u.Email, link, s.cfg.ResetLifetime)
			msg.OrganisationID = &u.OrganisationID
			if err := s.store.CreatePasswordReset(ctx, u, s.tokenHash(token), time.Now().Add(s.cfg.ResetLifetime),
				models.ResetIssue{Email: &msg, How: "email"}); err != nil {
				return err
			}
		}
	} else {
		s.log.Info("password reset limit reached; no email sent")
	}
	v.Data = forgotData{Mail: true, Sent: true}
	return s.render(c, http.StatusOK, "forgot_password", v)
}

type resetData struct {
	Token   string
	Account models.User
}

// resetFromLink finds a usable reset link or renders the page that says
// why it cannot be used; handled is true when that page was written.
func (s *Server) resetFromLink(c echo.Context) (r models.PasswordReset, u models.User, handled bool, err error) {
	r, u, err = s.store.PasswordResetByTokenHash(c.Request().Context(), s.tokenHash(c.Param("token")))
	var problem invitationProblem
	status := http.StatusGone
	switch {
	case errors.Is(err, models.ErrResetUsed):
		problem = invitationProblem{"This link has already been used",
			"Each password reset link works once. If you did not set your password with it, ask for a new link."}
	case errors.Is(err, models.ErrResetExpired):
		problem = invitationProblem{"This link has expired",
			"Password reset links work for a short time only. Ask for a new link."}
	case errors.Is(err, models.ErrNotFound):
		status = http.StatusNotFound
		problem = invitationProblem{"This link is not recognised",
			"Check you copied the entire link. If it still does not work, ask for a new link."}
	case err != nil:
		return r, u, false, err
	case !u.Active:
		problem = invitationProblem{"This account has been deactivated",
			"Ask your organisation's digital lead if you need it again."}
	default:
		return r, u, false, nil
	}
	return r, u, true, s.linkProblem(c, status, problem)
}

func (s *Server) resetPasswordPage(c echo.Context) error {
	_, u, handled, err := s.resetFromLink(c)
	if handled || err != nil {
		return err
	}
	v := s.view(c, "Set a new password")
	v.Data = resetData{Token: c.Param("token"), Account: u}
	return s.render(c, http.StatusOK, "reset_password", v)
}

func (s *Server) resetPassword(c echo.Context) error {
	r, u, handled, err := s.resetFromLink(c)
	if handled || err != nil {
		return err
	}
	password, confirm := c.FormValue("password"), c.FormValue("confirm-password")
	var errs formErrors
	if p := textRule(c, "password", "password"); p != "" {
		errs.Add("password", p)
	} else if p := validation.PasswordProblem(password, u.Email); p != "" {
		errs.Add("password", p)
	} else if confirm != password {
		errs.Add("confirm-password", "The passwords do not match. Enter the same password twice")
	}
	if errs = withInputErrors(c, errs); len(errs) > 0 {
		v := s.view(c, "Set a new password")
		v.Errors = errs
		v.Data = resetData{Token: c.Param("token"), Account: u}
		return s.renderForm(c, "reset_password", v)
	}
	hash, err := s.hashPassword(c.Request().Context(), password)
	if err != nil {
		return err
	}
	if err := s.store.UsePasswordReset(c.Request().Context(), r, hash); errors.Is(err, models.ErrResetUsed) {
		_, _, _, err = s.resetFromLink(c)
		return err
	} else if err != nil {
		return err
	}
	s.clearCookie(c, sessionCookie)
	s.setFlash(c, "Your password has been changed. Sign in with your new password.")
	return redirect(c, "/sign-in")
}

type resetLinkData struct {
	Account   models.User
	Link      string
	ExpiresAt time.Time
}

// issueResetLink is a digital lead or admin making a reset link for an
// account they manage, shown once, for them to hand over: the way back in
// when the service sends no email. Audited.
func (s *Server) issueResetLink(c echo.Context) error {
	u, err := s.accountFor(c)
	if err != nil {
		return err
	}
	me := mustUser(c)
	if u.Roles().Outranks(me.Roles()) {
		return echo.ErrForbidden
	}
	if !u.Active {
		return s.renderAccount(c, u, u.Roles(), formErrors{{Field: "reset-link", Message: "This account is deactivated. Reactivate it before making a password reset link"}})
	}
	token := newToken()
	expires := time.Now().Add(s.cfg.IssuedResetLifetime)
	if err := s.store.CreatePasswordReset(c.Request().Context(), u, s.tokenHash(token), expires,
		models.ResetIssue{ActorID: me.ID, How: "a digital lead or administrator"}); err != nil {
		return err
	}
	org, err := s.store.OrganisationByID(c.Request().Context(), u.OrganisationID)
	if err != nil {
		return err
	}
	v := s.view(c, "Password reset link created")
	v.BackLink = accountsLink(me, org)
	v.Data = resetLinkData{Account: u, Link: s.cfg.BaseURL + "/password/reset/" + token, ExpiresAt: expires}
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, http.StatusOK, "reset_link", v)
}

// ErrNoSuchAccount is the command line naming an address with no account.
var ErrNoSuchAccount = errors.New("no account has this email address")

// IssueResetLink makes a password reset link for the command line
// ("app reset-password"): the same link a lead can make, audited as made
// from the command line.
func IssueResetLink(ctx context.Context, store *models.Store, sessionKey []byte, baseURL, address string) (string, time.Time, error) {
	u, err := store.UserByEmail(ctx, address)
	if errors.Is(err, models.ErrNotFound) {
		return "", time.Time{}, ErrNoSuchAccount
	}
	if err != nil {
		return "", time.Time{}, err
	}
	token := newToken()
	expires := time.Now().Add(defaultIssuedResetLifetime)
	if err := store.CreatePasswordReset(ctx, u, tokenHashWith(sessionKey, token), expires, models.ResetIssue{How: "the command line"}); err != nil {
		return "", time.Time{}, err
	}
	return strings.TrimRight(baseURL, "/") + "/password/reset/" + token, expires, nil
}
