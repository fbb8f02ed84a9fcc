package report

import "testing"

func TestExcelText(t *testing.T) {
	for in, want := range map[string]string{
		"=HYPERLINK(\"http://x\")": "'=HYPERLINK(\"http://x\")",
		"+57 1 3770000":            "'+57 1 3770000",
		"-2+3":                     "'-2+3",
		"@SUM(A1)":                 "'@SUM(A1)",
		"\t=1":                     "'\t=1",
		"-2,5":                     "-2,5",
		"85,0":                     "85,0",
		"Oportunidad":              "Oportunidad",
		"":                         "",
	} {
		if got := ExcelText(in); got != want {
			t.Errorf("ExcelText(%q) = %q, want %q", in, got, want)
		}
	}
}
