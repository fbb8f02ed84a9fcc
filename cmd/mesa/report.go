package main

import "github.com/spf13/cobra"

func (a *app) reportCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "report",
		Short: "(not built yet)",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return usageErr("report: not built yet")
		},
	}
}
