package report

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/procedure"
)

// Issue 14 item 9: the "dentro del ANS" bars are scaled by percentage (a
// service with 2 cases both in time is as long as one with 50), and no
// value label runs past the chart's edge.
func TestSLABarsByPercentage(t *testing.T) {
	due := time.Date(2026, 3, 10, 17, 0, 0, 0, bogota)
	var fs []*procedure.Case
	add := func(service string, in, out int) {
		for i := 0; i < in+out; i++ {
			closed := due.Add(-time.Hour)
			if i >= in {
				closed = due.Add(time.Hour)
			}
			fs = append(fs, &procedure.Case{Service: service, Due: due, Solved: closed})
		}
	}
	add("Redes", 40, 10)
	add("Telefonía", 2, 0)
	add("Copias de seguridad", 1, 3)
	bars := slaBars(fs)
	for _, b := range bars {
		if total(b) != 100 {
			t.Errorf("%s: segments add up to %v, want 100", b.Label, total(b))
		}
	}
	if bars[0].Label != "Redes" || bars[0].Note != "80 %" || bars[1].Note != "25 %" || bars[2].Note != "100 %" {
		t.Errorf("bars = %+v, want by number of cases with their share in the ANS", bars)
	}
	bars[1].Note = "25 % (1 de 4 casos, una nota larga)"
	svg := string(hbars("ANS", bars))
	width, _ := strconv.ParseFloat(regexp.MustCompile(`viewBox="0 0 (\d+)`).FindStringSubmatch(svg)[1], 64)
	rowEnd := map[string]float64{}
	for _, r := range regexp.MustCompile(`<rect x="([\d.]+)" y="(\d+)" width="([\d.]+)"`).FindAllStringSubmatch(svg, -1) {
		x, _ := strconv.ParseFloat(r[1], 64)
		w, _ := strconv.ParseFloat(r[3], 64)
		rowEnd[r[2]] = max(rowEnd[r[2]], x+w)
	}
	ends := map[float64]bool{}
	for _, e := range rowEnd {
		ends[e] = true
	}
	if len(ends) != 1 {
		t.Errorf("bars of 100 %% end at different places: %v", rowEnd)
	}
	for _, m := range regexp.MustCompile(`<text x="([\d.]+)" y="\d+" class="val">([^<]*)</text>`).FindAllStringSubmatch(svg, -1) {
		x, _ := strconv.ParseFloat(m[1], 64)
		if end := x + float64(len([]rune(m[2])))*7; end > width {
			t.Errorf("value label %q ends at %.0f, past the chart's width %.0f", m[2], end, width)
		}
	}
	if !strings.Contains(svg, "25 % (1 de 4 casos, una nota larga)") {
		t.Error("a value label was cut")
	}
}
