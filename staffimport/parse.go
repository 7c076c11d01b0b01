// Package staffimport brings a staff list from ESR or a spreadsheet into an
// organisation: it reads the file, plans what importing it would change
// (who is new, who changes, who has left, who gains the staff role), and
// applies exactly the plan the lead previewed. Storage is models'.
package staffimport

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"nhs-digital-maturity/models"
	"nhs-digital-maturity/validation"
)

// Row is one person from an import file, normalised.
type Row struct {
	Line       int    // 1-based line number in the file (the header is line 1), for messages
	Email      string // lower-cased, trimmed
	Name       string
	StaffGroup string // exactly one of models.StaffGroups()
	PayBand    string // exactly one of models.PayBands(), or ""
	Department string
	JobRole    string
	// Leaver is a "leaver" column's yes; LeavingDate a leaving date given
	// (zero when none). Whether a date has passed is for the importer to
	// decide, on the day of the import.
	Leaver      bool
	LeavingDate time.Time
	// Missing lists the optional columns the file lacks (pay band,
	// department, job role): their fields say nothing about the person.
	Missing []Column
}

// Problem is a line that cannot be imported, with a reason people understand.
type Problem struct {
	Line   int
	Email  string // as written, if any, to help find the row
	Reason string
}

// FileError is a problem with a whole import file; Message is written
// for the person who uploaded it.
type FileError struct{ Message string }

// Error returns the message for the person who uploaded the file.
func (e *FileError) Error() string { return e.Message }

func fileProblem(format string, args ...any) *FileError {
	return &FileError{Message: fmt.Sprintf(format, args...)}
}

// Column is a column of a staff file that the parser reads.
type Column int

// The columns, in the order of staffHeaderSynonyms.

const (
	ColEmail Column = iota
	ColName
	ColFirstName
	ColLastName
	ColStaffGroup
	ColPayBand
	ColDepartment
	ColJobRole
	ColLeaver
	ColLeavingDate
	columnCount
)

// staffHeaderSynonyms are the column names each column is known by, in
// order of preference when a file has more than one of them (ESR exports
// have both "Job Role" and "Position Title", for example). Names are
// compared with staffKey, so case, spaces and punctuation do not matter.
var staffHeaderSynonyms = [columnCount][]string{
	ColEmail:      {"email", "email address", "work email", "work email address", "primary email", "primary email address", "nhsmail", "nhsmail address"},
	ColName:       {"name", "full name", "employee name"},
	ColFirstName:  {"first name", "forename", "first forename", "forenames"},
	ColLastName:   {"last name", "surname", "family name"},
	ColStaffGroup: {"staff group", "esr staff group"},
	ColPayBand:    {"band", "pay band", "afc band", "grade"},
	ColDepartment: {"department", "dept", "ward/department", "organisation unit", "org unit", "cost centre name"},
	ColJobRole:    {"job role", "role", "job title", "position title", "occupation"},
	// Not ESR's "effective end date", which ends a record's row whenever an
	// assignment changes, not only when someone leaves.
	ColLeaver:      {"leaver", "left", "has left"},
	ColLeavingDate: {"leaving date", "date left", "end date", "termination date", "date of leaving"},
}

type staffHeaderMatch struct {
	column     Column
	preference int
}

var staffHeaders = func() map[string]staffHeaderMatch {
	m := map[string]staffHeaderMatch{}
	for col, names := range staffHeaderSynonyms {
		for i, name := range names {
			m[staffKey(name)] = staffHeaderMatch{Column(col), i}
		}
	}
	return m
}()

// staffGroupAliases are the other ways ESR and people write staff groups.
// The official names match too, whatever their case, spacing,
// punctuation, and "&" for "and".
var staffGroupAliases = map[string]string{
	"Add Prof Scientific and Technic": "Additional Professional Scientific and Technical", // ESR's 30-character form
	"Admin and Clerical":              "Administrative and Clerical",
	"AHP":                             "Allied Health Professionals",
	"AHPs":                            "Allied Health Professionals",
	"Student":                         "Students",
}

