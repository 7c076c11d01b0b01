package charts

// Heat is the shade of one heatmap cell, a mean gap: the class the page's
// heatmap table gives the cell (app.css colours it) and the same colours,
// with which the PDF's heatmap table fills the cell. Both outputs take
// the shade from here, so a gap has one shade.
type Heat struct {
	Class string // e.g. "app-heat--2"
	Fill  string // background, #rrggbb, as app.css gives Class
	Text  string // text colour on it
}

// HeatOf bins a mean gap: below 0.25, 0.5, 0.75, 1, and 1 or more.
func HeatOf(gap float64) Heat {
	switch {
	case gap < 0.25:
		return Heat{"app-heat--0", "#f0f4f5", chartText}
	case gap < 0.5:
		return Heat{"app-heat--1", "#d6e6f5", chartText}
	case gap < 0.75:
		return Heat{"app-heat--2", "#9fc4e8", chartText}
	case gap < 1.0:
		return Heat{"app-heat--3", "#41709e", "#ffffff"}
	}
	return Heat{"app-heat--4", "#003087", "#ffffff"}
}

// HeatClass is the class of a mean gap's cell in the page's heatmap.
func HeatClass(gap float64) string { return HeatOf(gap).Class }

// RGB is a #rrggbb colour's red, green and blue.
func RGB(hex string) (r, g, b int) { return rgb(hex) }
