package workbook

import (
	"reflect"
	"testing"
)

// Writes planned against one read of a tab follow their rows' keys when a
// person sorted, inserted or deleted rows before the write.
func TestRebase(t *testing.T) {
	tab := Tab{Name: "Notificaciones", Key: "ID", Columns: []Column{{Name: "ID"}, {Name: "Estado"}}}
	read := NewTable(tab, [][]any{{"ID", "Estado"}, {"a", "Pendiente"}, {"b", "Pendiente"}, {"c", "Pendiente"}})
	ups, _ := Plan(read, [][]string{{"a", "Pendiente"}, {"b", "Enviado"}, {"c", "Pendiente"}, {"d", "Pendiente"}})
	keys := func(k ...any) []any { return append([]any{"ID"}, k...) }
	for _, tc := range []struct {
		name   string
		now    []any // the key column just before the write
		ranges []string
	}{
		{"nothing moved", keys("a", "b", "c"), []string{"'Notificaciones'!B3:B3", "'Notificaciones'!A5:B5"}},
		{"sorted newest first", keys("c", "b", "a"), []string{"'Notificaciones'!B3:B3", "'Notificaciones'!A5:B5"}},
		{"sorted, b on top", keys("b", "c", "a"), []string{"'Notificaciones'!B2:B2", "'Notificaciones'!A5:B5"}},
		{"a blank row inserted on top", keys(nil, "a", "b", "c"), []string{"'Notificaciones'!B4:B4", "'Notificaciones'!A6:B6"}},
		{"a deleted", keys("b", "c"), []string{"'Notificaciones'!B2:B2", "'Notificaciones'!A5:B5"}},
		{"b deleted: its write is dropped", keys("a", "c"), []string{"'Notificaciones'!A5:B5"}},
		{"another writer added d", keys("a", "b", "c", "d"), []string{"'Notificaciones'!B3:B3"}},
		{"another writer added e", keys("a", "b", "c", "e"), []string{"'Notificaciones'!B3:B3", "'Notificaciones'!A6:B6"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := Rebase(ups, map[string][]any{tab.Name: tc.now})
			var ranges []string
			for _, u := range got {
				ranges = append(ranges, u.Range)
			}
			if !reflect.DeepEqual(ranges, tc.ranges) {
				t.Errorf("ranges = %v, want %v", ranges, tc.ranges)
			}
		})
	}
}

// A row without a key but with worker cells (a write that a person's row
// insertion moved off its row) is emptied, people's cells left alone, and
// only while it still has no key.
func TestStrays(t *testing.T) {
	tab := Tab{Name: "Notificaciones", Key: "ID", Columns: []Column{{Name: "ID"}, {Name: "Estado"}, {Name: "ID Gmail"}}}
	read := NewTable(tab, [][]any{{"ID", "Estado", "ID Gmail", "Notas"}, {"a", "Enviado", "g1"}, {"", "Enviando", "reclamo x", "llamar"}, {}, {"", "", "", "solo notas"}})
	ups := Strays(read)
	if len(ups) != 1 || ups[0].Range != "'Notificaciones'!B3:C3" || !reflect.DeepEqual(ups[0].Values, [][]any{{"", ""}}) {
		t.Fatalf("Strays = %+v, want B3:C3 emptied", ups)
	}
	if got, _ := Rebase(ups, map[string][]any{tab.Name: {"ID", "a", nil}}); len(got) != 1 {
		t.Errorf("a stray row still without key: %d writes, want 1", len(got))
	}
	if got, _ := Rebase(ups, map[string][]any{tab.Name: {"ID", "b", "a"}}); len(got) != 0 {
		t.Errorf("row 3 holds a notification now: %d writes, want 0", len(got))
	}

	// A second row of a key: emptied, key included, while it is one.
	read = NewTable(tab, [][]any{{"ID", "Estado", "ID Gmail"}, {"a", "Pendiente"}, {"b", "Enviado", "g2"}, {"a", "Enviado", "g1"}})
	ups = Strays(read)
	if len(ups) != 1 || ups[0].Range != "'Notificaciones'!A4:C4" {
		t.Fatalf("Strays = %+v, want A4:C4 emptied", ups)
	}
	if got, _ := Rebase(ups, map[string][]any{tab.Name: {"ID", "a", "b", "a"}}); len(got) != 1 {
		t.Errorf("still a duplicate: %d writes, want 1", len(got))
	}
	if got, _ := Rebase(ups, map[string][]any{tab.Name: {"ID", "b", "c", "a"}}); len(got) != 0 {
		t.Errorf("row 4 is the only a now: %d writes, want 0", len(got))
	}
}
