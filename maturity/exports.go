package maturity

import (
	"context"
	"strings"
	"time"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/reports"
)

// ResultsTable is the agreed results of a cycle, one row a question: the
// export analysts asked for. org is the cycle's organisation.
func (s *Service) ResultsTable(ctx context.Context, cycle models.MaturityCycle, fw *assessments.Framework, org models.Organisation) (reports.Table, error) {
	res, err := s.Results(ctx, cycle, fw, org)
	if err != nil {
		return reports.Table{}, err
	}
	src, err := s.Sources(ctx, cycle)
	if err != nil {
		return reports.Table{}, err
	}
	return resultsTable(res, src), nil
}

// resultsTable carries every figure as a number or a count, straight from
// the results and the stored agreed levels, never as text read back.
func resultsTable(res Results, src Sources) reports.Table {
	cycle, fw := res.Cycle, res.Framework
	t := reports.Table{Name: "Agreed results " + cycle.Period, Columns: []string{
		"Success measure", "Success measure score", "Rating", "Section target", "Question code", "Question",
		"Agreed level", "Not applicable", "Board members answering", "Lowest answer", "Highest answer", "Mean answer",
		"Spread of 2 or more", "Lead's note", "Evidence", "Evidence documents"}}
	yesNo := func(b bool) reports.Cell {
		if b {
			return reports.Text("Yes")
		}
		return reports.Text("No")
	}
	for i := range res.Sections {
		sr := res.Sections[i]
		review := BuildReview(cycle, fw, sr.Section, i+1, src)
		for _, q := range review.Questions {
			row := []reports.Cell{reports.Text(sr.Section.Label), reports.Empty(), reports.Text(""), reports.Empty(),
				reports.Text(q.Question.Code), reports.Text(q.Question.Title), reports.Empty(), reports.Text("No"),
				reports.Count(q.Spread.Answers + q.Spread.NotApplicable), reports.Empty(), reports.Empty(), reports.Empty(),
				yesNo(q.Spread.Flagged), reports.Text(q.Note), reports.Text(MemberEvidence(q)), reports.Text(EvidenceDocuments(q))}
			if sr.Score.Scored {
				row[1], row[2] = reports.Number(sr.Shown), reports.Text(sr.RAG.Label())
			}
			if sr.Target > 0 {
				row[3] = reports.Number(float64(sr.Target))
			}
			if l := src.agreed[q.Question.Code].Level; l != nil {
				if *l == assessments.NotApplicable {
					row[7] = reports.Text("Yes")
				} else {
					row[6] = reports.Number(float64(*l))
				}
			}
			if q.Spread.Answers > 0 {
				row[9], row[10], row[11] = reports.Number(float64(q.Spread.Min)), reports.Number(float64(q.Spread.Max)), reports.Number(assessments.Round1(q.Spread.Mean))
			}
			t.Rows = append(t.Rows, row)
		}
	}
	return t
}

// MemberEvidence is each board member's evidence for a question, one a
// line, named.
func MemberEvidence(q ReviewQuestion) string {
	var parts []string
	for _, m := range q.Members {
		if m.Evidence != "" {
			parts = append(parts, m.Name+": "+m.Evidence)
		}
	}
	return strings.Join(parts, "\n")
}

// EvidenceDocuments names a question's evidence documents, one a line.
func EvidenceDocuments(q ReviewQuestion) string {
	var names []string
	for _, d := range q.Evidence {
		names = append(names, d.FileName+" ("+d.UploadedBy+")")
	}
	return strings.Join(names, "\n")
}

// ActionsTable is a cycle's actions as the export carries them; now
// decides which are overdue.
func (s *Service) ActionsTable(ctx context.Context, cycle models.MaturityCycle, fw *assessments.Framework, now time.Time) (reports.Table, error) {
	actions, err := s.store.CycleActions(ctx, cycle.OrganisationID, cycle.ID)
	if err != nil {
		return reports.Table{}, err
	}
	return actionsTable(cycle, fw, actions, now), nil
}

func actionsTable(cycle models.MaturityCycle, fw *assessments.Framework, actions []models.Action, now time.Time) reports.Table {
	t := reports.Table{Name: "Actions " + cycle.Period, Columns: []string{"Action", "Success measure", "Owner", "Due date", "Status", "Overdue", "Progress"}}
	for _, a := range actions {
		section := a.SectionCode
		if sec, ok := fw.Section(a.SectionCode); ok {
			section = sec.Label
		}
		due := reports.Empty()
		if a.DueDate != nil {
			due = reports.Date(*a.DueDate)
		}
		overdue := "No"
		if a.Overdue(now) {
			overdue = "Yes"
		}
		t.Rows = append(t.Rows, []reports.Cell{reports.Text(a.Title), reports.Text(section), reports.Text(a.Owner), due,
			reports.Text(a.StatusLabel()), reports.Text(overdue), reports.Text(a.Progress)})
	}
	return t
}
