package worker

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"time"

	"github.com/funza-tic/mesa/internal/procedure"
)

// Watch is what the worker remembers between cycles so that an idle cycle
// costs one cheap call per source (the workbook's Drive version, one
// filtered responses.list per form) instead of reading the whole workbook.
// It is only a cache: losing it costs one full read.
type Watch struct {
	Spreadsheet string                       `json:"spreadsheet"`
	Version     int64                        `json:"version"`
	Marks       map[procedure.Form]time.Time `json:"marks"`  // latest applied response per form
	Until       time.Time                    `json:"until"`  // next change the clock alone brings
	Outbox      bool                         `json:"outbox"` // mail left to send or to verify

	// E-mail intake (intake.go): where the inbox listing starts, and the
	// messages after it that were taken or are known not to be requests.
	Intake     bool      `json:"intake,omitempty"`
	InboxAfter time.Time `json:"inbox_after,omitzero"`
	InboxKnown []string  `json:"inbox_known,omitempty"`
}

// WatchStore keeps the Watch between runs.
type WatchStore interface {
	Load() (Watch, bool)
	Save(Watch) error
}

// Versioner reads a file's Drive version, which changes on every edit.
type Versioner interface {
	Version(ctx context.Context, fileID string) (int64, error)
}

// FileWatch stores the Watch as JSON in a file of the data directory.
type FileWatch string

// Load reads the watch; a missing or unreadable file means "read everything".
func (f FileWatch) Load() (Watch, bool) {
	b, err := os.ReadFile(string(f))
	if err != nil {
		return Watch{}, false
	}
	var w Watch
	if json.Unmarshal(b, &w) != nil {
		return Watch{}, false
	}
	return w, true
}

// Save writes the watch atomically.
func (f FileWatch) Save(w Watch) error {
	b, err := json.Marshal(w)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(string(f)), 0o755); err != nil {
		return err
	}
	tmp := string(f) + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, string(f))
}

// idle reports whether nothing can have changed since the last cycle: the
// workbook's version is the one this worker last wrote, no form has a
// response after its watermark, no timer or service level falls due, the
// outbox is empty, and (with e-mail intake) the inbox has no new request.
func (w *Worker) idle(ctx context.Context, now time.Time) (bool, error) {
	if w.Watch == nil || w.Changes == nil || w.SpreadsheetID == "" {
		return false, nil
	}
	wt, ok := w.Watch.Load()
	if !ok || wt.Spreadsheet != w.SpreadsheetID || wt.Outbox || (!wt.Until.IsZero() && !now.Before(wt.Until)) {
		return false, nil
	}
	v, err := w.Changes.Version(ctx, w.SpreadsheetID)
	if err != nil || v != wt.Version {
		return false, err
	}
	for _, form := range procedure.Forms {
		fc := w.Config.Forms[form]
		if fc.ID == "" {
			continue
		}
		rs, err := w.Responses.Since(ctx, fc.ID, wt.Marks[form])
		if err != nil {
			return false, err
		}
		for _, r := range rs {
			if !r.Submitted.After(now) {
				return false, nil
			}
		}
	}
	if w.Config.Intake {
		if !wt.Intake {
			return false, nil // remembered before intake was on
		}
		return w.inboxIdle(ctx, &wt)
	}
	return true, nil
}

// remember saves the Watch after a busy cycle wrote the workbook.
func (w *Worker) remember(ctx context.Context, now time.Time, res *procedure.Result, loc *time.Location, ob *outbox) error {
	if w.Watch == nil || w.Changes == nil || w.SpreadsheetID == "" {
		return nil
	}
	v, err := w.Changes.Version(ctx, w.SpreadsheetID)
	if err != nil {
		return err
	}
	wt := Watch{Spreadsheet: w.SpreadsheetID, Version: v, Marks: map[procedure.Form]time.Time{},
		Until: res.NextChange(now, loc, w.Config.Settings), Outbox: ob.busy()}
	if d := w.nextDigest(now, loc); !d.IsZero() && (wt.Until.IsZero() || d.Before(wt.Until)) {
		wt.Until = d
	}
	for _, e := range res.Journal {
		if e.Response != "" && !isIntake(e.Response) && e.At.After(wt.Marks[e.Data.Form]) {
			wt.Marks[e.Data.Form] = e.At
		}
	}
	if w.Config.Intake {
		rememberInbox(&wt, res.Journal)
	}
	return w.Watch.Save(wt)
}

// busy reports whether the outbox has mail to send or to verify.
func (ob *outbox) busy() bool {
	for _, m := range ob.msgs {
		if m.State == Pending || m.State == Sending || m.State == "" {
			return true
		}
	}
	return false
}
