package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"nhs-digital-maturity/models"
)

// TestResetPasswordCommand: app reset-password prints a working link for
// an account, audited, and refuses an unknown address.
func TestResetPasswordCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "reset.db")
	key := "a-session-key-of-at-least-32-characters"
	var out, errOut bytes.Buffer
	args := []string{"create-admin", "--database-url", db, "--email", "ops@new.test", "--name", "Ops Person",
		"--ods-code", "qnew", "--organisation-name", "New ICB", "--kind", "icb"}
	if code := run(args, strings.NewReader("a long enough password\n"), &out, &errOut); code != 0 {
		t.Fatalf("create-admin exited %d: %s", code, errOut.String())
	}
	out.Reset()
	if code := run([]string{"reset-password", "--database-url", db, "--session-key", key, "--base-url", "https://svc.test",
		"--email", "OPS@new.test"}, nil, &out, &errOut); code != 0 {
		t.Fatalf("reset-password exited %d: %s", code, errOut.String())
	}
	m := regexp.MustCompile(`https://svc\.test/password/reset/([A-Za-z0-9_-]+)`).FindStringSubmatch(out.String())
	if m == nil || !strings.Contains(out.String(), "works once") {
		t.Fatalf("reset-password printed:\n%s", out.String())
	}
	store, err := models.Open(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	h := hmac.New(sha256.New, []byte(key))
	h.Write([]byte(m[1]))
	if _, u, err := store.PasswordResetByTokenHash(context.Background(), hex.EncodeToString(h.Sum(nil))); err != nil || u.Email != "ops@new.test" {
		t.Errorf("the printed link is not stored for the account: %v %q", err, u.Email)
	}
	errOut.Reset()
	if code := run([]string{"reset-password", "--database-url", db, "--email", "nobody@new.test"}, nil, &out, &errOut); code != 1 ||
		!strings.Contains(errOut.String(), "no account") {
		t.Errorf("unknown address: exit %d, %s", code, errOut.String())
	}
}

// TestApplyRetentionCommand prints what it deleted, counts only.
func TestApplyRetentionCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "retention.db")
	var out, errOut bytes.Buffer
	if code := run([]string{"seed-demo", "--database-url", db}, nil, &out, &errOut); code != 0 {
		t.Fatalf("seed-demo exited %d: %s", code, errOut.String())
	}
	out.Reset()
	t.Setenv("RETAIN_AUDIT_DAYS", "0")
	if code := run([]string{"apply-retention", "--database-url", db, "--retain-leaver-days", "30"}, nil, &out, &errOut); code != 0 {
		t.Fatalf("apply-retention exited %d: %s", code, errOut.String())
	}
	for _, want := range []string{"deleted 0 audit events (kept for ever)", "(kept 90 days)", "(kept 30 days after they left)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "@") {
		t.Errorf("the output names someone:\n%s", out.String())
	}
	t.Setenv("RETAIN_LEAVER_DAYS", "a year")
	if code := run([]string{"apply-retention", "--database-url", db}, nil, &out, &errOut); code != 1 {
		t.Errorf("a bad setting exited %d", code)
	}
}
