package sso

import (
	"errors"
	"strings"
	"testing"
)

func TestSealer(t *testing.T) {
	key := []byte("a-session-key-of-at-least-32-bytes-long")
	s, err := NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := s.Seal("the client secret", "organisation:1")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sealed, "client secret") {
		t.Fatalf("sealed value %q shows the secret", sealed)
	}
	if got, err := s.Open(sealed, "organisation:1"); err != nil || got != "the client secret" {
		t.Errorf("Open = %q, %v; want the secret", got, err)
	}
	// Copied to another organisation's row, or under another session key,
	// it does not open.
	if _, err := s.Open(sealed, "organisation:2"); !errors.Is(err, ErrSealBroken) {
		t.Errorf("opened with another organisation: %v", err)
	}
	other, _ := NewSealer([]byte("another-session-key-of-at-least-32-bytes"))
	if _, err := other.Open(sealed, "organisation:1"); !errors.Is(err, ErrSealBroken) {
		t.Errorf("opened under another key: %v", err)
	}
	if _, err := s.Open("plain text", "organisation:1"); !errors.Is(err, ErrSealBroken) {
		t.Errorf("opened a value that was never sealed: %v", err)
	}
}

func TestDomainAllowed(t *testing.T) {
	domains := []string{"example.nhs.uk", "nhs.net"}
	for email, want := range map[string]bool{
		"a@example.nhs.uk": true, "A@EXAMPLE.NHS.UK": true, "a@nhs.net": true,
		"a@sub.example.nhs.uk": false, "a@example.nhs.uk.evil.test": false, "a@b@nhs.net": true,
		"example.nhs.uk": false, "a@": false,
	} {
		if got := DomainAllowed(email, domains); got != want {
			t.Errorf("DomainAllowed(%q) = %v, want %v", email, got, want)
		}
	}
}
