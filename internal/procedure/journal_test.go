package procedure

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestPackKeepsEveryField fills every field of Data, each with its own
// value, and reads it back from a Journal: a field added to Data and not to
// pack is lost, and this fails.
func TestPackKeepsEveryField(t *testing.T) {
	var d Data
	v := reflect.ValueOf(&d).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString("campo " + v.Type().Field(i).Name + " ñ")
		case reflect.Int:
			f.SetInt(int64(i + 1))
		case reflect.Bool:
			f.SetBool(true)
		case reflect.Slice:
			switch f.Type().Elem().Kind() {
			case reflect.Int:
				f.Set(reflect.ValueOf([]int{7, 300, 70000}))
			case reflect.String:
				f.Set(reflect.ValueOf([]string{"r1", "", "respuesta larga " + strconv.Itoa(i)}))
			default:
				t.Fatalf("Data.%s: pack does not know %s", v.Type().Field(i).Name, f.Type())
			}
		default:
			t.Fatalf("Data.%s: pack does not know %s", v.Type().Field(i).Name, f.Type())
		}
	}
	e := Event{ID: "E1", At: time.Date(2026, 2, 16, 9, 30, 0, 0, time.UTC), Case: 12, Rule: F5, Kind: KAttended, Response: "R1", Data: d}
	j := JournalOf(Event{ID: "E0", Kind: KRegistered}, e)
	if got := j.Event(1); !reflect.DeepEqual(got, e) {
		t.Fatalf("unpacked\n%+v\nwant\n%+v", got, e)
	}
	if got := j.Event(0); !reflect.DeepEqual(got, Event{ID: "E0", Kind: KRegistered}) {
		t.Fatalf("empty data unpacked as %+v", got)
	}
	// A text longer than 127 bytes takes a longer length, and numbers
	// below zero wrap and read back.
	long := Data{Description: string(make([]byte, 70000)), Rating: -3, Cases: []int{-1}}
	if got := JournalOf(Event{Data: long}).Event(0).Data; !reflect.DeepEqual(got, long) {
		t.Fatalf("long text or negative numbers changed: rating %d cases %v", got.Rating, got.Cases)
	}
}

// The set of journaled IDs keeps eventID's IDs as numbers and any other as
// text; an ID that spells a number another way (upper-case digits, a
// letter past f) is another ID.
func TestIDSet(t *testing.T) {
	var s idSet
	id := eventID("F-2", "resp-1")
	for _, x := range []string{id, "E1", strings.ToUpper(id[:1]) + strings.ToUpper(id[1:]), "E" + strings.Repeat("g", 16)} {
		if s.has(x) || !s.add(x) || !s.has(x) || s.add(x) {
			t.Errorf("%q: not added once", x)
		}
	}
	if len(s.nums) != 1 || len(s.texts) != 3 {
		t.Errorf("%d numbers and %d texts, want 1 and 3", len(s.nums), len(s.texts))
	}
}

// A journal's IDs read at once (the sorted part) and added later (the map)
// answer alike, and a repeated ID is found in either part.
func TestIDSetReadAll(t *testing.T) {
	a, b := eventID("F-2", "r1"), eventID("F-2", "r2")
	var s idSet
	if s.readAll(JournalOf(Event{ID: a}, Event{ID: "hecho a mano"})) {
		t.Fatal("no ID is repeated")
	}
	if !s.has(a) || !s.has("hecho a mano") || s.has(b) || s.add(a) || s.add("hecho a mano") || !s.add(b) || !s.has(b) {
		t.Fatal("the set does not hold what it read and what was added")
	}
	for _, j := range []Journal{JournalOf(Event{ID: b}, Event{ID: a}, Event{ID: b}), JournalOf(Event{ID: "x"}, Event{ID: "x"})} {
		if !new(idSet).readAll(j) {
			t.Errorf("%d events with a repeated ID: not found", j.Len())
		}
	}
}
