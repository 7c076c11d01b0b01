package handlers

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/models"
)

// Import limits: the largest trusts have about 28,000 staff.
const (
	maxImportRows  = 50000
	maxImportBytes = 20 << 20
)

func (s *Server) staffImportPage(c echo.Context) error {
	v := s.view(c, "Import staff")
	v.BackLink = "/organisation/skills"
	return s.render(c, http.StatusOK, "staff_import", v)
}

// uploadStaffFile parses the file and keeps it for the preview; nothing
// changes in the organisation until the lead confirms.
func (s *Server) uploadStaffFile(c echo.Context) error {
	u := mustUser(c)
	refuse := func(message string) error {
		v := s.view(c, "Import staff")
		v.BackLink = "/organisation/skills"
		v.Errors = formErrors{{Field: "file", Message: message}}
		return s.render(c, http.StatusUnprocessableEntity, "staff_import", v)
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return refuse("Choose a CSV file to upload")
	}
	if fh.Size == 0 {
		return refuse("The file is empty. Upload a CSV file with a first row of column names and then a row for each person.")
	}
	if fh.Size > maxImportBytes {
		return refuse("The file must be smaller than 20 MB")
	}
	f, err := fh.Open()
	if err != nil {
		return refuse("The file could not be read. Try again")
	}
	defer f.Close()
	rows, problems, err := parseStaffCSV(f, maxImportRows)
	var fileErr *staffFileError
	if errors.As(err, &fileErr) {
		return refuse(fileErr.Message)
	}
	if err != nil {
		return err
	}
	// A leaving date that has passed, today included, makes a leaver; a
	// later one does not yet.
	today := time.Now().UTC()
	people := make([]models.ImportPerson, len(rows))
	for i, r := range rows {
		given := func(col staffColumn, v string) *string {
			if slices.Contains(r.Missing, col) {
				return nil
			}
			return &v
		}
		people[i] = models.ImportPerson{Line: r.Line, Email: r.Email, Name: r.Name, StaffGroup: r.StaffGroup,
			PayBand: given(staffColPayBand, r.PayBand), Department: given(staffColDepartment, r.Department),
			JobRole: given(staffColJobRole, r.JobRole),
			Leaver:  r.Leaver || (!r.LeavingDate.IsZero() && !r.LeavingDate.After(today))}
	}
	refused := make([]models.ImportProblem, len(problems))
	for i, p := range problems {
		refused[i] = models.ImportProblem{Line: p.Line, Email: p.Email, Reason: p.Reason}
	}
	imp, err := s.store.CreateStaffImport(c.Request().Context(), u.OrganisationID, u.ID, filepath.Base(fh.Filename), people, refused)
	if err != nil {
		return err
	}
	return redirect(c, importPath(imp))
}

func importPath(imp models.StaffImport, rest ...string) string {
	return "/organisation/staff/imports/" + strconv.FormatUint(uint64(imp.ID), 10) + strings.Join(rest, "")
}

type importPreviewData struct {
	Import    models.StaffImport
	Problems  []models.ImportProblem
	Changes   []models.ImportChange
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
	// Page of the list of changes, from 1, and the links around it.
	Page, Pages        int
	PrevPage, NextPage string
	First, Last        int
}

// maxPreviewRows is the number of changes per page of the preview; the
// counts always cover every row, and the pages every change.
const maxPreviewRows = 200

func (s *Server) staffImport(c echo.Context) (models.StaffImport, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return models.StaffImport{}, err
	}
	return s.store.StaffImportInOrganisation(c.Request().Context(), mustUser(c).OrganisationID, id)
}

// importPreview plans the import as the signed-in person would apply it.
func (s *Server) importPreview(c echo.Context, imp models.StaffImport) (importPreviewData, error) {
	data := importPreviewData{Import: imp, Applied: imp.Status == models.ImportApplied}
	var err error
	if data.Problems, err = imp.Problems(); err != nil {
		return data, err
	}
	if data.Applied {
		return data, nil
	}
	people, err := imp.People()
	if err != nil {
		return data, err
	}
	if data.Changes, err = s.store.PlanStaffImport(c.Request().Context(), imp.OrganisationID, mustUser(c).Roles(), people); err != nil {
		return data, err
	}
	var listed []models.ImportChange
	for _, ch := range data.Changes {
		switch ch.Action {
		case models.ImportCreate:
			data.Create++
		case models.ImportUpdate:
			data.Update++
		case models.ImportUnchanged:
			data.Unchanged++
		case models.ImportProtected:
			data.Protected++
		case models.ImportDeactivate:
			data.Deactivate++
		}
		if ch.Action != models.ImportUnchanged {
			listed = append(listed, ch)
		}
	}
	data.Plan = importPlanDigest(data.Changes)
	data.Pages = max(1, (len(listed)+maxPreviewRows-1)/maxPreviewRows)
	data.Page = 1
	if p, err := strconv.Atoi(c.QueryParam("page")); err == nil && p >= 1 && p <= data.Pages {
		data.Page = p
	}
	from := (data.Page - 1) * maxPreviewRows
	data.Shown = listed[from:min(from+maxPreviewRows, len(listed))]
	data.First, data.Last = from+1, from+len(data.Shown)
	if data.Page > 1 {
		data.PrevPage = importPath(imp, "?page=", strconv.Itoa(data.Page-1))
	}
	if data.Page < data.Pages {
		data.NextPage = importPath(imp, "?page=", strconv.Itoa(data.Page+1))
	}
	return data, nil
}

