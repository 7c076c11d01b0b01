package handlers

import (
	"html/template"
	"time"

	"nhs-digital-maturity/charts"
	"nhs-digital-maturity/maturity"
	"nhs-digital-maturity/models"
)

// signOffText says which board meeting approved a submitted cycle.
func signOffText(c models.MaturityCycle) string { return maturity.SignOffText(c, ukDate) }

// ukDate is a date as pages show it.
func ukDate(t time.Time) string { return formatDate(t) }

func fileSizeText(n int64) string { return maturity.FileSize(n) }

func canReadReport(u models.User, cycle models.MaturityCycle) bool {
	return maturity.CanReadReport(u, cycle)
}

// trendChart draws one small line chart per success measure, and one for
// the overall score, over the cycles of the trend (see
// maturity.Results.TrendLines, which the board report draws too).
func trendChart(d resultsData) template.HTML {
	if len(d.Trend) < 2 {
		return ""
	}
	return charts.Trend(d.TrendLines())
}
