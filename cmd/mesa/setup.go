package main

import (
	"context"
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"golang.org/x/oauth2/google"

	"github.com/funza-tic/mesa/internal/setup"
)

func (a *app) setupCmd() *cobra.Command {
	var login bool
	cmd := &cobra.Command{
		Use:   "setup [--login]",
		Short: "Create or complete the workbook (tabs, protections, validation, filter views) and check the forms",
		Long: `setup creates the missing tabs and headers of the workbook, freezes the header
rows, protects the columns mesa writes, adds the drop-down lists, the overdue
and waiting highlights on Casos and one filter view per agent, then checks
that every form has the questions mesa expects. Running it again adds nothing.

With --login (google.auth: oauth) it first runs the OAuth desktop flow and
stores the refresh token in google.token.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if login {
				if err := a.refuseDryRun("--login stores a token; run it without --dry-run"); err != nil {
					return err
				}
				if err := a.login(cmd.Context()); err != nil {
					return err
				}
			}
			return a.setup(cmd.Context())
		},
	}
	cmd.Flags().BoolVar(&login, "login", false, "run the OAuth desktop flow first and store the refresh token (google.auth: oauth)")
	return cmd
}

func (a *app) setup(ctx context.Context) error {
	ws, err := a.workspace(ctx)
	if err != nil {
		return err
	}
	defer ws.Close()
	rep, err := setup.Run(ctx, setup.Request{
		Sheets: ws.Sheets, Forms: ws.Forms.Service(), FormIDs: a.cfg.FormIDs(ws.FormIDs), Questions: a.cfg.Questions(), Check: a.cfg.UsedForms(),
		Options: setup.Options{Editors: []string{a.cfg.Mailbox()}, DryRun: a.dryRun},
	})
	if err != nil {
		return err
	}
	res := rep.Workbook
	verb := "cambios aplicados / changes made"
	if a.dryRun {
		verb = "cambios por aplicar (--dry-run) / changes to make"
	}
	if len(res.Changes) == 0 {
		fmt.Fprintf(a.out, "Libro %s: completo, nada que cambiar / workbook complete, nothing to change\n", ws.Sheets.ID())
	} else {
		fmt.Fprintf(a.out, "Libro %s: %d %s\n", ws.Sheets.ID(), len(res.Changes), verb)
		for _, c := range res.Changes {
			fmt.Fprintf(a.out, "  + %s: %s\n", c.Tab, c.What)
		}
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(a.out, "  ! %s\n", w)
	}
	if rep.RegionalErr != nil {
		fmt.Fprintf(a.out, "  ! no se pudo leer la configuración regional / cannot read the locale: %v\n", rep.RegionalErr)
	} else {
		fmt.Fprintf(a.out, "Libro %s: %s\n", ws.Sheets.ID(), rep.Regional)
		for _, w := range rep.Regional.Warnings() {
			fmt.Fprintf(a.out, "  ! %s\n", w)
		}
	}
	fmt.Fprintln(a.out, "Formularios / forms:")
	bad := 0
	for _, c := range rep.Forms {
		if c.OK() {
			fmt.Fprintf(a.out, "  ✓ %s (%s): preguntas completas / all questions present\n", c.Form, c.ID)
			continue
		}
		bad++
		fmt.Fprintf(a.out, "  ✗ %s (%s):\n", c.Form, c.ID)
		for _, line := range c.Advice() {
			fmt.Fprintf(a.out, "      - %s\n", line)
		}
	}
	if u := rep.SurveyLink; u != "" {
		fmt.Fprintf(a.out, "Enlace prellenado de la encuesta / survey link: %s\n", u)
		if a.cfg.Office.SurveyURL != "" && a.cfg.Office.SurveyURL != u {
			fmt.Fprintf(a.out, "  ! office.survey_url es distinto / differs: %s (mesa doctor lo revisa / checks it)\n", a.cfg.Office.SurveyURL)
		}
	}
	if bad > 0 {
		return fmt.Errorf("%s to change (see above)", plural(bad, "form", "forms"))
	}
	return nil
}

// login runs the OAuth desktop flow and stores the token in google.token.
func (a *app) login(ctx context.Context) error {
	if a.cfg.Backend != "google" || a.cfg.Google.Auth != "oauth" {
		return usageErr("--login needs backend: google and google.auth: oauth")
	}
	data, err := os.ReadFile(a.cfg.Google.Credentials)
	if err != nil {
		return usageErr("google.credentials: %v", err)
	}
	conf, err := google.ConfigFromJSON(data, a.cfg.Scopes()...)
	if err != nil {
		return usageErr("google.credentials %s is not an OAuth desktop client: %v", a.cfg.Google.Credentials, err)
	}
	tok, err := setup.Login{Config: conf, Show: func(url string) error {
		_, err := fmt.Fprintf(a.out, "Abra esta dirección en el navegador con la cuenta de la mesa de ayuda /\nopen this URL in a browser signed in as the help-desk mailbox:\n\n  %s\n\n", url)
		return err
	}}.Token(ctx)
	if err != nil {
		return err
	}
	if err := setup.SaveToken(a.cfg.Google.Token, tok); err != nil {
		return fmt.Errorf("store the token: %w", err)
	}
	fmt.Fprintf(a.out, "Token guardado en %s (solo lectura para su dueño) / token stored\n", a.cfg.Google.Token)
	return nil
}
