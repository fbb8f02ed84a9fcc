package workbook

import (
	"fmt"
	"reflect"
	"testing"
)

// Scan reads what Records reads: the same rows (blank ones skipped, by the
// schema's columns only), lines and trimmed values, columns found by
// header regardless of accents and case, a missing column read as "".
func TestScanReadsAsRecords(t *testing.T) {
	tb := NewTable(Notificaciones, [][]any{
		{"ID", "fecha", "Caso", "Nota de una persona", "ESTADO", "Ultimo error"},
		{" N1 ", "2026-03-02 08:00:00", 7.0, "mía", "Pendiente", ""},
		{"", "", "", "solo la columna de una persona", "", ""},
		{"N2", "", "", "", "Enviado"},
		{},
		{"N3"},
	})
	// Each row as the values of every schema column, in order.
	flat := func(line int, get func(string) string) []string {
		out := []string{fmt.Sprint(line)}
		for _, c := range tb.Tab.Columns {
			out = append(out, get(c.Name))
		}
		return out
	}
	var got, want [][]string
	var recs []Record
	tb.Scan(func(line int, get func(string) string) {
		got = append(got, flat(line, get))
		recs = append(recs, Record{Line: line, Values: map[string]string{"ID": get("ID"), "Último error": get("Último error")}})
	})
	for _, r := range tb.Records() {
		want = append(want, flat(r.Line, r.Get))
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Scan read\n%q\nRecords read\n%q", got, want)
	}
	got0 := recs
	if len(got0) != 3 || got0[0].Get("ID") != "N1" || got0[0].Get("Último error") != "" || got0[2].Line != 6 {
		t.Fatalf("unexpected rows: %v", got0)
	}
}