var staffGroupByKey = func() map[string]string {
	m := map[string]string{}
	for _, g := range models.StaffGroups() {
		m[staffKey(g)] = g
	}
	for alias, g := range staffGroupAliases {
		m[staffKey(alias)] = g
	}
	return m
}()

// payBandByKey maps "5", "8a" and so on to the Agenda for Change bands.
var payBandByKey = func() map[string]string {
	m := map[string]string{}
	for _, b := range models.PayBands() {
		if b != models.NotOnAgendaForChange {
			m[strings.TrimPrefix(staffKey(b), "band")] = b
		}
	}
	return m
}()

// notOnAgendaForChange are the ways a file says someone is paid on
// another contract.
var notOnAgendaForChange = []string{"medical", "consultant", "nonafc", "notafc", "notonafc",
	"notonagendaforchange", "nonagendaforchange"}

// staffKey reduces a header or value to lower-case letters and digits,
// with "&" read as "and", for loose matching.
func staffKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("and")
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

func matchStaffGroup(s string) (string, bool) {
	g, ok := staffGroupByKey[staffKey(s)]
	return g, ok
}

func matchPayBand(s string) (string, bool) {
	k := payBandKey(s)
	if slices.Contains(notOnAgendaForChange, k) {
		return models.NotOnAgendaForChange, true
	}
	b, ok := payBandByKey[k]
	return b, ok
}

// payBandKey is staffKey without a leading "band", "AfC band" or
// "Agenda for Change band": "Band 8A" gives "8a".
func payBandKey(s string) string {
	k := staffKey(s)
	for _, prefix := range []string{"agendaforchangeband", "afcband", "band"} {
		if strings.HasPrefix(k, prefix) {
			return k[len(prefix):]
		}
	}
	return k
}

const staffPeekSize = 16 << 10 // enough for any header line

