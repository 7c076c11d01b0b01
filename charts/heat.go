package charts

// HeatClass bins a mean gap for the heatmap colours in app.css: the page's
// heatmap is a table whose cells carry these classes.
func HeatClass(gap float64) string {
	switch {
	case gap < 0.25:
		return "app-heat--0"
	case gap < 0.5:
		return "app-heat--1"
	case gap < 0.75:
		return "app-heat--2"
	case gap < 1.0:
		return "app-heat--3"
	}
	return "app-heat--4"
}
