package archive

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
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
var recoveryHeader = []string{"Pestaña", "Clase", "Contenido (JSON; filas que la mesa repone si un borrado las alcanzó por error)"}

const (
	recHeader = "encabezado"
	recRow    = "fila"
	// recChunk is the most runes of JSON a record cell holds (Sheets
	// takes at most 50,000 characters in a cell).
	recChunk = 30000
)

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
	rows := [][]string{recoveryHeader}
	for _, tab := range Tabs {
		t, ok := keep[tab.Name]
		if !ok || !tabs[tab.Name] {
			continue
		}
		for i, v := range t.values {
			kind := recRow
			if i == 0 {
				kind = recHeader
			}
			cells, err := encodeRow(v)
			if err != nil {
				return fmt.Errorf("recovery record of %s: %w", tab.Name, err)
			}
			rows = append(rows, append([]string{tab.Name, kind}, cells...))
		}
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
	byTab := map[string][][]any{}
	for i, r := range vals[0] {
		if i == 0 || len(r) < 3 {
			continue
		}
		name, kind := workbook.Cell(r[0]), workbook.Cell(r[1])
		var sb strings.Builder
		for _, c := range r[2:] {
			sb.WriteString(workbook.Cell(c))
		}
		var row []any
		if err := json.Unmarshal([]byte(sb.String()), &row); err != nil {
			return nil, false, fmt.Errorf("recovery record, row %d: %w", i+1, err)
		}
		if kind == recHeader {
			byTab[name] = append([][]any{row}, byTab[name]...)
		} else {
			byTab[name] = append(byTab[name], row)
		}
	}
	out := map[string]table{}
	for _, tab := range Tabs {
		if v, ok := byTab[tab.Name]; ok {
			out[tab.Name] = newTable(tab, v)
		}
	}
	return out, true, nil
}

// encodeRow is a row's values as JSON in cells of at most recChunk runes.
func encodeRow(v []any) ([]string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	s := []rune(strings.TrimSpace(buf.String()))
	var out []string
	for len(s) > recChunk {
		out = append(out, string(s[:recChunk]))
		s = s[recChunk:]
	}
	return append(out, string(s)), nil
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
	files, err := d.Files.Spreadsheets(ctx, d.Folder, liveTitle+" — Archivo ")
	if err != nil {
		return fmt.Errorf("list the archive workbooks: %w", err)
	}
	for _, f := range files {
		arch := d.Open(f.ID)
		rec, ok, err := readRecord(ctx, arch)
		if err != nil {
			return fmt.Errorf("read the recovery record of %s: %w", f.Name, err)
		}
		if !ok {
			continue
		}
		put, err := writeBack(ctx, d.Live, rec)
		if err != nil {
			return fmt.Errorf("write back the rows of the recovery record of %s: %w", f.Name, err)
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
