package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/workbook"
)

// calendarCmd answers business-calendar questions with the calendar the
// rules use: the national holidays plus the office's Festivos tab. When the
// workbook cannot be read it says so on stderr and answers with the
// national holidays only (DESIGN.md §10c).
func (a *app) calendarCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "calendar", Short: "Colombian business calendar, with the office's Festivos tab"}
	cal := func(ctx context.Context) (*calendar.Calendar, error) {
		if _, err := calendar.OfficeHours(a.cfg.Calendar.Hours); err != nil {
			return nil, usageErr("calendar.hours: %v", err)
		}
		h := a.cfg.Worker(nil).Hours // the hours the rules use
		extra, err := a.festivos(ctx)
		if err != nil {
			fmt.Fprintf(a.errOut, "Aviso: no se pudo leer la pestaña Festivos del libro (%v); se usan solo los festivos nacionales.\n", err)
		}
		return calendar.New(calendar.Bogota(), extra, h), nil
	}
	holidays := &cobra.Command{
		Use:   "holidays YEAR",
		Short: "One line per holiday: YYYY-MM-DD<TAB>name(s)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			y, err := strconv.Atoi(args[0])
			if err != nil || y < 1900 || y > 2200 {
				return usageErr("año «%s» no válido: escriba un año entre 1900 y 2200", args[0])
			}
			c, err := cal(cmd.Context())
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
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, err := time.ParseInLocation("2006-01-02", from, calendar.Bogota())
			if err != nil {
				return usageErr("--from «%s» no es una fecha: escriba AAAA-MM-DD, por ejemplo 2026-03-02", from)
			}
			c, err := cal(cmd.Context())
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
		RunE: func(cmd *cobra.Command, _ []string) error {
			m, err := time.Parse("2006-01", month)
			if err != nil {
				return usageErr("--month «%s» no es un mes: escriba AAAA-MM, por ejemplo 2026-03", month)
			}
			c, err := cal(cmd.Context())
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

// errNoLocalWorkbook: the local backend has no workbook yet in the data
// directory; calendar creates none just to read it.
var errNoLocalWorkbook = errors.New("no hay libro local en el directorio de datos")

// festivos reads the office's Festivos tab, parsing it as the worker does
// (workbook.Holidays), so that the command and the rules agree.
func (a *app) festivos(ctx context.Context) ([]calendar.Holiday, error) {
	if a.cfg.Backend != "google" {
		if _, err := os.Stat(filepath.Join(a.cfg.Data, "workspace", "ids.json")); err != nil {
			return nil, fmt.Errorf("%w (%s)", errNoLocalWorkbook, a.cfg.Data)
		}
	}
	ws, err := a.workspace(ctx)
	if err != nil {
		return nil, err
	}
	defer ws.Close()
	values, err := ws.Sheets.Read(ctx, []string{workbook.Festivos.Name})
	if err != nil {
		return nil, err
	}
	out, bad := workbook.Holidays(workbook.NewTable(workbook.Festivos, values[0]), calendar.Bogota())
	for _, r := range bad {
		fmt.Fprintf(a.errOut, "Aviso: la fila %d de Festivos no tiene una fecha legible («%s»): se omite.\n", r.Line, r.Get("Fecha"))
	}
	return out, nil
}
