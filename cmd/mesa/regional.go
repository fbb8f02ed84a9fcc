package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/setup"
)

// checkRegional reports the workbook's locale and time zone, and warns when
// the time zone is not Bogotá's or the locale reads dates month first.
func (a *app) checkRegional(ctx context.Context, ws *backend.Workspace) check {
	name := "Configuración regional / locale"
	reg, err := setup.ReadRegional(ctx, ws.Sheets.Service(), ws.Sheets.ID())
	if err != nil {
		return check{name, fail, fmt.Sprintf("no se pudo leer / cannot read: %v", err)}
	}
	if w := reg.Warnings(); len(w) > 0 {
		return check{name, warn, reg.String() + "; " + strings.Join(w, "; ")}
	}
	return check{name, pass, reg.String()}
}

// printRegional is setup's line on the workbook's locale and time zone.
func (a *app) printRegional(ctx context.Context, ws *backend.Workspace) {
	reg, err := setup.ReadRegional(ctx, ws.Sheets.Service(), ws.Sheets.ID())
	if err != nil {
		fmt.Fprintf(a.out, "  ! no se pudo leer la configuración regional / cannot read the locale: %v\n", err)
		return
	}
	fmt.Fprintf(a.out, "Libro %s: %s\n", ws.Sheets.ID(), reg)
	for _, w := range reg.Warnings() {
		fmt.Fprintf(a.out, "  ! %s\n", w)
	}
}
