package main

import (
	"context"
	"fmt"
	"hash/fnv"
	"strings"
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
	fw, fv, err := registerDemoFramework(ctx, store, lib, assessments.KindMaturity)
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
		if err := submittedDemoCycle(ctx, store, fw, fv.ID, o.ID, 0, "2025/26", 1.8+0.35*float64(i), nil, nil); err != nil {
			return err
		}
	}
	riverside, err := store.OrganisationByODSCode(ctx, "ZZB")
	if err != nil {
		return err
	}
	if err := submittedDemoCycle(ctx, store, fw, fv.ID, riverside.ID, 0, "2025/26", 2.6, nil, nil); err != nil {
		return err
	}

	// The demo trust: three submitted cycles for the trend, each signed off
	// by the chair, the last with targets and actions, reopened once (with
	// its reason) and submitted again...
	targets := map[string]int{}
	for i, code := range fw.SectionCodes() {
		targets[code] = 3 + i%2
	}
	for _, past := range []struct {
		period string
		mean   float64
	}{{"2023/24", 1.6}, {"2024/25", 1.9}} {
		if err := submittedDemoCycle(ctx, store, fw, fv.ID, trust.ID, lead.ID, past.period, past.mean, nil, board); err != nil {
			return err
		}
	}
	if err := submittedDemoCycle(ctx, store, fw, fv.ID, trust.ID, lead.ID, "2025/26", 2.3, targets, board); err != nil {
		return err
	}
	if err := reopenDemoCycle(ctx, store, fw, trust.ID, lead.ID, "2025/26",
		"The audit committee asked for the evidence on cyber security to be checked against the new DSPT submission before the board relies on it."); err != nil {
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
			changes = append(changes, models.AgreedChange{SectionCode: sec.Code, QuestionCode: q.Code, Level: &level,
				Note: "Agreed at the board development session in October."})
		}
	}
	if err := store.SaveAgreed(ctx, current, changes, lead.ID); err != nil {
		return err
	}
	if err := seedDemoAdviceAndEvidence(ctx, store, trust, current, lead, board[0]); err != nil {
		return err
	}
	for code, t := range targets {
		// A new cycle has no target yet: version 0.
		if err := store.SaveReview(ctx, current, nil, &models.TargetChange{SectionCode: code, Target: t + 1}, lead.ID); err != nil {
			return err
		}
	}
	return seedDemoSkills(ctx, store, lib, trust)
}

