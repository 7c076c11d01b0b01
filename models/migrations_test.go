package models_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"nhs-digital-maturity/models"
	"nhs-digital-maturity/models/testdb"
)

func TestMigrationsBringAnEmptyDatabaseToTheLatestVersion(t *testing.T) {
	ctx := context.Background()
	store := testdb.OpenEmpty(t)
	t.Logf("database: %s", store.Dialect())

	v, err := store.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v != 0 {
		t.Fatalf("empty database at version %d", v)
	}
	pending, _ := store.PendingMigrations(ctx)
	if pending == 0 {
		t.Fatal("an empty database has no pending migrations")
	}

	applied, err := store.Migrate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) != pending {
		t.Errorf("applied %d migrations, want %d", len(applied), pending)
	}
	if v, _ = store.SchemaVersion(ctx); v != models.LatestSchemaVersion() {
		t.Errorf("version %d after migrating, want %d", v, models.LatestSchemaVersion())
	}

	// Running again changes nothing.
	applied, err = store.Migrate(ctx)
	if err != nil || len(applied) != 0 {
		t.Errorf("second run applied %v, err %v", applied, err)
	}

	// The schema holds what the models need.
	o := models.Organisation{Name: "Trust", ODSCode: "ABC", Kind: models.KindAcute}
	if err := store.CreateOrganisation(ctx, &o, 0); err != nil {
		t.Fatalf("create organisation in migrated schema: %v", err)
	}
	u := models.User{OrganisationID: o.ID, Email: "A@B.test", Name: "A", RoleCodes: "staff", Active: true}
	if err := store.CreateUser(ctx, &u); err != nil {
		t.Fatal(err)
	}
	dup := models.User{OrganisationID: o.ID, Email: "a@b.test", Name: "B", Active: true}
	if err := store.CreateUser(ctx, &dup); err != models.ErrDuplicate {
		t.Errorf("duplicate email: err %v, want ErrDuplicate", err)
	}
}

// TestMigrationsDropTheWorkforceTotals: migration 4 made skills_rollup and
// migration 14 drops it, so a migrated database has no such table, while
// the attempts it was kept from are still there.
func TestMigrationsDropTheWorkforceTotals(t *testing.T) {
	ctx := context.Background()
	store := testdb.Open(t)
	if err := store.Exec(ctx, "SELECT COUNT(*) FROM skills_assessments"); err != nil {
		t.Fatalf("the attempts: %v", err)
	}
	err := store.Exec(ctx, "SELECT COUNT(*) FROM skills_rollup")
	if err == nil || !strings.Contains(err.Error(), "skills_rollup") {
		t.Errorf("reading skills_rollup after migrating: error %v, want no such table", err)
	}
}

func TestSeedDemoOnlyIntoAnEmptyDatabase(t *testing.T) {
	ctx := context.Background()
	store := testdb.Open(t)
	cheap := models.PasswordHasher{MemoryKiB: 64, Time: 1, Threads: 1}
	if err := store.SeedDemo(ctx, cheap); err != nil {
		t.Fatal(err)
	}
	orgs, _ := store.Organisations(ctx)
	kinds := map[string]bool{}
	for _, o := range orgs {
		kinds[o.Kind] = true
	}
	for _, k := range []string{models.KindAcute, models.KindMentalHealth, models.KindCommunity, models.KindAmbulance, models.KindICB} {
		if !kinds[k] {
			t.Errorf("no demo organisation of kind %s", k)
		}
	}
	if len(orgs) < 6 {
		t.Errorf("%d demo organisations, want at least 6", len(orgs))
	}
	for _, a := range models.DemoAccounts() {
		u, err := store.UserByEmail(ctx, a.Email)
		if err != nil {
			t.Fatalf("%s: %v", a.Email, err)
		}
		if ok, _ := cheap.Verify(models.DemoPassword, u.PasswordHash); !ok {
			t.Errorf("%s does not have the demo password", a.Email)
		}
	}
	if demo, _ := store.IsDemo(ctx); !demo {
		t.Error("database not marked as demo data")
	}
	if err := store.SeedDemo(ctx, cheap); err != models.ErrNotEmpty {
		t.Errorf("second seed: %v, want ErrNotEmpty", err)
	}
}

func TestPasswordHasher(t *testing.T) {
	h := models.PasswordHasher{MemoryKiB: 64, Time: 1, Threads: 1}
	hash, err := h.Hash("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := h.Verify("correct horse battery staple", hash); !ok {
		t.Error("right password refused")
	}
	if ok, _ := h.Verify("correct horse battery stable", hash); ok {
		t.Error("wrong password accepted")
	}
	// Settings travel in the hash: a stronger hasher still reads it.
	if ok, _ := models.DefaultPasswordHasher().Verify("correct horse battery staple", hash); !ok {
		t.Error("hash unreadable with other settings")
	}
	if _, err := h.Verify("x", "plain text"); err != models.ErrBadHash {
		t.Errorf("bad hash: %v", err)
	}
}

func TestParseRoles(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{[]string{"lead staff"}, "staff lead"},
		{[]string{"admin", "admin", "nonsense"}, "admin"},
		{nil, ""},
		{[]string{"board", "staff"}, "staff board"},
	}
	for _, tt := range tests {
		if got := models.ParseRoles(tt.in...).String(); got != tt.want {
			t.Errorf("ParseRoles(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestPoolSizeIsASetting: five instances of a fixed pool of 20 exhausted
// PostgreSQL's connection slots, so the pool size is the deployment's choice.
func TestPoolSizeIsASetting(t *testing.T) {
	url := testdb.URL()
	if url == "" {
		url = filepath.Join(t.TempDir(), "pool.db")
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, n := range []int{1, 7} {
		store, err := models.OpenWith(url, log, models.Options{MaxConns: n})
		if err != nil {
			t.Fatal(err)
		}
		if got := store.MaxConns(); got != n {
			t.Errorf("MaxConns %d gave a pool of %d", n, got)
		}
		store.Close()
	}
	store, err := models.Open(url, log)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	want := models.DefaultSQLiteMaxConns
	if store.Dialect() == models.Postgres {
		want = models.DefaultPostgresMaxConns
	}
	if got := store.MaxConns(); got != want {
		t.Errorf("default pool of %d, want %d", got, want)
	}
}

// TestReadyWritesNothing: the readiness check's write is rolled back.
func TestReadyWritesNothing(t *testing.T) {
	store := testdb.Open(t)
	ctx := context.Background()
	if err := store.Ready(ctx); err != nil {
		t.Fatalf("a fresh database is not ready: %v", err)
	}
	if v, err := store.Setting(ctx, models.SettingReadiness); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("the readiness check left %q (%v)", v, err)
	}
}
