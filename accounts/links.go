package accounts

import (
	"errors"

	"nhs-digital-maturity/models"
)

// LinkProblem says why an invitation or password reset link cannot be
// used, and what to do instead.
type LinkProblem struct {
	Heading string
	Body    string
	// Unknown: no such link was ever made (rather than one used or expired).
	Unknown bool
}

// InvitationProblem is what to tell the person when err, from Invitation
// or Accept, means their invitation link cannot be used; ok is false for
// any other error.
func InvitationProblem(err error) (p LinkProblem, ok bool) {
	switch {
	case errors.Is(err, models.ErrInvitationUsed):
		return LinkProblem{Heading: "This invitation has already been used",
			Body: "Each invitation link works once. If you have set your password, sign in with your email address. If not, ask the person who invited you for a new invitation."}, true
	case errors.Is(err, models.ErrInvitationExpired):
		return LinkProblem{Heading: "This invitation has expired",
			Body: "Invitation links work for 7 days. Ask the person who invited you to send you a new one."}, true
	case errors.Is(err, models.ErrNotFound):
		return LinkProblem{Heading: "This invitation link is not recognised", Unknown: true,
			Body: "Check you copied the entire link. If it still does not work, ask the person who invited you for a new invitation."}, true
	}
	return LinkProblem{}, false
}

// AccountExists is what to tell a person accepting an invitation for an
// address that has an account already.
var AccountExists = LinkProblem{Heading: "An account with this email address already exists",
	Body: "Sign in with your email address and password. If you have forgotten your password, choose \"Forgot your password?\" on the sign-in page, or ask your digital lead."}

// ResetProblem is what to tell the person when err, from Reset or
// UseReset, means their reset link cannot be used; ok is false for any
// other error.
func ResetProblem(err error) (p LinkProblem, ok bool) {
	switch {
	case errors.Is(err, models.ErrResetUsed):
		return LinkProblem{Heading: "This link has already been used",
			Body: "Each password reset link works once. If you did not set your password with it, ask for a new link."}, true
	case errors.Is(err, models.ErrResetExpired):
		return LinkProblem{Heading: "This link has expired",
			Body: "Password reset links work for a short time only. Ask for a new link."}, true
	case errors.Is(err, models.ErrNotFound):
		return LinkProblem{Heading: "This link is not recognised", Unknown: true,
			Body: "Check you copied the entire link. If it still does not work, ask for a new link."}, true
	case errors.Is(err, ErrDeactivated):
		return LinkProblem{Heading: "This account has been deactivated",
			Body: "Ask your organisation's digital lead if you need it again."}, true
	}
	return LinkProblem{}, false
}
