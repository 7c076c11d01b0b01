package handlers

import (
	"archive/zip"
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"nhs-digital-maturity/models"
)

// TestAdviceNeverCountsTowardsQuorumOrSpread: a colleague asked for advice
// sees only that question and answers it; the advice is shown beside the
// board's answers and changes neither the spread nor the quorum.
func TestAdviceNeverCountsTowardsQuorumOrSpread(t *testing.T) {
	m := newMaturityApp(t)
	ctx := context.Background()
	expert := m.user(m.org, "expert@home.test", models.RoleStaff)
	cycle := m.openCycle(t)
	wantStatus(t, m.lead.post(cycle+"/assignments", url.Values{"assign-safe-practice": {itoa(m.annID), itoa(m.bobID)}}), http.StatusSeeOther)
	form := m.sectionForm("safe-practice", 2, "Our DSPT return")
	form.Set("next", "later")
	wantStatus(t, m.ann.post(cycle+"/sections/safe-practice", form), http.StatusSeeOther)

	// Ann asks the expert about safe-practice-2; the board is not offered.
	ask := m.ann.get(cycle + "/advice/new?question=safe-practice-2")
	wantStatus(t, ask, http.StatusOK)
	wantContains(t, ask, "Person expert@home.test")
	if strings.Contains(ask.body, ">Person bob@home.test") {
		t.Error("a board member is offered as a colleague to ask")
	}
	res := m.ann.post(cycle+"/advice", url.Values{"question": {"safe-practice-2"}, "adviser": {itoa(m.bobID)}})
	wantRefused(t, res, "Select the colleague to ask")
	// Ann is not assigned well-led, so she cannot ask about it.
	wantStatus(t, m.ann.get(cycle+"/advice/new?question=well-led-1"), http.StatusForbidden)
	wantStatus(t, m.ann.post(cycle+"/advice", url.Values{"question": {"safe-practice-2"}, "adviser": {itoa(expert.ID)}}), http.StatusSeeOther)

	colleague := m.signedIn("expert@home.test")
	home := colleague.get("/")
	link := regexp.MustCompile(`href="(/advice/\d+)"`).FindStringSubmatch(home.body)
	if link == nil {
		t.Fatalf("the colleague's home page has no request:\n%s", home.body)
	}
	page := colleague.get(link[1])
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page, "Data Security and Protection Toolkit compliance", "asked by Person ann@home.test")
	if strings.Contains(page.body, "Our DSPT return") || strings.Contains(page.body, "safe-practice-1") {
		t.Error("the colleague sees more than the one question")
	}
	// Nobody else opens it, not even the lead.
	wantStatus(t, m.lead.get(link[1]), http.StatusNotFound)
	wantStatus(t, m.bob.get(link[1]), http.StatusNotFound)
	res = colleague.post(link[1], url.Values{"level": {"5"}})
	wantRefused(t, res, "Enter your comment")
	wantStatus(t, colleague.post(link[1], url.Values{"level": {"5"}, "comment": {"Pen test passed in May"}}), http.StatusSeeOther)

	// The review: Ann alone answered (2), so the spread is 2 to 2 from one
	// answer and the quorum of 2 is not met, whatever the advice says.
	review := m.lead.get(cycle + "/review/safe-practice")
	wantContains(t, review, "Person expert@home.test, asked by Person ann@home.test: Level 5. Pen test passed in May",
		"Lowest 2, highest 2, mean 2.0 from 1 answer", "1 of the 2 assigned board members needed has answered.")
	c, _ := m.store.CycleInOrganisation(ctx, m.org.ID, cycleID(t, cycle))
	two := 2
	err := m.store.SaveAgreed(ctx, c, []models.AgreedChange{{SectionCode: "safe-practice", QuestionCode: "safe-practice-2", Level: &two}}, 0)
	var short *models.QuorumError
	if !asQuorum(err, &short) {
		t.Errorf("advice counted towards the quorum: %v", err)
	}
	sec, _ := m.fw.Section("safe-practice")
	if strings.Contains(review.body, "Spread of 2 levels or more") {
		t.Errorf("advice of level 5 made a spread in %s", sec.Label)
	}
}

func asQuorum(err error, target **models.QuorumError) bool {
	q, ok := err.(*models.QuorumError)
	if ok {
		*target = q
	}
	return ok
}

// uploadEvidence posts a document for one question of a section.
func (c *client) uploadEvidence(path, question, fileName string, content []byte) response {
	c.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField(csrfField, c.csrf())
	w.WriteField("question", question)
	fw, _ := w.CreateFormFile("file", fileName)
	fw.Write(content)
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, c.app.http.URL+path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

// docx is a minimal Word file: a ZIP with the parts Word needs.
func docx(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml"} {
		f, _ := z.Create(name)
		f.Write([]byte("<x/>"))
	}
	z.Close()
	return b.Bytes()
}

