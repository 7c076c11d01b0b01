package reports

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Text returns a text cell.
func Text(s string) Cell { return Cell{Kind: CellText, Text: s} }

// Number returns a number cell.
func Number(x float64) Cell { return Cell{Kind: CellNumber, Number: x} }

// Count returns a cell of a whole number: a count of people or things.
func Count(n int) Cell { return Cell{Kind: CellCount, Number: float64(n)} }

// Date returns a date cell holding the calendar date of t (in t's own
// location; the time of day is dropped). The zero time gives an empty cell.
func Date(t time.Time) Cell {
	if t.IsZero() {
		return Empty()
	}
	return Cell{Kind: CellDate, Date: t}
}

// Empty returns an empty cell.
func Empty() Cell { return Cell{Kind: CellEmpty} }

// Export limits.
const (
	xlsxMaxSheetName = 31      // UTF-16 code units, as Excel counts them
	xlsxMaxCellText  = 32767   // UTF-16 code units in one cell
	xlsxMaxRows      = 1048576 // including the header row
	xlsxMaxColumns   = 16384
	xlsxMinColWidth  = 8
	xlsxMaxColWidth  = 60
	xlsxCreator      = "Digital maturity and skills assessment"
	isoDate          = "2006-01-02"
)

// checkTable validates t before anything is written, so a failed export
// never leaves half a file behind: no row may be longer than the columns,
// every cell kind must be known and numbers must be finite. Rows are named
// as "row N", counting data rows from 1 (the header is not counted).
func checkTable(t Table) error {
	for i, row := range t.Rows {
		if len(row) > len(t.Columns) {
			return fmt.Errorf("reports: table %q: row %d has %d cells but there are only %d columns",
				t.Name, i+1, len(row), len(t.Columns))
		}
		for j, c := range row {
			switch c.Kind {
			case CellText, CellDate, CellEmpty:
			case CellNumber, CellCount:
				if math.IsNaN(c.Number) || math.IsInf(c.Number, 0) {
					return fmt.Errorf("reports: table %q: row %d, column %q: number %v cannot be exported",
						t.Name, i+1, t.Columns[j], c.Number)
				}
			default:
				return fmt.Errorf("reports: table %q: row %d, column %q: unknown cell kind %d",
					t.Name, i+1, t.Columns[j], c.Kind)
			}
		}
	}
	return nil
}

// cellAt returns row[j], or an empty cell when the row is short.
func cellAt(row []Cell, j int) Cell {
	if j < len(row) {
		return row[j]
	}
	return Empty()
}

// neutralise prefixes text that a spreadsheet would run as a formula with an
// apostrophe, so it is shown as the text it is.
func neutralise(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// formatNumber writes x with at most two decimals and at least one:
// 2.5 -> "2.5", 3 -> "3.0", 2.333 -> "2.33". Negative zero is "0.0".
func formatNumber(x float64) string {
	s := strconv.FormatFloat(x, 'f', 2, 64)
	s = strings.TrimSuffix(s, "0") // "3.00" -> "3.0", "2.50" -> "2.5", "2.33" stays
	if s == "-0.0" {
		s = "0.0"
	}
	return s
}

// formatDate writes the calendar date of t as ISO 8601.
func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(isoDate)
}

// cellString is the text of a cell as it appears in CSV.
func cellString(c Cell) string {
	switch c.Kind {
	case CellText:
		return neutralise(c.Text)
	case CellNumber:
		return formatNumber(c.Number)
	case CellCount:
		return strconv.FormatFloat(c.Number, 'f', 0, 64)
	case CellDate:
		return formatDate(c.Date)
	}
	return ""
}

// DemoData marks what comes from demo data: every page of a PDF and every
// row of an export says it while the service holds demo data.
const DemoData = "Demo data"

// MarkDemo returns t with a first column, headed "Demo data", that says so
// on every row, so that no figure of the demo is taken for a real one
// wherever the file goes.
func MarkDemo(t Table) Table {
	out := Table{Name: t.Name, Columns: append([]string{DemoData}, t.Columns...)}
	mark := Text(DemoData + ", not real")
	for _, row := range t.Rows {
		out.Rows = append(out.Rows, append([]Cell{mark}, row...))
	}
	return out
}

