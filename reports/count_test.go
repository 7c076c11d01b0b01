package reports

import (
	"testing"

	"github.com/xuri/excelize/v2"
)

// A count is a whole number in both formats: "12" in CSV, never "12.0",
// and a number cell shown without decimals in XLSX.
func TestCountCells(t *testing.T) {
	tab := Table{Name: "People", Columns: []string{"Group", "People", "Mean"},
		Rows: [][]Cell{{Text("Nursing"), Count(12), Number(2.5)}, {Text("Estates"), Count(0), Number(3)}}}

	if got, want := csvString(t, tab), "\ufeffGroup,People,Mean\r\nNursing,12,2.5\r\nEstates,0,3.0\r\n"; got != want {
		t.Errorf("CSV\n got %q\nwant %q", got, want)
	}

	f := openXLSX(t, tab)
	sheet := f.GetSheetList()[0]
	for ref, want := range map[string]string{"B2": "12", "B3": "0"} {
		shown, err := f.GetCellValue(sheet, ref)
		if err != nil || shown != want {
			t.Errorf("%s shows %q (%v), want %q", ref, shown, err, want)
		}
		raw, _ := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
		if raw != want {
			t.Errorf("%s holds %q, want the number %s", ref, raw, want)
		}
		if kind, _ := f.GetCellType(sheet, ref); kind != excelize.CellTypeNumber && kind != excelize.CellTypeUnset {
			t.Errorf("%s is of type %v, want a number", ref, kind)
		}
	}
	if shown, _ := f.GetCellValue(sheet, "C3"); shown != "3.0" {
		t.Errorf("a mean beside a count shows %q, want 3.0", shown)
	}
}
