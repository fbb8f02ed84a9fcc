package report

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var screenshot = flag.String("screenshot", "", "write the HTML report's screenshot (and PDF) to this directory")

func TestHTMLSelfContained(t *testing.T) {
	s := funzaMarch(t)
	r := Compute(s.fold(endOfMarch), march, endOfMarch, bogota, DefaultOptions(), s.eng.Set, "Alcaldía de Funza")
	h, err := r.HTML()
	if err != nil {
		t.Fatal(err)
	}
	page := string(h)
	for _, want := range []string{"marzo de 2026", "Oportunidad", "Eficacia", "Satisfacción", "<svg", "Cumplimiento del ANS", "Tendencia desde febrero de 2026" /* the first month with a case (issue 14) */, "Bruno Díaz"} {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	for _, banned := range []string{"<script", "http://", "https://", "src=", "@import", "url("} {
		if strings.Contains(strings.ReplaceAll(page, `xmlns="http://www.w3.org/2000/svg"`, ""), banned) {
			t.Errorf("report is not self-contained: it holds %q", banned)
		}
	}
	for _, p := range s.people {
		for _, v := range []string{p.Name, p.Email, p.Phone} {
			if strings.Contains(page, v) {
				t.Errorf("report holds requester data %q", v)
			}
		}
	}
	again, _ := r.HTML()
	if !bytes.Equal(h, again) {
		t.Error("the HTML differs between two renderings of the same month")
	}
}

// TestHTMLInChromium opens the report in a real headless browser and takes
// a screenshot; it skips when chromium is not installed (CI may lack it).
// go test ./internal/report -run Chromium -screenshot DIR keeps the PNG and a PDF.
func TestHTMLInChromium(t *testing.T) {
	bin := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		t.Skip("chromium is not installed")
	}
	if testing.Short() {
		t.Skip("short mode")
	}
	s := funzaMarch(t)
	r := Compute(s.fold(endOfMarch), march, endOfMarch, bogota, DefaultOptions(), s.eng.Set, "Alcaldía de Funza")
	h, err := r.HTML()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if *screenshot != "" {
		dir = *screenshot
	}
	page := filepath.Join(dir, "informe-2026-03.html")
	if err := os.WriteFile(page, h, 0o644); err != nil {
		t.Fatal(err)
	}
	png := filepath.Join(dir, "informe-2026-03.png")
	if err := chromium(bin, t.TempDir(), "--screenshot="+png, "--window-size=1280,2000", "file://"+page); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(png)
	if err != nil || info.Size() < 20_000 {
		t.Fatalf("screenshot %s: %v (size %d): the page did not render", png, err, sizeOf(info))
	}
	if *screenshot != "" {
		pdf := filepath.Join(dir, "informe-2026-03.pdf")
		if err := chromium(bin, t.TempDir(), "--print-to-pdf="+pdf, "--no-pdf-header-footer", "file://"+page); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot %s, PDF %s", png, pdf)
	}
}

func chromium(bin, profile string, args ...string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
		"--disable-sync", "--no-first-run", "--hide-scrollbars", "--user-data-dir=" + profile}
	out, err := exec.CommandContext(ctx, bin, append(base, args...)...).CombinedOutput()
	if err != nil {
		return &chromiumError{err, string(out)}
	}
	return nil
}

type chromiumError struct {
	err error
	out string
}

func (e *chromiumError) Error() string { return "chromium: " + e.err.Error() + "\n" + e.out }

func sizeOf(fi os.FileInfo) int64 {
	if fi == nil {
		return 0
	}
	return fi.Size()
}
