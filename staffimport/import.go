package staffimport

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"time"

	"nhs-digital-maturity/models"
	"nhs-digital-maturity/validation"
)

// Import limits: the largest trusts have about 28,000 staff.
const (
	MaxRows  = 50000
	MaxBytes = 20 << 20
)

// PreviewRows is the number of changes on a page of the preview; the
// counts always cover every row, and the pages every change.
const PreviewRows = 200

var (
	// ErrApplied is an import applied already: nothing more to confirm.
	ErrApplied = errors.New("staff import applied already")
	// ErrPlanChanged is a confirmation of a plan that is no longer what
	// the import would do, because the accounts changed since the preview.
	ErrPlanChanged = errors.New("staff import plan changed since the preview")
)

// Importer plans and applies staff imports.
type Importer struct {
	Store *models.Store
}

// Upload is a staff file as sent by the lead.
type Upload struct {
	FileName string
	Size     int64
	Body     io.Reader
}

// Create reads the file and keeps it for the preview; nothing changes in
// the organisation until the lead confirms. A file that cannot be
// imported at all is refused with validation.Errors for the field "file".
// A leaving date on or before today makes a leaver.
func (im Importer) Create(ctx context.Context, organisationID, actorID uint, up Upload, today time.Time) (models.StaffImport, error) {
	refuse := func(message string) error {
		var fe validation.Errors
		fe.Add("file", message)
		return fe
	}
	if up.Size == 0 {
		return models.StaffImport{}, refuse("The file is empty. Upload a CSV file with a first row of column names and then a row for each person.")
	}
	if up.Size > MaxBytes {
		return models.StaffImport{}, refuse("The file must be smaller than 20 MB")
	}
	rows, problems, err := Parse(up.Body, MaxRows)
	var fileErr *FileError
	if errors.As(err, &fileErr) {
		return models.StaffImport{}, refuse(fileErr.Message)
	}
	if err != nil {
		return models.StaffImport{}, err
	}
	people, refused := People(rows, problems, today)
	return im.Store.CreateStaffImport(ctx, organisationID, actorID, filepath.Base(up.FileName), people, refused)
}

// People turns parsed rows into the people an import keeps. A leaving date
// that has passed, today included, makes a leaver; a later one does not
// yet. A column the file lacks gives no value, so that the import leaves
// the account's own as it is.
func People(rows []Row, problems []Problem, today time.Time) ([]models.ImportPerson, []models.ImportProblem) {
	people := make([]models.ImportPerson, len(rows))
	for i, r := range rows {
		given := func(col Column, v string) *string {
			if slices.Contains(r.Missing, col) {
				return nil
			}
			return &v
		}
		people[i] = models.ImportPerson{Line: r.Line, Email: r.Email, Name: r.Name, StaffGroup: r.StaffGroup,
			PayBand: given(ColPayBand, r.PayBand), Department: given(ColDepartment, r.Department),
			JobRole: given(ColJobRole, r.JobRole),
			Leaver:  r.Leaver || (!r.LeavingDate.IsZero() && !r.LeavingDate.After(today))}
	}
	refused := make([]models.ImportProblem, len(problems))
	for i, p := range problems {
		refused[i] = models.ImportProblem{Line: p.Line, Email: p.Email, Reason: p.Reason}
	}
	return people, refused
}

// Preview is what confirming an import would do, as the lead sees it.
type Preview struct {
	Import   models.StaffImport
	Problems []models.ImportProblem
	Changes  []models.ImportChange
	// Shown is the page of Changes listed: every change but those that
	// leave an account as it is.
	Shown     []models.ImportChange
	Create    int
	Update    int
	Unchanged int
	Protected int
	// Deactivate counts the leavers whose accounts the import closes.
	Deactivate int
	Applied    bool
	// Plan is a digest of Changes: confirming applies the plan only while
	// it is still what the lead saw.
	Plan string
	// Page of the list of changes, from 1, of Pages; First and Last are
	// the positions in the list of the changes shown, from 1.
	Page, Pages int
	First, Last int
}

