// Package static embeds the service's CSS, JavaScript and images (NHS.UK
// frontend, vendored from npm by `make assets`) and serves them with
// fingerprinted names so that browsers may cache them for a year.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strings"
)

//go:embed nhsuk app images
var files embed.FS

// Prefix is the URL path under which assets are served.
const Prefix = "/static/"

// Assets knows each file's fingerprinted name.
type Assets struct {
	byName  map[string]string // "app/app.css" -> "app/app.3f2a9c1e.css"
	byHash  map[string]string // the reverse
	etags   map[string]string
	content map[string][]byte // files changed at start (the fonts), by plain name
}

// nhsukCSS is NHS.UK frontend's stylesheet, whose font faces load the
// Frutiger files from nhsukFonts.
const (
	nhsukCSS   = "nhsuk/nhsuk-frontend.min.css"
	nhsukFonts = "https://assets.nhs.uk/fonts/"
)

var fontFace = regexp.MustCompile(`@font-face\{[^}]*\}`)

// ErrFontURL is a font address that is not an absolute http(s) address.
var ErrFontURL = errors.New("the font address must be an absolute http or https address, such as https://assets.nhs.uk/fonts/")

// New reads every embedded file once and computes its fingerprint. No
// file refers to another host: NHS.UK frontend's font faces are left out,
// so pages use the fallback fonts (Arial, sans-serif) and never wait for
// a font host that a network without internet cannot reach.
func New() (*Assets, error) { return NewWithFonts("") }

// NewWithFonts is New with NHS.UK frontend's font faces loading the
// Frutiger files (FrutigerLTW01-55Roman.woff2 and the like) from fontURL,
// a folder's address; "" leaves them out.
func NewWithFonts(fontURL string) (*Assets, error) {
	nhsuk, err := files.ReadFile(nhsukCSS)
	if err != nil {
		return nil, err
	}
	if fontURL == "" {
		nhsuk = fontFace.ReplaceAll(nhsuk, nil)
	} else {
		u, err := url.Parse(fontURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, ErrFontURL
		}
		if !strings.HasSuffix(fontURL, "/") {
			fontURL += "/"
		}
		nhsuk = []byte(strings.ReplaceAll(string(nhsuk), nhsukFonts, fontURL))
	}
	a := &Assets{byName: map[string]string{}, byHash: map[string]string{}, etags: map[string]string{},
		content: map[string][]byte{nhsukCSS: nhsuk}}
	err = fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := a.read(name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		short := hex.EncodeToString(sum[:])[:12]
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + short + ext
		a.byName[name] = hashed
		a.byHash[hashed] = name
		a.etags[name] = `"` + short + `"`
		return nil
	})
	return a, err
}

// Path returns the URL of an asset by its plain name, fingerprinted. An
// unknown name returns the plain path, so a typo shows as a 404 in tests.
func (a *Assets) Path(name string) string {
	if hashed, ok := a.byName[name]; ok {
		return Prefix + hashed
	}
	return Prefix + name
}

// ServeHTTP serves fingerprinted names as immutable for a year and plain
// names (used by the CSS for its images and by module imports) for an hour.
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, Prefix)
	cache := "public, max-age=31536000, immutable"
	if plain, ok := a.byHash[name]; ok {
		name = plain
	} else {
		cache = "public, max-age=3600"
	}
	b, err := a.read(name)
	if err != nil || name == "" || strings.HasSuffix(name, "/") {
		http.NotFound(w, r)
		return
	}
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	w.Header().Set("Cache-Control", cache)
	w.Header().Set("ETag", a.etags[name])
	if match := r.Header.Get("If-None-Match"); match != "" && match == a.etags[name] {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Write(b)
}

// read returns a file as served: changed at start, or as embedded.
func (a *Assets) read(name string) ([]byte, error) {
	if b, ok := a.content[name]; ok {
		return b, nil
	}
	return files.ReadFile(name)
}
