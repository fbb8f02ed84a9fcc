package workspacefake_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"google.golang.org/api/googleapi"
	"google.golang.org/api/sheets/v4"

	"github.com/funza-tic/mesa/internal/workspacefake"
)

func TestFaults(t *testing.T) {
	s, sv := open(t)
	id := newSpreadsheet(t, sv, "T").SpreadsheetId
	write := func(v string) error {
		_, err := sv.sheets.Spreadsheets.Values.Update(id, "T!A1", &sheets.ValueRange{Values: [][]any{{v}}}).ValueInputOption("RAW").Do()
		return err
	}
	cell := func() any {
		t.Helper()
		s.SetFault(nil)
		vr := must[*sheets.ValueRange](t)(sv.sheets.Spreadsheets.Values.Get(id, "T!A1").Do())
		if len(vr.Values) == 0 {
			return nil
		}
		return vr.Values[0][0]
	}
	only := func(f workspacefake.Fault) workspacefake.FaultFunc {
		return func(_ *http.Request, method string) *workspacefake.Fault {
			if method == "sheets.values.update" {
				return &f
			}
			return nil
		}
	}

	t.Run("429 with Retry-After", func(t *testing.T) {
		s.SetFault(only(workspacefake.Fault{Status: 429, RetryAfter: 1500 * time.Millisecond}))
		err := write("429")
		var ge *googleapi.Error
		if !errors.As(err, &ge) || ge.Code != 429 || ge.Header.Get("Retry-After") != "2" || len(ge.Errors) != 1 || ge.Errors[0].Reason != "rateLimitExceeded" {
			t.Fatalf("err = %#v", err)
		}
		if cell() == "429" {
			t.Error("a refused write was applied")
		}
	})
	t.Run("503", func(t *testing.T) {
		s.SetFault(only(workspacefake.Fault{Status: 503}))
		if err := write("503"); apiCode(err) != 503 {
			t.Fatalf("err = %v", err)
		}
		if cell() == "503" {
			t.Error("a refused write was applied")
		}
	})
	t.Run("reset", func(t *testing.T) {
		s.SetFault(only(workspacefake.Fault{Reset: true}))
		err := write("reset")
		if err == nil || apiCode(err) != 0 {
			t.Fatalf("err = %v, want a transport error", err)
		}
		if cell() == "reset" {
			t.Error("a reset write was applied")
		}
	})
	t.Run("lost reply", func(t *testing.T) {
		s.SetFault(only(workspacefake.Fault{Status: 503, AfterApply: true}))
		if err := write("applied"); apiCode(err) != 503 {
			t.Fatalf("err = %v", err)
		}
		if got := cell(); got != "applied" {
			t.Errorf("cell = %v, want the write applied despite the error", got)
		}
	})
	t.Run("lost reply with reset", func(t *testing.T) {
		s.SetFault(only(workspacefake.Fault{Reset: true, AfterApply: true}))
		if err := write("applied twice"); err == nil {
			t.Fatal("no error")
		}
		if got := cell(); got != "applied twice" {
			t.Errorf("cell = %v", got)
		}
	})
	t.Run("delay", func(t *testing.T) {
		s.SetFault(only(workspacefake.Fault{Delay: 50 * time.Millisecond}))
		start := time.Now()
		if err := write("slow"); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d < 50*time.Millisecond {
			t.Errorf("took %v", d)
		}
	})
	t.Run("FailTimes", func(t *testing.T) {
		s.SetFault(workspacefake.FailTimes("sheets.values.update", 2, workspacefake.Fault{Status: 500}))
		for i, want := range []int{500, 500, 0} {
			if code := apiCode(write("ft")); code != want {
				t.Errorf("call %d: code %d, want %d", i, code, want)
			}
		}
	})
}

func TestCalls(t *testing.T) {
	s, sv := open(t)
	id := newSpreadsheet(t, sv, "T").SpreadsheetId
	s.ResetCalls()
	for range 3 {
		must[*sheets.BatchGetValuesResponse](t)(sv.sheets.Spreadsheets.Values.BatchGet(id).Ranges("T!A1").Do())
	}
	must[*sheets.Spreadsheet](t)(sv.sheets.Spreadsheets.Get(id).Do())
	res, err := http.Get(s.URL() + "/v9/nothing")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	want := map[string]int{"sheets.values.batchGet": 3, "sheets.get": 1, "unknown": 1}
	if got := s.Calls(); len(got) != len(want) || got["sheets.values.batchGet"] != 3 || got["sheets.get"] != 1 || got["unknown"] != 1 {
		t.Errorf("calls = %v, want %v", got, want)
	}
	s.ResetCalls()
	if got := s.Calls(); len(got) != 0 {
		t.Errorf("after reset: %v", got)
	}
}

func TestErrorBodies(t *testing.T) {
	s, sv := open(t)
	_, err := sv.sheets.Spreadsheets.Values.Get("missing", "A1").Do()
	var ge *googleapi.Error
	if !errors.As(err, &ge) || ge.Code != 404 || ge.Message == "" || len(ge.Errors) != 1 || ge.Errors[0].Reason != "notFound" {
		t.Fatalf("err = %#v", err)
	}

	// The raw body has Google's shape, status included.
	res, err := http.Get(s.URL() + "/v4/spreadsheets/missing/unknown/route")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	var eb struct {
		Error struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
			Status  string `json:"status"`
			Errors  []struct {
				Message, Domain, Reason string
			} `json:"errors"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &eb); err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != 404 || eb.Error.Code != 404 || eb.Error.Status != "NOT_FOUND" || len(eb.Error.Errors) != 1 ||
		eb.Error.Errors[0].Domain != "global" || !strings.Contains(eb.Error.Message, "/v4/spreadsheets/missing/unknown/route") {
		t.Errorf("body = %s", body)
	}
}
