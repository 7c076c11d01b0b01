package models_test

import (
	"testing"
	"time"

	"nhs-digital-maturity/models"
)

func TestFinancialYear(t *testing.T) {
	tests := []struct {
		date string
		want string
	}{
		{"2026-03-31", "2025/26"}, // the last day of the year that began in April 2025
		{"2026-04-01", "2026/27"}, // the first day of the next
		{"2027-01-15", "2026/27"},
		{"2099-12-31", "2099/00"}, // two digits, so the century wraps
	}
	for _, tt := range tests {
		d, _ := time.Parse("2006-01-02", tt.date)
		if got := models.FinancialYear(d); got != tt.want {
			t.Errorf("FinancialYear(%s) = %s, want %s", tt.date, got, tt.want)
		}
	}
}
