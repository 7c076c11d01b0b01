package models_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"nhs-digital-maturity/models"
	"nhs-digital-maturity/models/testdb"
)

// TestSkillsScopeMustBeExplicit: a scope that is neither one organisation
// nor national is refused by the workforce query that takes one, never
// read as "every organisation".
func TestSkillsScopeMustBeExplicit(t *testing.T) {
	store := testdb.Open(t)
	ctx := context.Background()
	for _, scope := range []models.SkillsScope{{}, {OrganisationID: 1, National: true}} {
		if _, err := store.WorkforceCells(ctx, 1, scope); !errors.Is(err, models.ErrNoSkillsScope) {
			t.Errorf("WorkforceCells with scope %+v: error %v, want ErrNoSkillsScope", scope, err)
		}
	}
}

// participationStore is two trusts. Alpha: three staff accounts, a digital
// lead who is also staff, a board member who is not, an inactive member of
// staff; invitations to two new people, to someone who already has an
// account (in Beta), one expired, one used and one for the board. Alpha's
// attempts: one completed, one stopped at communication, and one person who
// completed and then began again (not a stop). Beta: two staff, one stopped
// at data-information.
func participationStore(t *testing.T) (*models.Store, models.Organisation, models.Organisation) {
	t.Helper()
	store := testdb.Open(t)
	ctx := context.Background()
	fv := testdb.SkillsFramework(t, store, "skills-test")
	alpha, beta := testdb.Organisation(t, store, "Alpha", "AAA"), testdb.Organisation(t, store, "Beta", "BBB")
	now := time.Now().UTC()
	user := func(o models.Organisation, email, roles string, active bool) models.User {
		u := models.User{OrganisationID: o.ID, Email: email, Name: email, RoleCodes: roles, Active: active, OwnSignInAt: &now}
		if err := store.CreateUser(ctx, &u); err != nil {
			t.Fatal(err)
		}
		return u
	}
	a1, a2, a3 := user(alpha, "a1@alpha.test", "staff", true), user(alpha, "a2@alpha.test", "staff", true), user(alpha, "a3@alpha.test", "staff", true)
	user(alpha, "lead@alpha.test", "staff lead", true)
	user(alpha, "board@alpha.test", "board", true)
	user(alpha, "gone@alpha.test", "staff", false)
	b1 := user(beta, "b1@beta.test", "staff", true)
	user(beta, "b2@beta.test", "staff", true)

	invite := func(email, roles string, expires time.Time, used *time.Time) {
		inv := models.Invitation{OrganisationID: alpha.ID, Email: email, RoleCodes: roles, TokenHash: "hash-" + email,
			ExpiresAt: expires, UsedAt: used}
		if err := store.CreateInvitation(ctx, &inv, 0); err != nil {
			t.Fatal(err)
		}
	}
	invite("new1@alpha.test", "staff", now.Add(time.Hour), nil)
	invite("new2@alpha.test", "staff board", now.Add(time.Hour), nil)
	invite("b2@beta.test", "staff", now.Add(time.Hour), nil)
	invite("late@alpha.test", "staff", now.Add(-time.Hour), nil)
	invite("used@alpha.test", "staff", now.Add(time.Hour), &now)
	invite("member@alpha.test", "board", now.Add(time.Hour), nil)

	start := func(u models.User) models.SkillsAssessment {
		a, err := store.StartSkillsAssessment(ctx, u, fv.ID)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	complete := func(u models.User) {
		scores := []models.SkillsDomainScore{{DomainCode: "communication", Now: 2, Need: 3, Gap: 1}}
		if err := store.CompleteSkillsAssessment(ctx, start(u), u, "2026/27", fixedScores(scores)); err != nil {
			t.Fatal(err)
		}
	}
	stop := func(u models.User, domain string) {
		if err := store.SaveSkillsAnswers(ctx, start(u), nil, domain); err != nil {
			t.Fatal(err)
		}
	}
	complete(a1)
	stop(a2, "communication")
	complete(a3)
	stop(a3, "data-information")
	stop(b1, "data-information")
	return store, alpha, beta
}

// TestParticipationInTheReleaseSource: the participation a workforce
// release is built from, per organisation: who has been asked, who
// completed (their latest attempts), and where unfinished attempts
// stopped.
func TestParticipationInTheReleaseSource(t *testing.T) {
	store, alpha, beta := participationStore(t)
	type participation struct {
		Invited, Completed int
		StoppedAt          map[string]int
	}
	got := map[uint]*participation{alpha.ID: {StoppedAt: map[string]int{}}, beta.ID: {StoppedAt: map[string]int{}}}
	stops, invited, err := store.WorkforceSource(context.Background(), time.Time{}, func(g models.WorkforceGroup) {
		if g.DomainCode == "" && g.Latest {
			got[g.OrganisationID].Completed += int(g.People)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stops {
		got[s.OrganisationID].StoppedAt[s.CurrentDomain] += int(s.People)
	}
	for _, v := range invited {
		got[v.OrganisationID].Invited += int(v.People)
	}
	for _, tc := range []struct {
		name string
		org  models.Organisation
		want participation
	}{
		// Alpha: 4 staff accounts and 2 pending invitations; b2's
		// invitation no longer counts, as b2 has an account. a3 completed
		// and began again: not a stop.
		{"Alpha", alpha, participation{Invited: 6, Completed: 2, StoppedAt: map[string]int{"communication": 1}}},
		{"Beta", beta, participation{Invited: 2, Completed: 0, StoppedAt: map[string]int{"data-information": 1}}},
	} {
		if !reflect.DeepEqual(*got[tc.org.ID], tc.want) {
			t.Errorf("%s: participation %+v, want %+v", tc.name, *got[tc.org.ID], tc.want)
		}
	}
}
