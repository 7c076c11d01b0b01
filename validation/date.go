package validation

import (
	"strconv"
	"strings"
	"time"
)

// Date reads the three boxes of an NHS date input; label names the date in
// the message, like "start date".
func Date(day, month, year, label string) (time.Time, string) {
	if day == "" && month == "" && year == "" {
		return time.Time{}, "Enter the " + label
	}
	d, errD := strconv.Atoi(day)
	m, errM := strconv.Atoi(month)
	y, errY := strconv.Atoi(year)
	if errD != nil || errM != nil || errY != nil || len(year) != 4 {
		return time.Time{}, strings.ToUpper(label[:1]) + label[1:] + " must be a real date, like 31 3 2027"
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d || int(t.Month()) != m || y < 2000 || y > 2100 {
		return time.Time{}, strings.ToUpper(label[:1]) + label[1:] + " must be a real date, like 31 3 2027"
	}
	return t, ""
}
