package backend_test

import (
	"github.com/funza-tic/mesa/internal/drive"
	"github.com/funza-tic/mesa/internal/forms"
	"github.com/funza-tic/mesa/internal/gmail"
	"github.com/funza-tic/mesa/internal/privacy"
	"github.com/funza-tic/mesa/internal/report"
	"github.com/funza-tic/mesa/internal/sheets"
	"github.com/funza-tic/mesa/internal/worker"
)

// The packages that use the workspace declare the small interfaces they
// need in their own terms; the adapters this package connects are checked
// against them here, where both sides are known. A test file: report's own
// tests open a local backend, so backend itself cannot import report. go
// vet and go test compile it; cmd/mesa's wiring checks the same at build.
var (
	_ worker.Sheet          = (*sheets.Client)(nil)
	_ worker.CellCounter    = (*sheets.Client)(nil)
	_ worker.ResponseSource = (*forms.Client)(nil)
	_ worker.Mailer         = (*gmail.Client)(nil)
	_ worker.Inbox          = (*gmail.Client)(nil)
	_ worker.Versioner      = (*drive.Client)(nil)
	_ report.Sheet          = (*sheets.Client)(nil)
	_ report.Uploader       = (*drive.Client)(nil)
	_ privacy.WriteSheet    = (*sheets.Client)(nil)
	_ privacy.Responses     = (*forms.Client)(nil)
)
