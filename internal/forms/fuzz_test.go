package forms_test

import (
	"bytes"
	"encoding/csv"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/forms"
	"github.com/funza-tic/mesa/internal/workspace"
)

// FuzzReadCSV feeds arbitrary bytes to the Forms CSV import: it must never
// panic, every response it returns has a timestamp, and what it read
// survives being written back as a CSV (RFC 3339 timestamps) and read again.
func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("Marca temporal,Dirección de correo electrónico,Nombre completo,Descripción de la solicitud\n" +
		"16/3/2026 8:02:11,jose@funza.gov.co,José Núñez,La impresora no imprime\n"))
	f.Add([]byte("\ufeffMarca temporal,Edificio\n2026-03-16T08:02:11-05:00,\"Palacio, piso 2\"\n,\n16/3/2026 8:02,x\n"))
	f.Add([]byte("Timestamp,Email Address,\"Descripción\"\n1/1/2026 0:00:00,a@b.c,\"=HYPERLINK(\"\"http://x\"\")\"\n31/2/2026 8:00:00,,\n"))
	f.Add([]byte("Marca temporal\n\"unterminated\n"))
	f.Add([]byte("Nombre,Marca temporal\n"))
	f.Add([]byte(""))
	loc := calendar.Bogota()
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := forms.ReadCSV(bytes.NewReader(data), loc)
		if err != nil {
			return // all or nothing: a refused file imports nothing
		}
		rs := file.Responses
		for _, r := range rs {
			if r.Submitted.IsZero() {
				t.Fatalf("response without a timestamp: %+v", r)
			}
			for title, v := range r.Answers {
				if title == "" {
					t.Fatalf("an answer kept under a blank title: %q", v) // a column without a title answers nothing
				}
				if v == "" || v != strings.TrimSpace(v) {
					t.Fatalf("answer %q = %q: want trimmed, non-empty", title, v)
				}
			}
		}
		if len(rs) == 0 || !roundTrips(rs) {
			return
		}
		titles := map[string]bool{}
		for _, r := range rs {
			for k := range r.Answers {
				titles[k] = true
			}
		}
		header := []string{forms.TimestampColumn, forms.EmailColumn}
		for k := range titles {
			header = append(header, k)
		}
		sort.Strings(header[2:])
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		_ = w.Write(header)
		for _, r := range rs {
			rec := []string{r.Submitted.UTC().Format(time.RFC3339Nano), r.Email}
			for _, k := range header[2:] {
				rec = append(rec, r.Answers[k])
			}
			_ = w.Write(rec)
		}
		w.Flush()
		reread, err := forms.ReadCSV(&buf, loc)
		again := reread.Responses
		if err != nil || len(again) != len(rs) {
			t.Fatalf("re-read %d responses and %v, want %d:\n%s", len(again), err, len(rs), buf.String())
		}
		for i := range rs {
			a, b := rs[i], again[i]
			if !a.Submitted.Equal(b.Submitted) || a.Email != b.Email || len(a.Answers) != len(b.Answers) {
				t.Fatalf("response %d: %+v, re-read %+v", i, a, b)
			}
			for k, v := range a.Answers {
				if b.Answers[k] != v {
					t.Fatalf("response %d: %q = %q, re-read %q", i, k, v, b.Answers[k])
				}
			}
		}
	})
}

// roundTrips reports whether the responses can be written back unchanged:
// csv turns \r\n into \n, a question titled like the timestamp or e-mail
// column would be read as that column, a title with more semicolons or tabs
// than the header has commas would make those the separator, and a blank row
// is skipped.
func roundTrips(rs []workspace.FormResponse) bool {
	for _, r := range rs {
		if strings.ContainsRune(r.Email, '\r') || r.Email != strings.TrimSpace(r.Email) || !utf8.ValidString(r.Email) {
			return false
		}
		if r.Submitted.Year() < 1000 || r.Submitted.Year() > 9999 {
			return false
		}
		for k, v := range r.Answers {
			if strings.ContainsRune(k+v, '\r') || strings.ContainsAny(k, ";\t\"") || forms.IsEmailColumn(k) ||
				strings.EqualFold(k, forms.TimestampColumn) || strings.EqualFold(k, "Timestamp") || k != strings.TrimSpace(strings.TrimPrefix(k, "\ufeff")) {
				return false
			}
		}
	}
	return true
}
