package validation

import (
	"strconv"
	"strings"
	"time"
)

// Date reads the three boxes of an NHS date input, as typed. The problem,
// if any, is said with label ("due date", "date of the board meeting").
func Date(day, month, year, label string) (time.Time, string) {
	if day == "" && month == "" && year == "" {
		return time.Time{}, "Enter the " + label
	}
	unreal := strings.ToUpper(label[:1]) + label[1:] + " must be a real date, like 31 3 2027"
	d, errD := strconv.Atoi(day)
	m, errM := strconv.Atoi(month)
	y, errY := strconv.Atoi(year)
	if errD != nil || errM != nil || errY != nil || len(year) != 4 {
		return time.Time{}, unreal
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d || int(t.Month()) != m || y < 2000 || y > 2100 {
		return time.Time{}, unreal
	}
	return t, ""
}