// WriteCSV writes t as CSV for Excel: UTF-8 with a byte-order mark, comma
// separated, CRLF line ends, a header row of t.Columns, then the rows.
// Numbers are written with up to 2 decimals and no trailing zeros beyond one
// decimal ("2.5", "3.0", "2.33"), counts as whole numbers ("12"); dates as
// ISO 8601 (2026-03-31). Text cells
// (and column titles) that begin with = + - @ (or a tab or carriage return)
// are neutralised by a leading apostrophe so a spreadsheet never runs them as
// formulas; numbers are never neutralised (a negative number stays a number).
//
// Fields holding a comma, a double quote, a line break or a leading or
// trailing space are quoted, with quotes doubled; line breaks inside a field
// are kept exactly as given (Excel reads them as line breaks in the cell).
// Rows shorter than the columns are padded with empty cells; a longer row is
// an error and nothing is written.
func WriteCSV(w io.Writer, t Table) error {
	if err := checkTable(t); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	bw.WriteString("\ufeff")
	fields := make([]string, len(t.Columns))
	for j, name := range t.Columns {
		fields[j] = neutralise(name)
	}
	writeCSVRecord(bw, fields)
	for _, row := range t.Rows {
		for j := range t.Columns {
			fields[j] = cellString(cellAt(row, j))
		}
		writeCSVRecord(bw, fields)
	}
	return bw.Flush() // bufio keeps the first write error and returns it here
}

// writeCSVRecord writes one record ended by CRLF. encoding/csv is not used
// because with UseCRLF it drops a lone carriage return inside a field, which
// would undo the neutralisation of text starting with one.
//
// A record of one empty field is written as "" rather than as an empty
// line, which CSV readers skip.
func writeCSVRecord(w *bufio.Writer, fields []string) {
	if len(fields) == 1 && fields[0] == "" {
		w.WriteString("\"\"\r\n")
		return
	}
	for j, f := range fields {
		if j > 0 {
			w.WriteByte(',')
		}
		if !csvNeedsQuotes(f) {
			w.WriteString(f)
			continue
		}
		w.WriteByte('"')
		w.WriteString(strings.ReplaceAll(f, `"`, `""`))
		w.WriteByte('"')
	}
	w.WriteString("\r\n")
}

func csvNeedsQuotes(f string) bool {
	if f == "" {
		return false
	}
	if strings.ContainsAny(f, ",\"\r\n") {
		return true
	}
	return f[0] == ' ' || f[0] == '\t' || f[len(f)-1] == ' ' || f[len(f)-1] == '\t'
}

// WriteXLSX writes one or more tables as sheets of one workbook (sheet names
// from Table.Name, made valid: at most 31 characters, no []:*?/\ characters
// (each replaced by "_"), no apostrophe at either end, unique ignoring case,
// "Sheet N" when empty; see sheetNames). The header row is bold and frozen,
// column widths are set from content (capped), numbers are numbers with the
// number format "0.0", counts numbers with the format "0", dates are real
// dates with the format "yyyy-mm-dd" and
// text is text: formula-like text is stored as a string value, never as a
// formula, and additionally neutralised with a leading apostrophe exactly
// like CSV, so a later CSV save from Excel stays safe. Workbook properties:
// title = first table's name, creator = "Digital maturity and skills
// assessment".
//
// Text longer than an Excel cell can hold (32,767 characters) is an error
// rather than being cut short silently, as is a table with more rows or
// columns than a sheet can hold. Nothing is written to w unless the whole
// workbook was built.
func WriteXLSX(w io.Writer, tables ...Table) (err error) {
	if len(tables) == 0 {
		return errors.New("reports: WriteXLSX needs at least one table")
	}
	for _, t := range tables {
		if err := checkTable(t); err != nil {
			return err
		}
		if len(t.Columns) > xlsxMaxColumns {
			return fmt.Errorf("reports: table %q has %d columns; a sheet holds at most %d",
				t.Name, len(t.Columns), xlsxMaxColumns)
		}
		if len(t.Rows)+1 > xlsxMaxRows {
			return fmt.Errorf("reports: table %q has %d rows; a sheet holds at most %d below the header",
				t.Name, len(t.Rows), xlsxMaxRows-1)
		}
	}

	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()

	styles, err := newXLSXStyles(f)
	if err != nil {
		return err
	}
	names := sheetNames(tables)
	for i, t := range tables {
		if i == 0 {
			err = f.SetSheetName(f.GetSheetName(0), names[0])
		} else {
			_, err = f.NewSheet(names[i])
		}
		if err != nil {
			return fmt.Errorf("reports: sheet %q: %w", names[i], err)
		}
		if err := writeSheet(f, names[i], t, styles); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)

	now := time.Now().UTC().Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:          tables[0].Name,
		Creator:        xlsxCreator,
		LastModifiedBy: xlsxCreator,
		Created:        now,
		Modified:       now,
	}); err != nil {
		return fmt.Errorf("reports: workbook properties: %w", err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return fmt.Errorf("reports: building workbook: %w", err)
	}
	_, err = buf.WriteTo(w)
	return err
}

