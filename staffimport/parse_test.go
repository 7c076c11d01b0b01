package staffimport

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"nhs-digital-maturity/models"
	"nhs-digital-maturity/validation"
)

const staffHeader = "email,name,staff group,band,department,job role\n"

func parseStaffString(s string, maxRows int) ([]Row, []Problem, error) {
	return Parse(strings.NewReader(s), maxRows)
}

// noOptionalColumns is Missing for a file with none of the optional columns.
var noOptionalColumns = []Column{ColPayBand, ColDepartment, ColJobRole}

func TestParseStaffCSVGoodFiles(t *testing.T) {
	amy := Row{Line: 2, Email: "amy.jones@example.nhs.uk", Name: "Amy Jones", StaffGroup: "Nursing and Midwifery Registered",
		PayBand: "Band 5", Department: "Ward 7", JobRole: "Staff nurse"}
	bo := Row{Line: 3, Email: "bo.li@example.nhs.uk", Name: "Bo Li", StaffGroup: "Administrative and Clerical",
		PayBand: "Band 8a", Department: "Finance", JobRole: "Head of payroll"}
	at := func(r Row, line int) Row { r.Line = line; return r }
	with := func(r Row, change func(*Row)) Row { change(&r); return r }

	tests := []struct {
		name string
		file string
		want []Row
	}{
		{"comma", staffHeader +
			"amy.jones@example.nhs.uk,Amy Jones,Nursing and Midwifery Registered,Band 5,Ward 7,Staff nurse\n" +
			"bo.li@example.nhs.uk,Bo Li,Administrative and Clerical,Band 8a,Finance,Head of payroll\n",
			[]Row{amy, bo}},
		{"semicolon", "Email;Name;Staff group;Band;Department;Job role\n" +
			"amy.jones@example.nhs.uk;Amy Jones;Nursing and Midwifery Registered;Band 5;Ward 7;Staff nurse\n" +
			"bo.li@example.nhs.uk;Bo Li;Administrative and Clerical;8a;Finance;Head of payroll\n",
			[]Row{amy, bo}},
		{"semicolon with commas in values", "Email;Name;Staff group;Department\n" +
			"amy.jones@example.nhs.uk;Jones, Amy;Nursing and Midwifery Registered;Ward 7, Acute\n",
			[]Row{with(amy, func(r *Row) {
				r.Name, r.PayBand, r.Department, r.JobRole = "Jones, Amy", "", "Ward 7, Acute", ""
				r.Missing = []Column{ColPayBand, ColJobRole}
			})}},
		{"tab", "Email\tName\tStaff group\tBand\tDepartment\tJob role\n" +
			"amy.jones@example.nhs.uk\tAmy Jones\tNursing and Midwifery Registered\tBand 5\tWard 7\tStaff nurse\n",
			[]Row{amy}},
		{"Excel sep line", "sep=;\r\nEmail;Name;Staff group;Band;Department;Job role\r\n" +
			"amy.jones@example.nhs.uk;Amy Jones;Nursing and Midwifery Registered;Band 5;Ward 7;Staff nurse\r\n",
			[]Row{at(amy, 3)}},
		{"byte-order mark", "\uFEFF" + staffHeader +
			"amy.jones@example.nhs.uk,Amy Jones,Nursing and Midwifery Registered,Band 5,Ward 7,Staff nurse\n",
			[]Row{amy}},
		{"byte-order mark and semicolons", "\uFEFFEmail;Name;Staff group;Band;Department;Job role\r\n" +
			"amy.jones@example.nhs.uk;Amy Jones;Nursing and Midwifery Registered;Band 5;Ward 7;Staff nurse\r\n",
			[]Row{amy}},
		{"CRLF", strings.ReplaceAll(staffHeader+
			"amy.jones@example.nhs.uk,Amy Jones,Nursing and Midwifery Registered,Band 5,Ward 7,Staff nurse\n"+
			"bo.li@example.nhs.uk,Bo Li,Administrative and Clerical,Band 8a,Finance,Head of payroll\n", "\n", "\r\n"),
			[]Row{amy, bo}},
		{"CR only (old Mac Excel)", strings.ReplaceAll(staffHeader+
			"amy.jones@example.nhs.uk,Amy Jones,Nursing and Midwifery Registered,Band 5,Ward 7,Staff nurse\n"+
			"bo.li@example.nhs.uk,Bo Li,Administrative and Clerical,Band 8a,Finance,Head of payroll\n", "\n", "\r"),
			[]Row{amy, bo}},
		{"no newline at the end", staffHeader +
			"amy.jones@example.nhs.uk,Amy Jones,Nursing and Midwifery Registered,Band 5,Ward 7,Staff nurse",
			[]Row{amy}},
		{"quoted comma, quote and newline", staffHeader +
			`amy.jones@example.nhs.uk,"Jones, Amy","Nursing and Midwifery Registered",Band 5,"Ward 7 ""Oak""",` + "\"Staff nurse,\nnights\"\n" +
			"bo.li@example.nhs.uk,Bo Li,Administrative and Clerical,Band 8a,Finance,Head of payroll\n",
			[]Row{with(amy, func(r *Row) {
				r.Name, r.Department, r.JobRole = "Jones, Amy", `Ward 7 "Oak"`, "Staff nurse, nights"
			}), at(bo, 4)}},
		{"spaces before quoted values", "Email, Name, Staff group\n" +
			"amy.jones@example.nhs.uk, \"Jones, Amy\", \"Nursing and Midwifery Registered\"\n",
			[]Row{with(amy, func(r *Row) {
				r.Name, r.PayBand, r.Department, r.JobRole, r.Missing = "Jones, Amy", "", "", "", noOptionalColumns
			})}},
		{"line numbers after a value that spans lines", staffHeader +
			"amy.jones@example.nhs.uk,Amy Jones,Nursing and Midwifery Registered,Band 5,\"Ward\n7\n\",Staff nurse\n" +
			"\n" +
			"bo.li@example.nhs.uk,Bo Li,Administrative and Clerical,Band 8a,Finance,Head of payroll\n",
			[]Row{amy, at(bo, 6)}},
		{"first and last name columns", "Email,First name,Last name,Staff group\n" +
			"amy.jones@example.nhs.uk,  Amy ,Jones,Nursing and Midwifery Registered\n" +
			"bo.li@example.nhs.uk,Bo,,Administrative and Clerical\n",
			[]Row{{Line: 2, Email: "amy.jones@example.nhs.uk", Name: "Amy Jones", StaffGroup: "Nursing and Midwifery Registered", Missing: noOptionalColumns},
				{Line: 3, Email: "bo.li@example.nhs.uk", Name: "Bo", StaffGroup: "Administrative and Clerical", Missing: noOptionalColumns}}},
		{"forename and surname, full name preferred", "Surname,Forename,Full Name,NHSmail,ESR Staff Group\n" +
			"Jones,Amy,Amy Jones-Smith,amy.jones@example.nhs.uk,Nursing and Midwifery Registered\n" +
			"Li,Bo,,bo.li@example.nhs.uk,Administrative and Clerical\n",
			[]Row{{Line: 2, Email: "amy.jones@example.nhs.uk", Name: "Amy Jones-Smith", StaffGroup: "Nursing and Midwifery Registered", Missing: noOptionalColumns},
				{Line: 3, Email: "bo.li@example.nhs.uk", Name: "Bo Li", StaffGroup: "Administrative and Clerical", Missing: noOptionalColumns}}},
		{"header synonyms, case and spacing", " E-Mail Address ,Employee_Name,STAFF_GROUP,Pay Band,Ward/Department,Position Title\n" +
			"amy.jones@example.nhs.uk,Amy Jones,Nursing and Midwifery Registered,Band 5,Ward 7,Staff nurse\n",
			[]Row{amy}},
		{"ESR-like header with unknown columns", "Employee Number,Assignment Number,Last Name,First Name,Primary Email Address,Staff Group,Grade,Organisation Unit,Position Title,Job Role,Occupation Code\n" +
			"123,123-1,Jones,Amy,amy.jones@example.nhs.uk,Nursing & Midwifery Registered,AfC Band 5,Ward 7,Band 5 Nurse,Staff nurse,N0C\n",
			[]Row{amy}},
		{"ragged short and long rows", staffHeader +
			"amy.jones@example.nhs.uk,Amy Jones,Nursing and Midwifery Registered,Band 5,Ward 7,Staff nurse,extra,values\n" +
			"bo.li@example.nhs.uk,Bo Li,Administrative and Clerical\n",
			[]Row{amy, with(bo, func(r *Row) { r.PayBand, r.Department, r.JobRole = "", "", "" })}},
		{"blank lines and empty rows skipped", "\n\n" + staffHeader + "\n" +
			"amy.jones@example.nhs.uk,Amy Jones,Nursing and Midwifery Registered,Band 5,Ward 7,Staff nurse\n" +
			",,,,,\n   \n , , \n",
			[]Row{at(amy, 5)}},
		{"values trimmed, names collapsed, email lower-cased", staffHeader +
			"  Amy.Jones@Example.NHS.uk ,\" Amy \t  Jones \",  nursing & midwifery registered  , band 5 ,  Ward   7 ,Staff nurse\n",
			[]Row{amy}},
		{"formula-like values kept as they are", staffHeader +
			"amy.jones@example.nhs.uk,=Amy Jones,Nursing and Midwifery Registered,,+Ward 7,@Staff nurse\n",
			[]Row{with(amy, func(r *Row) {
				r.Name, r.PayBand, r.Department, r.JobRole = "=Amy Jones", "", "+Ward 7", "@Staff nurse"
			})}},
		{"non-ASCII names", staffHeader +
			"zoe@example.nhs.uk,Zoë Ó Súilleabháin,Students,,Ysbyty Gwynedd,Myfyriwr\n",
			[]Row{{Line: 2, Email: "zoe@example.nhs.uk", Name: "Zoë Ó Súilleabháin", StaffGroup: "Students", Department: "Ysbyty Gwynedd", JobRole: "Myfyriwr"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, problems, err := parseStaffString(tt.file, 100)
			if err != nil {
				t.Fatalf("error: %v", err)
			}
			if len(problems) > 0 {
				t.Errorf("problems: %+v", problems)
			}
			if !reflect.DeepEqual(rows, tt.want) {
				t.Errorf("rows:\n got %+v\nwant %+v", rows, tt.want)
			}
		})
	}
}

func TestParseStaffCSVRowProblems(t *testing.T) {
	good := "amy.jones@example.nhs.uk,Amy Jones,Nursing and Midwifery Registered,Band 5,Ward 7,Staff nurse\n"
	long := strings.Repeat("é", validation.MaxTextLength+1)
	tests := []struct {
		name   string
		rows   string // after staffHeader and the good row on line 2
		line   int
		email  string
		reason string
	}{
		{"bad email", "jo@,Jo Bloggs,Students,,,\n", 3, "jo@",
			`Email address "jo@" is not valid: enter an email address in the correct format, like name@example.nhs.uk`},
		{"email without a domain dot", "jo@example,Jo Bloggs,Students,,,\n", 3, "jo@example", `Email address "jo@example" is not valid`},
		{"email with a display name", "Jo Bloggs <jo@example.nhs.uk>,Jo Bloggs,Students,,,\n", 3, "Jo Bloggs <jo@example.nhs.uk>", "is not valid"},
		{"missing email", ",Jo Bloggs,Students,,,\n", 3, "", "Email address is missing"},
		{"unknown staff group", "jo@example.nhs.uk,Jo Bloggs,Nurses,,,\n", 3, "jo@example.nhs.uk", `Staff group "Nurses" is not an ESR staff group`},
		{"missing staff group", "jo@example.nhs.uk,Jo Bloggs,,,,\n", 3, "jo@example.nhs.uk", "Staff group is missing"},
		{"duplicate email", "Amy.Jones@example.NHS.uk,Amy Again,Students,,,\n", 3, "Amy.Jones@example.NHS.uk",
			"Email address amy.jones@example.nhs.uk is already on line 2"},
		{"missing name", "jo@example.nhs.uk,  ,Students,,,\n", 3, "jo@example.nhs.uk", "Name is missing"},
		{"too-long name", "jo@example.nhs.uk," + strings.Repeat("a", validation.MaxNameLength+1) + ",Students,,,\n", 3, "jo@example.nhs.uk",
			"Name must be 100 characters or fewer"},
		{"too-long department", "jo@example.nhs.uk,Jo Bloggs,Students,," + long + ",\n", 3, "jo@example.nhs.uk",
			"Department must be 100 characters or fewer"},
		{"too-long job role", "jo@example.nhs.uk,Jo Bloggs,Students,,," + long + "\n", 3, "jo@example.nhs.uk",
			"Job role must be 100 characters or fewer"},
		{"unknown band", "jo@example.nhs.uk,Jo Bloggs,Students,Band 10,,\n", 3, "jo@example.nhs.uk",
			`Pay band "Band 10" is not an Agenda for Change band`},
		{"band 8 without a letter", "jo@example.nhs.uk,Jo Bloggs,Students,Band 8,,\n", 3, "jo@example.nhs.uk",
			"band 8 is split into 8a, 8b, 8c and 8d"},
		{"invalid UTF-8 (Windows-1252 é)", "jo@example.nhs.uk,Zo\xeb Bloggs,Students,,,\n", 3, "jo@example.nhs.uk",
			"characters that could not be read"},
		{"control character in a name", "jo@example.nhs.uk,Jo\x00Bloggs,Students,,,\n", 3, "jo@example.nhs.uk",
			"Name has characters that are not allowed"},
		{"after a value that spans lines", "\"jo@example.nhs.uk\",Jo Bloggs,Students,,\"Ward\n7\",\nbad,Bad Row,Students,,,\n", 5, "bad", "is not valid"},
		{"several problems in one row", "jo@,,Nurses,Band 10,,\n", 3, "jo@",
			`Email address "jo@" is not valid: enter an email address in the correct format, like name@example.nhs.uk; Name is missing; ` +
				`Staff group "Nurses" is not an ESR staff group; Pay band "Band 10" is not an Agenda for Change band`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, problems, err := parseStaffString(staffHeader+good+tt.rows, 100)
			if err != nil {
				t.Fatalf("error: %v", err)
			}
			if len(problems) != 1 {
				t.Fatalf("want 1 problem, got %+v", problems)
			}
			p := problems[0]
			if p.Line != tt.line || p.Email != tt.email || !strings.Contains(p.Reason, tt.reason) {
				t.Errorf("problem %+v, want line %d, email %q, reason containing %q", p, tt.line, tt.email, tt.reason)
			}
			// The good row is still imported; the bad one is not.
			kept := 1
			if tt.name == "after a value that spans lines" {
				kept = 2
			}
			if len(rows) != kept || rows[0].Email != "amy.jones@example.nhs.uk" {
				t.Errorf("want %d good rows, got %+v", kept, rows)
			}
		})
	}
}

