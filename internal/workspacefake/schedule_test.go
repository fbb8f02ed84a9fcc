package workspacefake_test

import (
	"net/http"
	"reflect"
	"testing"
	"time"

	"google.golang.org/api/sheets/v4"

	"github.com/funza-tic/mesa/internal/workspacefake"
)

// A schedule is a pure function of its seed and the request count.
func TestScheduleIsSeeded(t *testing.T) {
	draw := func(seed uint64) []workspacefake.Fault {
		f := workspacefake.Schedule(seed, workspacefake.Uniform(0.5))
		out := make([]workspacefake.Fault, 200)
		for i := range out {
			if ft := f(nil, "sheets.values.batchGet"); ft != nil {
				out[i] = *ft
			}
		}
		return out
	}
	a, b, c := draw(7), draw(7), draw(8)
	if !reflect.DeepEqual(a, b) {
		t.Error("same seed, different schedules")
	}
	if reflect.DeepEqual(a, c) {
		t.Error("different seeds, same schedule")
	}
	kinds := map[string]int{}
	for _, f := range a {
		switch {
		case f.AfterApply:
			kinds["lost reply"]++
		case f.Status == 429:
			kinds["quota"]++
		case f.Status >= 500:
			kinds["server"]++
		case f.Reset:
			kinds["reset"]++
		case f.Delay > time.Second:
			kinds["timeout"]++
		case f.Delay > 0:
			kinds["slow"]++
		default:
			kinds["none"]++
		}
	}
	for _, k := range []string{"lost reply", "quota", "server", "reset", "timeout", "slow", "none"} {
		if kinds[k] == 0 {
			t.Errorf("200 draws at 50%% gave no %s: %v", k, kinds)
		}
	}
}

func TestScheduleMethods(t *testing.T) {
	f := workspacefake.Schedule(1, workspacefake.Rates{ServerError: 1, Methods: func(m string) bool { return m == "gmail.messages.send" }})
	if f(nil, "sheets.values.batchGet") != nil {
		t.Error("faulted a method the filter excludes")
	}
	if ft := f(nil, "gmail.messages.send"); ft == nil || ft.Status < 500 {
		t.Errorf("fault = %+v, want a 5xx", ft)
	}
}

// The quota meter admits Limits per sliding minute of its clock, refuses
// the rest with 429 and a Retry-After, and counts both.
func TestQuotaMeter(t *testing.T) {
	s, sv := open(t)
	id := newSpreadsheet(t, sv, "T").SpreadsheetId
	now := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	q := workspacefake.NewQuota(workspacefake.Limits{SheetsReadsPerMinute: 3, SheetsWritesPerMinute: 2, Clock: func() time.Time { return now }})
	s.SetFault(q.Fault)
	write := func() error {
		_, err := sv.sheets.Spreadsheets.Values.Update(id, "T!A1", &sheets.ValueRange{Values: [][]any{{"x"}}}).ValueInputOption("RAW").Do()
		return err
	}
	read := func() error {
		_, err := sv.sheets.Spreadsheets.Values.Get(id, "T!A1").Do()
		return err
	}
	for i, want := range []int{0, 0, 429} {
		if code := apiCode(write()); code != want {
			t.Errorf("write %d: %d, want %d", i, code, want)
		}
		now = now.Add(10 * time.Second)
	}
	for i, want := range []int{0, 0, 0, 429} {
		if code := apiCode(read()); code != want {
			t.Errorf("read %d: %d, want %d", i, code, want)
		}
	}
	now = now.Add(31 * time.Second) // the first write leaves the window
	if err := write(); err != nil {
		t.Errorf("write after the window moved: %v", err)
	}
	st := q.Stats()
	if st.Refused["write"] != 1 || st.Refused["read"] != 1 || st.Peak["write"] != 2 || st.Peak["read"] != 3 {
		t.Errorf("stats = %+v", st)
	}
	if q.Fault(&http.Request{}, "gmail.messages.send") != nil {
		t.Error("the Sheets quota refused a Gmail call")
	}
}
