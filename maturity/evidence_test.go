package maturity_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"nhs-digital-maturity/maturity"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/validation"
)

// lock submits the cycle as it is, whatever its answers, so that it is
// read-only.
func (f *fixture) lock(cycle models.MaturityCycle) {
	f.t.Helper()
	overall := 3.0
	scores := func(map[string]models.AgreedAnswer) (map[string]float64, *float64, error) { return nil, &overall, nil }
	if err := f.store.SubmitCycle(f.ctx, f.reload(cycle), scores, models.SignOff{MeetingOn: time.Now(), Name: "Ann Chair", Role: "Chair"}, 0); err != nil {
		f.t.Fatalf("lock: %v", err)
	}
}

// upload is a document of the content given, as a browser sends it.
func upload(question, name string, content []byte) maturity.Upload {
	return maturity.Upload{Question: question, FileName: name, Size: int64(len(content)),
		Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(content)), nil }}
}

// refusal is the one form error err must be.
func refusal(t *testing.T, what string, err error, field, message string) {
	t.Helper()
	var fe validation.Errors
	if !errors.As(err, &fe) {
		t.Fatalf("%s: %v, want validation.Errors", what, err)
	}
	if want := (validation.Errors{{Field: field, Message: message}}); fmt.Sprint(fe) != fmt.Sprint(want) {
		t.Errorf("%s:\n%v\nwant\n%v", what, fe, want)
	}
}

func TestAddEvidenceRefusesWhatIsNotADocument(t *testing.T) {
	f := newFixture(t)
	cycle, page := f.amysWellLed(t)
	pdf := []byte("%PDF-1.4\n")
	const typeMessage = "The document must be a PDF, Word, Excel, PowerPoint, PNG or JPEG file. Its content is checked, not its name"
	big := upload("well-led-1", "big.pdf", append([]byte("%PDF-1.4\n"), make([]byte, 10<<20)...))
	lying := big
	lying.Size = 100
	unreadable := upload("well-led-1", "a.pdf", pdf)
	unreadable.Open = func() (io.ReadCloser, error) { return nil, errors.New("disk gone") }
	cases := []struct {
		what           string
		up             maturity.Upload
		field, message string
	}{
		{"another section's question", upload("safe-practice-1", "a.pdf", pdf), "evidence-question", "Select the question the document is evidence for"},
		{"no question", upload("", "a.pdf", pdf), "evidence-question", "Select the question the document is evidence for"},
		{"no file", maturity.Upload{Question: "well-led-1"}, "evidence-file", "Choose a document to upload"},
		{"empty", upload("well-led-1", "a.pdf", nil), "evidence-file", "The document is empty"},
		{"over 10 MB", big, "evidence-file", "The document must be 10 MB or smaller"},
		{"over 10 MB, said to be small", lying, "evidence-file", "The document must be 10 MB or smaller"},
		{"unreadable", unreadable, "evidence-file", "The document could not be read. Try again"},
		{"text named .pdf", upload("well-led-1", "notes.pdf", []byte("Minutes")), "evidence-file", typeMessage},
	}
	for _, c := range cases {
		doc, err := f.svc.AddEvidence(f.ctx, &page, c.up)
		refusal(t, c.what, err, c.field, c.message)
		if doc.ID != 0 || page.UploadQuestion != c.up.Question {
			t.Errorf("%s: stored %d, page's question %q", c.what, doc.ID, page.UploadQuestion)
		}
	}
	if docs, err := f.store.CycleEvidence(f.ctx, f.org.ID, cycle.ID); err != nil || len(docs) != 0 {
		t.Errorf("after refusals the cycle has %d documents (%v), want none", len(docs), err)
	}

	f.lock(cycle)
	_, err := f.svc.AddEvidence(f.ctx, &page, upload("well-led-1", "a.pdf", pdf))
	refusal(t, "submitted cycle", err, "evidence-file", "This assessment has been submitted, so no more documents can be added")
}

