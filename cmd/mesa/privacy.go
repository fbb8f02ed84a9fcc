package main

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/funza-tic/mesa/internal/archive"
	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/privacy"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
	"github.com/funza-tic/mesa/internal/worker"
)

func (a *app) privacyCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "privacy",
		Short: "Habeas data (Ley 1581 de 2012): find or anonymize a person's data (docs/privacidad.md)",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(a.privacyFindCmd(), a.privacyAnonymizeCmd(), a.privacyRequestCmd(),
		a.privacyUpdateCmd("extend RADICADO", "Extend a request's term (consulta +5, reclamo +8 business days), before it expires", false),
		a.privacyUpdateCmd("close RADICADO --action TEXT", "Close a titular's request with the action taken", true))
	return cmd
}

// privacyBooks are the live workbook and every archive workbook.
func (a *app) privacyBooks(ctx context.Context, ws *backend.Workspace, w *worker.Worker) (privacy.Book, []archive.Info, error) {
	title, err := ws.Sheets.Title(ctx)
	if err != nil {
		return privacy.Book{}, nil, err
	}
	infos, err := archive.Archives(ctx, a.archiveDeps(ws, w))
	if err != nil {
		return privacy.Book{}, nil, fmt.Errorf("list the archive workbooks: %w", err)
	}
	return privacy.Book{Title: title, Sheet: ws.Sheets}, infos, nil
}

func (a *app) privacyFind(ctx context.Context, ws *backend.Workspace, w *worker.Worker, q privacy.Query) (privacy.Findings, error) {
	live, infos, err := a.privacyBooks(ctx, ws, w)
	if err != nil {
		return privacy.Findings{}, err
	}
	books := []privacy.Book{live}
	for _, in := range infos {
		books = append(books, privacy.Book{Title: in.Title, Sheet: ws.Sheets.Other(in.ID)})
	}
	return privacy.Find(ctx, books, ws.Forms, a.cfg.FormIDs(ws.FormIDs), q, privacy.SenderDomain(w.Config.Office.SenderAddress), calendar.Bogota())
}

func (a *app) privacyFindCmd() *cobra.Command {
	var q privacy.Query
	cmd := &cobra.Command{
		Use:   "find --email ADDR | --name NAME",
		Short: "List every place that holds a person's data: cells, sent mail, form responses (changes nothing)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if strings.TrimSpace(q.Email) == "" && strings.TrimSpace(q.Name) == "" {
				return usageErr("indique --email CORREO o --name NOMBRE")
			}
			now, err := a.now()
			if err != nil {
				return err
			}
			return a.withWorker(cmd.Context(), func(ws *backend.Workspace, w *worker.Worker) error {
				f, err := a.privacyFind(cmd.Context(), ws, w, q)
				if err != nil {
					return err
				}
				return f.Write(a.out, calendar.Bogota(), now)
			})
		},
	}
	cmd.Flags().StringVar(&q.Email, "email", "", "the person's e-mail address")
	cmd.Flags().StringVar(&q.Name, "name", "", "the person's name (case and accents do not matter)")
	return cmd
}

