package handlers

import (
	"net/mail"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
)

const (
	minPasswordLength = 12
	maxPasswordLength = 256
	maxNameLength     = 100
	maxTextLength     = 100
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

// passwordProblem returns what is wrong with a new password, or "".
// Length and a list of common passwords, no composition rules (NCSC advice).
func passwordProblem(password, email string) string {
	n := utf8.RuneCountInString(password)
	switch {
	case password == "":
		return "Enter a password"
	case n < minPasswordLength:
		return "Password must be 12 characters or more"
	case n > maxPasswordLength:
		return "Password must be 256 characters or fewer"
	case slices.Contains(commonPasswords, strings.ToLower(password)):
		return "This password is too common. Choose one that other people are unlikely to use, such as three random words"
	case email != "" && strings.EqualFold(strings.TrimSpace(password), strings.TrimSpace(email)):
		return "Password must not be your email address"
	}
	return ""
}

// emailProblem returns what is wrong with an email address, or "".
func emailProblem(email string) string {
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

// normaliseODSCode upper-cases and trims a code as people type it.
func normaliseODSCode(code string) string { return strings.ToUpper(strings.TrimSpace(code)) }

func odsCodeProblem(code string) string {
	if code == "" {
		return "Enter the organisation's ODS code"
	}
	if !odsCodePattern.MatchString(code) {
		return "ODS code must be 3 to 5 letters and numbers, like RXA or Q1H"
	}
	return ""
}

// textProblem checks a free-text field for length.
func textProblem(value, label string, required bool, max int) string {
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

// textFieldProblem checks a free-text field of a field form: the input rule
// first (textRule), then textProblem.
func textFieldProblem(c echo.Context, field, value, label string, required bool, max int) string {
	if p := textRule(c, field, label); p != "" {
		return p
	}
	return textProblem(value, label, required, max)
}
