package modelstest_test

import (
	"context"
	"fmt"
	"testing"

	"nhs-digital-maturity/models"
	"nhs-digital-maturity/models/modelstest"
	"nhs-digital-maturity/models/testdb"
)

func TestBulkCompletedSkills(t *testing.T) {
	ctx := context.Background()
	store := testdb.Open(t)
	org := testdb.Organisation(t, store, "Trust", "T1")
	fv := testdb.SkillsFramework(t, store, "skills")
	const n = 1234
	people := make([]modelstest.SyntheticPerson, n)
	scores := int64(0)
	for i := range people {
		people[i] = modelstest.SyntheticPerson{Email: fmt.Sprintf("Person%d@Example.nhs.uk", i), Name: fmt.Sprintf("Person %d", i),
			StaffGroup: "Students", PayBand: "Band 5", Department: fmt.Sprintf("Ward %d", i%3), Period: "2026/27"}
		// Some people have no scored domain.
		scores += int64(i % 3)
		for d := range i % 3 {
			people[i].Scores = append(people[i].Scores, models.SkillsDomainScore{DomainCode: fmt.Sprintf("d%d", d), Now: 2, Need: 3, Gap: 1})
		}
	}
	if err := modelstest.BulkCompletedSkills(ctx, store, org.ID, fv.ID, people); err != nil {
		t.Fatal(err)
	}
	count := func(sql string) int64 {
		t.Helper()
		var c int64
		if err := store.Query(ctx, &c, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return c
	}
	if c := count("SELECT COUNT(*) FROM users WHERE roles = 'staff' AND own_sign_in_at IS NOT NULL"); c != n {
		t.Errorf("%d staff who signed in, want %d", c, n)
	}
	if c := count("SELECT COUNT(*) FROM skills_assessments a JOIN users u ON u.id = a.user_id " +
		"WHERE a.completed_at IS NOT NULL AND a.latest AND a.department = u.department AND u.email = 'person7@example.nhs.uk' AND a.department = 'Ward 1'"); c != 1 {
		t.Errorf("%d completed attempts of person 7 with the profile, want 1", c)
	}
	if c := count("SELECT COUNT(*) FROM skills_domain_scores s JOIN skills_assessments a ON a.id = s.assessment_id " +
		"JOIN users u ON u.id = a.user_id WHERE u.email = 'person5@example.nhs.uk'"); c != 2 {
		t.Errorf("person 5 has %d domain scores, want 2", c)
	}
	if c := count("SELECT COUNT(*) FROM skills_domain_scores"); c != scores {
		t.Errorf("%d domain scores, want %d", c, scores)
	}
	// The service's next account takes an id after the loaded ones.
	u := models.User{OrganisationID: org.ID, Email: "next@example.nhs.uk", Name: "Next", RoleCodes: "staff", Active: true}
	if err := store.CreateUser(ctx, &u); err != nil {
		t.Fatalf("next user: %v", err)
	}
}