// Preview plans the import as importer would apply it, and gives page
// (from 1; any other value is the first page) of the list of changes. An
// import applied already has its problems only.
func (im Importer) Preview(ctx context.Context, imp models.StaffImport, importer models.Roles, page int) (Preview, error) {
	p := Preview{Import: imp, Applied: imp.Status == models.ImportApplied}
	var err error
	if p.Problems, err = imp.Problems(); err != nil {
		return p, err
	}
	if p.Applied {
		return p, nil
	}
	people, err := imp.People()
	if err != nil {
		return p, err
	}
	if p.Changes, err = im.Store.PlanStaffImport(ctx, imp.OrganisationID, importer, people); err != nil {
		return p, err
	}
	var listed []models.ImportChange
	for _, ch := range p.Changes {
		switch ch.Action {
		case models.ImportCreate:
			p.Create++
		case models.ImportUpdate:
			p.Update++
		case models.ImportUnchanged:
			p.Unchanged++
		case models.ImportProtected:
			p.Protected++
		case models.ImportDeactivate:
			p.Deactivate++
		}
		if ch.Action != models.ImportUnchanged {
			listed = append(listed, ch)
		}
	}
	p.Plan = Digest(p.Changes)
	p.Pages = max(1, (len(listed)+PreviewRows-1)/PreviewRows)
	p.Page = 1
	if page >= 1 && page <= p.Pages {
		p.Page = page
	}
	from := (p.Page - 1) * PreviewRows
	p.Shown = listed[from:min(from+PreviewRows, len(listed))]
	p.First, p.Last = from+1, from+len(p.Shown)
	return p, nil
}

// Digest names a plan: the same rows, actions and field changes give the
// same digest.
func Digest(changes []models.ImportChange) string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	for _, ch := range changes {
		_ = enc.Encode(ch) // a hash does not fail to write
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Confirmation is what the lead confirms: the preview they are shown now,
// and the digest of the plan they saw.
type Confirmation struct {
	Preview Preview
	Plan    string
	ActorID uint
	// Importer is the roles of the person confirming.
	Importer models.Roles
	// Expires is when the new people's invitations stop working;
	// TokenHash gives the hash of a fresh token for each.
	Expires   time.Time
	TokenHash func(email string) string
}

// Result is what applying an import did.
type Result struct {
	Created, Updated, Deactivated, Unchanged int
}

// Summary is the message for the lead once the import is applied.
func (r Result) Summary() string {
	if r.Deactivated > 0 {
		return fmt.Sprintf("Import complete: %d people added, %d updated, %d deactivated as leavers, %d unchanged.",
			r.Created, r.Updated, r.Deactivated, r.Unchanged)
	}
	return fmt.Sprintf("Import complete: %d people added, %d updated, %d unchanged.", r.Created, r.Updated, r.Unchanged)
}

// Confirm applies exactly the plan the lead saw, in one transaction. If
// the accounts changed since, so that the plan did, it is ErrPlanChanged
// and nothing changes; an import applied already, or applied meanwhile,
// is ErrApplied, so that importing the same file again changes nothing.
func (im Importer) Confirm(ctx context.Context, c Confirmation) (Result, error) {
	p := c.Preview
	if p.Applied {
		return Result{}, ErrApplied
	}
	if subtle.ConstantTimeCompare([]byte(c.Plan), []byte(p.Plan)) != 1 {
		return Result{}, ErrPlanChanged
	}
	created, updated, unchanged, err := im.Store.ApplyStaffImport(ctx, p.Import, p.Changes, c.ActorID, c.Importer, c.Expires, c.TokenHash)
	if errors.Is(err, models.ErrConflict) {
		return Result{}, ErrApplied
	}
	if err != nil {
		return Result{}, err
	}
	done, err := im.Store.StaffImportInOrganisation(ctx, p.Import.OrganisationID, p.Import.ID)
	if err != nil {
		return Result{}, err
	}
	return Result{Created: created, Updated: updated, Deactivated: done.DeactivatedCount, Unchanged: unchanged}, nil
}
