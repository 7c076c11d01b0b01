package evidence_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"nhs-digital-maturity/evidence"
	"nhs-digital-maturity/models"
)

// zipOf is a ZIP holding empty parts of the names given.
func zipOf(t *testing.T, names ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		if _, err := zw.Create(n); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestTypeIsReadFromTheContent(t *testing.T) {
	ole := []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 rest of the compound file")
	ok := []struct {
		name string
		data []byte
		want string
	}{
		{"paper.pdf", []byte("%PDF-1.7\n"), "application/pdf"},
		// The name does not decide: a PDF named .docx is a PDF.
		{"paper.docx", []byte("%PDF-1.4\n"), "application/pdf"},
		{"chart.png", []byte("\x89PNG\r\n\x1a\nIHDR"), "image/png"},
		{"photo.JPG", []byte("\xff\xd8\xff\xe0JFIF"), "image/jpeg"},
		{"old.doc", ole, "application/msword"},
		{"OLD.XLS", ole, "application/vnd.ms-excel"},
		{"old.ppt", ole, "application/vnd.ms-powerpoint"},
		{"strategy", zipOf(t, "[Content_Types].xml", "word/document.xml"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"budget.xlsx", zipOf(t, "[Content_Types].xml", "xl/workbook.xml"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{"deck.pptx", zipOf(t, "[Content_Types].xml", "ppt/presentation.xml"), "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
	}
	for _, c := range ok {
		got, err := evidence.Type(c.name, c.data)
		if err != nil || got != c.want {
			t.Errorf("%s: %q %v, want %q", c.name, got, err, c.want)
		}
	}
	refused := []struct {
		name string
		data []byte
	}{
		{"notes.pdf", []byte("Just some text")},
		{"empty.pdf", nil},
		// An OLE file is only accepted under an Office name.
		{"old.pdf", ole},
		{"archive.docx", zipOf(t, "word/document.xml")},
		{"other.docx", zipOf(t, "[Content_Types].xml", "content.xml")},
		{"broken.docx", []byte("PK\x03\x04 not really a zip")},
	}
	for _, c := range refused {
		if got, err := evidence.Type(c.name, c.data); !errors.Is(err, evidence.ErrNotEvidence) {
			t.Errorf("%s: %q %v, want ErrNotEvidence", c.name, got, err)
		}
	}
}

func TestCleanName(t *testing.T) {
	long := strings.Repeat("é", 250) + ".pdf"
	cases := map[string]string{
		`C:\Users\ann\Board "paper".pdf`: "Board paper.pdf",
		"../../etc/passwd":               "passwd",
		"a\x00b\nc\x7f.pdf":              "abc.pdf",
		"":                               "document",
		"/":                              "document",
		"minutes.docx":                   "minutes.docx",
		long:                             strings.Repeat("é", 196) + ".pdf",
	}
	for in, want := range cases {
		if got := evidence.CleanName(in); got != want {
			t.Errorf("CleanName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestStorageInTheDatabase(t *testing.T) {
	var st evidence.Storage
	doc := models.Evidence{StoredPath: "left over"}
	if err := st.Keep(&doc, []byte("%PDF-1.4")); err != nil {
		t.Fatal(err)
	}
	if string(doc.Content) != "%PDF-1.4" || doc.StoredPath != "" {
		t.Errorf("kept as %q at %q, want the content in the record", doc.Content, doc.StoredPath)
	}
	got, err := st.Content(doc)
	if err != nil || string(got) != "%PDF-1.4" {
		t.Errorf("content %q %v", got, err)
	}
	// A document kept in a folder cannot be read without one.
	if _, err := st.Content(models.Evidence{ID: 7, StoredPath: "abc"}); err == nil {
		t.Error("a stored path without EVIDENCE_DIR was read")
	}
}

func TestStorageInAFolder(t *testing.T) {
	parent := t.TempDir()
	st := evidence.Storage{Dir: filepath.Join(parent, "evidence")}
	var first, second models.Evidence
	if err := st.Keep(&first, []byte("one")); err != nil {
		t.Fatal(err)
	}
	if err := st.Keep(&second, []byte("two")); err != nil {
		t.Fatal(err)
	}
	if first.Content != nil || !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(first.StoredPath) || first.StoredPath == second.StoredPath {
		t.Fatalf("stored paths %q and %q, content %q: want two random names and no content", first.StoredPath, second.StoredPath, first.Content)
	}
	on, err := os.ReadFile(filepath.Join(st.Dir, first.StoredPath))
	if err != nil || string(on) != "one" {
		t.Errorf("file holds %q %v", on, err)
	}
	if got, err := st.Content(second); err != nil || string(got) != "two" {
		t.Errorf("content %q %v, want two", got, err)
	}
	// A stored path is only ever a name inside the folder.
	if err := os.WriteFile(filepath.Join(parent, "secret"), []byte("not evidence"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got, err := st.Content(models.Evidence{StoredPath: "../secret"}); err == nil {
		t.Errorf("read %q from outside the folder", got)
	}
}
