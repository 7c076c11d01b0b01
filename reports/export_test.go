package reports

import (
	"bytes"
	"encoding/csv"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// Expected values in these tests are worked out by hand from the rules in
// the doc comments of WriteCSV and WriteXLSX.

var (
	day1 = time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	// Late evening in London summer time: the calendar date is still 1 April.
	day2 = time.Date(2025, 4, 1, 23, 30, 0, 0, time.FixedZone("BST", 3600))
)

func csvString(t *testing.T, tab Table) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteCSV(&buf, tab); err != nil {
		t.Fatalf("WriteCSV: %v", err)
	}
	return buf.String()
}

// parseCSV checks the BOM and reads the rest back with encoding/csv.
func parseCSV(t *testing.T, out string) [][]string {
	t.Helper()
	body, ok := strings.CutPrefix(out, "\xef\xbb\xbf")
	if !ok {
		t.Fatalf("no UTF-8 byte-order mark at the start: %q", out[:min(len(out), 10)])
	}
	r := csv.NewReader(strings.NewReader(body))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("reading the CSV back: %v\n%q", err, out)
	}
	return recs
}

func TestExportCellHelpers(t *testing.T) {
	tests := []struct {
		name string
		got  Cell
		want Cell
	}{
		{"text", Text("Zoë"), Cell{Kind: CellText, Text: "Zoë"}},
		{"number", Number(2.5), Cell{Kind: CellNumber, Number: 2.5}},
		{"date", Date(day1), Cell{Kind: CellDate, Date: day1}},
		{"zero date", Date(time.Time{}), Cell{Kind: CellEmpty}},
		{"empty", Empty(), Cell{Kind: CellEmpty}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %+v, want %+v", tc.got, tc.want)
			}
		})
	}
}

func TestWriteCSVExactBytes(t *testing.T) {
	tab := Table{
		Name:    "scores",
		Columns: []string{"Section", "Score", "Agreed on"},
		Rows: [][]Cell{
			{Text("Leadership"), Number(2.5), Date(day1)},
			{Text("Data"), Number(3), Date(day2)},
			{Text("Ward – 7"), Number(2.333)}, // short row: padded
		},
	}
	want := "\ufeff" +
		"Section,Score,Agreed on\r\n" +
		"Leadership,2.5,2026-03-31\r\n" +
		"Data,3.0,2025-04-01\r\n" +
		"Ward – 7,2.33,\r\n"
	if got := csvString(t, tab); got != want {
		t.Errorf("CSV bytes\n got %q\nwant %q", got, want)
	}
}

func TestWriteCSVNumbers(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{2.5, "2.5"},
		{3, "3.0"},
		{2.333, "2.33"},
		{2.1, "2.1"},
		{0, "0.0"},
		{math.Copysign(0, -1), "0.0"},
		{-0.001, "0.0"}, // rounds to -0.00, shown without the sign
		{-1, "-1.0"},
		{-2.25, "-2.25"},
		{0.05, "0.05"},
		{2.999, "3.0"},
		{10, "10.0"},
		{1234.5678, "1234.57"},
		{294, "294.0"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			out := csvString(t, Table{Columns: []string{"x"}, Rows: [][]Cell{{Number(tc.in)}}})
			recs := parseCSV(t, out)
			if len(recs) != 2 || recs[1][0] != tc.want {
				t.Errorf("Number(%v) written as %q, want %q", tc.in, recs, tc.want)
			}
		})
	}
}

func TestWriteCSVDates(t *testing.T) {
	tests := []struct {
		name string
		in   Cell
		want string
	}{
		{"midnight UTC", Date(day1), "2026-03-31"},
		{"date in its own zone, time dropped", Date(day2), "2025-04-01"},
		{"zero time through Date", Date(time.Time{}), ""},
		{"zero time in a raw date cell", Cell{Kind: CellDate}, ""},
		{"leap day", Date(time.Date(2028, 2, 29, 12, 0, 0, 0, time.UTC)), "2028-02-29"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := csvString(t, Table{Columns: []string{"d"}, Rows: [][]Cell{{tc.in}}})
			recs := parseCSV(t, out)
			if len(recs) != 2 || recs[1][0] != tc.want {
				t.Errorf("got %q, want %q", recs, tc.want)
			}
			if tc.want == "" && out != "\ufeffd\r\n\"\"\r\n" {
				// A lone empty field is quoted, not an empty line.
				t.Errorf("empty one-field record written as %q", out)
			}
		})
	}
}

