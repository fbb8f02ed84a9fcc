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
// workbook's version is the one the last cycle started from, no form has a
// response after its watermark, no timer or service level falls due, the
// outbox is empty, and (with e-mail intake) the inbox has no new request.
// It also returns the workbook version it read (-1 if none), which a busy
// cycle then remembers: read before the workbook, it is older than any
// edit made while the cycle runs.
func (w *Worker) idle(ctx context.Context, now time.Time) (bool, int64, error) {
	if w.Watch == nil || w.Changes == nil || w.SpreadsheetID == "" {
		return false, -1, nil
	}
	wt, ok := w.Watch.Load()
	if !ok || wt.Spreadsheet != w.SpreadsheetID || wt.Outbox || (!wt.Until.IsZero() && !now.Before(wt.Until)) {
		return false, -1, nil
	}
	v, err := w.Changes.Version(ctx, w.SpreadsheetID)
	if err != nil {
		return false, -1, err
	}
	if v != wt.Version {
		return false, v, nil
	}
	for _, form := range procedure.Forms {
		fc := w.Config.Forms[form]
		if fc.ID == "" {
			continue
		}
		rs, err := w.Responses.Since(ctx, fc.ID, wt.Marks[form])
		if err != nil {
			return false, v, err
		}
		for _, r := range rs {
			if !r.Submitted.Truncate(time.Second).After(now) {
				return false, v, nil
			}
		}
	}
	if w.Config.Intake {
		if !wt.Intake {
			return false, v, nil // remembered before intake was on
		}
		idle, err := w.inboxIdle(ctx, &wt)
		return idle, v, err
	}
	return true, v, nil
}

// version reads the workbook's Drive version for the Watch; -1 when there
// is no Watch or the read failed (the next cycle then reads the workbook).
func (w *Worker) version(ctx context.Context) int64 {
	if w.Watch == nil || w.Changes == nil || w.SpreadsheetID == "" {
		return -1
	}
	v, err := w.Changes.Version(ctx, w.SpreadsheetID)
	if err != nil {
		w.Log.Warn("cannot read the workbook version; the next cycle reads everything", "err", err)
		return -1
	}
	return v
}

// remember saves the Watch after a busy cycle.
//
// The version is the one read before the cycle read the workbook, not the
// one its own writes produced: Drive counts every change and says nothing
// of who made it, so a person's edit landing between the cycle's read and
// its last write could not be told apart from the cycle's writes. A cycle
// that wrote is therefore followed by one that reads the workbook again
// (and, when nobody else wrote, writes nothing and remembers the version
// its predecessor left); the cycle after that is idle.
//
// The watermarks are the newest lastSubmittedTime listed per form, at
// Forms' full precision, so "timestamp > mark" lists nothing once every
// response is in: the journal's instants are cut to the second and an
// edit keeps the instant first applied.
func (w *Worker) remember(ctx context.Context, now time.Time, st *state, res *procedure.Result, loc *time.Location, ob *outbox) error {
	if w.Watch == nil || w.Changes == nil || w.SpreadsheetID == "" {
		return nil
	}
	// An unknown version (-1) matches none: the next cycle reads.
	wt := Watch{Spreadsheet: w.SpreadsheetID, Version: st.version, Marks: map[procedure.Form]time.Time{},
		Until: res.NextChange(now, loc, w.Config.Settings), Outbox: ob.busy(now)}
	if d := ob.nextRelease(now); !d.IsZero() && (wt.Until.IsZero() || d.Before(wt.Until)) {
		wt.Until = d
	}
	if d := w.nextDigest(now, loc); !d.IsZero() && (wt.Until.IsZero() || d.Before(wt.Until)) {
		wt.Until = d
	}
	for form, t := range st.marks { // the journal's, with this cycle's decisions (run)
		wt.Marks[form] = t
	}
	for form, ts := range st.listed {
		for _, t := range ts {
			// A response after now (a run with --now in the past) is not
			// applied yet: the mark stays before it.
			if !t.Truncate(time.Second).After(now) && t.After(wt.Marks[form]) {
				wt.Marks[form] = t
			}
		}
	}
	if w.Config.Intake {
		rememberInbox(&wt, res.Journal)
	}
	return w.Watch.Save(wt)
}

// busy reports whether the outbox has mail to send or to verify now (mail
// held for working hours is not: nextRelease wakes the cycle for it).
func (ob *outbox) busy(now time.Time) bool {
	for _, m := range ob.msgs {
		if (m.State == Pending || m.State == "") && ob.held(now, m) {
			continue
		}
		if m.State == Pending || m.State == Sending || m.State == "" {
			return true
		}
	}
	return false
}
