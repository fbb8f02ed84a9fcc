package main

import (
	"context"
	"fmt"

	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/setup"
)

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