// Parse reads an ESR-shaped staff file: UTF-8 with or without a
// byte-order mark, comma-, semicolon- or tab-separated (detected from the
// header line, or an Excel "sep=;" first line), with CRLF, LF or CR line
// endings. It never panics. A problem with the whole file is returned as a
// *FileError, and then nothing else is returned; problems with single
// rows are listed and those rows skipped. At most one of rows and problems
// has an entry for each line, in file order. maxRows < 1 means no limit.
// Any other error is a failure to read r.
func Parse(r io.Reader, maxRows int) (rows []Row, problems []Problem, err error) {
	br := bufio.NewReaderSize(r, staffPeekSize)
	prefix, err := br.Peek(staffPeekSize)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, nil, fmt.Errorf("reading the staff file: %w", err)
	}
	// An XLSX workbook is a ZIP file; an old XLS one a Compound File.
	if bytes.HasPrefix(prefix, []byte("PK\x03\x04")) || bytes.HasPrefix(prefix, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}) {
		return nil, nil, fileProblem(`This looks like an Excel file: save it as CSV. In Excel, choose "Save as", then "CSV UTF-8 (comma delimited)", and upload that file.`)
	}
	if bytes.HasPrefix(prefix, []byte{0xFF, 0xFE}) || bytes.HasPrefix(prefix, []byte{0xFE, 0xFF}) {
		return nil, nil, fileProblem(`The file is saved as "Unicode" (UTF-16) text. Save it as "CSV UTF-8 (comma delimited)" and upload it again.`)
	}
	if bytes.HasPrefix(prefix, []byte("\uFEFF")) {
		br.Discard(3)
		prefix = prefix[3:]
	}

	// Old Mac spreadsheets end lines with CR alone, which encoding/csv
	// does not read as the end of a line.
	var src io.Reader = br
	lineEnd := byte('\n')
	if bytes.IndexByte(prefix, '\n') < 0 && bytes.IndexByte(prefix, '\r') >= 0 {
		lineEnd = '\r'
		src = crLineEndings{br}
	}

	// Excel writes and reads a first line "sep=;" naming the delimiter.
	lineOffset := 0
	var comma rune
	if end := bytes.IndexByte(prefix, lineEnd); end >= 0 {
		first := strings.TrimSpace(string(prefix[:end]))
		if len(first) == 5 && strings.EqualFold(first[:4], "sep=") && strings.ContainsRune(",;\t", rune(first[4])) {
			comma = rune(first[4])
			br.Discard(end + 1)
			prefix = prefix[end+1:]
			lineOffset = 1
		}
	}
	if comma == 0 {
		comma = detectStaffDelimiter(prefix)
	}

	cr := csv.NewReader(src)
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = false
	cr.ReuseRecord = true
	cr.TrimLeadingSpace = comma != '\t' // with tabs it would swallow empty fields

	// The header is the first row that is not blank.
	var header []string
	for header == nil {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil, nil, fileProblem("The file is empty. Upload a CSV file with a first row of column names and then a row for each person.")
		}
		if err != nil {
			return nil, nil, staffReadError(err, lineOffset)
		}
		if !blankStaffRecord(rec) {
			header = slices.Clone(rec)
		}
	}
	for _, h := range header {
		if !utf8.ValidString(h) || strings.ContainsRune(h, 0) {
			return nil, nil, fileProblem(`The column names in the first row have characters that could not be read: the file may not be saved as UTF-8. Save it as "CSV UTF-8 (comma delimited)" and upload it again.`)
		}
	}
	cols, err := findColumns(header)
	if err != nil {
		return nil, nil, err
	}
	var missing []Column
	for _, c := range []Column{ColPayBand, ColDepartment, ColJobRole} {
		if cols[c] < 0 {
			missing = append(missing, c)
		}
	}

	seen := map[string]int{} // email -> first line
	data := 0
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, staffReadError(err, lineOffset)
		}
		if blankStaffRecord(rec) {
			continue
		}
		data++
		if maxRows > 0 && data > maxRows {
			return nil, nil, fileProblem("The file has more than %s rows of staff. Split it into files of %s rows or fewer and upload them one at a time.",
				staffCount(maxRows), staffCount(maxRows))
		}
		line, _ := cr.FieldPos(0)
		row, problem := readStaffRecord(rec, cols, line+lineOffset, seen)
		if problem.Reason != "" {
			problems = append(problems, problem)
		} else {
			row.Missing = missing
			rows = append(rows, row)
		}
	}
	if data == 0 {
		return nil, nil, fileProblem("The file has no rows of staff, only the column names. Add a row for each person and upload it again.")
	}
	return rows, problems, nil
}

// detectStaffDelimiter picks whichever of comma, semicolon and tab occurs
// most outside quotes in the first line that is not blank; comma on a tie.
func detectStaffDelimiter(b []byte) rune {
	var commas, semicolons, tabs int
	inQuotes, content := false, false
	for _, c := range b {
		switch {
		case c == '"':
			inQuotes, content = !inQuotes, true
		case inQuotes:
		case c == '\n' || c == '\r':
			if content {
				goto done
			}
		case c == ',':
			commas, content = commas+1, true
		case c == ';':
			semicolons, content = semicolons+1, true
		case c == '\t':
			tabs, content = tabs+1, true
		case c != ' ':
			content = true
		}
	}
done:
	switch {
	case semicolons > commas && semicolons >= tabs:
		return ';'
	case tabs > commas && tabs > semicolons:
		return '\t'
	}
	return ','
}

// crLineEndings reads a file whose lines end with CR alone.
type crLineEndings struct{ r io.Reader }

func (c crLineEndings) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i, b := range p[:n] {
		if b == '\r' {
			p[i] = '\n'
		}
	}
	return n, err
}