func TestParseStaffCSVFileErrors(t *testing.T) {
	good := "amy.jones@example.nhs.uk,Amy Jones,Nursing and Midwifery Registered,Band 5,Ward 7,Staff nurse\n"
	tests := []struct {
		name    string
		file    string
		maxRows int
		want    []string // parts of the message
	}{
		{"empty file", "", 100, []string{"The file is empty"}},
		{"only a byte-order mark and blank lines", "\uFEFF\r\n\r\n  \r\n,,,\r\n", 100, []string{"The file is empty"}},
		{"header only", staffHeader, 100, []string{"The file has no rows of staff"}},
		{"header and blank lines only", staffHeader + "\n,,,,,\n\n", 100, []string{"The file has no rows of staff"}},
		{"missing columns", "Employee Number,Surname,Department\n1,Jones,Ward 7\n", 100,
			[]string{"Columns missing from the file: email address, name (or first name and last name), staff group.",
				`the column names found were: "Employee Number", "Surname", "Department".`}},
		{"missing staff group only", "Email,Name\njo@example.nhs.uk,Jo\n", 100,
			[]string{"Columns missing from the file: staff group.", `"Email", "Name"`}},
		{"first name without last name", "Email,First name,Staff group\njo@example.nhs.uk,Jo,Students\n", 100,
			[]string{"Columns missing from the file: name (or first name and last name)."}},
		{"data where the header should be", good + good, 100,
			[]string{"Columns missing from the file", `"amy.jones@example.nhs.uk", "Amy Jones"`}},
		{"many columns found", strings.Repeat("x,", 30) + "x\n" + strings.Repeat(",", 30) + "y\n", 100,
			[]string{`"x", "x", "x"`, " and 11 more."}},
		{"too many rows", staffHeader + strings.Repeat(good, 1) +
			"bo.li@example.nhs.uk,Bo Li,Students,,,\n" + "cy.ode@example.nhs.uk,Cy Ode,Students,,,\n", 2,
			[]string{"The file has more than 2 rows of staff"}},
		{"too many rows, with thousands", staffHeader + strings.Repeat("x,Xx,Students,,,\n", 50001), 50000,
			[]string{"The file has more than 50,000 rows of staff. Split it into files of 50,000 rows or fewer"}},
		{"quote mark inside a value", staffHeader + good + "jo@example.nhs.uk,Jo \"JJ\" Bloggs,Students,,,\n" + good, 100,
			[]string{`Line 3 has a quote mark (") in a value that is not in quotes`, "Nothing has been imported", "cannot be trusted"}},
		{"quoted value never closed", staffHeader + good + good + "jo@example.nhs.uk,\"Jo Bloggs,Students,,,\n" + good + good, 100,
			[]string{"The row that starts on line 4 has a quoted value that is not closed", "Nothing has been imported"}},
		{"text after a closing quote", staffHeader + good + "jo@example.nhs.uk,\"Jo\" Bloggs,Students,,,\n", 100,
			[]string{`Line 3 has a quote mark (") in the wrong place`}},
		{"quoting error in the header", "email,\"name,staff group\nx", 100, []string{"The row that starts on line 1"}},
		{"quoting error after a sep line", "sep=,\n" + staffHeader + "a,b\"c\n", 100, []string{"Line 3 has a quote mark"}},
		{"invalid UTF-8 in the header", "em\xe1il,name,staff group\n" + good, 100, []string{"could not be read", "UTF-8"}},
		{"UTF-16 file", "\xff\xfee\x00m\x00a\x00i\x00l\x00", 100, []string{"UTF-16", "CSV UTF-8"}},
		{"Excel workbook (XLSX, a ZIP file)", "PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml\xa5\x93", 100,
			[]string{"This looks like an Excel file", "save it as CSV", "CSV UTF-8 (comma delimited)"}},
		{"old Excel workbook (XLS)", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00\x00\x00", 100,
			[]string{"This looks like an Excel file", "save it as CSV"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, problems, err := parseStaffString(tt.file, tt.maxRows)
			var fileErr *FileError
			if !errors.As(err, &fileErr) {
				t.Fatalf("want a *FileError, got %v (rows %+v, problems %+v)", err, rows, problems)
			}
			if rows != nil || problems != nil {
				t.Errorf("rows %+v and problems %+v returned with an error", rows, problems)
			}
			t.Log(fileErr.Message)
			for _, w := range tt.want {
				if !strings.Contains(fileErr.Message, w) {
					t.Errorf("message %q does not contain %q", fileErr.Message, w)
				}
			}
			if err.Error() != fileErr.Message {
				t.Errorf("Error() = %q", err.Error())
			}
		})
	}
}

