package reports

import (
	"io"
	"strings"
	"testing"
)

// pdfOutOfRange mixes text the fonts draw with characters they cannot: an
// emoji (astral), CJK, a symbol and a private-use character.
const pdfOutOfRange = "Café 😀 東京 ✓ \U0010FFFD end"

// TestPDFTextOutsideTheFonts renders names, evidence and actions with
// characters Liberation Sans has no glyph for: the reports must still be
// made, keeping every character the font has and marking the others.
func TestPDFTextOutsideTheFonts(t *testing.T) {
	pdftNeedPoppler(t)
	board := pdfTestBoard()
	board.Organisation = "Trust " + pdfOutOfRange
	board.Sections[0].Questions[0].Evidence = "Evidence " + pdfOutOfRange
	board.Actions[0].Title = "Action " + pdfOutOfRange
	board.Actions[0].Owner = "Owner 👩‍⚕️"
	path, _ := pdftWrite(t, func(w io.Writer) error { return BoardPDF(w, board) })
	text := pdftNorm(pdftRaw(t, path))
	for _, want := range []string{"Trust Café □ □ □ □ end", "Evidence Café □ □ □ □ end", "Action Café □ □ □ □ end", "Owner □"} {
		if !strings.Contains(text, pdftNorm(want)) {
			t.Errorf("board report lacks %q", want)
		}
	}
	if strings.Contains(text, "😀") || strings.Contains(text, "東") {
		t.Errorf("board report claims to draw a character the font lacks")
	}

	personal := pdfTestPersonal()
	personal.Name = "Priya 😀 Shah 東京"
	personal.Priorities[0].Learning[0].Title = "Course ✓ " + pdfOutOfRange
	path, _ = pdftWrite(t, func(w io.Writer) error { return PersonalPDF(w, personal) })
	text = pdftNorm(pdftRaw(t, path))
	for _, want := range []string{"Priya □ Shah □", "Course □ Café □ □ □ □ end"} {
		if !strings.Contains(text, pdftNorm(want)) {
			t.Errorf("personal report lacks %q", want)
		}
	}
}

func TestPDFDrawable(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Plain text, £5 – ‘quoted’ é ß", "Plain text, £5 – ‘quoted’ é ß"},
		{"emoji 😀 here", "emoji □ here"},
		{"nurse 👩‍⚕️ and", "nurse □ and"},
		{"東京", "□"},
		{"nul\x00 and bad \xff\xfe bytes", "nul□ and bad □ bytes"},
		{"two\nlines", "two\nlines"},
		{"astral \U0010FFFD", "astral □"},
	} {
		if got := pdfDrawable(tc.in); got != tc.want {
			t.Errorf("pdfDrawable(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	cov, err := pdfGlyphs()
	if err != nil {
		t.Fatal(err)
	}
	if !cov.has(pdfReplacement) || !cov.has('A') || !cov.has('€') {
		t.Errorf("font coverage lacks the replacement mark or basic letters")
	}
	if cov.has('\uFFFD') {
		t.Errorf("the font now has U+FFFD: use it as the replacement")
	}
}
