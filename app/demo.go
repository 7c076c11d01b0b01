package main

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"time"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
)

// seedDemoData fills an empty database with the demo organisations and
// accounts, then gives the demo trust a submitted and a current maturity
// cycle, and six other acute trusts submitted cycles so that the
// benchmark shows. Everything is made up, and deterministic.
func seedDemoData(ctx context.Context, store *models.Store, lib *assessments.Library) error {
	hasher := models.DefaultPasswordHasher()
	if err := store.SeedDemo(ctx, hasher); err != nil {
		return err
	}
	fw, ok := lib.Latest(assessments.KindMaturity)
	if !ok {
		return errors.New("no maturity framework to build demo data on")
	}
	fv, err := store.RegisterFramework(ctx, models.FrameworkVersion{Code: fw.Code, Kind: fw.Kind, Version: fw.Version, Title: fw.Title, ContentHash: fw.Hash})
	if err != nil {
		return err
	}
	trust, err := store.OrganisationByODSCode(ctx, models.DemoTrustODSCode)
	if err != nil {
		return err
	}
	icb, err := store.OrganisationByODSCode(ctx, "ZZQ")
	if err != nil {
		return err
	}
	lead, err := store.UserByEmail(ctx, "lead@example.nhs.uk")
	if err != nil {
		return err
	}

	// More board members, so that answers can differ.
	hash, err := hasher.Hash(models.DemoPassword)
	if err != nil {
		return err
	}
	board := []models.User{}
	if b, err := store.UserByEmail(ctx, "board@example.nhs.uk"); err == nil {
		board = append(board, b)
	} else {
		return err
	}
	for _, m := range []struct{ email, name, role string }{
		{"chief.nurse@example.nhs.uk", "Aisha Rahman", "Chief nurse"},
		{"finance.director@example.nhs.uk", "Mark Evans", "Director of finance"},
		{"chair@example.nhs.uk", "Helen Carter", "Chair"},
	} {
		u := models.User{OrganisationID: trust.ID, Email: m.email, Name: m.name, PasswordHash: hash,
			RoleCodes: models.Roles{models.RoleBoard}.String(), Active: true, JobRole: m.role}
		if err := store.CreateUser(ctx, &u); err != nil {
			return err
		}
		board = append(board, u)
	}

	// Six other acute trusts, each with a submitted cycle for 2025/26.
	peers := []struct{ name, code string }{
		{"Northgate Hospitals NHS Trust", "ZZE"},
		{"Westbrook University Hospitals NHS Foundation Trust", "ZZF"},
		{"Eastvale Hospitals NHS Trust", "ZZG"},
		{"Kingsmere Hospitals NHS Foundation Trust", "ZZH"},
		{"Lindhurst and District Hospitals NHS Trust", "ZZJ"},
	}
	for i, p := range peers {
		o := models.Organisation{Name: p.name, ODSCode: p.code, Kind: models.KindAcute, ParentID: &icb.ID}
		if err := store.CreateOrganisation(ctx, &o, 0); err != nil {
			return err
		}
		if err := submittedDemoCycle(ctx, store, fw, fv.ID, o.ID, 0, "2025/26", 1.8+0.35*float64(i), nil); err != nil {
			return err
		}
	}
	riverside, err := store.OrganisationByODSCode(ctx, "ZZB")
	if err != nil {
		return err
	}
	if err := submittedDemoCycle(ctx, store, fw, fv.ID, riverside.ID, 0, "2025/26", 2.6, nil); err != nil {
		return err
	}

	// The demo trust: last year's submitted cycle with targets and actions...
	targets := map[string]int{}
	for i, code := range fw.SectionCodes() {
		targets[code] = 3 + i%2
	}
	if err := submittedDemoCycle(ctx, store, fw, fv.ID, trust.ID, lead.ID, "2025/26", 2.3, targets); err != nil {
		return err
	}
	// ...and this year's, part-way: members have answered several sections,
	// not always alike, and the lead has agreed the first two.
	current := models.MaturityCycle{OrganisationID: trust.ID, FrameworkID: fv.ID, Period: "2026/27",
		DueDate: time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC), CreatedByID: &lead.ID}
	if err := store.CreateCycle(ctx, &current, lead.ID); err != nil {
		return err
	}
	assign := map[string][]uint{}
	for i, code := range fw.SectionCodes() {
		// Each section to the demo board member and one or two colleagues.
		assign[code] = []uint{board[0].ID, board[1+i%3].ID}
		if i%2 == 0 {
			assign[code] = append(assign[code], board[1+(i+1)%3].ID)
		}
	}
	if err := store.SetAssignments(ctx, current, assign, lead.ID); err != nil {
		return err
	}
	for si, sec := range fw.Sections {
		if si >= 5 {
			break // the last two sections are not started
		}
		for mi, memberID := range assign[sec.Code] {
			member := board[0]
			for _, b := range board {
				if b.ID == memberID {
					member = b
				}
			}
			if member.ID == board[0].ID && si >= 2 {
				continue // the demo board member still has sections to do
			}
			var answers []models.MaturityAnswer
			for qi, q := range sec.Questions {
				level := demoLevel(fmt.Sprintf("%s/%d", member.Email, mi), q.Code, 2.4+0.4*float64(mi))
				if mi == 1 && qi == 1 {
					level = clampLevel(level + 2) // a spread the lead must discuss
				}
				a := models.MaturityAnswer{QuestionCode: q.Code, Level: &level}
				if level >= 3 {
					a.Evidence = demoEvidence(q, level)
				}
				answers = append(answers, a)
			}
			if err := store.SaveAnswers(ctx, current, member, sec.Code, answers); err != nil {
				return err
			}
		}
	}
	var changes []models.AgreedChange
	for _, sec := range fw.Sections[:2] {
		for _, q := range sec.Questions {
			level := demoLevel("ZZA agreed 2026", q.Code, 2.7)
			changes = append(changes, models.AgreedChange{QuestionCode: q.Code, Level: &level,
				Note: "Agreed at the board development session in October."})
		}
	}
	if err := store.SaveAgreed(ctx, current, changes, lead.ID); err != nil {
		return err
	}
	for code, t := range targets {
		if err := store.SetTarget(ctx, current, code, t+1, lead.ID); err != nil {
			return err
		}
	}
	return nil
}