func TestParseStaffCSVMaxRowsIsInclusive(t *testing.T) {
	file := staffHeader + "a@example.nhs.uk,A A,Students\n\n\nb@example.nhs.uk,B B,Students\nbad,C C,Students\n"
	rows, problems, err := parseStaffString(file, 3) // blank lines do not count; bad rows do
	if err != nil || len(rows) != 2 || len(problems) != 1 {
		t.Fatalf("rows %+v, problems %+v, error %v", rows, problems, err)
	}
	if _, _, err := parseStaffString(file, 2); err == nil {
		t.Fatal("no error with 3 rows and a limit of 2")
	}
	if rows, _, err := parseStaffString(file, 0); err != nil || len(rows) != 2 {
		t.Fatalf("no limit: rows %+v, error %v", rows, err)
	}
}

func TestParseStaffCSVReadFailure(t *testing.T) {
	failure := errors.New("disk on fire")
	_, _, err := Parse(io.MultiReader(strings.NewReader(staffHeader), iotest.ErrReader(failure)), 100)
	var fileErr *FileError
	if !errors.Is(err, failure) || errors.As(err, &fileErr) {
		t.Fatalf("want the read error, not a file error; got %v", err)
	}
	// A reader that returns a little at a time is read in full.
	rows, _, err := Parse(iotest.OneByteReader(strings.NewReader("\uFEFF"+staffHeader+"a@example.nhs.uk,A A,Students\n")), 100)
	if err != nil || len(rows) != 1 {
		t.Fatalf("one byte at a time: rows %+v, error %v", rows, err)
	}
}

