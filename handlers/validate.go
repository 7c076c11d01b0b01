package handlers

import (
	"nhs-digital-maturity/validation"

	"github.com/labstack/echo/v4"
)

// textFieldProblem checks a free-text field of a field form: the input rule
// first (textRule), then textProblem.
func textFieldProblem(c echo.Context, field, value, label string, required bool, max int) string {
	if p := textRule(c, field, label); p != "" {
		return p
	}
	return validation.TextProblem(value, label, required, max)
}
