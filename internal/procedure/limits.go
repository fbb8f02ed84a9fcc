package procedure

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxCell is the most characters a Google Sheets cell holds: a write with a
// longer cell is refused whole, with every other cell of its request, so
// one long answer would stop every cycle. Google does not say what it counts
// as a character; CellLen counts UTF-16 code units (Google's servers count
// Java strings), which is never fewer than the runes.
//
// The limit is applied in two places, both here:
//   - the fold fits each event's data before it is journaled (fitData), so
//     that its JSON fits the Historial cell. This is done in the fold, not
//     when rendering, so that the journal holds exactly what the fold
//     decided: a case replayed from the journal reads the same as the case
//     the fold built, and since an event's ID never depends on its data, a
//     re-run produces the same events, fitted the same way;
//   - every other cell the worker writes (a Describe line, an outbox row, a
//     note quoting several answers) is clipped when rendered (ClipCell, from
//     workbook.Plan): those cells are views, rebuilt from the journal.
const MaxCell = 50_000

// CellLen returns the length of s as Google counts a cell's characters.
func CellLen(s string) int {
	n := 0
	for _, r := range s {
		n += cellRuneLen(r)
	}
	return n
}

// fits reports whether s holds in a cell, cheaply for short strings.
func fits(s string) bool { return len(s) <= MaxCell || CellLen(s) <= MaxCell }

// EncodeData renders an event's data as the journal stores it: JSON without
// HTML escaping, so '<', '>' and '&' take one character each and not six
// ("\u003c"); encoding/json reads both forms back the same.
func EncodeData(d Data) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(d) // Data has only strings, ints, bools and []int
	return strings.TrimSuffix(buf.String(), "\n")
}

// fitData cuts the longest texts of d until its journal JSON fits a cell,
// each cut text ending with a note in Spanish saying so and, when the text
// came from a form response, where the full answer is: Google Forms keeps
// every response, and people read it there. Pure and deterministic: the
// same data is cut the same way on every run.
func fitData(d Data, response string) Data {
	if fits(EncodeData(d)) {
		return d
	}
	v := reflect.ValueOf(&d).Elem()
	var texts []reflect.Value
	for i := range v.NumField() {
		if f := v.Field(i); f.Kind() == reflect.String {
			texts = append(texts, f)
		}
	}
	for {
		excess := CellLen(EncodeData(d)) - MaxCell
		if excess <= 0 {
			return d
		}
		// The longest text, by its length in the JSON.
		var longest reflect.Value
		size := 0
		for _, f := range texts {
			if n := jsonLen(f.String()); n > size {
				longest, size = f, n
			}
		}
		note := jsonLen(cutNote(MaxCell, response)) + 1
		if size <= 2*note {
			return d // nothing left worth cutting (only a list of case numbers is this long)
		}
		// Cut it by the excess, or by half when that would leave too
		// little (several long texts share the cell).
		target := max(size-excess-note, size/2)
		longest.SetString(clip(longest.String(), target, response, jsonRuneLen))
	}
}

// clip returns s cut so that its length, each rune counted by width, is at
// most room, followed by the note saying how many characters were kept.
func clip(s string, room int, response string, width func(rune) int) string {
	kept, n := 0, 0
	for i, r := range s {
		w := width(r)
		if n+w > room {
			break
		}
		n += w
		kept = i + utf8.RuneLen(r)
	}
	head := strings.TrimSpace(s[:kept])
	return head + " " + cutNote(utf8.RuneCountInString(head), response)
}

// cutNote is the note that ends a cut text.
func cutNote(chars int, response string) string {
	if response == "" {
		return "[Texto recortado a " + strconv.Itoa(chars) + " caracteres: no cabe en una celda de Google Sheets]"
	}
	return "[Texto recortado a " + strconv.Itoa(chars) + " caracteres; la respuesta completa está en el formulario, respuesta " + response + "]"
}

// ClipCell returns s unchanged when it fits a cell, else cut to fit with
// the note. It is the last guard for cells that are not journal data.
func ClipCell(s string) string {
	if fits(s) {
		return s
	}
	return clip(s, MaxCell-len(cutNote(MaxCell, ""))-1, "", cellRuneLen)
}

func cellRuneLen(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

// jsonLen is the length of s once written as a JSON string by EncodeData,
// counted as CellLen counts.
func jsonLen(s string) int {
	n := 0
	for _, r := range s {
		n += jsonRuneLen(r)
	}
	return n
}

func jsonRuneLen(r rune) int {
	switch {
	case r == '"' || r == '\\' || r == '\n' || r == '\r' || r == '\t':
		return 2
	case r < 0x20 || r == '\u2028' || r == '\u2029' || r == utf8.RuneError:
		return 6
	case r >= 0x10000:
		return 2
	}
	return 1
}
