package worker_test

import (
	"context"
	"encoding/json"
	"flag"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"google.golang.org/api/option"

	"github.com/funza-tic/mesa/internal/chaos"
	"github.com/funza-tic/mesa/internal/drive"
	"github.com/funza-tic/mesa/internal/forms"
	"github.com/funza-tic/mesa/internal/gmail"
	"github.com/funza-tic/mesa/internal/notify"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/sheets"
	"github.com/funza-tic/mesa/internal/worker"
	"github.com/funza-tic/mesa/internal/workspacefake"
)

var (
	serveOffice = flag.String("synthetic.serve", "", "serve the fake workspace of this data directory (one -synthetic.office wrote) until SIGINT or SIGTERM, writing its URL to DIR/fake-url")
	syncOffice  = flag.String("synthetic.sync", "", "run one `mesa sync` cycle on this data directory against the fake -synthetic.serve serves in another process")
	syncNow     = flag.String("synthetic.now", "", "the cycle's instant for -synthetic.sync (RFC 3339; TestWriteSyntheticOffice logs it)")
	syncPage    = flag.Int("synthetic.page", 0, "worker.Config.ReadPage of the -synthetic.sync cycle (0: one batchGet)")
)

// TestServeSyntheticOffice is not a test but a tool, the Google side of
// measuring `mesa sync` at 100,000 cases: on the local backend the fake
// runs inside mesa's process and holds the whole workbook there, which in
// production lives at Google. With -synthetic.serve it serves a data
// directory's workspace in this process until it is stopped, so that
// TestSyncSyntheticOffice measures the cycle alone (BENCHMARKS.md).
func TestServeSyntheticOffice(t *testing.T) {
	dir := *serveOffice
	if dir == "" {
		t.Skip("no -synthetic.serve directory")
	}
	fake, err := workspacefake.Open(filepath.Join(dir, "workspace"))
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	if err := os.WriteFile(filepath.Join(dir, "fake-url"), []byte(fake.URL()), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("serving %s at %s", dir, fake.URL())
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
	os.Remove(filepath.Join(dir, "fake-url"))
}

// TestSyncSyntheticOffice is not a test but a tool: with -synthetic.sync
// it runs one cycle of the worker as `mesa sync` runs it on the local
// backend (exclusive, the built-in defaults of chaos.WorkerConfig, the
// Drive version watched), with the official clients pointed at the fake
// that TestServeSyntheticOffice serves from another process.
func TestSyncSyntheticOffice(t *testing.T) {
	dir := *syncOffice
	if dir == "" {
		t.Skip("no -synthetic.sync directory")
	}
	ctx := context.Background()
	url, err := os.ReadFile(filepath.Join(dir, "fake-url"))
	if err != nil {
		t.Fatalf("no fake served for %s (run -synthetic.serve first): %v", dir, err)
	}
	var ids struct {
		Spreadsheet string                    `json:"spreadsheet"`
		Forms       map[procedure.Form]string `json:"forms"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "workspace", "ids.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &ids); err != nil {
		t.Fatal(err)
	}
	now, err := time.Parse(time.RFC3339, *syncNow)
	if err != nil {
		t.Fatalf("-synthetic.now: %v", err)
	}
	opts := []option.ClientOption{option.WithHTTPClient(&http.Client{}), option.WithEndpoint(string(url) + "/"), option.WithoutAuthentication()}
	sh, err := sheets.New(ctx, ids.Spreadsheet, opts...)
	if err != nil {
		t.Fatal(err)
	}
	fm, err := forms.New(ctx, opts...)
	if err != nil {
		t.Fatal(err)
	}
	gm, err := gmail.New(ctx, "me", opts...)
	if err != nil {
		t.Fatal(err)
	}
	dr, err := drive.New(ctx, append(opts[:1:1], option.WithEndpoint(string(url)+"/drive/v3/"), option.WithoutAuthentication())...)
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := notify.LoadTemplates("")
	if err != nil {
		t.Fatal(err)
	}
	cfg := chaos.WorkerConfig(ids.Forms)
	cfg.Exclusive = true // the local backend's directory lock
	cfg.ReadPage = *syncPage
	w := &worker.Worker{Sheet: sh, Responses: fm, Mail: gm, Templates: tpl, Config: cfg,
		Log:           slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo})),
		SpreadsheetID: ids.Spreadsheet, Changes: dr, Watch: worker.FileWatch(filepath.Join(dir, "watch-sync.json"))}
	start := time.Now()
	rep, err := w.Cycle(ctx, now, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("cycle in %v: %+v", time.Since(start).Round(time.Millisecond), rep)
}
