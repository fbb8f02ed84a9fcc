// Command mesa is the scheduled worker that runs an IT help desk on Google
// Workspace: see README.md. main only wires packages together.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/KimMachineGun/automemlimit/memlimit"

	"github.com/funza-tic/mesa/internal/workbook"
)

func main() {
	// A soft heap limit, so the collector works harder before a large office
	// (100,000 cases) outgrows its container: 90 % of the container's memory
	// (its cgroup limit, e.g. Cloud Run's --memory), or 768 MiB where there
	// is none. GOMEMLIMIT, or AUTOMEMLIMIT=off, overrides it.
	if _, err := memlimit.Set(memlimit.WithProvider(
		memlimit.ApplyFallback(memlimit.FromCgroup, memlimit.Limit(768<<20*10/9)))); err != nil {
		debug.SetMemoryLimit(768 << 20)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := realMain(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

// realMain runs the command line and maps errors to exit codes: 0 ok,
// 1 runtime failure, 2 usage or configuration error.
func realMain(ctx context.Context, args []string) int {
	a := newApp(os.Stdout, os.Stderr, os.Environ())
	err := a.execute(ctx, args)
	if err == nil {
		return 0
	}
	fmt.Fprintln(os.Stderr, "mesa:", err)
	if errors.Is(err, workbook.ErrCellLimit) {
		// Import, report, setup: the office person running them reads this.
		fmt.Fprintln(os.Stderr, "mesa: el libro llegó al límite de 10.000.000 celdas de Google (se cuentan también las vacías); "+
			"archive un año cerrado (mesa archive --year AAAA), elimine pestañas que no se usen o borre filas y columnas vacías, y vuelva a intentarlo.")
	}
	if errors.Is(err, errUsage) {
		return 2
	}
	return 1
}