type xlsxStyles struct{ header, number, count, date int }

func newXLSXStyles(f *excelize.File) (xlsxStyles, error) {
	var s xlsxStyles
	var err error
	numFmt, dateFmt := "0.0", "yyyy-mm-dd"
	if s.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		return s, fmt.Errorf("reports: header style: %w", err)
	}
	if s.number, err = f.NewStyle(&excelize.Style{CustomNumFmt: &numFmt}); err != nil {
		return s, fmt.Errorf("reports: number style: %w", err)
	}
	if s.count, err = f.NewStyle(&excelize.Style{NumFmt: 1}); err != nil { // "0"
		return s, fmt.Errorf("reports: count style: %w", err)
	}
	if s.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt}); err != nil {
		return s, fmt.Errorf("reports: date style: %w", err)
	}
	return s, nil
}

func writeSheet(f *excelize.File, sheet string, t Table, st xlsxStyles) error {
	widths := make([]int, len(t.Columns))
	fail := func(row int, col string, err error) error {
		if row == 0 {
			return fmt.Errorf("reports: table %q: header, column %q: %w", t.Name, col, err)
		}
		return fmt.Errorf("reports: table %q: row %d, column %q: %w", t.Name, row, col, err)
	}

	for j, name := range t.Columns {
		ref, err := excelize.CoordinatesToCellName(j+1, 1)
		if err != nil {
			return fail(0, name, err)
		}
		text := neutralise(name)
		if utf16Len(text) > xlsxMaxCellText {
			return fail(0, name, errTooLong)
		}
		if err := f.SetCellStr(sheet, ref, text); err != nil {
			return fail(0, name, err)
		}
		if err := f.SetCellStyle(sheet, ref, ref, st.header); err != nil {
			return fail(0, name, err)
		}
		widths[j] = displayWidth(text) + 2 // a little more for bold
	}

	for i, row := range t.Rows {
		for j, col := range t.Columns {
			c := cellAt(row, j)
			if c.Kind == CellEmpty || (c.Kind == CellText && c.Text == "") ||
				(c.Kind == CellDate && c.Date.IsZero()) {
				continue // nothing to store; the cell stays blank
			}
			ref, err := excelize.CoordinatesToCellName(j+1, i+2)
			if err != nil {
				return fail(i+1, col, err)
			}
			var shown string
			switch c.Kind {
			case CellText:
				shown = neutralise(c.Text)
				if utf16Len(shown) > xlsxMaxCellText {
					return fail(i+1, col, errTooLong)
				}
				err = f.SetCellStr(sheet, ref, shown)
			case CellNumber:
				shown = formatNumber(c.Number)
				if err = f.SetCellFloat(sheet, ref, c.Number, -1, 64); err == nil {
					err = f.SetCellStyle(sheet, ref, ref, st.number)
				}
			case CellCount:
				shown = cellString(c)
				if err = f.SetCellFloat(sheet, ref, c.Number, 0, 64); err == nil {
					err = f.SetCellStyle(sheet, ref, ref, st.count)
				}
			case CellDate:
				shown = formatDate(c.Date)
				if serial, ok := excelSerialDate(c.Date); ok {
					if err = f.SetCellFloat(sheet, ref, serial, -1, 64); err == nil {
						err = f.SetCellStyle(sheet, ref, ref, st.date)
					}
				} else {
					// Excel has no dates before 1900: keep the ISO text.
					err = f.SetCellStr(sheet, ref, shown)
				}
			}
			if err != nil {
				return fail(i+1, col, err)
			}
			widths[j] = max(widths[j], displayWidth(shown))
		}
	}

	for j, wd := range widths {
		name, err := excelize.ColumnNumberToName(j + 1)
		if err != nil {
			return err
		}
		wd = min(max(wd+2, xlsxMinColWidth), xlsxMaxColWidth)
		if err := f.SetColWidth(sheet, name, name, float64(wd)); err != nil {
			return fmt.Errorf("reports: table %q: column %q width: %w", t.Name, t.Columns[j], err)
		}
	}

	if err := f.SetPanes(sheet, &excelize.Panes{
		Freeze:      true,
		YSplit:      1,
		TopLeftCell: "A2",
		ActivePane:  "bottomLeft",
		Selection:   []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}); err != nil {
		return fmt.Errorf("reports: table %q: freezing the header: %w", t.Name, err)
	}
	return nil
}

