package models_test

import (
	"context"
	"testing"
	"time"

	"nhs-digital-maturity/models"
	"nhs-digital-maturity/models/testdb"
)

// TestApplyRetention: what is older than each setting goes, counted; what
// is newer, and every active person's self-assessment, stays.
func TestApplyRetention(t *testing.T) {
	ctx := context.Background()
	store := testdb.Open(t)
	org := testdb.Organisation(t, store, "Home Trust", "HOM")
	fv := testdb.SkillsFramework(t, store, "skills-retention")
	person := func(email string) models.User {
		u := models.User{OrganisationID: org.ID, Email: email, Name: email, RoleCodes: "staff", Active: true, StaffGroup: "Students"}
		if err := store.CreateUser(ctx, &u); err != nil {
			t.Fatal(err)
		}
		a, err := store.StartSkillsAssessment(ctx, u, fv.ID)
		if err != nil {
			t.Fatal(err)
		}
		score := func(map[string]models.SkillsAnswer) ([]models.SkillsDomainScore, error) {
			return []models.SkillsDomainScore{{DomainCode: "d", Now: 2, Need: 3, Gap: 1}}, nil
		}
		if err := store.CompleteSkillsAssessment(ctx, a, u, "2026/27", score); err != nil {
			t.Fatal(err)
		}
		return u
	}
	stays := person("stays@home.test")
	leftLongAgo := person("left.long.ago@home.test")
	leftRecently := person("left.recently@home.test")
	for _, u := range []*models.User{&leftLongAgo, &leftRecently} {
		if err := store.SetActive(ctx, u, false, 0); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now()
	old := now.AddDate(-7, 0, 0).UTC()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(store.Exec(ctx, "UPDATE users SET left_at = ? WHERE id = ?", now.AddDate(-2, 0, 0).UTC(), leftLongAgo.ID))
	must(store.Exec(ctx, "UPDATE audit_events SET created_at = ?", old))
	must(store.Audit(ctx, models.AuditEvent{OrganisationID: &org.ID, Action: "recent", Subject: "x"}))
	must(store.RecordFailedSignIn(ctx, "k1", "k2"))
	must(store.Exec(ctx, "UPDATE sign_in_attempts SET created_at = ? WHERE key_hash = 'k1'", old))
	must(store.EnqueueEmails(ctx, []models.OutboxMessage{{Kind: "x", Recipient: "a@b.test", Subject: "s", Body: "b"}, {Kind: "x", Recipient: "c@b.test", Subject: "s", Body: "b"}}))
	must(store.Exec(ctx, "UPDATE email_outbox SET created_at = ?", old))
	must(store.Exec(ctx, "UPDATE email_outbox SET status = 'sent' WHERE recipient = 'a@b.test'"))

	day := 24 * time.Hour
	r, err := store.ApplyRetention(ctx, now, models.RetentionPolicy{Audit: 2190 * day, SignIns: 90 * day, Leavers: 365 * day})
	if err != nil {
		t.Fatal(err)
	}
	// Three people's completions were audited at creation, and the two
	// deactivations: all made old above. The recent event stays.
	if r.AuditEvents == 0 || r.SignInAttempts != 1 || r.Emails != 1 || r.LeaverAssessments != 1 {
		t.Errorf("deleted %+v; want the old audit events, 1 sign-in, 1 sent email (the queued one stays), 1 leaver's attempt", r)
	}
	var left []int64
	for _, u := range []models.User{stays, leftLongAgo, leftRecently} {
		history, err := store.SkillsAssessments(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		left = append(left, int64(len(history)))
	}
	if left[0] != 1 || left[1] != 0 || left[2] != 1 {
		t.Errorf("attempts left per person %v, want [1 0 1]", left)
	}
	// Zero keeps everything.
	if r, err := store.ApplyRetention(ctx, now.AddDate(10, 0, 0), models.RetentionPolicy{}); err != nil || r != (models.RetentionResult{}) {
		t.Errorf("an empty policy deleted %+v (%v)", r, err)
	}
}
