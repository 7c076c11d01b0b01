package main

import (
	"bytes"
	"context"
	"errors"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/models/testdb"
)

// TestSeedSynthetic loads two organisations and 600 staff, then checks
// with SQL that the data holds together as the service would have
// written it.
func TestSeedSynthetic(t *testing.T) {
	ctx := context.Background()
	store := testdb.Open(t)
	lib, err := assessments.Load()
	if err != nil {
		t.Fatal(err)
	}
	skills, _ := lib.Latest(assessments.KindSkills)
	maturity, _ := lib.Latest(assessments.KindMaturity)
	var progressOut bytes.Buffer
	opts := syntheticOptions{Organisations: 2, Staff: 600, Seed: 7, Password: syntheticPassword, Progress: &progressOut}
	res, err := seedSynthetic(ctx, store, lib, opts)
	if err != nil {
		t.Fatal(err)
	}
	count := func(sql string, args ...any) int64 {
		t.Helper()
		var n int64
		if err := store.Query(ctx, &n, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return n
	}

	// Staff: exactly 600, in both organisations.
	var perOrg []struct {
		Code  string
		Staff int64
	}
	err = store.Query(ctx, &perOrg, "SELECT o.ods_code AS code, COUNT(*) AS staff FROM users u JOIN organisations o ON o.id = u.organisation_id "+
		"WHERE u.roles = 'staff' GROUP BY o.ods_code ORDER BY o.ods_code")
	if err != nil {
		t.Fatal(err)
	}
	if len(perOrg) != 2 || perOrg[0].Code != "S0001" || perOrg[1].Code != "S0002" ||
		perOrg[0].Staff+perOrg[1].Staff != 600 || perOrg[0].Staff == 0 || perOrg[1].Staff == 0 {
		t.Errorf("staff per organisation: %+v, want 600 over S0001 and S0002", perOrg)
	}
	if n := count("SELECT COUNT(*) FROM users WHERE roles = 'staff' AND password_hash <> ''"); n != 0 {
		t.Errorf("%d ordinary staff have a password", n)
	}

	// Completed attempts: all statements answered, the profile copied on.
	completed := count("SELECT COUNT(*) FROM skills_assessments WHERE completed_at IS NOT NULL")
	if completed < 300 || completed > 600 {
		t.Errorf("%d completed attempts from 600 staff, want about 70%% plus some from last year", completed)
	}
	statements := int64(skills.QuestionCount())
	if n := count("SELECT COUNT(*) FROM skills_assessments a WHERE a.completed_at IS NOT NULL AND "+
		"(SELECT COUNT(*) FROM skills_answers s WHERE s.assessment_id = a.id) <> ?", statements); n != 0 {
		t.Errorf("%d completed attempts without exactly %d answers", n, statements)
	}
	if n := count("SELECT COUNT(*) FROM skills_assessments a WHERE a.completed_at IS NOT NULL AND "+
		"(SELECT COUNT(*) FROM skills_domain_scores d WHERE d.assessment_id = a.id) <> ?", len(skills.Sections)); n != 0 {
		t.Errorf("%d completed attempts without a score for each of the %d domains", n, len(skills.Sections))
	}
	if n := count("SELECT COUNT(*) FROM skills_assessments a JOIN users u ON u.id = a.user_id WHERE a.completed_at IS NOT NULL AND " +
		"(a.staff_group <> u.staff_group OR a.pay_band <> u.pay_band OR a.department <> u.department OR a.staff_group = '' OR a.period = '')"); n != 0 {
		t.Errorf("%d completed attempts without the person's profile and a period", n)
	}
	if n := count("SELECT COUNT(*) FROM skills_domain_scores d JOIN skills_assessments a ON a.id = d.assessment_id " +
		"WHERE a.completed_at IS NULL OR d.organisation_id <> a.organisation_id"); n != 0 {
		t.Errorf("%d domain scores of unfinished attempts or of another organisation", n)
	}

	// Stored domain scores are ScoreSkills of the stored answers, for a sample.
	var ids []uint
	if err := store.Query(ctx, &ids, "SELECT id FROM skills_assessments WHERE completed_at IS NOT NULL ORDER BY id"); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for i := 0; i < len(ids); i += 17 {
		answers, err := store.SkillsAnswers(ctx, ids[i])
		if err != nil {
			t.Fatal(err)
		}
		ratings := map[string]assessments.SkillsRating{}
		for code, a := range answers {
			ratings[code] = assessments.SkillsRating{Now: *a.Now, Need: *a.Need}
		}
		stored, err := store.SkillsDomainScores(ctx, ids[i])
		if err != nil {
			t.Fatal(err)
		}
		byCode := map[string]models.SkillsDomainScore{}
		for _, s := range stored {
			byCode[s.DomainCode] = s
		}
		for _, want := range assessments.ScoreSkills(skills, ratings) {
			got, ok := byCode[want.Code]
			if !ok || math.Abs(got.Now-want.Now) > 1e-9 || math.Abs(got.Need-want.Need) > 1e-9 || math.Abs(got.Gap-want.Gap) > 1e-9 {
				t.Errorf("attempt %d, %s: stored %+v, scored from its answers %+v", ids[i], want.Code, got, want)
			}
		}
		checked++
	}
	if checked < 10 {
		t.Errorf("only %d attempts sampled", checked)
	}

	// One latest attempt per person who completed, and it is this year's.
	if n := count("SELECT COUNT(*) FROM (SELECT user_id FROM skills_assessments WHERE completed_at IS NOT NULL " +
		"GROUP BY user_id HAVING SUM(CASE WHEN latest THEN 1 ELSE 0 END) <> 1) x"); n != 0 {
		t.Errorf("%d people with other than one latest attempt", n)
	}
	if n := count("SELECT COUNT(*) FROM (SELECT user_id, period FROM skills_assessments WHERE completed_at IS NOT NULL " +
		"GROUP BY user_id, period HAVING SUM(CASE WHEN latest_in_period THEN 1 ELSE 0 END) <> 1) x"); n != 0 {
		t.Errorf("%d people with other than one latest attempt in a period", n)
	}
	thisFY := models.FinancialYear(time.Now())
	if n := count("SELECT COUNT(*) FROM skills_assessments WHERE latest AND period <> ?", thisFY); n != 0 {
		t.Errorf("%d latest attempts not of %s", n, thisFY)
	}
	if n := count("SELECT COUNT(*) FROM skills_assessments WHERE completed_at IS NOT NULL AND NOT latest AND period = ?", thisFY); n != 0 {
		t.Errorf("%d earlier attempts of this year", n)
	}
	if n := count("SELECT COUNT(*) FROM skills_assessments WHERE NOT latest AND completed_at IS NOT NULL"); n == 0 {
		t.Error("nobody took the self-assessment last year as well")
	}
	// Unfinished attempts stopped at a domain, with the domains before it answered.
	if n := count("SELECT COUNT(*) FROM skills_assessments WHERE completed_at IS NULL AND current_domain <> '' AND NOT latest"); n == 0 {
		t.Error("no unfinished attempts")
	}
	if n := count("SELECT COUNT(*) FROM skills_assessments WHERE completed_at IS NULL AND (current_domain = '' OR latest OR latest_in_period)"); n != 0 {
		t.Errorf("%d unfinished attempts without a domain to resume at, or marked latest", n)
	}

	// Some staff groups are small enough to be hidden.
	if n := count("SELECT COUNT(*) FROM (SELECT organisation_id, staff_group FROM users WHERE roles = 'staff' " +
		"GROUP BY organisation_id, staff_group HAVING COUNT(*) < 10) x"); n == 0 {
		t.Error("no staff group below 10 people in any organisation")
	}

	// Board maturity: last year's cycle submitted with ScoreFramework's
	// scores of its agreed levels; this year's in progress.
	for _, code := range []string{"S0001", "S0002"} {
		org, err := store.OrganisationByODSCode(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		cycles, err := store.Cycles(ctx, org.ID)
		if err != nil || len(cycles) != 2 {
			t.Fatalf("%s: %d cycles (%v), want 2", code, len(cycles), err)
		}
		var submitted, current models.MaturityCycle
		for _, c := range cycles {
			if c.Status == models.CycleSubmitted {
				submitted = c
			} else {
				current = c
			}
		}
		if submitted.ID == 0 || submitted.OverallScore == nil || current.ID == 0 || current.Period != thisFY {
			t.Fatalf("%s: cycles %+v", code, cycles)
		}
		agreed, err := store.Agreed(ctx, submitted.ID)
		if err != nil {
			t.Fatal(err)
		}
		levels := map[string]int{}
		for q, a := range agreed {
			levels[q] = *a.Level
		}
		if len(levels) != maturity.QuestionCount() {
			t.Errorf("%s: %d agreed levels in the submitted cycle, want %d", code, len(levels), maturity.QuestionCount())
		}
		want := assessments.ScoreFramework(maturity, levels)
		if math.Abs(*submitted.OverallScore-want.Overall) > 1e-9 {
			t.Errorf("%s: overall score %v, ScoreFramework gives %v", code, *submitted.OverallScore, want.Overall)
		}
		sections, err := store.SectionScores(ctx, submitted.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range want.Sections {
			if got, ok := sections[s.Code]; s.Scored && (!ok || math.Abs(got-s.Score) > 1e-9) {
				t.Errorf("%s %s: section score %v, ScoreFramework gives %v", code, s.Code, got, s.Score)
			}
		}
		assigned, err := store.Assignments(ctx, current.ID)
		if err != nil || len(assigned) < 2*len(maturity.Sections) {
			t.Errorf("%s: %d assignments in the current cycle (%v)", code, len(assigned), err)
		}
		answers, err := store.CycleAnswers(ctx, current.ID)
		if err != nil || len(answers) == 0 {
			t.Errorf("%s: %d answers in the current cycle (%v)", code, len(answers), err)
		}
		for _, a := range answers {
			if n := len([]rune(a.Evidence)); n < 50 || n > 300 {
				t.Errorf("%s: evidence of %d characters: %q", code, n, a.Evidence)
			}
		}
		if code == "S0001" && int64(current.ID) != res.CurrentCycleID {
			t.Errorf("printed cycle id %d, the first organisation's current cycle is %d", res.CurrentCycleID, current.ID)
		}
	}
	if n := count("SELECT COUNT(*) FROM actions"); n < 12 || n > 24 {
		t.Errorf("%d actions for 2 organisations, want 6 to 12 each", n)
	}

	// The printed accounts sign in with the password.
	hasher := models.DefaultPasswordHasher()
	for _, email := range append([]string{res.Admin, res.Lead}, res.Board...) {
		u, err := store.UserByEmail(ctx, email)
		if err != nil {
			t.Fatalf("%s: %v", email, err)
		}
		if ok, err := hasher.Verify(syntheticPassword, u.PasswordHash); !ok || err != nil {
			t.Errorf("%s does not sign in with the password (%v)", email, err)
		}
	}
	if lead, _ := store.UserByEmail(ctx, res.Lead); !lead.Has(models.RoleLead) || !lead.Has(models.RoleStaff) {
		t.Errorf("lead has roles %q", lead.RoleCodes)
	}
	if !strings.Contains(progressOut.String(), "skills_answers: ") || !strings.Contains(progressOut.String(), "rows/s") {
		t.Errorf("no progress reported:\n%s", progressOut.String())
	}

	// A second run refuses and writes nothing.
	users := count("SELECT COUNT(*) FROM users")
	if _, err := seedSynthetic(ctx, store, lib, opts); !errors.Is(err, ErrSyntheticPresent) {
		t.Errorf("second run: %v, want ErrSyntheticPresent", err)
	}
	if n := count("SELECT COUNT(*) FROM users"); n != users {
		t.Errorf("second run changed the users from %d to %d", users, n)
	}
	// The service's next account takes an id after the loaded ones.
	org, _ := store.OrganisationByODSCode(ctx, "S0001")
	u := models.User{OrganisationID: org.ID, Email: "new@s0001.synthetic.nhs.uk", Name: "New Person", RoleCodes: "staff", Active: true}
	if err := store.CreateUser(ctx, &u); err != nil {
		t.Errorf("create an account after the load: %v", err)
	}
}

// The national tier's trusts look like real ones: sizes from 1,500 to
// 28,000, most between 4,000 and 8,000, adding up to the staff exactly.
func TestSyntheticOrganisationSizes(t *testing.T) {
	lib, err := assessments.Load()
	if err != nil {
		t.Fatal(err)
	}
	maturity, _ := lib.Latest(assessments.KindMaturity)
	skills, _ := lib.Latest(assessments.KindSkills)
	opts := syntheticOptions{Organisations: 250, Staff: 1_500_000, Seed: 1, Password: syntheticPassword}
	w, err := newSynthWorld(opts, maturity, skills, time.Date(2026, 11, 5, 12, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int
	total, kinds := 0, map[string]int{}
	for _, o := range w.orgs {
		sizes = append(sizes, o.staff)
		total += o.staff
		kinds[o.kind]++
	}
	slices.Sort(sizes)
	if total != opts.Staff {
		t.Errorf("staff add up to %d, want %d", total, opts.Staff)
	}
	if sizes[0] < 1300 || sizes[len(sizes)-1] > 30000 {
		t.Errorf("sizes from %d to %d, want about 1,500 to 28,000", sizes[0], sizes[len(sizes)-1])
	}
	if q1, q3 := sizes[len(sizes)/4], sizes[3*len(sizes)/4]; q1 < 3000 || q3 > 9000 {
		t.Errorf("middle half of sizes from %d to %d, want around 4,000 to 8,000", q1, q3)
	}
	if kinds[models.KindAcute] < 100 || kinds[models.KindMentalHealth] < 25 || kinds[models.KindCommunity] < 15 || kinds[models.KindAmbulance] < 3 {
		t.Errorf("kinds of trust: %v", kinds)
	}
	one, err := newSynthWorld(syntheticOptions{Organisations: 1, Staff: 28000, Seed: 1, Password: syntheticPassword}, maturity, skills, time.Now())
	if err != nil || one.orgs[0].staff != 28000 {
		t.Errorf("one trust gets %d of 28000 staff (%v)", one.orgs[0].staff, err)
	}
}

func TestSeedSyntheticCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "synthetic.db")
	var out, errOut bytes.Buffer
	if code := run([]string{"seed-synthetic", "--help"}, nil, &out, &errOut); code != 0 || !strings.Contains(errOut.String(), "-organisations") {
		t.Errorf("seed-synthetic --help exited %d:\n%s", code, errOut.String())
	}
	errOut.Reset()
	if code := run([]string{"seed-synthetic", "--database-url", db, "--organisations", "3", "--staff", "100"}, nil, &out, &errOut); code != 1 ||
		!strings.Contains(errOut.String(), ErrSyntheticSize.Error()) {
		t.Errorf("too few staff: exit %d, %s", code, errOut.String())
	}
	out.Reset()
	errOut.Reset()
	if code := run([]string{"seed-synthetic", "--database-url", db, "--staff", "120", "--seed", "3"}, nil, &out, &errOut); code != 0 {
		t.Fatalf("seed-synthetic exited %d: %s", code, errOut.String())
	}
	for _, want := range []string{"admin@synthetic.nhs.uk", "lead@s0001.synthetic.nhs.uk", "board1@s0001.synthetic.nhs.uk",
		"board2@s0001.synthetic.nhs.uk", syntheticPassword, "skills_answers", "in-progress maturity cycle id"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out.String())
		}
	}
	errOut.Reset()
	if code := run([]string{"seed-synthetic", "--database-url", db, "--staff", "120"}, nil, &out, &errOut); code != 1 ||
		!strings.Contains(errOut.String(), "already holds synthetic data") {
		t.Errorf("second seed-synthetic: exit %d, %s", code, errOut.String())
	}
}