func TestWriteCSVFormulaNeutralised(t *testing.T) {
	tests := []struct {
		name string
		in   Cell
		want string
	}{
		{"equals", Text("=SUM(A1)"), "'=SUM(A1)"},
		{"plus", Text("+1"), "'+1"},
		{"minus as text", Text("-1"), "'-1"},
		{"at", Text("@cmd"), "'@cmd"},
		{"tab", Text("\tcmd"), "'\tcmd"},
		{"carriage return", Text("\r=1+1"), "'\r=1+1"},
		{"hyperlink call", Text(`=HYPERLINK("http://x","y")`), `'=HYPERLINK("http://x","y")`},
		{"equals later is fine", Text("a=b"), "a=b"},
		{"minus later is fine", Text("Ward 7 - east"), "Ward 7 - east"},
		{"empty text", Text(""), ""},
		{"negative number stays a number", Number(-1), "-1.0"},
		{"negative fraction stays a number", Number(-0.5), "-0.5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs := parseCSV(t, csvString(t, Table{Columns: []string{"v"}, Rows: [][]Cell{{tc.in}}}))
			if len(recs) != 2 || recs[1][0] != tc.want {
				t.Errorf("got %q, want %q", recs, tc.want)
			}
		})
	}
}

func TestWriteCSVHeaderNeutralised(t *testing.T) {
	recs := parseCSV(t, csvString(t, Table{Columns: []string{"Name", "=cmd", "-"}}))
	want := []string{"Name", "'=cmd", "'-"}
	if len(recs) != 1 || strings.Join(recs[0], "|") != strings.Join(want, "|") {
		t.Errorf("header %q, want %q", recs, want)
	}
}

func TestWriteCSVQuotingRoundTrip(t *testing.T) {
	tab := Table{
		Columns: []string{"Name", "Comment, free text", `Say "hi"`, "Score"},
		Rows: [][]Cell{
			{Text("Zoë"), Text("a, b and c"), Text(`she said "yes"`), Number(2.5)},
			{Text("Ward – 7"), Text("line one\nline two"), Text(`""`), Number(3)},
			{Text(" leading space"), Text("trailing space "), Text("日本語 ✓ 🙂"), Empty()},
			{Text("lone\rreturn"), Text("x"), Text("=1,2"), Number(-1)},
		},
	}
	want := [][]string{
		{"Name", "Comment, free text", `Say "hi"`, "Score"},
		{"Zoë", "a, b and c", `she said "yes"`, "2.5"},
		{"Ward – 7", "line one\nline two", `""`, "3.0"},
		{" leading space", "trailing space ", "日本語 ✓ 🙂", ""},
		{"lone\rreturn", "x", "'=1,2", "-1.0"},
	}
	out := csvString(t, tab)
	got := parseCSV(t, out)
	if len(got) != len(want) {
		t.Fatalf("%d records, want %d: %q", len(got), len(want), got)
	}
	for i := range want {
		if len(got[i]) != len(want[i]) {
			t.Fatalf("record %d has %d fields, want %d: %q", i, len(got[i]), len(want[i]), got[i])
		}
		for j := range want[i] {
			if got[i][j] != want[i][j] {
				t.Errorf("record %d field %d: got %q, want %q", i, j, got[i][j], want[i][j])
			}
		}
	}
	// Quoting by hand for the trickiest fields, and record ends.
	for _, frag := range []string{
		`"Comment, free text","Say ""hi"""`,
		`"line one` + "\n" + `line two",""""""`,
		`"'=1,2",-1.0` + "\r\n",
		`" leading space","trailing space "`,
	} {
		if !strings.Contains(out, frag) {
			t.Errorf("output lacks %q:\n%q", frag, out)
		}
	}
	if n := strings.Count(out, "\r\n"); n != 5 {
		t.Errorf("%d CRLF in output, want 5 (one per record): %q", n, out)
	}
	if !strings.HasSuffix(out, "\r\n") {
		t.Errorf("output does not end with CRLF")
	}
}

