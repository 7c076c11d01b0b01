package reminders_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"nhs-digital-maturity/models"
	"nhs-digital-maturity/models/testdb"
	"nhs-digital-maturity/reminders"
	"nhs-digital-maturity/validation"
)

func TestCountText(t *testing.T) {
	s := reminders.Service{MinGroupSize: 5}
	for n, want := range map[int]string{0: "no people", 1: "fewer than 5 people", 4: "fewer than 5 people", 5: "about 10 people", 10: "about 10 people", 11: "about 20 people"} {
		if got := s.CountText(n); got != want {
			t.Errorf("CountText(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestGapText(t *testing.T) {
	for d, want := range map[time.Duration]string{24 * time.Hour: "1 day", reminders.DefaultGap: "7 days", 90 * time.Minute: "1h30m0s"} {
		if got := reminders.GapText(d); got != want {
			t.Errorf("GapText(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestSendSkillsRuns(t *testing.T) {
	ctx := context.Background()
	store := testdb.Open(t)
	org := testdb.Organisation(t, store, "Riverside Trust", "RVT")
	var lead models.User
	for i := range 6 {
		u := models.User{OrganisationID: org.ID, Email: fmt.Sprintf("p%d@riverside.nhs.uk", i), Name: fmt.Sprint("Person ", i),
			RoleCodes: string(models.RoleStaff), Active: true}
		if i == 0 {
			u.RoleCodes = models.Roles{models.RoleStaff, models.RoleLead}.String()
		}
		if err := store.CreateUser(ctx, &u); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			lead = u
		}
	}
	s := reminders.Service{Store: store, MinGroupSize: 5, Gap: reminders.DefaultGap, BaseURL: "https://service.test"}
	now := time.Now()
	problem := func(err error, field string) string {
		var fe validation.Errors
		if !errors.As(err, &fe) {
			t.Fatalf("got %v, want the form's problems", err)
		}
		return fe.For(field)
	}

	_, err := s.Send(ctx, lead, org, models.RunSkillsInvite, true, now)
	if got := problem(err, "kind"); got != "This service is not set up to send email, so it cannot send invitations or reminders. Ask the service administrator to set SMTP_URL" {
		t.Errorf("no mail: %q", got)
	}
	s.Mail = true
	if _, err := s.Send(ctx, lead, org, "something", true, now); problem(err, "kind") != "Select what to send" {
		t.Errorf("unknown kind: %v", err)
	}
	if _, err := s.Send(ctx, lead, org, models.RunSkillsInvite, false, now); problem(err, "confirm") != "Confirm that you want to send the messages now" {
		t.Errorf("not confirmed: %v", err)
	}
	flash, err := s.Send(ctx, lead, org, models.RunSkillsInvite, true, now)
	if err != nil || flash != "Invitations are being sent to about 10 people." {
		t.Fatalf("sent: %q, %v", flash, err)
	}
	if _, err := s.Send(ctx, lead, org, models.RunSkillsInvite, true, now); problem(err, "kind") != "These were sent less than 7 days ago. You can send them again once that time has passed" {
		t.Errorf("again: %v", err)
	}
	runs, err := s.Runs(ctx, org.ID, now)
	if err != nil {
		t.Fatal(err)
	}
	if r := runs[0]; r.Kind != models.RunSkillsInvite || r.Last == nil || r.Count != "about 10 people" || !r.TooSoon {
		t.Errorf("invitation run %+v", r)
	}
	if r := runs[1]; r.Last != nil || r.TooSoon {
		t.Errorf("reminder run never sent: %+v", r)
	}
	if runs, _ = s.Runs(ctx, org.ID, now.Add(reminders.DefaultGap+time.Minute)); runs[0].TooSoon {
		t.Error("still too soon after the gap")
	}
}

func TestNoDueRemindersWithoutMail(t *testing.T) {
	s := reminders.Service{Store: testdb.Open(t)}
	if n, err := s.SendDue(context.Background(), time.Now()); n != 0 || err != nil {
		t.Errorf("SendDue without mail: %d, %v", n, err)
	}
}
