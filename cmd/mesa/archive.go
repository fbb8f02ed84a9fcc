package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/funza-tic/mesa/internal/archive"
	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/notify"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/worker"
)

func (a *app) archiveCmd() *cobra.Command {
	var year int
	cmd := &cobra.Command{
		Use:   "archive --year YYYY",
		Short: "Move the cases of a closed year to that year's read-only archive workbook (docs/archivo.md)",
		Long: `archive moves every case that reached its final state in YYYY and that no
rule can change any more, with all its rows (Historial, Casos,
Notificaciones, Rechazos, Encuestas, Garantías, Escalamientos, Lecciones,
Looker), to the workbook "<title> — Archivo YYYY", protected and with a
Ficha tab of TRD metadata. Open cases and cases that can still change stay.
It copies, verifies, journals and only then deletes: a run interrupted at
any point is finished by the next, and a second run changes nothing.
--dry-run prints the plan and writes nothing.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if year < 2000 || year > 9999 {
				return usageErr("falta --year AAAA (por ejemplo --year 2025)")
			}
			now, err := a.now()
			if err != nil {
				return err
			}
			return a.withWorker(cmd.Context(), func(ws *backend.Workspace, w *worker.Worker) error {
				return a.leased(cmd.Context(), ws, w, func(ctx context.Context) error {
					sum, err := archive.Run(ctx, a.archiveDeps(ws, w), archive.Request{Year: year, Now: now, DryRun: a.dryRun})
					if errors.Is(err, archive.ErrYearOpen) {
						return usageErr("el año %d no ha terminado: solo se archiva un año cerrado", year)
					}
					if err != nil {
						return err
					}
					a.printArchive(year, sum)
					return nil
				})
			})
		},
	}
	cmd.Flags().IntVar(&year, "year", 0, "the closed year to archive, YYYY")
	cmd.AddCommand(a.archiveStatusCmd(), a.archivePackageCmd())
	return cmd
}

// archiveDeps wires the archive to the workspace.
func (a *app) archiveDeps(ws *backend.Workspace, w *worker.Worker) archive.Deps {
	folder := a.cfg.Archive.Folder
	if folder == "" {
		folder = a.reportFolder(ws)
	}
	return archive.Deps{
		Live: ws.Sheets, Open: func(id string) archive.Sheet { return ws.Sheets.Other(id) }, Files: ws.Drive, Folder: folder,
		Book: w.BookAhead, Settings: w.Config.Settings, TRD: a.cfg.Archive.Retention(), Log: a.log,
	}
}

func (a *app) printArchive(year int, s archive.Summary) {
	tabs := func(m map[string]int) string {
		var parts []string
		for _, t := range archive.Tabs {
			if m[t.Name] > 0 {
				parts = append(parts, fmt.Sprintf("%s %d", t.Name, m[t.Name]))
			}
		}
		if len(parts) == 0 {
			return "ninguna"
		}
		return strings.Join(parts, ", ")
	}
	// Settled cases whose rows a person deleted or changed, or a cycle did
	// not finish writing: the next cycle writes them, the next run moves them.
	waiting := ""
	if len(s.Waiting) > 0 {
		waiting = fmt.Sprintf("  %s hasta que un ciclo reponga sus filas en el libro vivo (alguien las borró o las cambió); se archivarán en la próxima ejecución\n",
			plural(len(s.Waiting), "caso terminado espera", "casos terminados esperan"))
	}
	if a.dryRun {
		fmt.Fprintf(a.out, "--dry-run: archivo %d en «%s»\n", year, s.Title)
		fmt.Fprintf(a.out, "  casos que se archivarían: %d (quedan en el libro vivo %d casos de %d que aún pueden cambiar)\n", len(s.Cases), s.Kept, year)
		fmt.Fprintf(a.out, "  filas que se copiarían y luego se borrarían del libro vivo: %s\n", tabs(s.Copied))
		fmt.Fprintf(a.out, "  celdas que se liberarían: %s\n", notify.Miles(s.Cells))
		fmt.Fprint(a.out, waiting)
		fmt.Fprintln(a.out, "no se escribió nada")
		return
	}
	if len(s.Cases) == 0 {
		fmt.Fprintf(a.out, "No hay casos de %d para archivar (%d casos de %d aún pueden cambiar y siguen en el libro).\n", year, s.Kept, year)
		fmt.Fprint(a.out, waiting)
		return
	}
	fmt.Fprintf(a.out, "Archivo %d: «%s» (%s)\n", year, s.Title, s.ID)
	fmt.Fprintf(a.out, "  casos archivados en esta ejecución: %d; casos en el archivo: %d; siguen en el libro vivo %d casos de %d que aún pueden cambiar\n",
		len(s.New), len(s.Cases), s.Kept, year)
	fmt.Fprintf(a.out, "  filas copiadas: %s\n", tabs(s.Copied))
	fmt.Fprintf(a.out, "  filas borradas del libro vivo: %s (%s celdas)\n", tabs(s.Deleted), notify.Miles(s.Cells))
	fmt.Fprint(a.out, waiting)
}

func (a *app) archiveStatusCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "List the archive workbooks with their dates of transfer and final disposition (Spanish)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			now, err := a.now()
			if err != nil {
				return err
			}
			return a.withWorker(cmd.Context(), func(ws *backend.Workspace, w *worker.Worker) error {
				infos, err := archive.Archives(cmd.Context(), a.archiveDeps(ws, w))
				if err != nil {
					return err
				}
				if len(infos) == 0 {
					fmt.Fprintln(a.out, "No hay libros de archivo todavía (mesa archive --year AAAA los crea).")
					return nil
				}
				trd := a.cfg.Archive.Retention()
				fmt.Fprintf(a.out, "Serie: %s — Subserie: %s — Disposición final: %s\n", trd.Series, trd.Subseries, trd.Disposition)
				for _, in := range infos {
					prot := "protegido"
					if !in.Protected {
						prot = "SIN PROTECCIÓN"
					}
					fmt.Fprintf(a.out, "%d  %s  %d casos  %s\n", in.Year, in.Title, in.Cases, prot)
					fmt.Fprintf(a.out, "      transferencia al archivo central: %s%s\n", in.Transfer.Format("2006-01-02"), due(in.Transfer, now))
					fmt.Fprintf(a.out, "      disposición final (%s): %s%s\n", orDash(in.Ficha["Disposición final"]), in.Disposal.Format("2006-01-02"), due(in.Disposal, now))
					if in.Recovery {
						fmt.Fprintf(a.out, "      ATENCIÓN: una ejecución del archivo se interrumpió mientras borraba filas del libro de trabajo; la próxima (mesa archive --year AAAA, el arranque de mesa run, o mesa sync o mesa reconcile) repone las filas que pudo borrar por error (pestaña %s)\n", archive.RecoveryTab)
					}
				}
				fmt.Fprintln(a.out, "mesa nunca borra un libro de archivo: la disposición final la ejecuta el archivo de la entidad.")
				return nil
			})
		},
	}
}

// due says whether a date has come.
func due(d, now time.Time) string {
	if now.In(calendar.Bogota()).Format("2006-01-02") >= d.Format("2006-01-02") {
		return " (VENCIDA: pendiente)"
	}
	return ""
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func (a *app) archivePackageCmd() *cobra.Command {
	var year int
	var out string
	cmd := &cobra.Command{
		Use:   "package --year YYYY --out DIR",
		Short: "Write the transfer package of a year's archive: CSV and XLSX of each tab, FUID, index.html, SHA256SUMS",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if year < 2000 || year > 9999 {
				return usageErr("falta --year AAAA (por ejemplo --year 2025)")
			}
			if out == "" {
				return usageErr("falta --out CARPETA, la carpeta donde dejar el paquete")
			}
			if err := a.refuseDryRun("archive package writes files; run it without --dry-run"); err != nil {
				return err
			}
			now, err := a.now()
			if err != nil {
				return err
			}
			return a.withWorker(cmd.Context(), func(ws *backend.Workspace, w *worker.Worker) error {
				sum, err := archive.Package(cmd.Context(), a.archiveDeps(ws, w), year, out, now)
				if errors.Is(err, archive.ErrNoArchive) {
					return fmt.Errorf("no hay libro de archivo de %d: archive primero el año (mesa archive --year %d)", year, year)
				}
				if err != nil {
					return err
				}
				fmt.Fprintf(a.out, "Paquete de «%s» en %s: %d casos, %d archivos\n", sum.Title, out, sum.Cases, len(sum.Files))
				for _, f := range sum.Files {
					fmt.Fprintf(a.out, "  %s\n", f)
				}
				fmt.Fprintf(a.out, "Verifique con: cd %s && sha256sum -c %s\n", out, archive.SumsFile)
				return nil
			})
		},
	}
	cmd.Flags().IntVar(&year, "year", 0, "the archived year, YYYY")
	cmd.Flags().StringVar(&out, "out", "", "directory to write the package into")
	return cmd
}

// exportSheet is the workbook `export --year` reads: the live one, or the
// archive workbook of year.
func (a *app) exportSheet(ctx context.Context, ws *backend.Workspace, year int) (archive.Sheet, error) {
	if year == 0 {
		return ws.Sheets, nil
	}
	w, err := a.worker(ctx, ws)
	if err != nil {
		return nil, err
	}
	in, err := archive.Of(ctx, a.archiveDeps(ws, w), year)
	if errors.Is(err, archive.ErrNoArchive) {
		return nil, fmt.Errorf("no hay libro de archivo de %d (mesa archive status lista los que hay)", year)
	}
	if err != nil {
		return nil, err
	}
	return ws.Sheets.Other(in.ID), nil
}

// archivedBook folds the live workbook with every archive's journal first:
// what `mesa report` and `mesa explain` of an archived case read.
func (a *app) archivedBook(ws *backend.Workspace, w *worker.Worker) func(ctx context.Context, now time.Time) (*procedure.Book, *time.Location, error) {
	return func(ctx context.Context, now time.Time) (*procedure.Book, *time.Location, error) {
		evs, err := archive.Journals(ctx, a.archiveDeps(ws, w))
		if err != nil {
			return nil, nil, fmt.Errorf("read the archives: %w", err)
		}
		return w.BookWith(ctx, now, evs)
	}
}

// scheduledArchive is the yearly archive of `mesa run` (archive.auto): on
// the monthly job's days, from archive.propose_from on, it archives the
// year before. A run with nothing left to archive writes nothing.
func (a *app) scheduledArchive(ctx context.Context, ws *backend.Workspace, w *worker.Worker, now time.Time) error {
	year, ok := archive.AutoYear(now, calendar.Bogota(), a.cfg.Archive.ProposeMonth(), a.cfg.Archive.Auto)
	if !ok {
		return nil
	}
	sum, err := archive.Run(ctx, a.archiveDeps(ws, w), archive.Request{Year: year, Now: now})
	if err != nil {
		return fmt.Errorf("archive %d: %w", year, err)
	}
	a.log.Info("yearly archive", "year", year, "new_cases", len(sum.New), "cases", len(sum.Cases), "spreadsheet", sum.ID)
	return nil
}
