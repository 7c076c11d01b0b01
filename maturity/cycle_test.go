package maturity_test

import (
	"errors"
	"strconv"
	"testing"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/maturity"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/validation"
)

func TestCycleOnlyInTheOrganisation(t *testing.T) {
	f := newFixture(t)
	cycle := f.open(1)
	got, fw, err := f.svc.Cycle(f.ctx, f.amy, cycle.ID)
	if err != nil || got.ID != cycle.ID || fw != f.fw {
		t.Fatalf("cycle %d, framework %p, %v", got.ID, fw, err)
	}
	other := models.Organisation{Name: "Other Trust", ODSCode: "ROT", Kind: models.KindAcute}
	if err := f.store.CreateOrganisation(f.ctx, &other, 0); err != nil {
		t.Fatal(err)
	}
	stranger := models.User{OrganisationID: other.ID, Email: "lead@other.test", Name: "Olu Lead", RoleCodes: models.Roles{models.RoleLead}.String(), Active: true}
	if err := f.store.CreateUser(f.ctx, &stranger); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.Cycle(f.ctx, stranger, cycle.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("another organisation's cycle: %v, want ErrNotFound", err)
	}
	// A cycle whose framework is not loaded is a fault, named by cycle.
	blind := maturity.New(f.store, maturity.Config{Framework: func(uint) (*assessments.Framework, error) { return nil, errors.New("not loaded") }})
	if _, _, err := blind.Cycle(f.ctx, f.lead, cycle.ID); err == nil || err.Error() != "cycle "+strconv.Itoa(int(cycle.ID))+": not loaded" {
		t.Errorf("unknown framework: %v", err)
	}
}

func TestOnwardFromASection(t *testing.T) {
	f := newFixture(t)
	cycle, page := f.amysWellLed(t)
	base := "/maturity/cycles/" + strconv.Itoa(int(cycle.ID))
	for next, want := range map[string]string{"safe-practice": base + "/sections/safe-practice", "": base, "no-such": base, "https://evil.test": base} {
		if got := page.Onward(next); got != want {
			t.Errorf("Onward(%q) = %q, want %q", next, got, want)
		}
	}
}

func TestSubmitProblems(t *testing.T) {
	f := newFixture(t)
	cycle := f.open(1)
	ov, err := f.svc.Overview(f.ctx, cycle, f.fw, f.lead)
	if err != nil {
		t.Fatal(err)
	}
	errs := ov.SubmitProblems()
	q := f.fw.Sections[0].Questions[0]
	first := validation.Error{Field: "missing-" + q.Code, Message: "Agree a level for " + maturity.LowerFirst(q.Title) + " (" + f.fw.Sections[0].Label + "), or mark it not applicable"}
	if len(errs) != 42 || errs[0] != first {
		t.Errorf("%d problems, first %v; want 42, first %v", len(errs), errs[0], first)
	}
	f.lock(cycle)
	if ov, err = f.svc.Overview(f.ctx, f.reload(cycle), f.fw, f.lead); err != nil {
		t.Fatal(err)
	}
	want := validation.Errors{{Field: "status", Message: "This assessment has already been submitted"}}
	if got := ov.SubmitProblems(); len(got) != 1 || got[0] != want[0] {
		t.Errorf("submitted: %v, want %v", got, want)
	}
}

func TestCyclesListed(t *testing.T) {
	f := newFixture(t)
	cycle := f.open(1)
	f.assign(cycle, []string{"well-led"}, f.amy)
	for _, c := range []struct {
		who    models.User
		n      int
		isLead bool
	}{{f.lead, 1, true}, {f.amy, 1, false}, {f.bo, 0, false}} {
		list, err := f.svc.Cycles(f.ctx, c.who)
		if err != nil || len(list.Cycles) != c.n || list.IsLead != c.isLead || (c.n == 1 && list.Cycles[0].ID != cycle.ID) {
			t.Errorf("%s: %+v %v, want %d cycles, lead %v", c.who.Email, list, err, c.n, c.isLead)
		}
	}
}