// submittedDemoCycle opens, agrees and submits a cycle whose levels sit
// around mean, storing its scores with the same scoring as the service.
func submittedDemoCycle(ctx context.Context, store *models.Store, fw *assessments.Framework, frameworkID, organisationID, leadID uint,
	period string, mean float64, targets map[string]int) error {
	var createdBy *uint
	if leadID != 0 {
		createdBy = &leadID
	}
	c := models.MaturityCycle{OrganisationID: organisationID, FrameworkID: frameworkID, Period: period,
		DueDate: time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC), CreatedByID: createdBy}
	if err := store.CreateCycle(ctx, &c, leadID); err != nil {
		return err
	}
	agreed := map[string]int{}
	var changes []models.AgreedChange
	for _, sec := range fw.Sections {
		for _, q := range sec.Questions {
			level := demoLevel(fmt.Sprintf("%d %s", organisationID, period), q.Code, mean)
			if q.AllowNotApplicable && demoHash(fmt.Sprint(organisationID), q.Code)%5 == 0 {
				level = assessments.NotApplicable
			}
			agreed[q.Code] = level
			changes = append(changes, models.AgreedChange{QuestionCode: q.Code, Level: &level})
		}
	}
	if err := store.SaveAgreed(ctx, c, changes, leadID); err != nil {
		return err
	}
	for code, t := range targets {
		if err := store.SetTarget(ctx, c, code, t, leadID); err != nil {
			return err
		}
	}
	scores := assessments.ScoreFramework(fw, agreed)
	sectionScores := map[string]float64{}
	for _, s := range scores.Sections {
		if s.Scored {
			sectionScores[s.Code] = s.Score
		}
	}
	overall := scores.Overall
	// Re-read the cycle: agreeing moved it to "in review" and its version on.
	c, err := store.CycleInOrganisation(ctx, organisationID, c.ID)
	if err != nil {
		return err
	}
	if err := store.SubmitCycle(ctx, c, sectionScores, &overall, leadID); err != nil {
		return err
	}
	if targets != nil {
		due := time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)
		for _, a := range []models.Action{
			{SectionCode: "smart-foundations", Title: "Replace the remaining paper drug charts with electronic prescribing", Owner: "Chief Nursing Information Officer", Status: models.ActionInProgress, DueDate: &due, Progress: "Live on 14 of 22 wards."},
			{SectionCode: "support-people", Title: "Offer digital skills sessions to every new starter at induction", Owner: "Director of People", Status: models.ActionDone},
			{SectionCode: "safe-practice", Title: "Test the recovery of the patient record from backup twice a year", Owner: "Chief Information Officer", Status: models.ActionNotStarted, DueDate: &due},
		} {
			a.OrganisationID, a.CycleID = organisationID, &c.ID
			if err := store.SaveAction(ctx, &a, leadID); err != nil {
				return err
			}
		}
	}
	return nil
}

// demoLevel picks a level near mean for one question, the same every time.
func demoLevel(seed, question string, mean float64) int {
	offset := float64(demoHash(seed, question)%5)*0.5 - 1.0 // -1.0 .. +1.0
	return clampLevel(int(mean + offset + 0.5))
}

func demoHash(seed, question string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(seed + "|" + question))
	return h.Sum32()
}

func clampLevel(l int) int { return max(1, min(5, l)) }

func demoEvidence(q assessments.Question, level int) string {
	return fmt.Sprintf("We believe we are at level %d. %s", level, q.EvidencePrompt)
}
