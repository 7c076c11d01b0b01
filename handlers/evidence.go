package handlers

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/maturity"
)

// uploadEvidence attaches a document to one question of a section the
// board member is assigned.
func (s *Server) uploadEvidence(c echo.Context) error {
	data, err := s.assignedSection(c)
	if err != nil {
		return err
	}
	up := maturity.Upload{Question: c.FormValue("question")}
	if fh, err := c.FormFile("file"); err == nil {
		up.FileName, up.Size = fh.Filename, fh.Size
		up.Open = func() (io.ReadCloser, error) { return fh.Open() }
	}
	doc, err := s.maturityService().AddEvidence(c.Request().Context(), &data, up)
	if fe := (formErrors{}); errors.As(err, &fe) {
		if err := s.fillSection(c, &data); err != nil {
			return err
		}
		return s.renderSection(c, data, fe)
	}
	if err != nil {
		return err
	}
	s.setFlash(c, "The document "+doc.FileName+" has been attached.")
	return redirect(c, cyclePath(data.Cycle, "/sections/", data.Section.Code)+"#evidence")
}

// downloadEvidence sends a document as an attachment, never shown in the
// browser, to those who may read it; anyone else gets 404.
func (s *Server) downloadEvidence(c echo.Context) error {
	cycle, _, err := s.maturityCycle(c)
	if err != nil {
		return err
	}
	id, err := pathID(c, "doc")
	if err != nil {
		return err
	}
	doc, content, err := s.maturityService().Document(c.Request().Context(), cycle, mustUser(c), id)
	if err != nil {
		return err
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
