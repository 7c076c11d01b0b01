// Package evidence is what the service knows of an evidence document on its
// own: which types are allowed (worked out from the content, never the
// name), how large one may be, a safe file name, and where the content is
// kept (in the database, or in a folder). Who may add or read a document is
// the maturity package's.
package evidence

import (
	"archive/zip"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"nhs-digital-maturity/models"
)

// MaxBytes is the largest evidence document.
const MaxBytes = 10 << 20

// ErrNotEvidence is a document whose content is none of the allowed types.
var ErrNotEvidence = errors.New("evidence: not a PDF, Word, Excel, PowerPoint, PNG or JPEG file")

// Type works out a document's type from its content, never its name: the
// name only tells apart the three old Office formats, which share one
// container.
func Type(name string, data []byte) (string, error) {
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
	return "", ErrNotEvidence
}

// officeOpenXMLType reads a ZIP's parts: a Word, Excel or PowerPoint file
// has [Content_Types].xml and its main part under word/, xl/ or ppt/.
func officeOpenXMLType(data []byte) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", ErrNotEvidence
	}
	parts := map[string]bool{}
	for _, f := range zr.File {
		parts[f.Name] = true
	}
	if !parts["[Content_Types].xml"] {
		return "", ErrNotEvidence
	}
	switch {
	case parts["word/document.xml"]:
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document", nil
	case parts["xl/workbook.xml"]:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", nil
	case parts["ppt/presentation.xml"]:
		return "application/vnd.openxmlformats-officedocument.presentationml.presentation", nil
	}
	return "", ErrNotEvidence
}

// CleanName keeps the last part of an uploaded file's name, without
// control characters, quotes or slashes, and at most 200 characters.
func CleanName(name string) string {
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

// Storage keeps documents' content: in files under Dir (the deployment's
// EVIDENCE_DIR), or in the database when Dir is empty.
type Storage struct {
	Dir string
}

// Keep puts content into the document: into a new file under a random
// name, recorded as StoredPath, or into Content for the database.
func (st Storage) Keep(doc *models.Evidence, content []byte) error {
	if st.Dir == "" {
		doc.Content, doc.StoredPath = content, ""
		return nil
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return err
	}
	name := hex.EncodeToString(b)
	if err := os.MkdirAll(st.Dir, 0o750); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(st.Dir, name), content, 0o640); err != nil {
		return err
	}
	doc.Content, doc.StoredPath = nil, name
	return nil
}

// Content is a stored document's content, read from its file when it is
// kept in one. Only the file's base name is used, so a stored path can
// never reach outside Dir.
func (st Storage) Content(doc models.Evidence) ([]byte, error) {
	if doc.StoredPath == "" {
		return doc.Content, nil
	}
	if st.Dir == "" {
		return nil, fmt.Errorf("evidence %d is kept in a folder, but EVIDENCE_DIR is not set", doc.ID)
	}
	return os.ReadFile(filepath.Join(st.Dir, filepath.Base(doc.StoredPath)))
}
