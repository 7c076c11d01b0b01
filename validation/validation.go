// Package validation holds the rules for what people type that more than
// one feature shares, and the list of problems a form is answered with.
// Feature packages return Errors for a person's mistakes; handlers show
// them in the NHS error summary beside the fields they name.
package validation

import (
	"net/mail"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Error is one problem with one form field. Field is the input's id, so the
// error summary can link to it.
type Error struct{ Field, Message string }

// Errors keeps problems in the order of the form's fields. As an error it
// says a person's input was refused and nothing was stored.
type Errors []Error

// Add records a problem with a field.
func (e *Errors) Add(field, message string) { *e = append(*e, Error{field, message}) }

// For returns the message for one field, for the error next to it.
func (e Errors) For(field string) string {
	for _, fe := range e {
		if fe.Field == field {
			return fe.Message
		}
	}
	return ""
}

// Has reports whether a field has a problem.
func (e Errors) Has(field string) bool { return e.For(field) != "" }

func (e Errors) Error() string {
	msgs := make([]string, len(e))
	for i, fe := range e {
		msgs[i] = fe.Field + ": " + fe.Message
	}
	return "input refused: " + strings.Join(msgs, "; ")
}

// OrNil returns the problems as an error, or nil when there are none.
func (e Errors) OrNil() error {
	if len(e) == 0 {
		return nil
	}
	return e
}

// Lengths of the free-text fields.
const (
	MinPasswordLength = 12
	MaxPasswordLength = 256
	MaxNameLength     = 100
	MaxTextLength     = 100
)

// commonPasswords are passwords of 12 characters or more that appear near
// the top of breached-password lists; they are refused whatever their case.
var commonPasswords = []string{
	"123456789012", "1234567890123", "12345678901234", "123456789123", "111111111111", "000000000000",
	"password1234", "password12345", "passwordpassword", "password123456", "password1234!",
	"qwertyuiopas", "qwertyuiop123", "qwerty123456", "1q2w3e4r5t6y", "1qaz2wsx3edc", "zaq12wsxcde3",
	"iloveyou1234", "letmein12345", "welcome12345", "welcome123456", "changeme1234", "administrator",
	"abcdefghijkl", "abc123456789", "aaaaaaaaaaaa", "football1234", "baseball1234", "sunshine1234",
	"princess1234", "monkey123456", "dragon123456", "trustno11234", "starwars1234", "superman1234",
	"nhsnhsnhsnhs", "nhspassword1", "nhspassword123", "hospital1234", "nurse1234567", "doctor123456",
	"password2024", "password2025", "password2026", "summer2026!!", "winter2026!!", "demo-password-1",
}

// PasswordProblem returns what is wrong with a new password, or "".
// Length and a list of common passwords, no composition rules (NCSC advice).
func PasswordProblem(password, email string) string {
	n := utf8.RuneCountInString(password)
	switch {
	case password == "":
		return "Enter a password"
	case n < MinPasswordLength:
		return "Password must be 12 characters or more"
	case n > MaxPasswordLength:
		return "Password must be 256 characters or fewer"
	case slices.Contains(commonPasswords, strings.ToLower(password)):
		return "This password is too common. Choose one that other people are unlikely to use, such as three random words"
	case email != "" && strings.EqualFold(strings.TrimSpace(password), strings.TrimSpace(email)):
		return "Password must not be your email address"
	}
	return ""
}

// EmailProblem returns what is wrong with an email address, or "".
func EmailProblem(email string) string {
	if email == "" {
		return "Enter an email address"
	}
	if len(email) > 254 {
		return "Email address must be 254 characters or fewer"
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || !strings.Contains(email[strings.LastIndex(email, "@"):], ".") {
		return "Enter an email address in the correct format, like name@example.nhs.uk"
	}
	return ""
}

var odsCodePattern = regexp.MustCompile(`^[A-Z0-9]{3,5}$`)

// NormaliseODSCode upper-cases and trims a code as people type it.
func NormaliseODSCode(code string) string { return strings.ToUpper(strings.TrimSpace(code)) }

// ODSCodeProblem returns what is wrong with an organisation's ODS code, or "".
func ODSCodeProblem(code string) string {
	if code == "" {
		return "Enter the organisation's ODS code"
	}
	if !odsCodePattern.MatchString(code) {
		return "ODS code must be 3 to 5 letters and numbers, like RXA or Q1H"
	}
	return ""
}

// TextProblem checks a free-text field for length.
func TextProblem(value, label string, required bool, max int) string {
	if value == "" {
		if required {
			return "Enter " + label
		}
		return ""
	}
	if utf8.RuneCountInString(value) > max {
		return strings.ToUpper(label[:1]) + label[1:] + " must be " + strconv.Itoa(max) + " characters or fewer"
	}
	return ""
}

// Level reads a level chosen from 1 to max, as a radio button sends it.
// ok is false for anything else, including an empty value.
func Level(raw string, max int) (level int, ok bool) {
	n, err := strconv.Atoi(strings.TrimSpace(raw))
	if err != nil || n < 1 || n > max {
		return 0, false
	}
	return n, true
}
