// Package reports builds PDF documents and data exports from plain input
// structs. It computes nothing: every figure arrives already worked out
// and formatted by the same code as the web pages, so a report can never
// disagree with the page it comes from.
package reports

import (
	"time"

	"nhs-digital-maturity/charts"
)

// BoardReport is the digital maturity report a digital lead takes to the
// board. Strings are shown as given.
type BoardReport struct {
	Organisation     string
	ODSCode          string
	Period           string
	Status           string // "Submitted", "In review", ...
	Draft            bool   // marks every page "DRAFT"
	Demo             bool   // the service holds demo data: every page's footer says so
	Generated        time.Time
	FrameworkTitle   string
	FrameworkVersion string

	// The half-page summary for the board.
	AskedToNote  []string // what the board is asked to note, one sentence each
	OverallScore string   // "2.9", or "" when nothing is agreed yet
	OverallRAG   string   // "Amber"
	ScaleMax     string   // "5"
	Change       string   // "up 0.8 since 2025/26 (2.1)", or a sentence saying there is no earlier cycle
	Benchmark    string   // one sentence, or why there is none
	Strongest    []SectionLine
	Weakest      []SectionLine

	// Radar is the results page's own chart description, drawn here as
	// vectors: the report shows exactly what the page shows.
	Radar    charts.Radar
	Sections []SectionBlock

	// The board's sign-off: "Approved by the board meeting of ...", or ""
	// for a draft; the quorum in one sentence; each reopening in one line.
	SignOff    string
	Quorum     string
	Reopenings []string

	// Trend is every submitted cycle (and a draft, marked), oldest first.
	Trend *Trend

	// Evidence lists the evidence documents for the appendix.
	Evidence []EvidenceLine

	Workforce *Workforce // nil when the service has no skills data to show

	Actions []ActionLine
	Method  []string // paragraphs: how the scores are calculated, caveats, small-group rule, framework version
}

// SectionLine names one success measure with its score, for the summary.
type SectionLine struct {
	Label string
	Score string
	RAG   string
}

// SectionBlock is one success measure's part of the report.
type SectionBlock struct {
	Label  string
	Score  string // "3.2" or "No score"
	RAG    string
	Target string // "4" or "None"
	Gap    string // "0.8" or "None"
	Change string // "up 0.3" or "None"
	Peer   string // "median 2.8 (2.5 to 3.0)" or "Not enough to compare"
	// Respondents is how many board members answered: "2".
	Respondents string
	Questions   []QuestionLine
}

// Trend is the scores of every cycle: Periods name the columns ("2025/26",
// "2026/27 (draft)"); each row has one value per period, below 0 for none.
// Charts are the results page's line charts of the same rows, in order.
type Trend struct {
	Periods []string
	Rows    []TrendRow
	Charts  []charts.Line
}

// TrendRow is one line of the trend: the overall score or a success measure.
type TrendRow struct {
	Label  string
	Values []float64
}

// EvidenceLine is one evidence document of the appendix.
type EvidenceLine struct {
	FileName string
	Question string
	By       string
	Size     string
}

// QuestionLine is one question's agreed level with the board's spread.
type QuestionLine struct {
	Title    string
	Agreed   string // "Level 3", "Not applicable", "Not agreed"
	Spread   string // "members 2 to 4, mean 3.0", or "no answers"
	Flagged  bool   // a spread of two levels or more
	Evidence string // a short extract of the evidence and the lead's note
}

// Workforce is the staff skills page of the board report. Small groups are
// already hidden: hidden cells arrive as "Hidden".
type Workforce struct {
	Participation []LabelValue // "Completed" -> "294"
	ScaleMax      string       // "4"
	Domains       []DomainLine
	// Heatmap is the workforce page's own heatmap description: the mean
	// gap by staff group and domain, hidden cells already hidden.
	Heatmap       charts.Heatmap
	BoardView     string // the board's view of "Support people", one sentence
	WorkforceView string // the workforce's view, one sentence
	Note          string // the small-group rule in one sentence
}

// LabelValue is one line of a two-column list.
type LabelValue struct{ Label, Value string }

// DomainLine is a skills domain's means.
type DomainLine struct{ Label, Now, Need, Gap string }

// ActionLine is one action of the plan.
type ActionLine struct {
	Title   string
	Section string
	Owner   string
	Due     string // "30 September 2026" or "No date"
	Status  string
	Overdue bool
}

// PersonalReport is a member of staff's own skills results.
type PersonalReport struct {
	// Demo: the service holds demo data, which every page then says.
	Demo         bool
	Name         string
	Organisation string
	Completed    time.Time
	ScaleMax     int
	ScaleLabels  []string // level 1 first
	Domains      []PersonalDomain
	Strengths    []string // one sentence each
	Priorities   []PersonalPriority
	Previous     string // "Compared with your attempt of 3 March 2026", or ""
	Method       []string
}

// PersonalDomain is one domain's results; the numbers draw the chart, the
// strings fill the table.
type PersonalDomain struct {
	Label                              string
	Now, Need                          float64
	NowText, NeedText, GapText, Change string
}

// PersonalPriority is one of the largest gaps, with learning to close it.
type PersonalPriority struct {
	Label    string
	Text     string // "Now 2.0, role needs 4.0: a gap of 2.0."
	Learning []Learning
}

// Learning is one learning suggestion; Link is empty unless the deployment
// has its own learning catalogue.
type Learning struct{ Title, Summary, Link string }

// Table is a data export: named columns and rows of text, numbers or dates.
type Table struct {
	Name    string // sheet name for XLSX, file name stem for CSV
	Columns []string
	Rows    [][]Cell
}

// Cell is one value of an export. Exactly one of the fields is used, as
// Kind says, so spreadsheets get numbers as numbers and dates as dates.
type Cell struct {
	Kind   CellKind
	Text   string
	Number float64
	Date   time.Time
}

// CellKind says which field of a Cell holds the value.
type CellKind int

const (
	CellText CellKind = iota
	CellNumber
	CellDate
	CellEmpty
	// CellCount is a whole number of people or things, in Number: written
	// without decimals, so a count never reads as a mean.
	CellCount
)