func TestWriteCSVErrors(t *testing.T) {
	tests := []struct {
		name    string
		tab     Table
		wantErr []string
	}{
		{
			"row longer than columns",
			Table{Name: "scores", Columns: []string{"a", "b"}, Rows: [][]Cell{
				{Text("1"), Text("2")},
				{Text("1"), Text("2"), Text("3")},
			}},
			[]string{`"scores"`, "row 2", "3 cells", "2 columns"},
		},
		{
			"not a number",
			Table{Name: "scores", Columns: []string{"a", "Score"}, Rows: [][]Cell{{Text("x"), Number(math.NaN())}}},
			[]string{"row 1", `"Score"`, "NaN"},
		},
		{
			"unknown kind",
			Table{Name: "t", Columns: []string{"a"}, Rows: [][]Cell{{{Kind: CellKind(9)}}}},
			[]string{"row 1", "unknown cell kind 9"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			wantWriteRefused(t, WriteCSV(&buf, tc.tab), buf.Len(), tc.wantErr)
		})
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteCSVWriterError(t *testing.T) {
	err := WriteCSV(failingWriter{}, Table{Columns: []string{"a"}, Rows: [][]Cell{{Text("x")}}})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("got %v, want the writer's error", err)
	}
}

// ---- XLSX ----

func openXLSX(t *testing.T, tables ...Table) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, tables...); err != nil {
		t.Fatalf("WriteXLSX: %v", err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("opening the workbook back: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

type kind int

const (
	kText kind = iota
	kNumber
	kDate
	kBlank
)

// xlsxCell is what one cell should read back as: its raw stored value, its
// value as shown through its number format, and what kind of value it is.
type xlsxCell struct {
	raw, shown string
	kind       kind
}

func str(s string) xlsxCell           { return xlsxCell{s, s, kText} }
func num(raw, shown string) xlsxCell  { return xlsxCell{raw, shown, kNumber} }
func date(raw, shown string) xlsxCell { return xlsxCell{raw, shown, kDate} }

var blank = xlsxCell{"", "", kBlank}

func TestWriteXLSXTwoTables(t *testing.T) {
	maturity := Table{
		Name:    "Maturity scores",
		Columns: []string{"Section", "Score", "Agreed on", "Note"},
		Rows: [][]Cell{
			{Text("Leadership and governance"), Number(2.5), Date(day1), Text("=SUM(A1)")},
			{Text("Zoë's ward – 7"), Number(3), Date(day2), Text("+1")},
			{Text("Data"), Number(2.333), Date(time.Time{}), Text("-1")},
			{Text("Negative"), Number(-1), Empty(), Text("@cmd")},
			{Text("Tabbed"), Empty(), Empty(), Text("\tcmd")},
			{Text("Return"), Number(0), Empty(), Text("\rcmd")},
			{Text("Short row")},
			{Text("007"), Number(1234.5678), Date(time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC)), Text("a=b")},
		},
	}
	skills := Table{
		Name:    "Skills: ward 7/8",
		Columns: []string{"Staff group", "People"},
		Rows: [][]Cell{
			{Text("Nursing"), Number(294)},
			{Text("Line one\nline two"), Number(12)},
		},
	}
	f := openXLSX(t, maturity, skills)

	// Sheet names: ':' and '/' replaced.
	wantSheets := []string{"Maturity scores", "Skills_ ward 7_8"}
	if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(wantSheets, "|") {
		t.Fatalf("sheets %q, want %q", got, wantSheets)
	}

	// Dates by hand: 2024-01-01 is serial 45292; 2025-01-01 = 45292+366 =
	// 45658; 2025-04-01 = 45658+31+28+31 = 45748; 2026-01-01 = 45658+365
	// = 46023; 2026-03-31 = 46023+31+28+30 = 46112. 1900-03-01 is 61 (Excel
	// counts a 29 February 1900).
	want := map[string][][]xlsxCell{
		"Maturity scores": {
			{str("Section"), str("Score"), str("Agreed on"), str("Note")},
			{str("Leadership and governance"), num("2.5", "2.5"), date("46112", "2026-03-31"), str("'=SUM(A1)")},
			{str("Zoë's ward – 7"), num("3", "3.0"), date("45748", "2025-04-01"), str("'+1")},
			{str("Data"), num("2.333", "2.3"), blank, str("'-1")},
			{str("Negative"), num("-1", "-1.0"), blank, str("'@cmd")},
			{str("Tabbed"), blank, blank, str("'\tcmd")},
			{str("Return"), num("0", "0.0"), blank, str("'\rcmd")},
			{str("Short row"), blank, blank, blank},
			{str("007"), num("1234.5678", "1234.6"), date("61", "1900-03-01"), str("a=b")},
		},
		"Skills_ ward 7_8": {
			{str("Staff group"), str("People")},
			{str("Nursing"), num("294", "294.0")},
			{str("Line one\nline two"), num("12", "12.0")},
		},
	}
	for sheet, rows := range want {
		for i, row := range rows {
			for j, wc := range row {
				ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
				checkXLSXCell(t, f, sheet, ref, wc)
			}
		}
		// Nothing beyond the expected rows and columns.
		got, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(rows) {
			t.Errorf("%s: %d rows, want %d", sheet, len(got), len(rows))
		}
		for i := range got {
			if len(got[i]) > len(rows[0]) {
				t.Errorf("%s row %d: %d cells, want at most %d", sheet, i+1, len(got[i]), len(rows[0]))
			}
		}
	}

	// Header bold and frozen; data cells not bold.
	for _, sheet := range wantSheets {
		if !cellBold(t, f, sheet, "A1") || !cellBold(t, f, sheet, "B1") {
			t.Errorf("%s: header not bold", sheet)
		}
		if cellBold(t, f, sheet, "A2") {
			t.Errorf("%s: data cell A2 is bold", sheet)
		}
		p, err := f.GetPanes(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if !p.Freeze || p.YSplit != 1 || p.XSplit != 0 || p.TopLeftCell != "A2" {
			t.Errorf("%s: panes %+v, want the first row frozen", sheet, p)
		}
	}

	// Column widths: longest shown text + 2, at least 8 (the header counts
	// 2 more for bold). Section: "Leadership and governance" is 25 -> 27.
	// Score: header "Score" 5+2=7, "1234.57" is 7 -> 9. Agreed on: header
	// 9+2=11 -> 13. Note: header 4+2=6, "'=SUM(A1)" is 9 -> 11.
	// Staff group: "Line one\nline two" has lines of 8, header 11+2=13 -> 15.
	// People: header 6+2=8, "294.0" 5 -> 10.
	widths := []struct {
		sheet, col string
		want       float64
	}{
		{"Maturity scores", "A", 27},
		{"Maturity scores", "B", 9},
		{"Maturity scores", "C", 13},
		{"Maturity scores", "D", 11},
		{"Skills_ ward 7_8", "A", 15},
		{"Skills_ ward 7_8", "B", 10},
	}
	for _, w := range widths {
		got, err := f.GetColWidth(w.sheet, w.col)
		if err != nil {
			t.Fatal(err)
		}
		if got != w.want {
			t.Errorf("%s column %s width %v, want %v", w.sheet, w.col, got, w.want)
		}
	}

	// Workbook properties.
	props, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if props.Title != "Maturity scores" {
		t.Errorf("title %q", props.Title)
	}
	if props.Creator != "Digital maturity and skills assessment" {
		t.Errorf("creator %q", props.Creator)
	}
}

func checkXLSXCell(t *testing.T, f *excelize.File, sheet, ref string, want xlsxCell) {
	t.Helper()
	raw, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("%s!%s: %v", sheet, ref, err)
	}
	shown, err := f.GetCellValue(sheet, ref)
	if err != nil {
		t.Fatalf("%s!%s: %v", sheet, ref, err)
	}
	typ, err := f.GetCellType(sheet, ref)
	if err != nil {
		t.Fatalf("%s!%s: %v", sheet, ref, err)
	}
	formula, err := f.GetCellFormula(sheet, ref)
	if err != nil {
		t.Fatalf("%s!%s: %v", sheet, ref, err)
	}
	if formula != "" {
		t.Errorf("%s!%s has a formula %q", sheet, ref, formula)
	}
	if raw != want.raw {
		t.Errorf("%s!%s raw value %q, want %q", sheet, ref, raw, want.raw)
	}
	if shown != want.shown {
		t.Errorf("%s!%s shown as %q, want %q", sheet, ref, shown, want.shown)
	}
	numFmt := cellNumFmt(t, f, sheet, ref)
	switch want.kind {
	case kText:
		if typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
			t.Errorf("%s!%s type %v, want a string", sheet, ref, typ)
		}
	case kNumber, kDate:
		// A number is stored without a type attribute (Excel's default,
		// numeric) or as t="n"; a date is a number with a date format.
		if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("%s!%s type %v, want a number", sheet, ref, typ)
		}
		wantFmt := "0.0"
		if want.kind == kDate {
			wantFmt = "yyyy-mm-dd"
		}
		if numFmt != wantFmt {
			t.Errorf("%s!%s number format %q, want %q", sheet, ref, numFmt, wantFmt)
		}
	case kBlank:
		if typ != excelize.CellTypeUnset {
			t.Errorf("%s!%s type %v, want blank", sheet, ref, typ)
		}
	}
}