// TestEvidenceDocuments: documents are checked by content, at most 10 MB,
// and only the lead, admins and the cycle's board members download them.
func TestEvidenceDocuments(t *testing.T) {
	m := newMaturityApp(t)
	ctx := context.Background()
	m.user(m.org, "admin@home.test", models.RoleAdmin)
	m.user(m.org, "carol@home.test", models.RoleBoard) // on the board, not in this cycle
	m.user(m.org, "staff2@home.test", models.RoleStaff)
	other := m.organisation("Other Trust", "OTH", models.KindAcute)
	m.user(other, "lead@other.test", models.RoleLead)
	m.user(other, "board@other.test", models.RoleBoard)
	cycle := m.openCycle(t)
	wantStatus(t, m.lead.post(cycle+"/assignments", url.Values{"assign-well-led": {itoa(m.annID)}}), http.StatusSeeOther)
	upload := cycle + "/sections/well-led/evidence"

	// A Windows program renamed to .pdf is refused by its content.
	res := m.ann.uploadEvidence(upload, "well-led-1", "board-paper.pdf", append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 100)...))
	wantRefused(t, res, "There is a problem", "must be a PDF, Word, Excel, PowerPoint, PNG or JPEG file", `href="#evidence-file"`)
	// A ZIP that is not an Office file is refused too.
	var plain bytes.Buffer
	z := zip.NewWriter(&plain)
	f, _ := z.Create("readme.txt")
	f.Write([]byte("hello"))
	z.Close()
	wantStatus(t, m.ann.uploadEvidence(upload, "well-led-1", "notes.docx", plain.Bytes()), http.StatusUnprocessableEntity)
	// Over 10 MB: refused with a clear message, not a 500 or a bare 413.
	big := append([]byte("%PDF-1.4\n"), make([]byte, 10<<20)...)
	res = m.ann.uploadEvidence(upload, "well-led-1", "big.pdf", big)
	wantRefused(t, res, "The document must be 10 MB or smaller")
	// A question of another section is refused.
	wantStatus(t, m.ann.uploadEvidence(upload, "safe-practice-1", "a.pdf", []byte("%PDF-1.4\n")), http.StatusUnprocessableEntity)
	if docs, _ := m.store.CycleEvidence(ctx, m.org.ID, cycleID(t, cycle)); len(docs) != 0 {
		t.Fatalf("refused uploads were stored: %+v", docs)
	}

	pdf := []byte("%PDF-1.4\n% a board paper\n")
	wantStatus(t, m.ann.uploadEvidence(upload, "well-led-1", `Board "paper".pdf`, pdf), http.StatusSeeOther)
	wantStatus(t, m.ann.uploadEvidence(upload, "well-led-2", "strategy.docx", docx(t)), http.StatusSeeOther)
	// Bob is on the board but not assigned well-led: he cannot upload there.
	wantStatus(t, m.bob.uploadEvidence(upload, "well-led-1", "x.pdf", pdf), http.StatusForbidden)

	docs, _ := m.store.CycleEvidence(ctx, m.org.ID, cycleID(t, cycle))
	if len(docs) != 2 || docs[1].ContentType != "application/vnd.openxmlformats-officedocument.wordprocessingml.document" {
		t.Fatalf("documents stored: %+v", docs)
	}
	doc := cycle + "/evidence/" + itoa(docs[0].ID)
	wantContains(t, m.ann.get(cycle+"/sections/well-led"), `href="`+doc+`"`)
	wantContains(t, m.lead.get(cycle+"/review/well-led"), `href="`+doc+`"`)

	for _, who := range []string{"ann@home.test", "lead@home.test", "admin@home.test"} {
		res := m.signedIn(who).get(doc)
		wantStatus(t, res, http.StatusOK)
		if res.body != string(pdf) || res.header.Get("Content-Type") != "application/pdf" ||
			res.header.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.HasPrefix(res.header.Get("Content-Disposition"), `attachment; filename="Board paper.pdf"`) {
			t.Errorf("%s downloads %q with headers %v", who, res.body, res.header)
		}
	}
	// Anyone else: not found, as if there were no such document.
	for _, who := range []string{"carol@home.test", "staff2@home.test", "lead@other.test", "board@other.test"} {
		wantStatus(t, m.signedIn(who).get(doc), http.StatusNotFound)
	}

	// The exports and the results list the documents by name.
	wantContains(t, m.lead.get(cycle+"/results"), "Board paper.pdf", "strategy.docx")
	csv := m.lead.get(cycle + "/results.csv")
	wantContains(t, csv, "Board paper.pdf (Person ann@home.test)", "strategy.docx")
}

// TestEvidenceKeptInAFolder: with EVIDENCE_DIR the content is a file there,
// not in the database, and still downloads.
func TestEvidenceKeptInAFolder(t *testing.T) {
	dir := t.TempDir()
	app := newTestAppWith(t, func(c *Config) { c.EvidenceDir = dir })
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	app.user(org, "lead@home.test", models.RoleLead)
	ann := app.user(org, "ann@home.test", models.RoleBoard)
	cycle := app.newCycle(t, org, "2026/27", time.Now().AddDate(0, 3, 0))
	if err := app.store.SetAssignments(context.Background(), cycle, map[string][]uint{"well-led": {ann.ID}}, 0); err != nil {
		t.Fatal(err)
	}
	path := "/maturity/cycles/" + itoa(cycle.ID)
	png := []byte("\x89PNG\r\n\x1a\n rest of a picture")
	wantStatus(t, app.signedIn("ann@home.test").uploadEvidence(path+"/sections/well-led/evidence", "well-led-1", "chart.png", png), http.StatusSeeOther)
	docs, _ := app.store.CycleEvidence(context.Background(), org.ID, cycle.ID)
	if len(docs) != 1 || docs[0].StoredPath == "" {
		t.Fatalf("not kept in the folder: %+v", docs)
	}
	full, _ := app.store.EvidenceInCycle(context.Background(), org.ID, cycle.ID, docs[0].ID)
	if len(full.Content) != 0 {
		t.Error("the content is in the database too")
	}
	res := app.signedIn("lead@home.test").get(path + "/evidence/" + itoa(docs[0].ID))
	wantStatus(t, res, http.StatusOK)
	if res.body != string(png) || res.header.Get("Content-Type") != "image/png" {
		t.Errorf("download: %q %v", res.body, res.header)
	}
}