func (a *app) privacyAnonymizeCmd() *cobra.Command {
	var email, reason string
	cmd := &cobra.Command{
		Use:   "anonymize --email ADDR --reason TEXT",
		Short: "Replace a requester's personal data with a pseudonym in every workbook, keeping the record (rule HD-1)",
		Long: `anonymize journals the HD-1 decision (the titular as a hash of the e-mail,
and the reason; no personal data) and rewrites the live workbook and every
archive: name, e-mail and phone become a pseudonym such as "Titular 7F3A",
the text the person wrote becomes a redaction note, and their pending mail
is cancelled. Cases, numbers, states, dates, agents and indicators do not
change. It lists the mail already sent to the person and the form responses
to delete by hand. Running it again changes nothing; a run interrupted at
any point is finished by running it again.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if _, err := mail.ParseAddress(email); err != nil || !strings.Contains(email, "@") {
				return usageErr("falta --email CORREO (la dirección de correo del titular)")
			}
			if strings.TrimSpace(reason) == "" {
				return usageErr("falta --reason TEXTO (por ejemplo, el número del reclamo): queda en el Historial con la decisión")
			}
			if err := a.refuseDryRun("privacy anonymize"); err != nil {
				return err
			}
			now, err := a.now()
			if err != nil {
				return err
			}
			return a.withWorker(cmd.Context(), func(ws *backend.Workspace, w *worker.Worker) error {
				return a.leased(cmd.Context(), ws, w, func(ctx context.Context) error {
					live, archives, err := a.privacyBooks(ctx, ws, w)
					if err != nil {
						return err
					}
					an := privacy.Anonymization{Email: email, Reason: reason, Now: now, Loc: calendar.Bogota(),
						Live: live, Forms: ws.Forms, FormIDs: a.cfg.FormIDs(ws.FormIDs), Domain: privacy.SenderDomain(w.Config.Office.SenderAddress),
						Journal: func(ctx context.Context) (string, bool, error) {
							res, err := w.Anonymize(ctx, now, email, reason)
							return res.Pseudonym, res.Journaled, err
						}}
					for _, in := range archives {
						an.Archives = append(an.Archives, privacy.Archive{Title: in.Title, Sheet: ws.Sheets.Other(in.ID)})
					}
					if a.cfg.Privacy.TrashSent {
						an.Trash = ws.Gmail.Trash
					}
					res, err := privacy.Anonymize(ctx, an)
					if err != nil {
						return err
					}
					return privacy.WriteAnonymized(a.out, res, calendar.Bogota())
				})
			})
		},
	}
	cmd.Flags().StringVar(&email, "email", "", "the titular's e-mail address")
	cmd.Flags().StringVar(&reason, "reason", "", "why (e.g. the reclamo's number); no personal data")
	return cmd
}

// printRightsLine adds the month's titulars' requests to `mesa report`.
func (a *app) printRightsLine(ctx context.Context, w *worker.Worker, first time.Time) {
	vals, err := w.Sheet.Read(ctx, []string{privacy.RightsTab.Name})
	var rs []privacy.RightsRequest
	if err == nil {
		rs = privacy.ParseRights(workbook.NewTable(privacy.RightsTab, vals[0]), calendar.Bogota())
	}
	cal, err := w.Calendar(ctx)
	if err != nil {
		cal = calendar.New(calendar.Bogota(), nil, w.Config.Hours)
	}
	fmt.Fprintf(a.out, "  %s\n", privacy.CountMonth(rs, first, cal).Line())
}

func (a *app) privacyRequestCmd() *cobra.Command {
	var typ, email, subject, received, id string
	cmd := &cobra.Command{
		Use:   "request --type consulta|reclamo --email ADDR [--subject TEXT] [--received YYYY-MM-DD] [--id RADICADO]",
		Short: "Register a titular's consulta or reclamo with its legal deadlines (Ley 1581 de 2012 arts. 14 and 15)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			t, err := privacy.ParseType(typ)
			if err != nil {
				return usageErr("--type: use consulta o reclamo")
			}
			if _, err := mail.ParseAddress(email); err != nil {
				return usageErr("falta --email CORREO (la dirección de correo del titular)")
			}
			now, err := a.now()
			if err != nil {
				return err
			}
			day := now
			if received != "" {
				d, ok := procedure.ParseDate(received, calendar.Bogota())
				if !ok {
					return usageErr("--received %q: use el formato AAAA-MM-DD", received)
				}
				day = d
			}
			if err := a.refuseDryRun("privacy request"); err != nil {
				return err
			}
			return a.withWorker(cmd.Context(), func(_ *backend.Workspace, w *worker.Worker) error {
				res, err := privacy.Request(cmd.Context(), w, t, id, email, subject, day, now)
				if err != nil {
					return refused(err)
				}
				if res.Already != "" {
					fmt.Fprintf(a.out, "La solicitud %s ya está registrada: %s.\n", res.Request.ID, res.Already)
					return nil
				}
				r := res.Request
				term, ext, _ := privacy.Terms(t)
				fmt.Fprintf(a.out, "%s registrada: %s el %s.\nVence el %s (%d días hábiles); con prórroga, el %s (%d más, avisando al titular antes del vencimiento).\n",
					r.ID, privacy.ReceivedPhrase(t), r.Received.Format("2006-01-02"), r.Due.Format("2006-01-02"), term, r.DueExtended.Format("2006-01-02"), ext)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&typ, "type", "", "consulta (art. 14) or reclamo (art. 15)")
	cmd.Flags().StringVar(&email, "email", "", "the titular's e-mail address")
	cmd.Flags().StringVar(&subject, "subject", "", "what is asked, in a few words")
	cmd.Flags().StringVar(&received, "received", "", "date of receipt, YYYY-MM-DD (default: today)")
	cmd.Flags().StringVar(&id, "id", "", "radicado (default: the next HD-YYYY-NNN)")
	return cmd
}

// privacyUpdateCmd is `privacy extend` and `privacy close`.
func (a *app) privacyUpdateCmd(use, short string, closing bool) *cobra.Command {
	var action string
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if closing && strings.TrimSpace(action) == "" {
				return usageErr("falta --action TEXTO: lo que se hizo (por ejemplo, «se entregó la tabla de privacy find», «se anonimizó al titular»)")
			}
			now, err := a.now()
			if err != nil {
				return err
			}
			if err := a.refuseDryRun("privacy " + strings.Fields(use)[0]); err != nil {
				return err
			}
			return a.withWorker(cmd.Context(), func(_ *backend.Workspace, w *worker.Worker) error {
				var status string
				var err error
				if closing {
					status, err = privacy.Close(cmd.Context(), w, args[0], action, now)
				} else {
					status, err = privacy.Extend(cmd.Context(), w, args[0], now)
				}
				if err != nil {
					return refused(err)
				}
				fmt.Fprintf(a.out, "%s: %s.\n", args[0], status)
				return nil
			})
		},
	}
	if closing {
		cmd.Flags().StringVar(&action, "action", "", "the action taken, as told to the titular")
	}
	return cmd
}
