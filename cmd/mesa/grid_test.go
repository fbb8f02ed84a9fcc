package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/calendar"
)

// Issue 11, "stop the desk after about 1,000 Historial rows": Google answers
// a write past a tab's grid (1,000 rows unless grown) with 400. 600 requests
// arriving in one sync write well over 1,000 journal rows; through the
// command line on the local backend (the strict fake), every run exits 0
// and all 600 are numbered, gap-free.
func TestSixHundredRequestsInOneSync(t *testing.T) {
	data := t.TempDir()
	g := []string{"--data", data}
	must(t, nil, append(g, "import", "sheet", "agentes", testdata("sheets/agentes.csv"))...)
	must(t, nil, append(g, "import", "sheet", "catalogo", testdata("sheets/catalogo.csv"))...)
	must(t, nil, append(g, "import", "responses", "--form", "solicitudes", bigExport(t, 600))...)

	out := must(t, nil, append(g, "--now", "2026-03-17T08:00:00-05:00", "sync")...)
	if !strings.HasPrefix(out, "600 casos nuevos") {
		t.Fatalf("sync of 600 requests: %s", out)
	}
	// The outbox (1,200 mails: acknowledgement and assignment) drains over
	// the next runs; each exits 0.
	now := time.Date(2026, 3, 17, 8, 0, 0, 0, calendar.Bogota())
	for i := 0; i < 6 && !strings.Contains(out, " 0 correos enviados"); i++ {
		now = now.Add(5 * time.Minute)
		out = must(t, nil, append(g, "--now", now.Format(time.RFC3339), "sync")...)
	}

	rows, err := csv.NewReader(strings.NewReader(must(t, nil, append(g, "export", "casos", "--format", "csv")...))).ReadAll()
	if err != nil || len(rows) != 601 {
		t.Fatalf("export casos: %d rows, %v; want a header and 600 cases", len(rows), err)
	}
	seen := map[int]bool{}
	for _, r := range rows[1:] {
		n, err := strconv.Atoi(r[0])
		if err != nil || n < 1 || n > 600 || seen[n] {
			t.Errorf("case number %q: not in 1..600 or repeated", r[0])
		}
		seen[n] = true
	}
	hist := strings.Count(must(t, nil, append(g, "export", "historial")...), "\n")
	if hist <= 1001 {
		t.Errorf("Historial has %d lines; the test needs it past Google's default 1,000 rows", hist)
	}
	notif, err := csv.NewReader(strings.NewReader(must(t, nil, append(g, "export", "notificaciones", "--format", "csv")...))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	state := -1
	for i, h := range notif[0] {
		if h == "Estado" {
			state = i
		}
	}
	sent := 0
	for _, r := range notif[1:] {
		if r[state] == "Enviado" {
			sent++
		} else {
			t.Errorf("notification %s left %s", r[0], r[state])
		}
	}
	if sent < 1200 {
		t.Errorf("%d notifications sent, want at least 1,200 (acknowledgement and assignment of each case)", sent)
	}
	// The month's report writes its tabs (Looker: one row per case) too.
	must(t, nil, append(g, "--now", now.Format(time.RFC3339), "report", "--month", "2026-03", "--out", t.TempDir())...)
}

// bigExport writes a Forms export of n requests with the shape of
// testdata/forms/solicitudes.csv (a real Google Forms CSV: its header, its
// d/M/yyyy H:mm:ss timestamps), its valid rows repeated with a different
// requester each and one minute apart.
func bigExport(t *testing.T, n int) string {
	t.Helper()
	f, err := os.Open(testdata("forms/solicitudes.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var samples [][]string
	for _, r := range rows[1:] {
		if r[6] != "" && strings.Contains(r[1], "@") { // the export's one rejected row has no description
			samples = append(samples, r)
		}
	}
	out := [][]string{rows[0]}
	start := time.Date(2026, 3, 16, 7, 0, 0, 0, calendar.Bogota())
	for i := range n {
		r := append([]string(nil), samples[i%len(samples)]...)
		at := start.Add(time.Duration(i) * time.Minute)
		r[0] = fmt.Sprintf("%d/%d/%d %d:%02d:%02d", at.Day(), int(at.Month()), at.Year(), at.Hour(), at.Minute(), at.Second())
		user, domain, _ := strings.Cut(r[1], "@")
		r[1] = fmt.Sprintf("%s%03d@%s", user, i, domain)
		out = append(out, r)
	}
	path := filepath.Join(t.TempDir(), "solicitudes-600.csv")
	w, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	cw := csv.NewWriter(w)
	if err := cw.WriteAll(out); err != nil {
		t.Fatal(err)
	}
	return path
}