// submittedDemoCycle opens, agrees and submits a cycle whose levels sit
// around mean, storing its scores with the same scoring as the service.
func submittedDemoCycle(ctx context.Context, store *models.Store, fw *assessments.Framework, frameworkID, organisationID, leadID uint,
	period string, mean float64, targets map[string]int, members []models.User) error {
	var createdBy *uint
	if leadID != 0 {
		createdBy = &leadID
	}
	c := models.MaturityCycle{OrganisationID: organisationID, FrameworkID: frameworkID, Period: period,
		DueDate: time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC), CreatedByID: createdBy}
	if err := store.CreateCycle(ctx, &c, leadID); err != nil {
		return err
	}
	// Where board members are given, two are assigned each section and
	// answer it, around the level later agreed, with evidence: the quorum.
	if len(members) > 0 {
		assign := map[string][]uint{}
		for si, sec := range fw.Sections {
			for mi := 0; mi < 2; mi++ {
				assign[sec.Code] = append(assign[sec.Code], members[(si+mi)%len(members)].ID)
			}
		}
		if err := store.SetAssignments(ctx, c, assign, leadID); err != nil {
			return err
		}
	}
	for si, sec := range fw.Sections {
		for mi := 0; mi < 2 && len(members) > 0; mi++ {
			member := members[(si+mi)%len(members)]
			var answers []models.MaturityAnswer
			for _, q := range sec.Questions {
				level := demoLevel(fmt.Sprintf("%s %s %d", member.Email, period, mi), q.Code, mean+0.3*float64(mi))
				answers = append(answers, models.MaturityAnswer{QuestionCode: q.Code, Level: &level, Evidence: demoEvidence(q, level)})
			}
			if err := store.SaveAnswers(ctx, c, member, sec.Code, answers); err != nil {
				return err
			}
		}
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
			changes = append(changes, models.AgreedChange{SectionCode: sec.Code, QuestionCode: q.Code, Level: &level})
		}
	}
	// Other organisations' boards are not in the demo: only their stored
	// scores are, which is all the benchmark reads.
	if len(members) > 0 {
		if err := store.SaveAgreed(ctx, c, changes, leadID); err != nil {
			return err
		}
	}
	for code, t := range targets {
		if err := store.SaveReview(ctx, c, nil, &models.TargetChange{SectionCode: code, Target: t}, leadID); err != nil {
			return err
		}
	}
	sectionScores, overall := demoScores(fw, agreed)
	// Re-read the cycle: agreeing moved it to "in review" and its version on.
	c, err := store.CycleInOrganisation(ctx, organisationID, c.ID)
	if err != nil {
		return err
	}
	fixed := func(map[string]models.AgreedAnswer) (map[string]float64, *float64, error) {
		return sectionScores, overall, nil
	}
	signOff := models.SignOff{MeetingOn: demoMeeting(period), Name: "Helen Carter", Role: "Chair"}
	if err := store.SubmitCycle(ctx, c, fixed, signOff, leadID); err != nil {
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

// registerDemoFramework registers the latest framework of kind, which the
// demo data is built on.
func registerDemoFramework(ctx context.Context, store *models.Store, lib *assessments.Library, kind string) (*assessments.Framework, models.FrameworkVersion, error) {
	fw, ok := lib.Latest(kind)
	if !ok {
		return nil, models.FrameworkVersion{}, fmt.Errorf("no %s framework to build demo data on", kind)
	}
	fv, err := store.RegisterFramework(ctx, models.FrameworkVersion{Code: fw.Code, Kind: fw.Kind, Version: fw.Version, Title: fw.Title, ContentHash: fw.Hash})
	return fw, fv, err
}

// demoScores scores the agreed levels as a submission stores them: the
// scored sections' scores, and the overall score.
func demoScores(fw *assessments.Framework, levels map[string]int) (map[string]float64, *float64) {
	scores := assessments.ScoreFramework(fw, levels)
	sections := map[string]float64{}
	for _, s := range scores.Sections {
		if s.Scored {
			sections[s.Code] = s.Score
		}
	}
	return sections, &scores.Overall
}

// reopenDemoCycle reopens a submitted cycle with a reason and submits it
// again, signed off at a later meeting, so that its history shows.
func reopenDemoCycle(ctx context.Context, store *models.Store, fw *assessments.Framework, organisationID, leadID uint, period, reason string) error {
	cycles, err := store.Cycles(ctx, organisationID)
	if err != nil {
		return err
	}
	for _, c := range cycles {
		if c.Period != period {
			continue
		}
		if err := store.ReopenCycle(ctx, c, reason, leadID); err != nil {
			return err
		}
		if c, err = store.CycleInOrganisation(ctx, organisationID, c.ID); err != nil {
			return err
		}
		score := func(agreed map[string]models.AgreedAnswer) (map[string]float64, *float64, error) {
			levels := map[string]int{}
			for code, a := range agreed {
				if a.Level != nil {
					levels[code] = *a.Level
				}
			}
			sections, overall := demoScores(fw, levels)
			return sections, overall, nil
		}
		signOff := models.SignOff{MeetingOn: demoMeeting(period).AddDate(0, 2, 0), Name: "Helen Carter", Role: "Chair"}
		return store.SubmitCycle(ctx, c, score, signOff, leadID)
	}
	return fmt.Errorf("no %s cycle to reopen", period)
}

// seedDemoAdviceAndEvidence gives the cycle in progress a colleague's
// advice (one answered, one waiting) and an evidence document.
func seedDemoAdviceAndEvidence(ctx context.Context, store *models.Store, trust models.Organisation, current models.MaturityCycle,
	lead, boardMember models.User) error {
	hash, err := models.DefaultPasswordHasher().Hash(models.DemoPassword)
	if err != nil {
		return err
	}
	adviser := models.User{OrganisationID: trust.ID, Email: "adviser@example.nhs.uk", Name: "Priya Shah", PasswordHash: hash,
		RoleCodes: models.Roles{models.RoleStaff}.String(), Active: true, JobRole: "Head of cyber security",
		StaffGroup: "Administrative and Clerical", PayBand: "Band 8b", Department: "Digital services"}
	if err := store.CreateUser(ctx, &adviser); err != nil {
		return err
	}
	answered := models.Advice{QuestionCode: "safe-practice-2", AdviserID: adviser.ID, RequestedByID: lead.ID}
	if err := store.RequestAdvice(ctx, current, &answered); err != nil {
		return err
	}
	if err := store.GiveAdvice(ctx, answered, 3, "Our last penetration test found two high-risk issues, both fixed within a month; "+
		"the incident response plan was tested in September. Level 3 is fair; level 4 needs the supplier assurance work finished."); err != nil {
		return err
	}
	waiting := models.Advice{QuestionCode: "well-led-3", AdviserID: adviser.ID, RequestedByID: boardMember.ID}
	if err := store.RequestAdvice(ctx, current, &waiting); err != nil {
		return err
	}
	doc := models.Evidence{QuestionCode: "well-led-1", UploadedByID: boardMember.ID, FileName: "Digital strategy board paper.pdf",
		ContentType: "application/pdf", Content: demoPDF("Digital and data strategy 2026 to 2029: board paper (demo data)")}
	doc.Size = int64(len(doc.Content))
	return store.AddEvidence(ctx, current, &doc)
}

// demoPDF is a one-page PDF holding one line of text.
func demoPDF(text string) []byte {
	stream := "BT /F1 14 Tf 72 760 Td (" + text + ") Tj ET"
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return []byte(b.String())
}

// demoMeeting is the board meeting in March at the end of a period
// ("2025/26": 19 March 2026).
func demoMeeting(period string) time.Time {
	year := 2026
	fmt.Sscanf(period, "%d", &year)
	return time.Date(year+1, 3, 19, 0, 0, 0, 0, time.UTC)
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

// demoEvidence is what a board member might write: the level and the kind
// of evidence the question asks for.
func demoEvidence(q assessments.Question, level int) string {
	return fmt.Sprintf("Level %d in our view. Seen: %s", level, lowerFirst(q.EvidencePrompt))
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// seedDemoSkills gives the demo trust a workforce that has taken the
// skills self-assessment: over 300 people across staff groups, bands and
// departments, some groups deliberately below the minimum group size so
// that the small-group protection shows, some attempts unfinished, and
// some from last year so that the trend shows.
func seedDemoSkills(ctx context.Context, store *models.Store, lib *assessments.Library, trust models.Organisation) error {
	fw, fv, err := registerDemoFramework(ctx, store, lib, assessments.KindSkills)
	if err != nil {
		return err
	}
	// Staff groups in roughly the proportions of an acute trust, each in
	// departments that fit it, and each large enough (at least 25 people,
	// and at least 12 in each of its departments) that the workforce
	// release publishes its figures. The last two groups are small on
	// purpose, so the "Other staff groups" protection shows. gaps gives a
	// group's typical gap (need minus now) per domain, so the heatmap tells
	// a story: nursing short of data and information skills, admin of
	// technical proficiency, medical staff with small gaps everywhere.
	groups := []struct {
		name        string
		people      int
		bands       []string
		departments []string
		base        float64            // typical "now" rating
		gaps        map[string]float64 // typical gap by domain; demoGap otherwise
	}{
		{"Nursing and Midwifery Registered", 110, []string{"Band 5", "Band 6", "Band 7"}, demoWards, 2.6,
			map[string]float64{"data-information": 2.0, "creation-innovation": 1.0}},
		{"Additional Clinical Services", 60, []string{"Band 2", "Band 3", "Band 4"}, demoWards, 2.2,
			map[string]float64{"communication": 1.2, "identity-wellbeing-safety": 1.2}},
		{"Administrative and Clerical", 70, []string{"Band 3", "Band 4", "Band 5", "Band 7"}, []string{"Finance", "Outpatients"}, 2.7,
			map[string]float64{"technical-proficiency": 1.8, "data-information": 1.0}},
		{"Medical and Dental", 40, []string{models.NotOnAgendaForChange}, []string{"Emergency department", "Medicine", "Surgery"}, 3.0,
			map[string]float64{"data-information": 0.2, "teaching-learning": 0.3, "communication": 0.2, "technical-proficiency": 0.2,
				"creation-innovation": 0.5, "identity-wellbeing-safety": 0.2}},
		{"Allied Health Professionals", 30, []string{"Band 5", "Band 6", "Band 7"}, []string{"Outpatients", "Medicine"}, 2.7,
			map[string]float64{"creation-innovation": 1.2}},
		{"Estates and Ancillary", 30, []string{"Band 2", "Band 3"}, []string{"Estates and facilities"}, 1.9,
			map[string]float64{"identity-wellbeing-safety": 1.5, "communication": 1.2}},
		{"Additional Professional Scientific and Technical", 25, []string{"Band 5", "Band 6", "Band 7", "Band 8a"}, []string{"Pharmacy"}, 2.9,
			map[string]float64{"data-information": 1.2}},
		{"Healthcare Scientists", 6, []string{"Band 6", "Band 7"}, []string{"Pathology"}, 3.0, nil},
		{"Students", 4, []string{"Band 5"}, demoWards, 2.4, nil},
	}
	now := time.Now()
	thisYear, lastYear := models.FinancialYear(now), models.FinancialYear(now.AddDate(-1, 0, 0))
	n := 0
	for _, g := range groups {
		for i := 0; i < g.people; i++ {
			n++
			u := models.User{OrganisationID: trust.ID, Email: fmt.Sprintf("staff%03d@example.nhs.uk", n),
				Name: fmt.Sprintf("Demo staff member %d", n), RoleCodes: models.Roles{models.RoleStaff}.String(), Active: true,
				StaffGroup: g.name, PayBand: g.bands[i%len(g.bands)], Department: g.departments[i%len(g.departments)], JobRole: "Demo role",
				// They signed in themselves, so their answers count.
				OwnSignInAt: &now}
			if err := store.CreateUser(ctx, &u); err != nil {
				return err
			}
			// One in eleven people stopped part-way; the rest finished, and a
			// third of those also took it last year.
			stopAt := -1
			if n%11 == 0 {
				stopAt = n % len(fw.Sections)
			}
			attempts := []string{thisYear}
			if stopAt < 0 && n%3 == 0 {
				attempts = []string{lastYear, thisYear}
			}
			for ai, p := range attempts {
				a, err := store.StartSkillsAssessment(ctx, u, fv.ID)
				if err != nil {
					return err
				}
				ratings := map[string]assessments.SkillsRating{}
				var answers []models.SkillsAnswer
				for si, sec := range fw.Sections {
					if stopAt >= 0 && si >= stopAt {
						break
					}
					for _, q := range sec.Questions {
						// Last year's ratings sit a little lower: people learn.
						base := g.base - 0.4*float64(len(attempts)-1-ai)
						gap, ok := g.gaps[sec.Code]
						if !ok {
							gap = demoGap
						}
						// A large gap sits lower now, so the need has room on the scale.
						now := clampRating(demoLevel(u.Email+p, q.Code, base-max(0, gap-1)/2), len(fw.Scale))
						jitter := float64(demoHash(u.Email, q.Code)%3)*0.5 - 0.5 // -0.5 .. +0.5
						need := clampRating(now+max(0, int(gap+jitter+0.5)), len(fw.Scale))
						ratings[q.Code] = assessments.SkillsRating{Now: now, Need: need}
						answers = append(answers, models.SkillsAnswer{StatementCode: q.Code, Now: &now, Need: &need})
					}
				}
				current := ""
				if stopAt >= 0 {
					current = fw.Sections[stopAt].Code
				}
				if err := store.SaveSkillsAnswers(ctx, a, answers, current); err != nil {
					return err
				}
				if stopAt >= 0 {
					continue
				}
				var scores []models.SkillsDomainScore
				for _, d := range assessments.ScoreSkills(fw, ratings) {
					if d.Scored {
						scores = append(scores, models.SkillsDomainScore{DomainCode: d.Code, Now: d.Now, Need: d.Need, Gap: d.Gap})
					}
				}
				// The scores are those of the answers just saved: nothing else
				// writes to the demo database while it is seeded.
				fixed := func(map[string]models.SkillsAnswer) ([]models.SkillsDomainScore, error) { return scores, nil }
				if err := store.CompleteSkillsAssessment(ctx, a, u, p, fixed); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func clampRating(r, max int) int { return min(max, r) }

// demoWards are the departments where nurses and clinical support staff work.
var demoWards = []string{"Emergency department", "Medicine", "Surgery", "Women's and children's"}

// demoGap is a staff group's typical gap in a domain its story says nothing about.
const demoGap = 0.7
