package maturity_test

import (
	"errors"
	"fmt"
	"strconv"
	"testing"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/maturity"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/validation"
)

func TestAdviceRequest(t *testing.T) {
	f := newFixture(t)
	cycle := f.open(1)
	f.assign(cycle, []string{"well-led"}, f.amy)
	expert := models.User{OrganisationID: f.org.ID, Email: "eve@home.test", Name: "Eve Expert", JobRole: "Head of cyber security",
		RoleCodes: models.Roles{models.RoleStaff}.String(), Active: true}
	if err := f.store.CreateUser(f.ctx, &expert); err != nil {
		t.Fatal(err)
	}
	gone := f.user("gus@home.test", "Gus Gone", models.RoleStaff)
	if err := f.store.SetActive(f.ctx, &gone, false, f.lead.ID); err != nil {
		t.Fatal(err)
	}
	admin := f.user("ada@home.test", "Ada Admin", models.RoleAdmin)

	if _, err := f.svc.AdviceRequest(f.ctx, cycle, f.fw, "no-such-question", f.lead); !errors.Is(err, maturity.ErrNoQuestion) {
		t.Errorf("unknown question: %v, want ErrNoQuestion", err)
	}
	if _, err := f.svc.AdviceRequest(f.ctx, cycle, f.fw, "safe-practice-1", f.amy); !errors.Is(err, maturity.ErrNotAssigned) {
		t.Errorf("section not hers: %v, want ErrNotAssigned", err)
	}
	// The lead may ask about any question and goes back to the review;
	// the colleagues are the active people not on the board, but the lead.
	r, err := f.svc.AdviceRequest(f.ctx, cycle, f.fw, "safe-practice-1", f.lead)
	if err != nil {
		t.Fatal(err)
	}
	want := []maturity.Option{{Value: strconv.Itoa(int(admin.ID)), Label: "Ada Admin"},
		{Value: strconv.Itoa(int(expert.ID)), Label: "Eve Expert, Head of cyber security"}}
	if fmt.Sprint(r.Colleagues) != fmt.Sprint(want) || r.Section.Code != "safe-practice" || r.Question.Code != "safe-practice-1" {
		t.Errorf("colleagues %v of %s %s, want %v", r.Colleagues, r.Section.Code, r.Question.Code, want)
	}
	if want := "/maturity/cycles/" + strconv.Itoa(int(cycle.ID)) + "/review/safe-practice"; r.BackLink != want {
		t.Errorf("lead's back link %q, want %q", r.BackLink, want)
	}
	r, err = f.svc.AdviceRequest(f.ctx, cycle, f.fw, "well-led-1", f.amy)
	if err != nil {
		t.Fatal(err)
	}
	if want := "/maturity/cycles/" + strconv.Itoa(int(cycle.ID)) + "/sections/well-led"; r.BackLink != want {
		t.Errorf("member's back link %q, want %q", r.BackLink, want)
	}
	if len(r.Colleagues) != 3 || r.Colleagues[2].Label != "Lee Lead" {
		t.Errorf("Amy's colleagues %v, want Ada, Eve and the lead", r.Colleagues)
	}

	// A board member, someone gone, or nobody cannot be asked.
	for _, adviser := range []string{strconv.Itoa(int(f.bo.ID)), strconv.Itoa(int(gone.ID)), ""} {
		err := f.svc.RequestAdvice(f.ctx, &r, maturity.AdviceRequestForm{Adviser: adviser}, nil)
		refusal(t, "adviser "+adviser, err, "adviser", "Select the colleague to ask")
		if r.Form.Adviser != adviser {
			t.Errorf("form keeps %q, want %q", r.Form.Adviser, adviser)
		}
	}
	// The caller's problems with the request store nothing either.
	err = f.svc.RequestAdvice(f.ctx, &r, maturity.AdviceRequestForm{Adviser: strconv.Itoa(int(expert.ID))},
		func(errs validation.Errors) validation.Errors {
			return append(errs, validation.Error{Field: "x", Message: "Bad input"})
		})
	refusal(t, "bad input", err, "x", "Bad input")
	if list, err := f.store.CycleAdvice(f.ctx, cycle.ID); err != nil || len(list) != 0 {
		t.Fatalf("after refusals %d requests (%v), want none", len(list), err)
	}
	if err := f.svc.RequestAdvice(f.ctx, &r, maturity.AdviceRequestForm{Adviser: strconv.Itoa(int(expert.ID))}, nil); err != nil {
		t.Fatal(err)
	}
	list, err := f.store.CycleAdvice(f.ctx, cycle.ID)
	if err != nil || len(list) != 1 || list[0].AdviserID != expert.ID || list[0].RequestedByID != f.amy.ID || list[0].QuestionCode != "well-led-1" || list[0].Answered() {
		t.Fatalf("requests %+v %v", list, err)
	}

	f.lock(cycle)
	r.Cycle = f.reload(cycle)
	err = f.svc.RequestAdvice(f.ctx, &r, maturity.AdviceRequestForm{Adviser: strconv.Itoa(int(expert.ID))}, nil)
	refusal(t, "submitted cycle", err, "adviser", "This assessment has been submitted, so advice can no longer be asked for")
}