func cellStyle(t *testing.T, f *excelize.File, sheet, ref string) *excelize.Style {
	t.Helper()
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func cellNumFmt(t *testing.T, f *excelize.File, sheet, ref string) string {
	st := cellStyle(t, f, sheet, ref)
	if st.CustomNumFmt != nil {
		return *st.CustomNumFmt
	}
	return ""
}

func cellBold(t *testing.T, f *excelize.File, sheet, ref string) bool {
	st := cellStyle(t, f, sheet, ref)
	return st.Font != nil && st.Font.Bold
}

func TestWriteXLSXSheetNames(t *testing.T) {
	long := "Digital maturity assessment results 2026/27" // 43 characters
	tests := []struct {
		name  string
		names []string
		want  []string
	}{
		{"valid names kept", []string{"Scores", "Skills"}, []string{"Scores", "Skills"}},
		{
			"invalid characters replaced",
			[]string{`a[b]c:d*e?f/g\h`},
			[]string{"a_b_c_d_e_f_g_h"},
		},
		{
			// "Digital maturity assessment res" is the first 31 characters;
			// the duplicate keeps 27 to make room for " (2)".
			"long names truncated, duplicates numbered",
			[]string{long, long, long},
			[]string{"Digital maturity assessment res", "Digital maturity assessment (2)", "Digital maturity assessment (3)"},
		},
		{"duplicates ignore case", []string{"Scores", "SCORES", "scores"}, []string{"Scores", "SCORES (2)", "scores (3)"}},
		{"apostrophes at the ends removed", []string{"'Board's view'"}, []string{"Board's view"}},
		{"empty names", []string{"", "Sheet 1", "''"}, []string{"Sheet 1", "Sheet 1 (2)", "Sheet 3"}},
		{"reserved History", []string{"History"}, []string{"History (2)"}},
		{
			// 30 letters then "é" = 31 characters fits; with an emoji (two
			// UTF-16 units) at place 31 it does not and is dropped whole.
			"UTF-16 length",
			[]string{strings.Repeat("a", 30) + "é", strings.Repeat("b", 30) + "🙂"},
			[]string{strings.Repeat("a", 30) + "é", strings.Repeat("b", 30)},
		},
		{"first name Sheet1", []string{"Sheet1", "sheet1"}, []string{"Sheet1", "sheet1 (2)"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var tables []Table
			for _, n := range tc.names {
				tables = append(tables, Table{Name: n, Columns: []string{"x"}, Rows: [][]Cell{{Text(n)}}})
			}
			f := openXLSX(t, tables...)
			got := f.GetSheetList()
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Fatalf("sheets %q, want %q", got, tc.want)
			}
			// Each table landed on its own sheet, in order.
			for i, sheet := range got {
				v, err := f.GetCellValue(sheet, "A2")
				if err != nil {
					t.Fatal(err)
				}
				if v != neutralise(tc.names[i]) {
					t.Errorf("sheet %q A2 = %q, want %q", sheet, v, tc.names[i])
				}
			}
			props, err := f.GetDocProps()
			if err != nil {
				t.Fatal(err)
			}
			if props.Title != tc.names[0] {
				t.Errorf("title %q, want the first table's name %q", props.Title, tc.names[0])
			}
		})
	}
}

