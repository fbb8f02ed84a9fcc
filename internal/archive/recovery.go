package archive

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"

	"github.com/funza-tic/mesa/internal/workbook"
)

// RecoveryTab is the archive workbook's tab that holds, while a run deletes
// rows from the live workbook, every live row the deletion must not take.
// Sheets deletes rows by position: a person sorting a tab in the instant
// before the deletion puts other rows under it. The run writes this record
// before it deletes, writes back after the deletion every row of the record
// that is no longer live, and removes the tab once none is missing. A run
// killed in between leaves the tab, and the next run (of any year) finishes
// the write-back before anything else. In the archive workbook rather than
// on the machine, so that a run on another machine finishes it too.
const RecoveryTab = "Recuperación"

// recoveryHeader explains the tab to a person who opens the archive.
var recoveryHeader = []string{"Filas del libro de trabajo que la mesa repone si el borrado de un traslado las alcanzó por error (JSON comprimido con gzip, en base64, celda tras celda). Se quita sola al terminar el traslado."}

const (
	// recChunk is the characters of the record a cell holds (Sheets takes
	// at most 50,000 in a cell), recWidth the cells of a row: the record
	// takes few cells of the workbook's 10 million.
	recChunk = 40000
	recWidth = 10
)

// record is what RecoveryTab holds: for each tab, its header and the rows
// to keep, as read.
type record []struct {
	Tab    string  `json:"tab"`
	Values [][]any `json:"values"` // header first
}

// keep returns, for each tab of before, a table of its header and the rows
// a deletion of moving cases' rows must not take: every keyed row that is
// not of a moving case (the snapshot rows have no case, records).
func keep(before map[string]table, moving map[int]bool) map[string]table {
	out := map[string]table{}
	for _, tab := range Tabs {
		t := before[tab.Name]
		if len(t.values) == 0 {
			continue
		}
		vals := [][]any{t.values[0]}
		for _, r := range t.records() {
			if r.key != "" && !(r.cas > 0 && moving[r.cas]) {
				vals = append(vals, r.raw)
			}
		}
		out[tab.Name] = newTable(tab, vals)
	}
	return out
}

// writeRecord writes the rows of keep of the tabs in tabs to the archive's
// RecoveryTab, protected like the rest of the archive.
func writeRecord(ctx context.Context, arch Sheet, keep map[string]table, tabs map[string]bool) error {
	var rec record
	for _, tab := range Tabs {
		if t, ok := keep[tab.Name]; ok && tabs[tab.Name] {
			rec = append(rec, struct {
				Tab    string  `json:"tab"`
				Values [][]any `json:"values"`
			}{tab.Name, t.values})
		}
	}
	var buf bytes.Buffer
	b64 := base64.NewEncoder(base64.StdEncoding, &buf)
	zw := gzip.NewWriter(b64)
	if err := json.NewEncoder(zw).Encode(rec); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := b64.Close(); err != nil {
		return err
	}
	rows := [][]string{recoveryHeader}
	for text := buf.String(); text != ""; {
		if len(rows) == 1 || len(rows[len(rows)-1]) == recWidth {
			rows = append(rows, nil)
		}
		n := min(recChunk, len(text))
		rows[len(rows)-1] = append(rows[len(rows)-1], text[:n])
		text = text[n:]
	}
	if _, err := arch.EnsureTabs(ctx, []string{RecoveryTab}); err != nil {
		return err
	}
	if err := arch.Replace(ctx, RecoveryTab, rows); err != nil {
		return err
	}
	_, err := arch.Protect(ctx, []string{RecoveryTab}, Protection)
	return err
}

// errPartialRecord is a record that does not decode: the run that wrote it
// died while writing it, before it deleted anything.
var errPartialRecord = errors.New("the recovery record is incomplete")

// readRecord reads an archive's RecoveryTab back as tables (ok false when
// the archive has none).
func readRecord(ctx context.Context, arch Sheet) (map[string]table, bool, error) {
	tabs, err := arch.Tabs(ctx)
	if err != nil || !slices.Contains(tabs, RecoveryTab) {
		return nil, false, err
	}
	vals, err := arch.Read(ctx, []string{RecoveryTab})
	if err != nil {
		return nil, false, err
	}
	var sb strings.Builder
	for i, r := range vals[0] {
		for _, c := range r {
			if i > 0 {
				sb.WriteString(workbook.Cell(c))
			}
		}
	}
	var rec record
	zr, err := gzip.NewReader(base64.NewDecoder(base64.StdEncoding, strings.NewReader(sb.String())))
	if err == nil {
		dec := json.NewDecoder(zr)
		err = dec.Decode(&rec)
		if err == nil {
			_, err = io.Copy(io.Discard, zr) // reads to the end: checks the gzip CRC
		}
	}
	if err != nil {
		return nil, true, fmt.Errorf("%w: %v", errPartialRecord, err)
	}
	out := map[string]table{}
	for _, e := range rec {
		if i := slices.IndexFunc(Tabs, func(t workbook.Tab) bool { return t.Name == e.Tab }); i >= 0 && len(e.Values) > 0 {
			out[e.Tab] = newTable(Tabs[i], e.Values)
		}
	}
	return out, true, nil
}

// writeBack writes back to the live workbook the rows of keep that are not
// live, and checks that none is missing: it reads again after a write-back,
// and writes again at most once. It returns how many rows it wrote back.
func writeBack(ctx context.Context, live Sheet, keep map[string]table) (int, error) {
	put := 0
	for range 2 {
		n, err := restore(ctx, live, keep)
		if err != nil || n == 0 {
			return put, err
		}
		put += n
	}
	return put, fmt.Errorf("%d rows written back are still missing from the live workbook", put)
}

// Recover finishes the write-back of an archive run killed between its
// deletion and its write-back (see RecoveryTab): `mesa run` calls it before
// its first cycle, so that no cycle works on a live workbook missing rows.
// It costs a Drive listing and one spreadsheets.get per archive workbook.
func Recover(ctx context.Context, d Deps) error {
	log := d.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	title, err := d.Live.Title(ctx)
	if err != nil {
		return err
	}
	return recoverRuns(ctx, d, title, log)
}

// recoverRuns finishes the write-back of a run killed after it wrote its
// recovery record: for every archive of the live workbook with a
// RecoveryTab, it writes back the rows of the record that are not live and
// then removes the tab.
func recoverRuns(ctx context.Context, d Deps, liveTitle string, log *slog.Logger) error {
	files, err := d.Files.Spreadsheets(ctx, d.Folder, strings.TrimSuffix(Title(liveTitle, 0), "0"))
	if err != nil {
		return fmt.Errorf("list the archive workbooks: %w", err)
	}
	for _, f := range files {
		arch := d.Open(f.ID)
		rec, ok, err := readRecord(ctx, arch)
		if !ok && err == nil {
			continue
		}
		put := 0
		switch {
		case errors.Is(err, errPartialRecord):
			log.Warn("an archive run died while writing its recovery record, before deleting anything: the record is removed", "archive", f.ID, "err", err)
		case err != nil:
			return fmt.Errorf("read the recovery record of %s: %w", f.Name, err)
		default:
			if put, err = writeBack(ctx, d.Live, rec); err != nil {
				return fmt.Errorf("write back the rows of the recovery record of %s: %w", f.Name, err)
			}
		}
		if put > 0 {
			log.Warn("an interrupted archive run deleted rows it did not mean to: written back from its recovery record", "archive", f.ID, "rows", put)
		}
		if _, err := arch.DeleteTabs(ctx, []string{RecoveryTab}); err != nil {
			return err
		}
	}
	return nil
}
