package validation

import (
	"errors"
	"strings"
	"testing"
)

func TestErrorsKeepOrderAndSayWhichField(t *testing.T) {
	var errs Errors
	if errs.OrNil() != nil {
		t.Fatal("no problems must be no error")
	}
	errs.Add("email", "Enter an email address")
	errs.Add("name", "Enter a name")
	if errs.For("name") != "Enter a name" || errs.For("role") != "" || !errs.Has("email") {
		t.Fatalf("For/Has: %v", errs)
	}
	var got Errors
	if !errors.As(errs.OrNil(), &got) || len(got) != 2 || got[0].Field != "email" {
		t.Fatalf("as an error: %v", got)
	}
}

func TestLevel(t *testing.T) {
	for raw, want := range map[string]int{"1": 1, " 5 ": 5, "0": 0, "6": 0, "": 0, "2.5": 0, "x": 0} {
		got, ok := Level(raw, 5)
		if got != want || ok != (want != 0) {
			t.Errorf("Level(%q) = %d, %v; want %d", raw, got, ok, want)
		}
	}
}

func TestPasswordEmailAndODSRules(t *testing.T) {
	cases := []struct{ got, want string }{
		{PasswordProblem("", ""), "Enter a password"},
		{PasswordProblem("short", ""), "Password must be 12 characters or more"},
		{PasswordProblem("Password1234", ""), "This password is too common. Choose one that other people are unlikely to use, such as three random words"},
		{PasswordProblem("amy@example.nhs.uk", "AMY@example.nhs.uk"), "Password must not be your email address"},
		{PasswordProblem("correct horse battery", "amy@example.nhs.uk"), ""},
		{EmailProblem("amy@example"), "Enter an email address in the correct format, like name@example.nhs.uk"},
		{EmailProblem("Amy <amy@example.nhs.uk>"), "Enter an email address in the correct format, like name@example.nhs.uk"},
		{EmailProblem("amy@example.nhs.uk"), ""},
		{ODSCodeProblem(NormaliseODSCode(" rxa ")), ""},
		{ODSCodeProblem("RX"), "ODS code must be 3 to 5 letters and numbers, like RXA or Q1H"},
		{TextProblem(strings.Repeat("é", 101), "job role", false, 100), "Job role must be 100 characters or fewer"},
		{TextProblem("", "name", true, 100), "Enter name"},
	}
	for i, c := range cases {
		if c.got != c.want {
			t.Errorf("case %d: got %q, want %q", i, c.got, c.want)
		}
	}
}