func TestWriteXLSXWidthCapped(t *testing.T) {
	f := openXLSX(t, Table{
		Name:    "Evidence",
		Columns: []string{"Evidence", "N"},
		Rows:    [][]Cell{{Text(strings.Repeat("x", 200)), Number(1)}},
	})
	if w, _ := f.GetColWidth("Evidence", "A"); w != 60 {
		t.Errorf("long column width %v, want the cap 60", w)
	}
	// "N" header: 1+2 = 3, "1.0" 3 -> 5, raised to the minimum 8.
	if w, _ := f.GetColWidth("Evidence", "B"); w != 8 {
		t.Errorf("narrow column width %v, want the minimum 8", w)
	}
}

func TestWriteXLSXErrors(t *testing.T) {
	tests := []struct {
		name    string
		tables  []Table
		wantErr []string
	}{
		{"no tables", nil, []string{"at least one table"}},
		{
			"row longer than columns",
			[]Table{
				{Name: "ok", Columns: []string{"a"}},
				{Name: "skills", Columns: []string{"a", "b"}, Rows: [][]Cell{{Text("1")}, {Text("1")}, {Text("1"), Text("2"), Text("3")}}},
			},
			[]string{`"skills"`, "row 3", "3 cells", "2 columns"},
		},
		{
			"infinite number",
			[]Table{{Name: "s", Columns: []string{"Score"}, Rows: [][]Cell{{Number(math.Inf(1))}}}},
			[]string{"row 1", `"Score"`},
		},
		{
			"text too long for a cell",
			[]Table{{Name: "s", Columns: []string{"Evidence"}, Rows: [][]Cell{{Text(strings.Repeat("x", 32768))}}}},
			[]string{"row 1", `"Evidence"`, "32767"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			wantWriteRefused(t, WriteXLSX(&buf, tc.tables...), buf.Len(), tc.wantErr)
		})
	}
}

func TestExportExcelSerialDate(t *testing.T) {
	tests := []struct {
		in     time.Time
		want   float64
		wantOK bool
	}{
		{time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), 1, true},
		{time.Date(1900, 2, 28, 0, 0, 0, 0, time.UTC), 59, true},
		{time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC), 61, true},
		{time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), 45292, true},
		{day1, 46112, true},
		{day2, 45748, true},
		{time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC), 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.in.Format(isoDate), func(t *testing.T) {
			got, ok := excelSerialDate(tc.in)
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("got %v, %v; want %v, %v", got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

// wantWriteRefused checks a write failed with an error naming each of
// want, having written nothing.
func wantWriteRefused(t *testing.T, err error, written int, want []string) {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	for _, s := range want {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not mention %s", err, s)
		}
	}
	if written != 0 {
		t.Errorf("wrote %d bytes before failing", written)
	}
}
