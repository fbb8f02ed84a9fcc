package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/funza-tic/mesa/internal/doctor"
)

func (a *app) doctorCmd() *cobra.Command {
	var sendTo string
	cmd := &cobra.Command{
		Use:   "doctor [--send-test ADDRESS]",
		Short: "Check config, credentials, scopes, forms, workbook, Drive folder, Gmail and clock",
		Long: `doctor checks everything mesa needs and prints one verdict line per check,
in Spanish and English. It never prints secrets and sends no mail unless
--send-test names an address to send one test message to.
Exit code: 0 all good (warnings allowed), 1 a check failed, 2 configuration error.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if sendTo != "" {
				if err := a.refuseDryRun("--send-test sends a real message"); err != nil {
					return err
				}
			}
			return a.doctor(cmd.Context(), sendTo)
		},
	}
	cmd.Flags().StringVar(&sendTo, "send-test", "", "send one test e-mail to this address (the only check that sends anything)")
	return cmd
}

func (a *app) doctor(ctx context.Context, sendTo string) error {
	at, err := a.now() // the cells' fill projection counts back from it
	if err != nil {
		return err
	}
	res := doctor.Run(ctx, doctor.Options{
		Config: a.cfg, ConfigFile: a.configFile, Connect: a.workspaceWith, ReportFolder: a.reportFolder,
		SendTo: sendTo, At: at, Now: time.Now(),
		Print: func(c doctor.Check) { fmt.Fprintf(a.out, "%s  %s: %s\n", c.Verdict, c.Name, c.Detail) },
	})
	if res.Failed == 0 {
		fmt.Fprintln(a.out, "Resultado / verdict: todo en orden / all checks passed")
		return nil
	}
	fmt.Fprintf(a.out, "Resultado / verdict: %d %s / %s\n", res.Failed, map[bool]string{true: "revisión falló", false: "revisiones fallaron"}[res.Failed == 1],
		plural(res.Failed, "check failed", "checks failed"))
	if res.ConfigFailed {
		return usageErr("the configuration has problems (see Configuración above)")
	}
	return fmt.Errorf("doctor: %s", plural(res.Failed, "check failed", "checks failed"))
}