// importPlanDigest names a plan: the same rows, actions and field changes
// give the same digest.
func importPlanDigest(changes []models.ImportChange) string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	for _, ch := range changes {
		_ = enc.Encode(ch) // a hash does not fail to write
	}
	return hex.EncodeToString(h.Sum(nil))
}

func (s *Server) staffImportPreview(c echo.Context) error {
	imp, err := s.staffImport(c)
	if err != nil {
		return err
	}
	data, err := s.importPreview(c, imp)
	if err != nil {
		return err
	}
	return s.renderImportPreview(c, http.StatusOK, data, nil)
}

func (s *Server) renderImportPreview(c echo.Context, status int, data importPreviewData, errs formErrors) error {
	v := s.view(c, "Check the import")
	v.BackLink = "/organisation/staff/import"
	v.Data = data
	v.Errors = errs
	return s.render(c, status, "staff_import_preview", v)
}

// confirmStaffImport applies exactly the plan the lead saw, in one
// transaction. If the accounts changed since, so that the plan did, the
// preview is shown again to be checked; importing the same file again
// changes nothing.
func (s *Server) confirmStaffImport(c echo.Context) error {
	imp, err := s.staffImport(c)
	if err != nil {
		return err
	}
	data, err := s.importPreview(c, imp)
	if err != nil {
		return err
	}
	if data.Applied {
		return redirect(c, importPath(imp))
	}
	if subtle.ConstantTimeCompare([]byte(c.FormValue("plan")), []byte(data.Plan)) != 1 {
		return s.renderImportPreview(c, http.StatusConflict, data, formErrors{{Field: "confirm", Message: "The accounts have changed since you checked this import. Check the changes again, then confirm the import"}})
	}
	me := mustUser(c)
	expires := time.Now().Add(s.cfg.InvitationLifetime).UTC()
	created, updated, unchanged, err := s.store.ApplyStaffImport(c.Request().Context(), imp, data.Changes, me.ID, me.Roles(), expires,
		func(string) string { return s.tokenHash(newToken()) })
	if errors.Is(err, models.ErrConflict) {
		return redirect(c, importPath(imp))
	}
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("Import complete: %d people added, %d updated, %d unchanged.", created, updated, unchanged)
	if done, err := s.store.StaffImportInOrganisation(c.Request().Context(), imp.OrganisationID, imp.ID); err != nil {
		return err
	} else if done.DeactivatedCount > 0 {
		msg = fmt.Sprintf("Import complete: %d people added, %d updated, %d deactivated as leavers, %d unchanged.",
			created, updated, done.DeactivatedCount, unchanged)
	}
	s.setFlash(c, msg)
	return redirect(c, importPath(imp))
}

// importInvitationLinks sends a CSV of the import's invitation links. The
// links are made afresh each time: only their hashes are kept, so earlier
// downloads stop working.
func (s *Server) importInvitationLinks(c echo.Context) error {
	imp, err := s.staffImport(c)
	if err != nil {
		return err
	}
	if imp.Status != models.ImportApplied {
		return echo.ErrNotFound
	}
	tokens := map[string]string{}
	invitations, err := s.store.ReissueImportInvitations(c.Request().Context(), imp, time.Now().Add(s.cfg.InvitationLifetime).UTC(),
		func(email string) string {
			t := newToken()
			tokens[email] = t
			return s.tokenHash(t)
		})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteString("\ufeff") // so that Excel reads UTF-8
	w := csv.NewWriter(&buf)
	w.Write([]string{"Email address", "Name", "Invitation link", "Link works until"})
	for _, inv := range invitations {
		w.Write([]string{csvCell(inv.Email), csvCell(inv.Name), s.cfg.BaseURL + "/invitations/" + tokens[inv.Email],
			inv.ExpiresAt.Format("2006-01-02")})
	}
	w.Flush()
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="invitation-links-%d.csv"`, imp.ID))
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// csvCell stops a spreadsheet from running a cell as a formula.
func csvCell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
