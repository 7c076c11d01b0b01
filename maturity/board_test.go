package maturity_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"nhs-digital-maturity/maturity"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/reports"
)

// agreedCycle is TestResultsOnHandWorkedNumbers' cycle: every measure
// agreed, Amy answering 3 throughout with evidence; safe practice at 1.7
// against a target of 3, smart foundations at 4.3 against 4, empower
// citizens with its two not-applicable questions; overall 3.0. It has an
// action due on 31 March 2027 and an undated one.
func agreedCycle(t *testing.T, f *fixture) models.MaturityCycle {
	t.Helper()
	cycle := f.open(1)
	f.answerAll(cycle)
	agreed := map[string][]string{
		"well-led": six("3"), "smart-foundations": {"4", "4", "4", "4", "5", "5"}, "safe-practice": {"1", "1", "2", "2", "2", "2"},
		"support-people": six("3"), "improve-care": six("3"), "healthy-populations": six("3"),
	}
	agreed["empower-citizens"] = f.notApplicableWhereAllowed("empower-citizens", "2", "3", "4", "3")
	targets := map[string]string{"smart-foundations": "4", "safe-practice": "3"}
	f.agreeAll(t, cycle, targets, agreed)
	for _, form := range []maturity.ActionForm{
		{Section: "safe-practice", Title: "Train the safety officers", Owner: "Lee", Status: models.ActionInProgress, DueDay: "31", DueMonth: "3", DueYear: "2027", Progress: "Half done"},
		{Section: "well-led", Title: "Agree the strategy", Owner: "Amy", Status: models.ActionNotStarted},
	} {
		var a models.Action
		if _, err := f.svc.SaveAction(f.ctx, cycle, f.fw, &a, form, nil, nil, f.lead.ID); err != nil {
			t.Fatalf("action: %v", err)
		}
	}
	return f.reload(cycle)
}