func TestEvidenceKeptAndReadOnlyByThoseWhoMay(t *testing.T) {
	for _, folder := range []bool{false, true} {
		t.Run(fmt.Sprintf("folder=%v", folder), func(t *testing.T) {
			f := newFixture(t)
			svc, dir := f.svc, ""
			if folder {
				dir = filepath.Join(t.TempDir(), "evidence")
				cfg := f.cfg
				cfg.EvidenceDir = dir
				svc = maturity.New(f.store, cfg)
			}
			cycle := f.open(1)
			chosen := map[string][]string{"well-led": {fmt.Sprint(f.amy.ID)}, "safe-practice": {fmt.Sprint(f.bo.ID)}}
			if err := f.svc.SaveAssignments(f.ctx, cycle, f.fw, chosen, f.lead.ID); err != nil {
				t.Fatal(err)
			}
			page, err := svc.AssignedSection(f.ctx, cycle, f.fw, "well-led", f.amy)
			if err != nil {
				t.Fatal(err)
			}
			pdf := []byte("%PDF-1.4\nboard paper")
			doc, err := svc.AddEvidence(f.ctx, &page, upload("well-led-2", `C:\papers\Board "paper".pdf`, pdf))
			if err != nil {
				t.Fatal(err)
			}
			if doc.FileName != "Board paper.pdf" || doc.ContentType != "application/pdf" || doc.Size != int64(len(pdf)) ||
				doc.UploadedByID != f.amy.ID || doc.QuestionCode != "well-led-2" {
				t.Errorf("stored %+v", doc)
			}
			stored, err := f.store.EvidenceInCycle(f.ctx, f.org.ID, cycle.ID, doc.ID)
			if err != nil {
				t.Fatal(err)
			}
			if folder {
				on, err := os.ReadFile(filepath.Join(dir, stored.StoredPath))
				if stored.StoredPath == "" || stored.Content != nil || string(on) != string(pdf) {
					t.Errorf("in a folder: path %q, content in the database %q, file %q %v", stored.StoredPath, stored.Content, on, err)
				}
			} else if stored.StoredPath != "" || string(stored.Content) != string(pdf) {
				t.Errorf("in the database: path %q, content %q", stored.StoredPath, stored.Content)
			}

			admin := f.user("admin@home.test", "Ada Admin", models.RoleAdmin)
			staff := f.user("sam@home.test", "Sam Staff", models.RoleStaff)
			for _, u := range []models.User{f.lead, admin, f.amy, f.bo} {
				got, content, err := svc.Document(f.ctx, cycle, u, doc.ID)
				if err != nil || got.ID != doc.ID || string(content) != string(pdf) {
					t.Errorf("%s: document %d, %q, %v", u.Email, got.ID, content, err)
				}
			}
			// A board member with no section of the cycle, and staff, are
			// told it does not exist.
			carl := f.user("carl@home.test", "Carl Board", models.RoleBoard)
			for _, u := range []models.User{carl, staff} {
				if _, content, err := svc.Document(f.ctx, cycle, u, doc.ID); !errors.Is(err, models.ErrNotFound) || content != nil {
					t.Errorf("%s: %q %v, want ErrNotFound", u.Email, content, err)
				}
			}
			// Another organisation's cycle does not hold it.
			other := models.Organisation{Name: "Other Trust", ODSCode: "ROT", Kind: models.KindAcute}
			if err := f.store.CreateOrganisation(f.ctx, &other, 0); err != nil {
				t.Fatal(err)
			}
			theirs := f.submitted(cycle, other, cycle.Period, 3, nil)
			theirLead := models.User{OrganisationID: other.ID, Email: "lead@other.test", Name: "Olu Lead", RoleCodes: models.Roles{models.RoleLead}.String(), Active: true}
			if err := f.store.CreateUser(f.ctx, &theirLead); err != nil {
				t.Fatal(err)
			}
			if _, _, err := svc.Document(f.ctx, theirs, theirLead, doc.ID); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("another organisation: %v, want ErrNotFound", err)
			}
		})
	}
}
