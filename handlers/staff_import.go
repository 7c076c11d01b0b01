package handlers

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
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
		v.Errors = formErrors{{"file", message}}
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
	people := make([]models.ImportPerson, len(rows))
	for i, r := range rows {
		people[i] = models.ImportPerson{Line: r.Line, Email: r.Email, Name: r.Name, StaffGroup: r.StaffGroup,
			PayBand: r.PayBand, Department: r.Department, JobRole: r.JobRole}
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
	Elsewhere int
	Applied   bool
}

// maxPreviewRows bounds the list of changes on the preview page; the
// counts always cover every row.
const maxPreviewRows = 200

func (s *Server) staffImport(c echo.Context) (models.StaffImport, error) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil {
		return models.StaffImport{}, echo.ErrNotFound
	}
	return s.store.StaffImportInOrganisation(c.Request().Context(), mustUser(c).OrganisationID, uint(id))
}

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
	if data.Changes, err = s.store.PlanStaffImport(c.Request().Context(), imp.OrganisationID, people); err != nil {
		return data, err
	}
	for _, ch := range data.Changes {
		switch ch.Action {
		case models.ImportCreate:
			data.Create++
		case models.ImportUpdate:
			data.Update++
		case models.ImportUnchanged:
			data.Unchanged++
		case models.ImportOtherOrganisation:
			data.Elsewhere++
		}
		if ch.Action != models.ImportUnchanged && len(data.Shown) < maxPreviewRows {
			data.Shown = append(data.Shown, ch)
		}
	}
	return data, nil
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
	v := s.view(c, "Check the import")
	v.BackLink = "/organisation/staff/import"
	v.Data = data
	return s.render(c, http.StatusOK, "staff_import_preview", v)
}

// confirmStaffImport applies exactly the previewed rows, in one
// transaction; importing the same file again changes nothing.
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
	expires := time.Now().Add(s.cfg.InvitationLifetime).UTC()
	created, updated, unchanged, err := s.store.ApplyStaffImport(c.Request().Context(), imp, data.Changes, mustUser(c).ID, expires,
		func(string) string { return s.tokenHash(newToken()) })
	if errors.Is(err, models.ErrConflict) {
		return redirect(c, importPath(imp))
	}
	if err != nil {
		return err
	}
	s.setFlash(c, fmt.Sprintf("Import complete: %d people added, %d updated, %d unchanged.", created, updated, unchanged))
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
