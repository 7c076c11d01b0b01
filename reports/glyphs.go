package reports

import (
	"encoding/binary"
	"errors"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// pdfReplacement stands in for characters the embedded fonts cannot draw
// (an emoji, CJK, a control character, bytes that are not UTF-8). Liberation
// Sans has no U+FFFD, but it has U+25A1 WHITE SQUARE, the usual sign of a
// missing glyph, which cannot be mistaken for punctuation as "?" could.
const pdfReplacement = '\u25A1'

// pdfGlyphs is the set of characters both embedded fonts can draw: fpdf
// handles only the Basic Multilingual Plane, and a character outside the
// fonts made it fail (or panic) for the whole document.
var pdfGlyphs = sync.OnceValues(func() (*pdfCoverage, error) {
	fonts, err := pdfFonts()
	if err != nil {
		return nil, err
	}
	regular, err := ttfCoverage(fonts[0])
	if err != nil {
		return nil, err
	}
	bold, err := ttfCoverage(fonts[1])
	if err != nil {
		return nil, err
	}
	for i := range regular {
		regular[i] &= bold[i]
	}
	return regular, nil
})

// pdfCoverage is one bit per character of the Basic Multilingual Plane.
type pdfCoverage [0x10000 / 64]uint64

func (c *pdfCoverage) has(r rune) bool {
	return r >= 0 && r < 0x10000 && c[r/64]&(1<<(uint(r)%64)) != 0
}

func (c *pdfCoverage) add(r int) { c[r/64] |= 1 << (uint(r) % 64) }

// pdfDrawable returns s with every character the fonts cannot draw replaced
// by pdfReplacement, a run of them by one (an emoji made of several
// characters shows as one mark); line breaks and everything drawable are
// kept. Without the font coverage it keeps only ASCII, so a report is still
// made.
func pdfDrawable(s string) string {
	cov, err := pdfGlyphs()
	drawable := func(r rune) bool {
		switch {
		case r == '\n':
			return true
		case r < ' ' || (r >= 0x7f && r < 0xa0):
			return false // control characters: a font may map them to an empty glyph
		}
		if err != nil {
			return r >= ' ' && r < utf8.RuneSelf
		}
		return r != utf8.RuneError && cov.has(r)
	}
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !drawable(r) {
			break
		}
		i += size
	}
	if i == len(s) {
		return s // the common case: nothing to replace, nothing allocated
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	replaced := false
	for _, r := range s[i:] {
		joiner := unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Mn, r)
		switch {
		case replaced && joiner:
			// A joiner or variation selector inside an emoji sequence is
			// part of the mark already made.
		case drawable(r):
			b.WriteRune(r)
			replaced = false
		case !replaced:
			b.WriteRune(pdfReplacement)
			replaced = true
		}
	}
	return b.String()
}

var errNoCmap = errors.New("font has no Unicode BMP cmap (format 4)")

// ttfCoverage reads the characters a TrueType font maps to a glyph, from its
// Windows Unicode BMP cmap subtable (platform 3, encoding 1, format 4): the
// same table fpdf draws from.
func ttfCoverage(font []byte) (*pdfCoverage, error) {
	u16 := func(off int) int {
		if off < 0 || off+2 > len(font) {
			return -1
		}
		return int(binary.BigEndian.Uint16(font[off:]))
	}
	u32 := func(off int) int {
		if off < 0 || off+4 > len(font) {
			return -1
		}
		return int(binary.BigEndian.Uint32(font[off:]))
	}
	cmap := -1
	for i, n := 0, u16(4); i < n; i++ {
		rec := 12 + 16*i
		if rec+16 > len(font) {
			break
		}
		if string(font[rec:rec+4]) == "cmap" {
			cmap = u32(rec + 8)
		}
	}
	if cmap < 0 {
		return nil, errNoCmap
	}
	sub := -1
	for i, n := 0, u16(cmap+2); i < n; i++ {
		rec := cmap + 4 + 8*i
		if u16(rec) == 3 && u16(rec+2) == 1 {
			sub = cmap + u32(rec+4)
		}
	}
	if sub < 0 || u16(sub) != 4 {
		return nil, errNoCmap
	}
	segs := u16(sub+6) / 2
	ends, starts := sub+14, sub+16+2*segs
	deltas, rangeOffsets := starts+2*segs, starts+4*segs
	cov := new(pdfCoverage)
	for s := 0; s < segs; s++ {
		start, end := u16(starts+2*s), u16(ends+2*s)
		delta, ro := u16(deltas+2*s), u16(rangeOffsets+2*s)
		if start < 0 || end < 0 || delta < 0 || ro < 0 {
			return nil, errNoCmap
		}
		for c := start; c <= end && c < 0xFFFF; c++ {
			glyph := (c + delta) & 0xFFFF
			if ro != 0 {
				g := u16(rangeOffsets + 2*s + ro + 2*(c-start))
				if g <= 0 {
					continue
				}
				glyph = (g + delta) & 0xFFFF
			}
			if glyph != 0 {
				cov.add(c)
			}
		}
	}
	return cov, nil
}
