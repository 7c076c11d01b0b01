package handlers

import "nhs-digital-maturity/charts"

// barPlotW is the width of a full bar on the bar charts, with which the
// attack tests turn a bar's width back into the value it shows.
const barPlotW = charts.BarPlotWidth
