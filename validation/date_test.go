package validation

import (
	"testing"
	"time"
)

func TestDate(t *testing.T) {
	for _, tc := range []struct {
		day, month, year string
		want             time.Time
		problem          string
	}{
		{"31", "3", "2027", time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC), ""},
		{"1", "12", "2000", time.Date(2000, 12, 1, 0, 0, 0, 0, time.UTC), ""},
		{"", "", "", time.Time{}, "Enter the due date"},
		{"29", "2", "2027", time.Time{}, "Due date must be a real date, like 31 3 2027"},
		{"1", "13", "2027", time.Time{}, "Due date must be a real date, like 31 3 2027"},
		{"1", "1", "27", time.Time{}, "Due date must be a real date, like 31 3 2027"},
		{"1", "1", "1999", time.Time{}, "Due date must be a real date, like 31 3 2027"},
		{"one", "1", "2027", time.Time{}, "Due date must be a real date, like 31 3 2027"},
	} {
		got, problem := Date(tc.day, tc.month, tc.year, "due date")
		if !got.Equal(tc.want) || problem != tc.problem {
			t.Errorf("Date(%q, %q, %q) = %v %q, want %v %q", tc.day, tc.month, tc.year, got, problem, tc.want, tc.problem)
		}
	}
}
