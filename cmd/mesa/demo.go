package main

import "github.com/spf13/cobra"

func (a *app) demoCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "demo",
		Short: "Seed a realistic office on the local backend and run it through simulated weeks",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return usageErr("demo: not built yet")
		},
	}
}