// staffReadError explains a CSV syntax error. After one, encoding/csv
// cannot tell where the next row starts, so the whole file is refused.
func staffReadError(err error, lineOffset int) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return fmt.Errorf("reading the staff file: %w", err)
	}
	var msg string
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		msg = fmt.Sprintf(`Line %d has a quote mark (") in a value that is not in quotes. A value with a quote mark in it must be in quotes, with the quote mark doubled, like "Ward ""A""".`,
			pe.Line+lineOffset)
	case errors.Is(pe.Err, csv.ErrQuote) && pe.Line != pe.StartLine:
		msg = fmt.Sprintf(`The row that starts on line %d has a quoted value that is not closed: a closing quote mark (") is missing.`, pe.StartLine+lineOffset)
	case errors.Is(pe.Err, csv.ErrQuote):
		msg = fmt.Sprintf(`Line %d has a quote mark (") in the wrong place: a closing quote mark is missing, or there is text straight after one.`, pe.Line+lineOffset)
	default:
		msg = fmt.Sprintf("Line %d could not be read.", pe.StartLine+lineOffset)
	}
	return fileProblem("%s Nothing has been imported, because after a quoting mistake the rest of the file cannot be trusted. Correct the file and upload it again.", msg)
}

func blankStaffRecord(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// staffColumns finds the columns in the header, or says which are missing.
func findColumns(header []string) ([columnCount]int, error) {
	var cols, preference [columnCount]int
	for i := range cols {
		cols[i] = -1
	}
	for i, h := range header {
		m, ok := staffHeaders[staffKey(h)]
		if ok && (cols[m.column] < 0 || m.preference < preference[m.column]) {
			cols[m.column], preference[m.column] = i, m.preference
		}
	}
	var missing []string
	if cols[ColEmail] < 0 {
		missing = append(missing, "email address")
	}
	if cols[ColName] < 0 && (cols[ColFirstName] < 0 || cols[ColLastName] < 0) {
		missing = append(missing, "name (or first name and last name)")
	}
	if cols[ColStaffGroup] < 0 {
		missing = append(missing, "staff group")
	}
	if missing == nil {
		return cols, nil
	}
	const shown = 20
	var found []string
	for _, h := range header {
		if h = strings.TrimSpace(h); h != "" && len(found) < shown {
			found = append(found, staffQuote(h))
		}
	}
	list := "none"
	if len(found) > 0 {
		list = strings.Join(found, ", ")
		if n := len(header) - len(found); len(found) == shown && n > 0 {
			list += fmt.Sprintf(" and %d more", n)
		}
	}
	return cols, fileProblem("Columns missing from the file: %s. The first row of the file must give the column names; the column names found were: %s.",
		strings.Join(missing, ", "), list)
}

// readStaffRecord checks and normalises one data row. A row with problems
// gives a Problem with a Reason; otherwise a Row.
func readStaffRecord(rec []string, cols [columnCount]int, line int, seen map[string]int) (Row, Problem) {
	get := func(c Column) string {
		if i := cols[c]; i >= 0 && i < len(rec) {
			return rec[i]
		}
		return ""
	}
	rawEmail := strings.TrimSpace(get(ColEmail))
	for c := range columnCount {
		if !utf8.ValidString(get(c)) {
			return Row{}, Problem{Line: line, Email: staffShorten(rawEmail, 100),
				Reason: `This row has characters that could not be read: the file may not be saved as UTF-8. Save it as "CSV UTF-8 (comma delimited)" and upload it again`}
		}
	}

	row := Row{
		Line:       line,
		Email:      strings.ToLower(rawEmail),
		Name:       staffText(get(ColName)),
		Department: staffText(get(ColDepartment)),
		JobRole:    staffText(get(ColJobRole)),
	}
	if row.Name == "" {
		row.Name = staffText(get(ColFirstName) + " " + get(ColLastName))
	}
	var reasons []string

	switch p := validation.EmailProblem(row.Email); {
	case rawEmail == "":
		reasons = append(reasons, "Email address is missing")
	case p != "":
		reasons = append(reasons, "Email address "+staffQuote(rawEmail)+" is not valid: "+strings.ToLower(p[:1])+p[1:])
	default:
		if first, ok := seen[row.Email]; ok {
			reasons = append(reasons, fmt.Sprintf("Email address %s is already on line %d", row.Email, first))
		} else {
			seen[row.Email] = line
		}
	}

	switch {
	case row.Name == "":
		reasons = append(reasons, "Name is missing")
	case hasControlCharacter(row.Name):
		reasons = append(reasons, "Name has characters that are not allowed")
	default:
		if p := validation.TextProblem(row.Name, "name", true, validation.MaxNameLength); p != "" {
			reasons = append(reasons, p)
		}
	}

	if group := staffText(get(ColStaffGroup)); group == "" {
		reasons = append(reasons, "Staff group is missing")
	} else if g, ok := matchStaffGroup(group); ok {
		row.StaffGroup = g
	} else {
		reasons = append(reasons, "Staff group "+staffQuote(group)+" is not an ESR staff group")
	}

	if band := staffText(get(ColPayBand)); band != "" {
		if b, ok := matchPayBand(band); ok {
			row.PayBand = b
		} else if payBandKey(band) == "8" {
			reasons = append(reasons, "Pay band "+staffQuote(band)+" is not an Agenda for Change band: band 8 is split into 8a, 8b, 8c and 8d")
		} else {
			reasons = append(reasons, "Pay band "+staffQuote(band)+" is not an Agenda for Change band")
		}
	}

	switch v := staffText(get(ColLeaver)); staffKey(v) {
	case "", "no", "n", "false", "0":
	case "yes", "y", "true", "1", "leaver", "left":
		row.Leaver = true
	default:
		reasons = append(reasons, "Leaver "+staffQuote(v)+" is not yes or no")
	}
	if v := staffText(get(ColLeavingDate)); v != "" {
		if d, ok := parseLeavingDate(v); ok {
			row.LeavingDate = d
		} else {
			reasons = append(reasons, "Leaving date "+staffQuote(v)+" is not a date: write it like 31/03/2026, 2026-03-31 or 31-MAR-2026")
		}
	}

	for _, f := range []struct{ value, label string }{{row.Department, "department"}, {row.JobRole, "job role"}} {
		if hasControlCharacter(f.value) {
			reasons = append(reasons, strings.ToUpper(f.label[:1])+f.label[1:]+" has characters that are not allowed")
		} else if p := validation.TextProblem(f.value, f.label, false, validation.MaxTextLength); p != "" {
			reasons = append(reasons, p)
		}
	}

	if reasons != nil {
		return Row{}, Problem{Line: line, Email: staffShorten(rawEmail, 100), Reason: strings.Join(reasons, "; ")}
	}
	return row, Problem{}
}

// leavingDateLayouts are the ways ESR and spreadsheets write a date, day
// first as in the UK; month names match whatever their case.
var leavingDateLayouts = []string{"2006-01-02", "02/01/2006", "2/1/2006", "02-Jan-2006", "2-Jan-2006",
	"02 Jan 2006", "2 Jan 2006", "2 January 2006", "02.01.2006", "02/01/2006 15:04:05", "02/01/2006 15:04",
	"2006-01-02 15:04:05", "02-Jan-2006 15:04:05"}

// parseLeavingDate reads a leaving date as a calendar day.
func parseLeavingDate(s string) (time.Time, bool) {
	for _, layout := range leavingDateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), true
		}
	}
	return time.Time{}, false
}

// staffText trims a value and collapses runs of white space (including
// line breaks inside quoted values) to single spaces.
func staffText(s string) string {
	s = strings.TrimSpace(s)
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			if r != ' ' || space {
				return strings.Join(strings.Fields(s), " ")
			}
			space = true
		} else {
			space = false
		}
	}
	return s
}

func hasControlCharacter(s string) bool {
	return strings.IndexFunc(s, unicode.IsControl) >= 0
}

// staffShorten makes a value from the file safe to show in a message:
// valid UTF-8, no control characters, at most max characters.
func staffShorten(s string, max int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	if utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max-1]) + "…"
	}
	return s
}

func staffQuote(s string) string { return `"` + staffShorten(s, 60) + `"` }

// staffCount writes a number with thousands separators, like 50,000.
func staffCount(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
