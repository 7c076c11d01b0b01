package validation

import (
	"testing"
	"time"
)

func TestDate(t *testing.T) {
	for _, c := range []struct {
		day, month, year string
		want             time.Time
		problem          string
	}{
		{"31", "3", "2027", time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC), ""},
		{"", "", "", time.Time{}, "Enter the start date"},
		{"31", "2", "2027", time.Time{}, "Start date must be a real date, like 31 3 2027"},
		{"1", "1", "27", time.Time{}, "Start date must be a real date, like 31 3 2027"},
		{"1", "1", "1999", time.Time{}, "Start date must be a real date, like 31 3 2027"},
		{"x", "1", "2027", time.Time{}, "Start date must be a real date, like 31 3 2027"},
	} {
		got, problem := Date(c.day, c.month, c.year, "start date")
		if !got.Equal(c.want) || problem != c.problem {
			t.Errorf("Date(%q, %q, %q) = %v, %q; want %v, %q", c.day, c.month, c.year, got, problem, c.want, c.problem)
		}
	}
}