func TestBoardReportOnHandWorkedNumbers(t *testing.T) {
	f := newFixture(t)
	cycle := agreedCycle(t, f)
	now := time.Date(2027, 4, 15, 12, 0, 0, 0, time.UTC)
	day := func(t time.Time) string { return t.Format("2 January 2006") }
	r, err := f.svc.BoardReport(f.ctx, cycle, f.fw, f.org, maturity.BoardOptions{Date: day, MinGroupSize: 10, Now: now,
		Workforce: &reports.Workforce{Note: "the workforce"}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Organisation != "Home Trust" || r.ODSCode != "RHM" || !r.Draft || r.Status != "In review" || !r.Generated.Equal(now) ||
		r.OverallScore != "3.0" || r.OverallRAG != "Amber" || r.ScaleMax != "5" || r.Workforce == nil || r.Workforce.Note != "the workforce" {
		t.Errorf("summary: %q %q draft %v status %q generated %v overall %q %q of %q", r.Organisation, r.ODSCode, r.Draft, r.Status, r.Generated, r.OverallScore, r.OverallRAG, r.ScaleMax)
	}
	if r.Change != "There is no earlier submitted cycle to compare with." ||
		r.Benchmark != "No benchmark: fewer than 5 other acute trusts have submitted an assessment." {
		t.Errorf("change %q, benchmark %q", r.Change, r.Benchmark)
	}
	// Strongest two and weakest three by shown score; the ties at 3.0 keep
	// framework order.
	wantLines := func(what string, got []reports.SectionLine, want ...reports.SectionLine) {
		if len(got) != len(want) {
			t.Errorf("%s: %+v, want %+v", what, got, want)
			return
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s %d: %+v, want %+v", what, i, got[i], want[i])
			}
		}
	}
	wantLines("strongest", r.Strongest, reports.SectionLine{Label: "Ensure smart foundations", Score: "4.3", RAG: "Green"},
		reports.SectionLine{Label: "Well led", Score: "3.0", RAG: "Amber"})
	wantLines("weakest", r.Weakest, reports.SectionLine{Label: "Safe practice", Score: "1.7", RAG: "Red"},
		reports.SectionLine{Label: "Well led", Score: "3.0", RAG: "Amber"}, reports.SectionLine{Label: "Support people", Score: "3.0", RAG: "Amber"})

	// The radar: this cycle and the targets; no previous cycle or peers.
	if len(r.Radar.Axes) != 7 || r.Radar.Axes[2] != "Safe practice" || r.Radar.Max != 5 || len(r.Radar.Series) != 2 {
		t.Fatalf("radar %+v", r.Radar)
	}
	cur, target := r.Radar.Series[0], r.Radar.Series[1]
	if cur.Name != "This cycle ("+cycle.Period+")" || cur.Values[1] != 4.3 || cur.Values[2] != 1.7 || cur.Values[0] != 3 {
		t.Errorf("current series %+v", cur)
	}
	if target.Name != "Target" || target.Values[1] != 4 || target.Values[2] != 3 || !math.IsNaN(target.Values[0]) {
		t.Errorf("target series %+v", target)
	}

	safe := r.Sections[2]
	if safe.Label != "Safe practice" || safe.Score != "1.7" || safe.RAG != "Red" || safe.Target != "3" || safe.Gap != "1.3" ||
		safe.Change != "None" || safe.Peer != "Not enough to compare" || safe.Respondents != "1" || len(safe.Questions) != 6 {
		t.Errorf("safe practice block %+v", safe)
	}
	if q := safe.Questions[0]; q.Agreed != "Level 1" || q.Spread != "3 to 3, mean 3.0 (1)" || q.Flagged || q.Evidence != "Minutes of the board" {
		t.Errorf("safe practice question 1 %+v", q)
	}
	if wl := r.Sections[0]; wl.Target != "None" || wl.Gap != "None" {
		t.Errorf("well led without a target: %+v", wl)
	}
	na := 0
	for _, q := range r.Sections[4].Questions {
		if q.Agreed == "Not applicable" {
			na++
		}
	}
	if na != 2 {
		t.Errorf("empower citizens: %d not applicable, want 2", na)
	}

	// Dated actions first; the one due 31 March is overdue on 15 April.
	if len(r.Actions) != 2 {
		t.Fatalf("actions %+v", r.Actions)
	}
	if a := r.Actions[0]; a != (reports.ActionLine{Title: "Train the safety officers", Section: "Safe practice", Owner: "Lee", Due: "31 March 2027", Status: "In progress", Overdue: true}) {
		t.Errorf("first action %+v", a)
	}
	if a := r.Actions[1]; a.Due != "No date" || a.Overdue || a.Section != "Well led" {
		t.Errorf("second action %+v", a)
	}
	wantNote := []string{
		"The organisation's overall digital maturity is 3.0 out of 5 (Amber).",
		"The largest gap to target is in Safe practice: 1.7 against a target of 3.0.",
		"2 actions are planned, 1 of them overdue.",
		"The scores are the board's own self-assessment, agreed by the digital lead from board members' answers.",
	}
	if strings.Join(r.AskedToNote, "|") != strings.Join(wantNote, "|") {
		t.Errorf("asked to note:\n%q\nwant\n%q", r.AskedToNote, wantNote)
	}
	// The method: the small-group size, then the integrity paragraph
	// before the framework's line, which ends it.
	if len(r.Method) != 8 || !strings.Contains(r.Method[4], "fewer than 10 people") ||
		!strings.HasPrefix(r.Method[6], "A question's level can be agreed only once at least 1 of") ||
		r.Method[7] != "Framework: "+f.fw.Title+", version "+f.fw.Version+"." {
		t.Errorf("method %q", r.Method)
	}
	// The trend: this draft only, with the page's line charts.
	if r.Trend == nil || len(r.Trend.Periods) != 1 || r.Trend.Periods[0] != cycle.Period+" (draft)" || len(r.Trend.Charts) != 8 ||
		r.Trend.Charts[0].Title != "Overall score" || r.Trend.Charts[0].Points[0].Score != 3 || !r.Trend.Charts[0].Points[0].Draft ||
		r.Trend.Charts[3].Title != "Safe practice" || r.Trend.Charts[3].Points[0].Score != 1.7 {
		t.Errorf("trend %+v", r.Trend)
	}
}

func TestCycleTablesOnHandWorkedNumbers(t *testing.T) {
	f := newFixture(t)
	cycle := agreedCycle(t, f)
	res, err := f.svc.ResultsTable(f.ctx, cycle, f.fw, f.org)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Columns) != 16 || res.Columns[6] != "Agreed level" || len(res.Rows) != 42 {
		t.Fatalf("%d columns, %d rows", len(res.Columns), len(res.Rows))
	}
	first := f.fw.Sections[0].Questions[0]
	want := []reports.Cell{reports.Text("Well led"), reports.Number(3), reports.Text("Amber"), reports.Empty(),
		reports.Text(first.Code), reports.Text(first.Title), reports.Number(3), reports.Text("No"),
		reports.Count(1), reports.Number(3), reports.Number(3), reports.Number(3),
		reports.Text("No"), reports.Text(""), reports.Text("Amy Board: Minutes of the board"), reports.Text("")}
	for i, c := range want {
		if res.Rows[0][i] != c {
			t.Errorf("well led row, %s: %+v, want %+v", res.Columns[i], res.Rows[0][i], c)
		}
	}
	// Safe practice's first question: agreed at 1, the measure 1.7 against 3.
	safe := res.Rows[12]
	if safe[0] != reports.Text("Safe practice") || safe[1] != reports.Number(1.7) || safe[2] != reports.Text("Red") ||
		safe[3] != reports.Number(3) || safe[6] != reports.Number(1) {
		t.Errorf("safe practice row %+v", safe)
	}
	// Empower citizens: the not-applicable questions have no level.
	na := 0
	for _, row := range res.Rows[24:30] {
		if row[7] == reports.Text("Yes") {
			na++
			if row[6] != reports.Empty() {
				t.Errorf("a not-applicable question with a level %+v", row)
			}
		}
	}
	if na != 2 {
		t.Errorf("%d not applicable rows, want 2", na)
	}

	acts, err := f.svc.ActionsTable(f.ctx, cycle, f.fw, time.Date(2027, 4, 15, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if len(acts.Rows) != 2 {
		t.Fatalf("actions %+v", acts.Rows)
	}
	due := acts.Rows[0][3]
	if acts.Rows[0][0] != reports.Text("Train the safety officers") || acts.Rows[0][1] != reports.Text("Safe practice") ||
		due.Kind != reports.CellDate || due.Date.Format("2006-01-02") != "2027-03-31" ||
		acts.Rows[0][4] != reports.Text("In progress") || acts.Rows[0][5] != reports.Text("Yes") || acts.Rows[0][6] != reports.Text("Half done") {
		t.Errorf("first action %+v", acts.Rows[0])
	}
	if acts.Rows[1][3] != reports.Empty() || acts.Rows[1][5] != reports.Text("No") {
		t.Errorf("undated action %+v", acts.Rows[1])
	}
}

func TestShorten(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly ten", 11, "exactly ten"},
		{"cut at the last word before the limit", 22, "cut at the last word …"},
		{"averyveryverylongwordwithoutspaces", 10, "averyveryv …"},
		{"ééééé ééééé", 8, "ééééé …"},
	} {
		if got := maturity.Shorten(tc.in, tc.n); got != tc.want {
			t.Errorf("Shorten(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}
