package demo_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/mail"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/config"
	"github.com/funza-tic/mesa/internal/demo"
	"github.com/funza-tic/mesa/internal/notify"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
	"github.com/funza-tic/mesa/internal/worker"
)

// open connects a local workspace in dir and a worker with the funza
// defaults, built as `mesa demo` builds them with no configuration file.
func open(t *testing.T, dir string) (*backend.Workspace, *worker.Worker) {
	t.Helper()
	ctx := context.Background()
	ws, err := backend.Local(ctx, dir, procedure.DefaultQuestions)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	tpl, err := notify.LoadTemplates("")
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Defaults(procedure.Funza).WorkerIn(ws.Sheets.ID(), ws.FormIDs)
	w := &worker.Worker{Sheet: ws.Sheets, Responses: ws.Forms, Mail: ws.Gmail, Templates: tpl, Config: cfg,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	return ws, w
}

// TestShortDemo plays one week of thirty requests and checks what a person
// opening the results would see.
func TestShortDemo(t *testing.T) {
	dir := t.TempDir()
	ws, w := open(t, dir)
	opt := demo.DefaultOptions()
	opt.Weeks, opt.Requests, opt.TailDays = 1, 30, 3
	ctx := context.Background()
	sum, err := demo.Run(ctx, ws, w, dir, opt)
	if err != nil {
		t.Fatal(err)
	}

	vals, err := ws.Sheets.Read(ctx, []string{workbook.Casos.Name, workbook.Notificaciones.Name, workbook.Rechazos.Name})
	if err != nil {
		t.Fatal(err)
	}
	casos := workbook.NewTable(workbook.Casos, vals[0]).Records()
	notifs := workbook.NewTable(workbook.Notificaciones, vals[1]).Records()
	rechazos := workbook.NewTable(workbook.Rechazos, vals[2]).Records()

	t.Run("cases numbered 1..N without gaps", func(t *testing.T) {
		if len(casos) != opt.Requests {
			t.Fatalf("Casos has %d rows, want %d (one per valid request)", len(casos), opt.Requests)
		}
		seen := map[int]bool{}
		for _, r := range casos {
			n, err := strconv.Atoi(r.Get("Caso"))
			if err != nil || n < 1 || n > len(casos) || seen[n] {
				t.Errorf("Casos row %d: case number %q is out of 1..%d or repeated", r.Line, r.Get("Caso"), len(casos))
			}
			seen[n] = true
			if r.Get("Agente asignado") == "" || r.Get("Estado") == "" {
				t.Errorf("case %d has no agent or state", n)
			}
		}
	})

	t.Run("one acknowledgement mail per request", func(t *testing.T) {
		acuse := map[string]int{} // notification id -> case
		perCase := map[int]int{}
		for _, r := range notifs {
			if r.Get("Tipo") != "acuse" {
				continue
			}
			n, _ := strconv.Atoi(r.Get("Caso"))
			perCase[n]++
			acuse[r.Get("ID")] = n
			if r.Get("Estado") != worker.Sent {
				t.Errorf("acknowledgement of case %d is %q, want %q", n, r.Get("Estado"), worker.Sent)
			}
		}
		for n := 1; n <= opt.Requests; n++ {
			if perCase[n] != 1 {
				t.Errorf("case %d has %d acknowledgements in Notificaciones, want 1", n, perCase[n])
			}
		}
		files, err := filepath.Glob(filepath.Join(dir, "correo", "*.eml"))
		if err != nil {
			t.Fatal(err)
		}
		if len(files) != sum.MailSent || len(files) == 0 {
			t.Errorf("correo/ has %d .eml files, Notificaciones says %d sent", len(files), sum.MailSent)
		}
		got := map[int]int{}
		for _, f := range files {
			m := readMail(t, f)
			if n, ok := acuse[m.Header.Get(notify.HeaderNotification)]; ok {
				got[n]++
				if !strings.Contains(filepath.Base(f), "-acuse-caso-"+strconv.Itoa(n)+".eml") {
					t.Errorf("%s: acknowledgement of case %d under an unexpected name", f, n)
				}
			}
		}
		for n := 1; n <= opt.Requests; n++ {
			if got[n] != 1 {
				t.Errorf("case %d: %d acknowledgement .eml files, want 1", n, got[n])
			}
		}
	})

	t.Run("bad inputs are in Rechazos with a Spanish reason", func(t *testing.T) {
		want := map[string]string{
			"solicitudes":    "no describe el servicio requerido",
			"respuestas":     "no existe en la mesa de ayuda",
			"reasignaciones": "Solo un Administrador puede reasignar",
			"encuestas":      "La calificación «7» no es válida",
		}
		if len(rechazos) != len(want) {
			t.Errorf("Rechazos has %d rows, want %d", len(rechazos), len(want))
		}
		for _, r := range rechazos {
			frag, ok := want[r.Get("Formulario")]
			if !ok || !strings.Contains(r.Get("Motivo"), frag) {
				t.Errorf("Rechazos row %d: %s %q, want a reason containing %q", r.Line, r.Get("Formulario"), r.Get("Motivo"), frag)
			}
			delete(want, r.Get("Formulario"))
		}
		for form := range want {
			t.Errorf("no rejection of the %s form", form)
		}
	})

	t.Run("workbook.xlsx opens with a Casos sheet", func(t *testing.T) {
		f, err := excelize.OpenFile(filepath.Join(dir, "workbook.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if sheets := f.GetSheetList(); len(sheets) == 0 || sheets[0] != workbook.Casos.Name {
			t.Fatalf("sheets %v, want Casos first", sheets)
		}
		rows, err := f.GetRows(workbook.Casos.Name)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != opt.Requests+1 || rows[0][0] != "Caso" || rows[1][0] != "1" {
			t.Errorf("Casos sheet: %d rows starting %q, want a header and %d cases", len(rows), rows[0], opt.Requests)
		}
		if v, _ := f.GetCellValue(workbook.Casos.Name, "B2"); !strings.HasPrefix(v, opt.Start.Format("2006-01-02")) {
			t.Errorf("Fecha de registro of case 1 reads %q in the sheet, want a date in the first week", v)
		}
		for _, tab := range []string{"Historial", "Notificaciones", "Rechazos", "Agentes", "Catálogo", "Festivos"} {
			if idx, _ := f.GetSheetIndex(tab); idx < 0 {
				t.Errorf("no %s sheet", tab)
			}
		}
	})

	t.Run("a second run refuses the used workspace", func(t *testing.T) {
		if _, err := demo.Run(ctx, ws, w, dir, opt); !errors.Is(err, demo.ErrNotEmpty) {
			t.Errorf("second Run: %v, want ErrNotEmpty", err)
		}
	})

	if t.Failed() {
		var b strings.Builder
		sum.Print(&b)
		t.Log(b.String())
	}
}

func readMail(t *testing.T, path string) *mail.Message {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	m, err := mail.ReadMessage(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return m
}
