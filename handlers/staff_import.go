package handlers

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/models"
	"nhs-digital-maturity/reports"
	"nhs-digital-maturity/staffimport"
)

func (s *Server) staffImportPage(c echo.Context) error {
	return s.renderPage(c, "staff_import", page{Title: "Import staff", BackLink: "/organisation/skills"})
}

// uploadStaffFile keeps the file for the preview; nothing changes in the
// organisation until the lead confirms.
func (s *Server) uploadStaffFile(c echo.Context) error {
	u := mustUser(c)
	refuse := func(errs formErrors) error {
		return s.renderPage(c, "staff_import", page{Title: "Import staff", BackLink: "/organisation/skills", Errors: errs})
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return refuse(formErrors{{Field: "file", Message: "Choose a CSV file to upload"}})
	}
	f, err := fh.Open()
	if err != nil {
		return refuse(formErrors{{Field: "file", Message: "The file could not be read. Try again"}})
	}
	defer f.Close()
	imp, err := s.staffImports().Create(c.Request().Context(), u.OrganisationID, u.ID,
		staffimport.Upload{FileName: fh.Filename, Size: fh.Size, Body: f}, time.Now().UTC())
	var fe formErrors
	if errors.As(err, &fe) {
		return refuse(fe)
	}
	if err != nil {
		return err
	}
	return redirect(c, importPath(imp))
}

func (s *Server) staffImports() staffimport.Importer { return staffimport.Importer{Store: s.store} }

func importPath(imp models.StaffImport, rest ...string) string {
	return "/organisation/staff/imports/" + strconv.FormatUint(uint64(imp.ID), 10) + strings.Join(rest, "")
}

// importPreviewData is the preview with the links to the pages around it.
type importPreviewData struct {
	staffimport.Preview
	PrevPage, NextPage string
}

func (s *Server) staffImport(c echo.Context) (models.StaffImport, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return models.StaffImport{}, err
	}
	return s.store.StaffImportInOrganisation(c.Request().Context(), mustUser(c).OrganisationID, id)
}

// pathImportPreview loads the import in the path and its preview.
func (s *Server) pathImportPreview(c echo.Context) (models.StaffImport, importPreviewData, error) {
	imp, err := s.staffImport(c)
	if err != nil {
		return imp, importPreviewData{}, err
	}
	data, err := s.importPreview(c, imp)
	return imp, data, err
}

// importPreview plans the import as the signed-in person would apply it.
func (s *Server) importPreview(c echo.Context, imp models.StaffImport) (importPreviewData, error) {
	page, _ := strconv.Atoi(c.QueryParam("page"))
	p, err := s.staffImports().Preview(c.Request().Context(), imp, mustUser(c).Roles(), page)
	data := importPreviewData{Preview: p}
	if err != nil || p.Applied {
		return data, err
	}
	if p.Page > 1 {
		data.PrevPage = importPath(imp, "?page=", strconv.Itoa(p.Page-1))
	}
	if p.Page < p.Pages {
		data.NextPage = importPath(imp, "?page=", strconv.Itoa(p.Page+1))
	}
	return data, nil
}

func (s *Server) staffImportPreview(c echo.Context) error {
	_, data, err := s.pathImportPreview(c)
	if err != nil {
		return err
	}
	return s.renderImportPreview(c, http.StatusOK, data, nil)
}

func (s *Server) renderImportPreview(c echo.Context, status int, data importPreviewData, errs formErrors) error {
	return s.renderPage(c, "staff_import_preview", page{Title: "Check the import", BackLink: "/organisation/staff/import",
		Data: data, Errors: errs, Status: status})
}

// confirmStaffImport applies exactly the plan the lead saw; if it changed
// since, the preview is shown again to be checked.
func (s *Server) confirmStaffImport(c echo.Context) error {
	imp, data, err := s.pathImportPreview(c)
	if err != nil {
		return err
	}
	me := mustUser(c)
	res, err := s.staffImports().Confirm(c.Request().Context(), staffimport.Confirmation{Preview: data.Preview,
		Plan: c.FormValue("plan"), ActorID: me.ID, Importer: me.Roles(), Expires: time.Now().Add(s.cfg.InvitationLifetime).UTC(),
		TokenHash: func(string) string { return s.tokenHash(newToken()) }})
	switch {
	case errors.Is(err, staffimport.ErrApplied):
		return redirect(c, importPath(imp))
	case errors.Is(err, staffimport.ErrPlanChanged):
		return s.renderImportPreview(c, http.StatusConflict, data, formErrors{{Field: "confirm", Message: "The accounts have changed since you checked this import. Check the changes again, then confirm the import"}})
	case err != nil:
		return err
	}
	s.setFlash(c, res.Summary())
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
	t := reports.Table{Name: "Invitation links", Columns: []string{"Email address", "Name", "Invitation link", "Link works until"}}
	for _, inv := range invitations {
		t.Rows = append(t.Rows, []reports.Cell{reports.Text(inv.Email), reports.Text(inv.Name),
			reports.Text(s.cfg.BaseURL + "/invitations/" + tokens[inv.Email]), reports.Date(inv.ExpiresAt)})
	}
	return sendWritten(c, "text/csv; charset=utf-8", fmt.Sprintf("invitation-links-%d.csv", imp.ID), func(w io.Writer) error { return reports.WriteCSV(w, t) })
}
