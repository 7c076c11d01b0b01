package handlers

import "testing"

// TestLowerFirstKeepsNames: a label lower-cased to sit inside a sentence
// keeps the capitals of a name ("Data Security and Protection Toolkit")
// and of an acronym, and lowers an ordinary first word.
func TestLowerFirstKeepsNames(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Data Security and Protection Toolkit compliance", "Data Security and Protection Toolkit compliance"},
		{"NHS App adoption", "NHS App adoption"},
		{"Cyber security training", "cyber security training"},
		{"Board leadership of the NHS App", "board leadership of the NHS App"},
		{"Governance", "governance"},
		{"", ""},
	} {
		if got := lowerFirst(tc.in); got != tc.want {
			t.Errorf("lowerFirst(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