var errTooLong = fmt.Errorf("text longer than the %d characters an Excel cell holds", xlsxMaxCellText)

// excelSerialDate is the Excel (1900 date system) serial number of t's
// calendar date. ok is false for dates Excel cannot show (before 1900 or
// after 9999).
func excelSerialDate(t time.Time) (serial float64, ok bool) {
	y, m, d := t.Date()
	if y < 1900 || y > 9999 {
		return 0, false
	}
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	days := int(day.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24)
	// Excel counts a 29 February 1900 that never was, so from 1 March 1900
	// on the count from 30 December 1899 is right; before it, one too many.
	if day.Before(time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC)) {
		days--
	}
	return float64(days), true
}

// displayWidth is the length in characters of the longest line of s.
func displayWidth(s string) int {
	w := 0
	for line := range strings.Lines(s) {
		w = max(w, utf8.RuneCountInString(strings.TrimRight(line, "\r\n")))
	}
	return w
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// sheetNames makes a valid, unique sheet name for each table: each of
// []:*?/\ becomes "_", apostrophes at either end are removed, the name is
// cut to 31 characters (UTF-16 units, never splitting a character), an empty
// name becomes "Sheet N" (N the table's place, from 1), and a name already
// used (ignoring case), or Excel's reserved "History", gets " (2)", " (3)",
// ... with the name shortened to make room.
func sheetNames(tables []Table) []string {
	used := map[string]bool{"history": true}
	names := make([]string, len(tables))
	for i, t := range tables {
		base := strings.Map(func(r rune) rune {
			if strings.ContainsRune(`[]:*?/\`, r) {
				return '_'
			}
			return r
		}, t.Name)
		base = trimSheetName(base, xlsxMaxSheetName)
		if base == "" {
			base = "Sheet " + strconv.Itoa(i+1)
		}
		name := base
		for n := 2; used[strings.ToLower(name)]; n++ {
			suffix := " (" + strconv.Itoa(n) + ")"
			name = trimSheetName(base, xlsxMaxSheetName-len(suffix)) + suffix
		}
		used[strings.ToLower(name)] = true
		names[i] = name
	}
	return names
}

// trimSheetName removes apostrophes from both ends of s and cuts it to at
// most limit UTF-16 units.
func trimSheetName(s string, limit int) string {
	s = strings.Trim(s, "'")
	n := 0
	for i, r := range s {
		n += utf16.RuneLen(r)
		if n > limit {
			s = s[:i]
			break
		}
	}
	return strings.TrimRight(s, "'")
}