func TestStaffCSVStaffGroupsAndPayBands(t *testing.T) {
	groups := map[string]string{
		"nursing & midwifery registered":   "Nursing and Midwifery Registered",
		"NURSING AND MIDWIFERY REGISTERED": "Nursing and Midwifery Registered",
		"Nursing and Midwifery Registered": "Nursing and Midwifery Registered",
		"Add Prof Scientific and Technic":  "Additional Professional Scientific and Technical",
		"Additional Clinical Services":     "Additional Clinical Services",
		"Admin and Clerical":               "Administrative and Clerical",
		"Administrative & Clerical":        "Administrative and Clerical",
		"Allied Health Professionals":      "Allied Health Professionals",
		"AHP":                              "Allied Health Professionals",
		"ahps":                             "Allied Health Professionals",
		"Medical & Dental":                 "Medical and Dental",
		"medical-and-dental":               "Medical and Dental",
		"Students":                         "Students",
		"Student":                          "Students",
		"Estates & Ancillary":              "Estates and Ancillary",
		"Healthcare Scientists":            "Healthcare Scientists",
		"Supplementary Roles":              "Supplementary Roles",
		"Nurses":                           "",
		"Medical":                          "",
		"Nursing and Midwifery":            "",
		"":                                 "",
	}
	for _, g := range models.StaffGroups() {
		groups[g] = g
		groups[strings.ToUpper(g)] = g
	}
	for in, want := range groups {
		got, ok := matchStaffGroup(in)
		if got != want || ok != (want != "") {
			t.Errorf("matchStaffGroup(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for alias, g := range staffGroupAliases {
		if !slices.Contains(models.StaffGroups(), g) {
			t.Errorf("alias %q is for %q, which is not an ESR staff group", alias, g)
		}
	}

	bands := map[string]string{
		"5": "Band 5", "Band 5": "Band 5", "band 5": "Band 5", "AfC Band 5": "Band 5", "BAND5": "Band 5", "Band-5": "Band 5",
		"1": "Band 1", "7": "Band 7", "9": "Band 9", "Band 9": "Band 9",
		"8a": "Band 8a", "Band 8A": "Band 8a", "8 a": "Band 8a", "8b": "Band 8b", "Band 8c": "Band 8c", "8D": "Band 8d",
		"Agenda for Change Band 6": "Band 6",
		"Medical":                  models.NotOnAgendaForChange,
		"Consultant":               models.NotOnAgendaForChange,
		"Non AfC":                  models.NotOnAgendaForChange,
		"Non-AfC":                  models.NotOnAgendaForChange,
		"Not on Agenda for Change": models.NotOnAgendaForChange,
	}
	for _, notABand := range []string{"8", "Band 8", "10", "0", "8e", "Band", "05", "Band 5 Nurse", "Senior", ""} {
		bands[notABand] = ""
	}
	for _, b := range models.PayBands() {
		bands[b] = b
	}
	for in, want := range bands {
		got, ok := matchPayBand(in)
		if got != want || ok != (want != "") {
			t.Errorf("matchPayBand(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestStaffCSVHeaderSynonyms(t *testing.T) {
	for _, tt := range []struct {
		header string
		column Column
	}{
		{"Email", ColEmail}, {"Email Address", ColEmail}, {"E-mail", ColEmail}, {"E-Mail Address", ColEmail},
		{"Work Email", ColEmail}, {"NHSmail", ColEmail}, {"Primary Email", ColEmail},
		{"Name", ColName}, {"Full Name", ColName}, {"Employee Name", ColName},
		{"First Name", ColFirstName}, {"Forename", ColFirstName}, {"First Forename", ColFirstName},
		{"Last Name", ColLastName}, {"Surname", ColLastName}, {"Family Name", ColLastName},
		{"Staff Group", ColStaffGroup}, {"StaffGroup", ColStaffGroup}, {"STAFF_GROUP", ColStaffGroup}, {"ESR Staff Group", ColStaffGroup},
		{"Band", ColPayBand}, {"Pay Band", ColPayBand}, {"PayBand", ColPayBand}, {"Grade", ColPayBand}, {"AfC Band", ColPayBand},
		{"Department", ColDepartment}, {"Dept", ColDepartment}, {"Dept.", ColDepartment}, {"Organisation Unit", ColDepartment},
		{"Org Unit", ColDepartment}, {"Cost Centre Name", ColDepartment}, {"Ward/Department", ColDepartment},
		{"Job Role", ColJobRole}, {"Role", ColJobRole}, {"Job Title", ColJobRole}, {"Position Title", ColJobRole}, {"Occupation", ColJobRole},
	} {
		m, ok := staffHeaders[staffKey(tt.header)]
		if !ok || m.column != tt.column {
			t.Errorf("header %q: got %+v, %v; want column %d", tt.header, m, ok, tt.column)
		}
	}
	for _, h := range []string{"Employee Number", "Occupation Code", "Organisation", "Email (personal) 2", "Assignment Number"} {
		if m, ok := staffHeaders[staffKey(h)]; ok {
			t.Errorf("header %q should be ignored, got %+v", h, m)
		}
	}
}

func readStaffSample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The sample files are ESR-shaped, one clean and one with bad rows.
func TestParseStaffCSVSampleFiles(t *testing.T) {
	rows, problems, err := Parse(bytes.NewReader(readStaffSample(t, "staff-good.csv")), MaxRows)
	if err != nil || len(problems) != 0 || len(rows) != 12 {
		t.Fatalf("staff-good.csv: %d rows, problems %+v, error %v", len(rows), problems, err)
	}
	wantFirst := Row{Line: 2, Email: "amara.okafor@example.nhs.uk", Name: "Amara Okafor", StaffGroup: "Nursing and Midwifery Registered",
		PayBand: "Band 5", Department: "Ward 7 Acute Medicine", JobRole: "Staff Nurse"}
	if !reflect.DeepEqual(rows[0], wantFirst) {
		t.Errorf("first row %+v", rows[0])
	}
	if last := rows[11]; last.Line != 13 || last.Department != "Outpatients, Clinic 3" {
		t.Errorf("last row %+v", last)
	}
	groups := map[string]bool{}
	for _, r := range rows {
		groups[r.StaffGroup] = true
	}
	if len(groups) < 8 {
		t.Errorf("only %d staff groups in staff-good.csv", len(groups))
	}

	rows, problems, err = Parse(bytes.NewReader(readStaffSample(t, "staff-some-bad.csv")), MaxRows)
	if err != nil || len(rows) != 7 || len(problems) != 3 {
		t.Fatalf("staff-some-bad.csv: %d rows, problems %+v, error %v", len(rows), problems, err)
	}
	want := []struct {
		line          int
		email, reason string
	}{
		{4, "olivia.grant@example", `Email address "olivia.grant@example" is not valid`},
		{6, "chloe.martin@example.nhs.uk", `Staff group "Nurses" is not an ESR staff group`},
		{9, "Omar.Haddad@example.nhs.uk", "Email address omar.haddad@example.nhs.uk is already on line 3"},
	}
	for i, w := range want {
		if p := problems[i]; p.Line != w.line || p.Email != w.email || !strings.Contains(p.Reason, w.reason) {
			t.Errorf("problem %d: %+v, want %+v", i, p, w)
		}
	}
	if rows[1].Name != "Omar Haddad" || rows[1].PayBand != models.NotOnAgendaForChange || rows[1].Line != 3 {
		t.Errorf("joined name and band: %+v", rows[1])
	}
}

// largeStaffFile is an ESR-shaped file of n people.
func largeStaffFile(n int) []byte {
	groups, bands := models.StaffGroups(), models.PayBands()
	var b bytes.Buffer
	b.WriteString("\uFEFFEmployee Number,Email Address,First Name,Last Name,Staff Group,Pay Band,Department,Job Role\r\n")
	for i := range n {
		fmt.Fprintf(&b, "%08d,person.%d@example.nhs.uk,Person,Number %d,%s,%s,\"Ward %d, Site %d\",Job role %d\r\n",
			10000000+i, i, i, groups[i%len(groups)], bands[i%len(bands)], i%40, i%3, i%25)
	}
	return b.Bytes()
}

func TestParseStaffCSVLargeFile(t *testing.T) {
	const n = 30000
	rows, problems, err := Parse(bytes.NewReader(largeStaffFile(n)), MaxRows)
	if err != nil || len(problems) != 0 || len(rows) != n {
		t.Fatalf("%d rows, %d problems (first %+v), error %v", len(rows), len(problems), problems[:min(1, len(problems))], err)
	}
	if last := rows[n-1]; last.Line != n+1 || last.Email != fmt.Sprintf("person.%d@example.nhs.uk", n-1) {
		t.Errorf("last row %+v", last)
	}
}

func BenchmarkParseStaffCSV(b *testing.B) {
	file := largeStaffFile(30000)
	b.SetBytes(int64(len(file)))
	for b.Loop() {
		rows, problems, err := Parse(bytes.NewReader(file), MaxRows)
		if err != nil || len(problems) != 0 || len(rows) != 30000 {
			b.Fatalf("%d rows, %d problems, error %v", len(rows), len(problems), err)
		}
	}
}

func FuzzParseStaffCSV(f *testing.F) {
	f.Add(readStaffSample(f, "staff-good.csv"))
	f.Add(readStaffSample(f, "staff-some-bad.csv"))
	f.Add([]byte("\uFEFF" + staffHeader + "amy@example.nhs.uk,Amy Jones,Students,Band 5,Ward 7,Nurse\r\n"))
	f.Add([]byte("Email;Name;Staff group\nAmy@example.nhs.uk;\"Jones; Amy\";AHP\nbo@example.nhs.uk;Bo;Medical & Dental\n"))
	f.Add([]byte(staffHeader + "amy@example.nhs.uk,\"Amy\n\"\"AJ\"\" Jones\",Students,8a,\"Ward,\n7\",\n\nbo@example.nhs.uk,Bo,Students\n"))
	f.Add([]byte("sep=;\rEmail;Forename;Surname;Staff group\ra@example.nhs.uk;A;B;Student\r"))
	f.Add([]byte(staffHeader + "amy@example.nhs.uk,\"Amy,Students\n"))
	f.Add([]byte(staffHeader + "amy@example.nhs.uk,Amy \"AJ\" Jones,Students\n"))
	f.Add([]byte(staffHeader + "AMY@example.nhs.uk,Amy,Students\namy@EXAMPLE.nhs.uk,Amy,Students\n"))
	f.Add([]byte("email,name\n"))
	f.Add([]byte("email,name,staff group\njo@\xff,J\xfeo,Students\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		const maxRows = 200
		rows, problems, err := Parse(bytes.NewReader(data), maxRows)
		if err != nil {
			var fileErr *FileError
			if !errors.As(err, &fileErr) || fileErr.Message == "" || !utf8.ValidString(fileErr.Message) {
				t.Fatalf("error %#v is not a file error with a message", err)
			}
			if rows != nil || problems != nil {
				t.Fatal("rows or problems returned with an error")
			}
			return
		}
		if len(rows)+len(problems) == 0 {
			t.Fatal("no rows, no problems and no error")
		}
		// Each row starts on its own line, after the header.
		lines := bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte("\r")) + 1
		if n := len(rows) + len(problems); n > maxRows || n > lines-1 {
			t.Fatalf("%d rows and problems from %d lines", n, lines)
		}
		used := map[int]bool{}
		emails := map[string]bool{}
		for _, r := range rows {
			if r.Line < 2 || r.Line > lines || used[r.Line] {
				t.Fatalf("row line %d (file has %d lines)", r.Line, lines)
			}
			used[r.Line] = true
			if p := validation.EmailProblem(r.Email); p != "" || r.Email != strings.ToLower(strings.TrimSpace(r.Email)) || emails[r.Email] {
				t.Fatalf("row email %q: %s (seen before: %v)", r.Email, p, emails[r.Email])
			}
			emails[r.Email] = true
			if !slices.Contains(models.StaffGroups(), r.StaffGroup) {
				t.Fatalf("row staff group %q", r.StaffGroup)
			}
			if r.PayBand != "" && !slices.Contains(models.PayBands(), r.PayBand) {
				t.Fatalf("row pay band %q", r.PayBand)
			}
			if r.Name == "" || validation.TextProblem(r.Name, "name", true, validation.MaxNameLength) != "" ||
				validation.TextProblem(r.Department, "department", false, validation.MaxTextLength) != "" ||
				validation.TextProblem(r.JobRole, "job role", false, validation.MaxTextLength) != "" {
				t.Fatalf("row text: %+v", r)
			}
			for _, v := range []string{r.Email, r.Name, r.Department, r.JobRole} {
				if !utf8.ValidString(v) || hasControlCharacter(v) || v != strings.TrimSpace(v) {
					t.Fatalf("row value %q", v)
				}
			}
		}
		for _, p := range problems {
			if p.Line < 2 || p.Line > lines || used[p.Line] || p.Reason == "" || !utf8.ValidString(p.Reason) || !utf8.ValidString(p.Email) {
				t.Fatalf("problem %+v (file has %d lines)", p, lines)
			}
			used[p.Line] = true
		}
	})
}

func BenchmarkParseStaffCSVSmallFile(b *testing.B) {
	file := readStaffSample(b, "staff-good.csv")
	for b.Loop() {
		Parse(bytes.NewReader(file), MaxRows)
	}
}
