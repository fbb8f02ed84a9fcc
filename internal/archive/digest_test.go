package archive_test

import (
	"context"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/archive"
)

// adminDigests returns the text of the administrator's digests of a day
// ("2 de marzo de 2026").
func adminDigests(t *testing.T, e *env, day string) []string {
	t.Helper()
	var out []string
	for _, m := range e.ws.Fake.SentMail() {
		msg, err := mail.ReadMessage(strings.NewReader(string(m.Raw)))
		if err != nil {
			t.Fatal(err)
		}
		subj, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		if !strings.Contains(strings.ToLower(subj), "resumen") || !strings.Contains(msg.Header.Get("To"), "sandra.rosas") {
			continue
		}
		_, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
		mr := multipart.NewReader(msg.Body, params["boundary"])
		p, err := mr.NextPart()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		if strings.Contains(string(b), day) {
			out = append(out, string(b))
		}
	}
	return out
}

// Issue 15: "from the configured month of each year, the admin digest says
// which year can be archived and how many cells it frees".
func TestDigestProposesTheArchive(t *testing.T) {
	e := open(t, t.TempDir())
	defer e.close()
	e.year()
	e.w.Config.Digest = "07:00"
	e.w.Config.ArchiveFrom = time.March
	plan, err := archive.Run(context.Background(), e.deps(), archive.Request{Year: 2025, Now: bogota("2026-03-02 07:30"), DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	feb := bogota("2026-02-03 08:30")
	e.cycle(feb)
	febs := adminDigests(t, e, "3 de febrero de 2026")
	if len(febs) == 0 {
		t.Fatal("no administrator digest on 3 February")
	}
	for _, d := range febs {
		if strings.Contains(d, "Archivo anual") {
			t.Errorf("February's digest proposes the archive:\n%s", d)
		}
	}
	mar := bogota("2026-03-02 08:30")
	e.cycle(mar)
	ds := adminDigests(t, e, "2 de marzo de 2026")
	if len(ds) != 1 {
		t.Fatalf("%d administrator digests on 2 March:\n%s", len(ds), strings.Join(ds, "\n-----\n"))
	}
	want := fmt.Sprintf("Archivo anual: los %d casos de 2025 que ya no pueden cambiar", len(plan.Cases))
	if !strings.Contains(strings.Join(strings.Fields(ds[0]), " "), want) || !strings.Contains(ds[0], "mesa archive --year 2025") {
		t.Errorf("March's digest lacks %q:\n%s", want, ds[0])
	}
}

// Issue 15: "the digest announces a due transfer or disposition (mesa
// never deletes an archive by itself)".
func TestDigestAnnouncesDueTransfer(t *testing.T) {
	e := open(t, t.TempDir())
	defer e.close()
	e.year()
	d := e.deps()
	d.TRD.YearsOffice, d.TRD.YearsCentral = 0, 1 // transfer due 2026-01-01, disposition 2027-01-01
	if _, err := archive.Run(context.Background(), d, archive.Request{Year: 2025, Now: now}); err != nil {
		t.Fatal(err)
	}
	e.w.Config.Digest = "07:00"
	e.w.Archives = archive.Dues{Deps: d}
	day := bogota("2026-03-03 08:30")
	e.cycle(day)
	ds := adminDigests(t, e, "3 de marzo de 2026")
	if len(ds) != 1 {
		t.Fatalf("%d administrator digests on 3 March", len(ds))
	}
	text := strings.Join(strings.Fields(ds[0]), " ")
	if !strings.Contains(text, "Archivo 2025 («Mesa de Ayuda TIC — Archivo 2025»): su transferencia al archivo central está pendiente desde el 01/01/2026") {
		t.Errorf("the digest does not announce the due transfer:\n%s", ds[0])
	}
	got := archive.DueNotices([]archive.Info{{Year: 2025, Title: "T", Transfer: d.TRD.Transfer(2025), Disposal: d.TRD.Disposal(2025),
		Ficha: map[string]string{"Disposición final": "selección"}}}, bogota("2027-01-01 00:00"))
	if len(got) != 1 || !strings.Contains(got[0], "disposición final (selección) está pendiente desde el 01/01/2027") || !strings.Contains(got[0], "mesa no borra") {
		t.Errorf("due disposition: %v", got)
	}
}
