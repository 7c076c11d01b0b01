package main

import (
	"bytes"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestCommandsHaveHelp(t *testing.T) {
	for _, cmd := range []string{"serve", "migrate", "seed-demo", "create-admin"} {
		var out, errOut bytes.Buffer
		if code := run([]string{cmd, "--help"}, strings.NewReader(""), &out, &errOut); code != 0 {
			t.Errorf("%s --help exited %d", cmd, code)
		}
		if !strings.Contains(errOut.String(), "-database-url") {
			t.Errorf("%s --help does not list its flags:\n%s", cmd, errOut.String())
		}
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"nonsense"}, strings.NewReader(""), &out, &errOut); code != 2 {
		t.Errorf("unknown command exited %d, want 2", code)
	}
}

func TestMigrateSeedAndCreateAdmin(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cli.db")
	var out, errOut bytes.Buffer
	if code := run([]string{"migrate", "--database-url", db}, nil, &out, &errOut); code != 0 {
		t.Fatalf("migrate exited %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "schema version") {
		t.Errorf("migrate output: %s", out.String())
	}
	out.Reset()
	if code := run([]string{"seed-demo", "--database-url", db}, nil, &out, &errOut); code != 0 {
		t.Fatalf("seed-demo exited %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "lead@example.nhs.uk") {
		t.Errorf("seed-demo output lacks the demo accounts: %s", out.String())
	}
	errOut.Reset()
	if code := run([]string{"seed-demo", "--database-url", db}, nil, &out, &errOut); code != 1 ||
		!strings.Contains(errOut.String(), "only loaded into an empty database") {
		t.Errorf("second seed-demo exited %d: %s", code, errOut.String())
	}

	args := []string{"create-admin", "--database-url", db, "--email", "ops@new.test", "--name", "Ops Person",
		"--ods-code", "qnew", "--organisation-name", "New ICB", "--kind", "icb"}
	out.Reset()
	if code := run(args, strings.NewReader("a long enough password\n"), &out, &errOut); code != 0 {
		t.Fatalf("create-admin exited %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "created administrator ops@new.test in New ICB") {
		t.Errorf("create-admin output: %s", out.String())
	}
	errOut.Reset()
	if code := run(args, strings.NewReader("short\n"), &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "12 characters") {
		t.Errorf("short password: exit %d, %s", code, errOut.String())
	}
}

func TestConfigValidation(t *testing.T) {
	tests := []struct {
		cfg  config
		want error
	}{
		{config{MinGroupSize: 10}, nil},
		{config{MinGroupSize: 4}, ErrMinGroupSize},
		{config{MinGroupSize: 10, SessionKey: "too short"}, ErrSessionKey},
		{config{MinGroupSize: 10, TrustedProxies: "10.0.0.0/8, 192.0.2.10 2001:db8::/32"}, nil},
		{config{MinGroupSize: 10, TrustedProxies: "10.0.0.0/8,proxy.internal"}, ErrTrustedProxy},
		{config{MinGroupSize: 10, TrustedProxies: "10.0.0.0/33"}, ErrTrustedProxy},
	}
	for _, tt := range tests {
		if err := tt.cfg.validate(); !errors.Is(err, tt.want) {
			t.Errorf("validate(%+v) = %v, want %v", tt.cfg, err, tt.want)
		}
	}
}
