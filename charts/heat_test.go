package charts

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestHeatAgreesWithTheStylesheet checks that the colours the PDF's
// heatmap fills its cells with are the ones app.css gives the page's
// heatmap cells of the same class.
func TestHeatAgreesWithTheStylesheet(t *testing.T) {
	css, err := os.ReadFile("../static/app/app.css")
	if err != nil {
		t.Fatal(err)
	}
	rule := regexp.MustCompile(`\.(app-heat--\d) \{ background-color: (#[0-9a-f]{6}); color: (#[0-9a-f]{6}); \}`)
	styles := map[string][2]string{}
	for _, m := range rule.FindAllStringSubmatch(string(css), -1) {
		styles[m[1]] = [2]string{m[2], m[3]}
	}
	if len(styles) != 5 {
		t.Fatalf("app.css has %d heatmap shades, want 5: %v", len(styles), styles)
	}
	for _, tc := range []struct {
		gap   float64
		class string
	}{
		{-0.3, "app-heat--0"}, {0, "app-heat--0"}, {0.2, "app-heat--0"}, {0.25, "app-heat--1"}, {0.4, "app-heat--1"},
		{0.5, "app-heat--2"}, {0.7, "app-heat--2"}, {0.75, "app-heat--3"}, {0.9, "app-heat--3"},
		{1, "app-heat--4"}, {2.5, "app-heat--4"},
	} {
		h := HeatOf(tc.gap)
		if h.Class != tc.class || HeatClass(tc.gap) != tc.class {
			t.Errorf("gap %v: class %q, want %q", tc.gap, h.Class, tc.class)
		}
		if want := styles[tc.class]; !strings.EqualFold(h.Fill, want[0]) || !strings.EqualFold(h.Text, want[1]) {
			t.Errorf("gap %v: the PDF's colours %s on %s, the page's %s on %s", tc.gap, h.Text, h.Fill, want[1], want[0])
		}
	}
	if r, g, b := RGB("#41709e"); r != 0x41 || g != 0x70 || b != 0x9e {
		t.Errorf("RGB(#41709e) = %d, %d, %d", r, g, b)
	}
}
