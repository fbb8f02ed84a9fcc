package workbook

// Rebase moves positional writes to where their rows are now. Rows are
// found by key when a cycle reads the workbook, but written seconds or
// minutes later; meanwhile a person may sort the tab, insert or delete a
// row, and another cycle may add rows. keys holds, per tab, the key column
// as the tab holds it just before the write (keys[tab][0] is sheet row 1,
// the header). A write whose row moved follows its key; a write to a row
// that is gone (deleted by a person) is dropped (the next cycle plans
// against the tab as it then is); new rows skip keys another writer added
// meanwhile and go below the last row. Writes with no position pass as
// they are. It returns the writes and how many were moved or dropped.
func Rebase(ups []Update, keys map[string][]any) ([]Update, int) {
	type tabKeys struct {
		row  map[string]int  // key -> sheet row (first occurrence)
		ours map[string]bool // new rows this rebase placed
		next int             // first sheet row below the last key
	}
	idx := map[string]*tabKeys{}
	lookup := func(tab string) *tabKeys {
		if t, ok := idx[tab]; ok {
			return t
		}
		col := keys[tab]
		t := &tabKeys{row: make(map[string]int, len(col)), ours: map[string]bool{}, next: len(col) + 1}
		for i, v := range col {
			if k := Cell(v); k != "" {
				if _, dup := t.row[k]; !dup {
					t.row[k] = i + 1
				}
			}
		}
		idx[tab] = t
		return t
	}
	out := make([]Update, 0, len(ups))
	changed := 0
	for _, u := range ups {
		at := u.At
		if at == nil || len(at.Keys) == 0 {
			out = append(out, u)
			continue
		}
		if _, ok := keys[at.Tab]; !ok {
			out = append(out, u)
			continue
		}
		t := lookup(at.Tab)
		if at.Dup {
			// A duplicate's cleanup: only if this row still holds the key
			// and an earlier row holds it too.
			col := keys[at.Tab]
			first, ok := t.row[at.Keys[0]]
			if !ok || at.First-1 >= len(col) || Cell(col[at.First-1]) != at.Keys[0] || first >= at.First {
				changed++
				continue
			}
			out = append(out, u)
			continue
		}
		if at.Keys[0] == "" {
			// A stray row's cleanup: only if the row still has no key.
			if col := keys[at.Tab]; at.First-1 < len(col) && Cell(col[at.First-1]) != "" {
				changed++
				continue
			}
			out = append(out, u)
			continue
		}
		if !at.New {
			row, ok := t.row[at.Keys[0]]
			switch {
			case !ok:
				changed++
			case row == at.First:
				out = append(out, u)
			default:
				changed++
				out = append(out, moved(u, row))
			}
			continue
		}
		if len(at.Keys) == 1 && t.ours[at.Keys[0]] {
			// Another run of a new row placed just above.
			if row := t.row[at.Keys[0]]; row != at.First {
				changed++
				u = moved(u, row)
			}
			out = append(out, u)
			continue
		}
		// New rows: those someone else added meanwhile are there already.
		var vals [][]any
		var ks []string
		for i, k := range at.Keys {
			if _, ok := t.row[k]; ok {
				continue
			}
			vals, ks = append(vals, u.Values[i]), append(ks, k)
		}
		first := max(at.First, t.next)
		if len(ks) == len(at.Keys) && first == at.First {
			out = append(out, u)
		} else {
			changed++
			if len(ks) > 0 {
				n := *at
				n.First, n.Keys = first, ks
				out = append(out, Update{Range: A1(at.Tab, at.C0, first, at.C1, first+len(ks)-1), Values: vals, At: &n})
			}
		}
		for i, k := range ks {
			t.row[k] = first + i
			t.ours[k] = true
		}
		t.next = max(t.next, first+len(ks))
	}
	return out, changed
}

func moved(u Update, row int) Update {
	n := *u.At
	n.First = row
	return Update{Range: A1(n.Tab, n.C0, row, n.C1, row+len(u.Values)-1), Values: u.Values, At: &n}
}

// KeyRange is the A1 range of a tab's key column, header included.
func KeyRange(tab string, col int) string {
	return Quote(tab) + "!" + Letters(col) + ":" + Letters(col)
}

// Strays returns the writes that empty the worker cells of rows without a
// key, and of second rows of a key. Such rows can only come from a
// positional write that a person's row insertion moved off its row in the
// instant between the key check and the write (Sheets has no conditional
// write): the cells belong to no case or notification, or repeat one whose
// first row is the one every cycle reads. People's columns are left alone,
// and so is a row whose worker cells are all empty (a blank row a person
// inserted).
func Strays(t Table) []Update {
	pos := t.Columns()
	keyCol, ok := pos[fold(t.Tab.Key)]
	if !ok {
		return nil
	}
	var ups []Update
	seen := map[string]bool{}
	for i, row := range t.Rows {
		key := get(row, keyCol)
		if key != "" && !seen[key] {
			seen[key] = true
			continue
		}
		cells := map[int]any{}
		for _, c := range t.Tab.Columns {
			if p, ok := pos[fold(c.Name)]; ok && get(row, p) != "" {
				cells[p] = ""
			}
		}
		for _, u := range runs(t.Tab.Name, i+2, cells) {
			u.At.KeyCol, u.At.Keys, u.At.Dup = keyCol, []string{key}, key != ""
			ups = append(ups, u)
		}
	}
	return ups
}
