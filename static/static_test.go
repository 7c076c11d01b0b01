package static

import (
	"io"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// css fetches one stylesheet through the handler, as a browser would.
func css(t *testing.T, a *Assets, name string) string {
	t.Helper()
	rec := httptest.NewRecorder()
	a.ServeHTTP(rec, httptest.NewRequest("GET", a.Path(name), nil))
	if rec.Code != 200 {
		t.Fatalf("GET %s: %d", a.Path(name), rec.Code)
	}
	b, _ := io.ReadAll(rec.Body)
	return string(b)
}

var outside = regexp.MustCompile(`url\((["']?)(https?:)?//`)

// TestNoAssetPointsOutsideTheServer: by default, nothing a page loads asks
// another host for anything (NHS.UK frontend's fonts come from
// assets.nhs.uk, which stalls pages on a network without internet).
func TestNoAssetPointsOutsideTheServer(t *testing.T) {
	a, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"nhsuk/nhsuk-frontend.min.css", "app/app.css"} {
		if body := css(t, a, name); outside.MatchString(body) {
			t.Errorf("%s refers to another host: %s", name, outside.FindString(body))
		} else if strings.Contains(body, "@font-face") {
			t.Errorf("%s declares a font face with no font to load", name)
		}
	}
}

// TestFontURLServesTheFontsFromIt: a deployment that sets a font address
// gets NHS.UK's font faces from there, and a new fingerprint.
func TestFontURLServesTheFontsFromIt(t *testing.T) {
	plain, _ := New()
	a, err := NewWithFonts("https://fonts.example.nhs.uk/frutiger/")
	if err != nil {
		t.Fatal(err)
	}
	body := css(t, a, "nhsuk/nhsuk-frontend.min.css")
	if !strings.Contains(body, "url(https://fonts.example.nhs.uk/frutiger/FrutigerLTW01-55Roman.woff2)") {
		t.Error("the font faces do not load from the font address")
	}
	if strings.Contains(body, "assets.nhs.uk") {
		t.Error("the stylesheet still names assets.nhs.uk")
	}
	if a.Path("nhsuk/nhsuk-frontend.min.css") == plain.Path("nhsuk/nhsuk-frontend.min.css") {
		t.Error("the changed stylesheet keeps the fingerprint of the unchanged one")
	}
	if _, err := NewWithFonts("ftp://fonts.example/"); err == nil {
		t.Error("a font address that is not http(s) is accepted")
	}
}
