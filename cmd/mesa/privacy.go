package main

import (
	"context"
	"fmt"
	"net/mail"
	"strings"

	"github.com/spf13/cobra"

	"github.com/funza-tic/mesa/internal/archive"
	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/privacy"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/worker"
)

func (a *app) privacyCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "privacy",
		Short: "Habeas data (Ley 1581 de 2012): find or anonymize a person's data (docs/privacidad.md)",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(a.privacyFindCmd(), a.privacyAnonymizeCmd())
	return cmd
}

// privacyBooks are the live workbook and every archive workbook.
func (a *app) privacyBooks(ctx context.Context, ws *backend.Workspace, w *worker.Worker) ([]privacy.Book, []archive.Info, error) {
	title, err := ws.Sheets.Title(ctx)
	if err != nil {
		return nil, nil, err
	}
	books := []privacy.Book{{Title: title, Sheet: ws.Sheets}}
	infos, err := archive.Archives(ctx, a.archiveDeps(ws, w))
	if err != nil {
		return nil, nil, fmt.Errorf("list the archive workbooks: %w", err)
	}
	for _, in := range infos {
		books = append(books, privacy.Book{Title: in.Title, Sheet: ws.Sheets.Other(in.ID)})
	}
	return books, infos, nil
}

func (a *app) privacyFind(ctx context.Context, ws *backend.Workspace, w *worker.Worker, q privacy.Query) (privacy.Findings, error) {
	books, _, err := a.privacyBooks(ctx, ws, w)
	if err != nil {
		return privacy.Findings{}, err
	}
	ids := map[procedure.Form]string{}
	for f, fc := range w.Config.Forms {
		ids[f] = fc.ID
	}
	return privacy.Find(ctx, books, ws.Forms, ids, q, senderDomain(w.Config.Office.SenderAddress), calendar.Bogota())
}

func (a *app) privacyFindCmd() *cobra.Command {
	var q privacy.Query
	cmd := &cobra.Command{
		Use:   "find --email ADDR | --name NAME",
		Short: "List every place that holds a person's data: cells, sent mail, form responses (changes nothing)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if strings.TrimSpace(q.Email) == "" && strings.TrimSpace(q.Name) == "" {
				return usageErr("give --email ADDR or --name NAME")
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
				return usageErr("--email ADDR is required (an e-mail address)")
			}
			if strings.TrimSpace(reason) == "" {
				return usageErr("--reason TEXT is required (e.g. the number of the reclamo): it is journaled with the decision")
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
					found, err := a.privacyFind(ctx, ws, w, privacy.Query{Email: email})
					if err != nil {
						return err
					}
					res, err := w.Anonymize(ctx, now, email, reason)
					if err != nil {
						return err
					}
					_, infos, err := a.privacyBooks(ctx, ws, w)
					if err != nil {
						return err
					}
					set := privacy.FromJournal([]procedure.Event{privacy.Decision(email, reason, now)})
					cells := 0
					for _, in := range infos {
						n, err := set.Rewrite(ctx, ws.Sheets.Other(in.ID), calendar.Bogota())
						if err != nil {
							return fmt.Errorf("anonymize the archive %s: %w", in.Title, err)
						}
						cells += n
					}
					trashed, err := a.trashSent(ctx, ws, found.Mail)
					if err != nil {
						return err
					}
					return privacy.WriteAnonymized(a.out, privacy.Anonymized{
						Pseudonym: res.Pseudonym, Journaled: res.Journaled, Archives: len(infos), ArchiveCells: cells,
						Mail: found.Mail, Trashed: trashed, Responses: found.Responses,
					}, calendar.Bogota())
				})
			})
		},
	}
	cmd.Flags().StringVar(&email, "email", "", "the titular's e-mail address")
	cmd.Flags().StringVar(&reason, "reason", "", "why (e.g. the reclamo's number); no personal data")
	return cmd
}

func senderDomain(addr string) string {
	a, err := mail.ParseAddress(addr)
	if err != nil {
		return ""
	}
	return a.Address[strings.LastIndex(a.Address, "@")+1:]
}
