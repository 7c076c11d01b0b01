package handlers

import (
	"archive/zip"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
)

// maxEvidenceBytes is the largest evidence document.
const maxEvidenceBytes = 10 << 20

// errNotEvidence is a file whose content is none of the allowed types.
var errNotEvidence = errors.New("not a PDF, Word, Excel, PowerPoint, PNG or JPEG file")

// evidenceType works out a document's type from its content, never its
// name: the name only tells apart the three old Office formats, which share
// one container.
func evidenceType(name string, data []byte) (string, error) {
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return "application/pdf", nil
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png", nil
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return "image/jpeg", nil
	case bytes.HasPrefix(data, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
		// An OLE compound file: Word, Excel or PowerPoint 97 to 2003.
		if t, ok := map[string]string{".doc": "application/msword", ".xls": "application/vnd.ms-excel",
			".ppt": "application/vnd.ms-powerpoint"}[ext]; ok {
			return t, nil
		}
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return officeOpenXMLType(data)
	}
	return "", errNotEvidence
}

// officeOpenXMLType reads a ZIP's parts: a Word, Excel or PowerPoint file
// has [Content_Types].xml and its main part under word/, xl/ or ppt/.
func officeOpenXMLType(data []byte) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", errNotEvidence
	}
	parts := map[string]bool{}
	for _, f := range zr.File {
		parts[f.Name] = true
	}
	if !parts["[Content_Types].xml"] {
		return "", errNotEvidence
	}
	switch {
	case parts["word/document.xml"]:
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document", nil
	case parts["xl/workbook.xml"]:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", nil
	case parts["ppt/presentation.xml"]:
		return "application/vnd.openxmlformats-officedocument.presentationml.presentation", nil
	}
	return "", errNotEvidence
}

// uploadEvidence attaches a document to one question of a section the
// board member is assigned.
func (s *Server) uploadEvidence(c echo.Context) error {
	data, err := s.assignedSection(c)
	if err != nil {
		return err
	}
	u := mustUser(c)
	question := c.FormValue("question")
	refuse := func(field, message string) error {
		if err := s.fillSection(c, &data); err != nil {
			return err
		}
		data.UploadQuestion = question
		return s.renderSection(c, data, formErrors{{Field: field, Message: message}})
	}
	if !slices.ContainsFunc(data.Section.Questions, func(q assessments.Question) bool { return q.Code == question }) {
		return refuse("evidence-question", "Select the question the document is evidence for")
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return refuse("evidence-file", "Choose a document to upload")
	}
	if fh.Size == 0 {
		return refuse("evidence-file", "The document is empty")
	}
	if fh.Size > maxEvidenceBytes {
		return refuse("evidence-file", "The document must be 10 MB or smaller")
	}
	f, err := fh.Open()
	if err != nil {
		return refuse("evidence-file", "The document could not be read. Try again")
	}
	defer f.Close()
	content, err := io.ReadAll(io.LimitReader(f, maxEvidenceBytes+1))
	if err != nil {
		return refuse("evidence-file", "The document could not be read. Try again")
	}
	if len(content) > maxEvidenceBytes {
		return refuse("evidence-file", "The document must be 10 MB or smaller")
	}
	name := cleanFileName(fh.Filename)
	ctype, err := evidenceType(name, content)
	if err != nil {
		return refuse("evidence-file", "The document must be a PDF, Word, Excel, PowerPoint, PNG or JPEG file. Its content is checked, not its name")
	}
	doc := models.Evidence{QuestionCode: question, UploadedByID: u.ID, FileName: name, ContentType: ctype, Size: int64(len(content))}
	if s.cfg.EvidenceDir != "" {
		if doc.StoredPath, err = s.keepEvidenceFile(content); err != nil {
			return err
		}
	} else {
		doc.Content = content
	}
	err = s.store.AddEvidence(c.Request().Context(), data.Cycle, &doc)
	if errors.Is(err, models.ErrCycleLocked) {
		return refuse("evidence-file", "This assessment has been submitted, so no more documents can be added")
	}
	if err != nil {
		return err
	}
	s.setFlash(c, "The document "+name+" has been attached.")
	return redirect(c, cyclePath(data.Cycle, "/sections/", data.Section.Code)+"#evidence")
}

// keepEvidenceFile writes a document to the evidence folder under a random
// name, returned for the database.
func (s *Server) keepEvidenceFile(content []byte) (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	name := hex.EncodeToString(b)
	if err := os.MkdirAll(s.cfg.EvidenceDir, 0o750); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(s.cfg.EvidenceDir, name), content, 0o640); err != nil {
		return "", err
	}
	return name, nil
}

// cleanFileName keeps the last part of an uploaded file's name, without
// control characters, quotes or slashes.
func cleanFileName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' || r == '/' {
			return -1
		}
		return r
	}, name)
	if name == "" || name == "." {
		name = "document"
	}
	if r := []rune(name); len(r) > 200 {
		name = string(r[len(r)-200:])
	}
	return name
}

// downloadEvidence sends a document as an attachment to the lead, the
// organisation's admins and the cycle's board members; anyone else gets
// 404, as if it did not exist.
func (s *Server) downloadEvidence(c echo.Context) error {
	ctx := c.Request().Context()
	cycle, _, err := s.maturityCycle(c)
	if err != nil {
		return err
	}
	u := mustUser(c)
	allowed := u.Has(models.RoleLead) || u.Has(models.RoleAdmin)
	if !allowed && u.Has(models.RoleBoard) {
		if allowed, err = s.store.IsAssigned(ctx, cycle.ID, u.ID); err != nil {
			return err
		}
	}
	if !allowed {
		return echo.ErrNotFound
	}
	id, err := pathID(c, "doc")
	if err != nil {
		return err
	}
	doc, err := s.store.EvidenceInCycle(ctx, cycle.OrganisationID, cycle.ID, id)
	if err != nil {
		return err
	}
	content := doc.Content
	if doc.StoredPath != "" {
		if s.cfg.EvidenceDir == "" {
			return fmt.Errorf("evidence %d is kept in a folder, but EVIDENCE_DIR is not set", doc.ID)
		}
		if content, err = os.ReadFile(filepath.Join(s.cfg.EvidenceDir, filepath.Base(doc.StoredPath))); err != nil {
			return err
		}
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, attachment(doc.FileName))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, doc.ContentType, content)
}

// attachment is a Content-Disposition that makes the browser save the
// file under its name, in ASCII with the full name in UTF-8 beside it.
func attachment(name string) string {
	ascii := strings.Map(func(r rune) rune {
		if r > 0x7e || r < 0x20 || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, name)
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, ascii, url.PathEscape(name))
}
