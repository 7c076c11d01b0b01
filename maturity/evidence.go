package maturity

import (
	"context"
	"errors"
	"io"
	"slices"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/evidence"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/validation"
)

// Upload is an evidence document as a board member sent it.
type Upload struct {
	// Question is the code of the question it is evidence for.
	Question string
	// FileName and Size are as the browser gave them.
	FileName string
	Size     int64
	// Open reads the document; nil when none was chosen.
	Open func() (io.ReadCloser, error)
}

// AddEvidence attaches a document to one question of the member's section
// p, checking its type by its content and keeping it as the deployment
// says. A refusal is validation.Errors, with p.UploadQuestion set for the
// page shown again (whose answers the caller fills).
func (s *Service) AddEvidence(ctx context.Context, p *SectionPage, up Upload) (models.Evidence, error) {
	p.UploadQuestion = up.Question
	refuse := func(field, message string) (models.Evidence, error) {
		return models.Evidence{}, validation.Errors{{Field: field, Message: message}}
	}
	if !slices.ContainsFunc(p.Section.Questions, func(q assessments.Question) bool { return q.Code == up.Question }) {
		return refuse("evidence-question", "Select the question the document is evidence for")
	}
	if up.Open == nil {
		return refuse("evidence-file", "Choose a document to upload")
	}
	if up.Size == 0 {
		return refuse("evidence-file", "The document is empty")
	}
	if up.Size > evidence.MaxBytes {
		return refuse("evidence-file", "The document must be 10 MB or smaller")
	}
	content, err := readUpload(up)
	if err != nil {
		return refuse("evidence-file", "The document could not be read. Try again")
	}
	// The size the browser gave may be wrong; the content read decides.
	if len(content) > evidence.MaxBytes {
		return refuse("evidence-file", "The document must be 10 MB or smaller")
	}
	name := evidence.CleanName(up.FileName)
	ctype, err := evidence.Type(name, content)
	if err != nil {
		return refuse("evidence-file", "The document must be a PDF, Word, Excel, PowerPoint, PNG or JPEG file. Its content is checked, not its name")
	}
	doc := models.Evidence{QuestionCode: up.Question, UploadedByID: p.respondent.ID, FileName: name, ContentType: ctype, Size: int64(len(content))}
	if err := s.evidence.Keep(&doc, content); err != nil {
		return models.Evidence{}, err
	}
	err = s.store.AddEvidence(ctx, p.Cycle, &doc)
	if errors.Is(err, models.ErrCycleLocked) {
		return refuse("evidence-file", "This assessment has been submitted, so no more documents can be added")
	}
	return doc, err
}

// readUpload reads at most one byte more than a document may have.
func readUpload(up Upload) ([]byte, error) {
	f, err := up.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, evidence.MaxBytes+1))
}

// Document is one of the cycle's documents with its content, for u: the
// lead, the organisation's admins and the cycle's board members. Anyone
// else gets models.ErrNotFound, as if it did not exist.
func (s *Service) Document(ctx context.Context, cycle models.MaturityCycle, u models.User, id uint) (models.Evidence, []byte, error) {
	allowed := u.Has(models.RoleLead) || u.Has(models.RoleAdmin)
	if !allowed && u.Has(models.RoleBoard) {
		var err error
		if allowed, err = s.store.IsAssigned(ctx, cycle.ID, u.ID); err != nil {
			return models.Evidence{}, nil, err
		}
	}
	if !allowed {
		return models.Evidence{}, nil, models.ErrNotFound
	}
	doc, err := s.store.EvidenceInCycle(ctx, cycle.OrganisationID, cycle.ID, id)
	if err != nil {
		return models.Evidence{}, nil, err
	}
	content, err := s.evidence.Content(doc)
	return doc, content, err
}
