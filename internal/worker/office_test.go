package worker_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/chaos"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/retry"
)

var syntheticOffice = flag.String("synthetic.office", "", "write a synthetic office of -synthetic.cases cases into this new data directory, with 20 requests waiting, for measuring `mesa --data DIR sync` (BENCHMARKS.md)")
var syntheticCases = flag.Int("synthetic.cases", 100_000, "cases of the office -synthetic.office writes")

// TestWriteSyntheticOffice is not a test but a tool: with
// -synthetic.office it leaves a local-backend data directory holding a
// synthetic office (chaos.NewSynthetic) settled by two cycles, plus 20
// new requests, so that `mesa --data DIR --now NOW sync` runs one busy
// cycle on it (the NOW to use is logged). BENCHMARKS.md measures its peak
// memory with /usr/bin/time -v.
func TestWriteSyntheticOffice(t *testing.T) {
	dir := *syntheticOffice
	if dir == "" {
		t.Skip("no -synthetic.office directory")
	}
	if _, err := os.Stat(dir); err == nil {
		t.Fatalf("%s exists: give a new directory", dir)
	}
	ctx := context.Background()
	s := chaos.NewSynthetic(*syntheticCases, 1)
	o, err := chaos.OpenOffice(ctx, dir, 0, retry.Default())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Load(ctx, o); err != nil {
		t.Fatal(err)
	}
	w, err := o.Worker(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	o.Watching(w)
	now := s.Now
	for range 2 {
		if _, err := w.Cycle(ctx, now, false); err != nil {
			t.Fatal(err)
		}
	}
	now = now.Add(30 * time.Minute)
	q := procedure.DefaultQuestions[procedure.Solicitudes]
	for i := range 20 {
		if _, err := o.Submit(chaos.Submission{Form: procedure.Solicitudes, Email: fmt.Sprintf("nuevo%d@funza-cundinamarca.gov.co", i), At: now.Add(-time.Duration(20-i) * time.Minute),
			Answers: map[string]string{q[procedure.FName]: "Nuevo", q[procedure.FBuilding]: "Sede 3",
				q[procedure.FService]: "Soporte de hardware", q[procedure.FDescription]: "No enciende"}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	t.Logf("office of %d cases in %s; run: mesa --data %s --now %s sync", *syntheticCases, dir, dir, now.Format(time.RFC3339))
}