// questionWhere is the first question of the framework for which na says
// whether not applicable is allowed.
func questionWhere(t *testing.T, fw *assessments.Framework, na bool) *assessments.Question {
	t.Helper()
	for i := range fw.Sections {
		for j := range fw.Sections[i].Questions {
			if q := &fw.Sections[i].Questions[j]; q.AllowNotApplicable == na {
				return q
			}
		}
	}
	t.Fatalf("no question with not applicable %v", na)
	return nil
}

func TestGivingAdvice(t *testing.T) {
	f := newFixture(t)
	cycle := f.open(1)
	expert := f.user("eve@home.test", "Eve Expert", models.RoleStaff)
	strict, lenient := questionWhere(t, f.fw, false), questionWhere(t, f.fw, true)
	ask := func(q *assessments.Question) uint {
		t.Helper()
		a := models.Advice{QuestionCode: q.Code, AdviserID: expert.ID, RequestedByID: f.lead.ID}
		if err := f.store.RequestAdvice(f.ctx, cycle, &a); err != nil {
			t.Fatal(err)
		}
		return a.ID
	}
	id, naID := ask(strict), ask(lenient)

	// Only the colleague asked sees the request.
	for _, u := range []models.User{f.lead, f.amy} {
		if _, err := f.svc.Advice(f.ctx, u, id); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("%s: %v, want ErrNotFound", u.Email, err)
		}
	}
	p, err := f.svc.Advice(f.ctx, expert, id)
	if err != nil {
		t.Fatal(err)
	}
	if p.Question.Code != strict.Code || p.Period != cycle.Period || p.Locked || p.Advice.RequestedByName != "Lee Lead" ||
		len(p.Options) != len(strict.Levels) || p.Form != (maturity.AdviceForm{}) {
		t.Fatalf("page %+v", p)
	}

	levelField := "level-" + strict.Code + "-1"
	const levelMessage = "Select the level you think describes the organisation"
	for _, level := range []string{"", "0", "6", "three"} {
		err := f.svc.GiveAdvice(f.ctx, &p, maturity.AdviceForm{Level: level, Comment: "Pen test passed"}, nil, nil)
		refusal(t, "level "+level, err, levelField, levelMessage)
		if p.Form.Level != "" || p.Form.Comment != "Pen test passed" {
			t.Errorf("level %q: form %+v, want the level dropped and the comment kept", level, p.Form)
		}
	}
	err = f.svc.GiveAdvice(f.ctx, &p, maturity.AdviceForm{Level: "4"}, nil, nil)
	refusal(t, "no comment", err, "comment", "Enter your comment")
	if !p.Options[3].Checked || p.Options[2].Checked {
		t.Errorf("level 4 typed, options %+v", p.Options)
	}
	check := func(field, label string) string {
		if field == "comment" {
			return "Bad text in " + label
		}
		return ""
	}
	err = f.svc.GiveAdvice(f.ctx, &p, maturity.AdviceForm{Level: "4", Comment: "x"}, check, nil)
	refusal(t, "input rule", err, "comment", "Bad text in your comment")

	stale := p
	if err := f.svc.GiveAdvice(f.ctx, &p, maturity.AdviceForm{Level: "4", Comment: "Pen test passed"}, nil, nil); err != nil {
		t.Fatal(err)
	}
	p, err = f.svc.Advice(f.ctx, expert, id)
	if err != nil {
		t.Fatal(err)
	}
	if !p.Advice.Answered() || p.Form != (maturity.AdviceForm{Level: "4", Comment: "Pen test passed"}) {
		t.Errorf("after giving: answered %v, form %+v", p.Advice.Answered(), p.Form)
	}
	// Once only: on the page as it is now, and on one opened before.
	err = f.svc.GiveAdvice(f.ctx, &p, maturity.AdviceForm{Level: "2", Comment: "Second thoughts"}, nil, nil)
	refusal(t, "given already", err, "level", "You have already given your advice on this question")
	err = f.svc.GiveAdvice(f.ctx, &stale, maturity.AdviceForm{Level: "2", Comment: "Second thoughts"}, nil, nil)
	refusal(t, "given already, stale page", err, "level", "You have already given your advice on this question")

	// Not applicable where the question allows it; not once submitted.
	na, err := f.svc.Advice(f.ctx, expert, naID)
	if err != nil {
		t.Fatal(err)
	}
	f.lock(cycle)
	err = f.svc.GiveAdvice(f.ctx, &na, maturity.AdviceForm{Level: "0", Comment: "We have no such service"}, nil, nil)
	refusal(t, "submitted cycle", err, "level", "The board has submitted this assessment, so advice can no longer be given")
	if na, err = f.svc.Advice(f.ctx, expert, naID); err != nil || !na.Locked || na.Advice.Answered() {
		t.Errorf("after submission: locked %v, answered %v, %v", na.Locked, na.Advice.Answered(), err)
	}
	list, err := f.store.CycleAdvice(f.ctx, cycle.ID)
	if err != nil || len(list) != 2 {
		t.Fatal(list, err)
	}
	for _, a := range list {
		if a.ID == id && (a.Level == nil || *a.Level != 4 || a.Comment != "Pen test passed") {
			t.Errorf("stored advice %+v, want level 4 and the first comment", a)
		}
	}
}
