package main

import (
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/worker"
)

func (a *app) explainCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "explain CASE",
		Short: "Print a case's history, each step with its rule and procedure step (Spanish)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, ok := procedure.ParseCaseNumber(args[0])
			if !ok {
				return usageErr("%q is not a case number", args[0])
			}
			now, err := a.now()
			if err != nil {
				return err
			}
			return a.withWorker(cmd.Context(), func(_ *backend.Workspace, w *worker.Worker) error {
				b, loc, err := w.Book(cmd.Context(), now)
				if err != nil {
					return err
				}
				text, ok := procedure.Explain(b, n, loc)
				if !ok {
					return fmt.Errorf("el caso %d no existe", n)
				}
				fmt.Fprint(a.out, text)
				return nil
			})
		},
	}
}

func (a *app) calendarCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "calendar", Short: "Colombian business calendar"}
	cal := func() (*calendar.Calendar, error) {
		h, err := calendar.OfficeHours(a.cfg.Calendar.Hours)
		if err != nil {
			return nil, usageErr("calendar.hours: %v", err)
		}
		return calendar.New(calendar.Bogota(), nil, h), nil
	}
	holidays := &cobra.Command{
		Use:   "holidays YEAR",
		Short: "One line per holiday: YYYY-MM-DD<TAB>name(s)",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			y, err := strconv.Atoi(args[0])
			if err != nil || y < 1900 || y > 2200 {
				return usageErr("year %q: want a year between 1900 and 2200", args[0])
			}
			c, err := cal()
			if err != nil {
				return err
			}
			for _, h := range c.Holidays(y) {
				fmt.Fprintf(a.out, "%s\t%s\n", h.Date.Format("2006-01-02"), h.Name)
			}
			return nil
		},
	}
	var from string
	var days int
	add := &cobra.Command{
		Use:   "add --from YYYY-MM-DD --business-days N",
		Short: "Print the Nth business day after FROM",
		Args:  cobra.NoArgs,
		RunE: func(_ *cobra.Command, _ []string) error {
			d, err := time.ParseInLocation("2006-01-02", from, calendar.Bogota())
			if err != nil {
				return usageErr("--from %q: want YYYY-MM-DD", from)
			}
			c, err := cal()
			if err != nil {
				return err
			}
			fmt.Fprintln(a.out, c.AddBusinessDays(d, days).Format("2006-01-02"))
			return nil
		},
	}
	add.Flags().StringVar(&from, "from", "", "start date (YYYY-MM-DD)")
	add.Flags().IntVar(&days, "business-days", 0, "number of business days")
	_ = add.MarkFlagRequired("from")
	_ = add.MarkFlagRequired("business-days")
	var month string
	workdays := &cobra.Command{
		Use:   "workdays --month YYYY-MM",
		Short: "Print the number of business days of a month",
		Args:  cobra.NoArgs,
		RunE: func(_ *cobra.Command, _ []string) error {
			m, err := time.Parse("2006-01", month)
			if err != nil {
				return usageErr("--month %q: want YYYY-MM", month)
			}
			c, err := cal()
			if err != nil {
				return err
			}
			fmt.Fprintln(a.out, c.Workdays(m.Year(), m.Month()))
			return nil
		},
	}
	workdays.Flags().StringVar(&month, "month", "", "month (YYYY-MM)")
	_ = workdays.MarkFlagRequired("month")
	cmd.AddCommand(holidays, add, workdays)
	return cmd
}
