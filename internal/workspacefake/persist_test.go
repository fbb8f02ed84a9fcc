package workspacefake_test

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"google.golang.org/api/drive/v3"
	"google.golang.org/api/forms/v1"
	"google.golang.org/api/gmail/v1"
	"google.golang.org/api/sheets/v4"

	"github.com/funza-tic/mesa/internal/workspacefake"
)

// fixture writes one of everything and returns what to look for later.
type fixture struct {
	ssID, formID, respID, fileID, mailID, sheetTitle string
	questionID                                       string
}

func writeFixture(t *testing.T, s *workspacefake.Server, sv *services) fixture {
	t.Helper()
	var fx fixture
	ss := newSpreadsheet(t, sv, "Casos")
	fx.ssID = ss.SpreadsheetId
	must[*sheets.UpdateValuesResponse](t)(sv.sheets.Spreadsheets.Values.Update(fx.ssID, "Casos!A1", &sheets.ValueRange{
		Values: [][]any{{"Caso", "Estado", "N"}, {"1", "Abierto", 2.5}, {"=1+1", true}},
	}).ValueInputOption("RAW").Do())
	must[*sheets.UpdateValuesResponse](t)(sv.sheets.Spreadsheets.Values.Update(fx.ssID, "Casos!D1", &sheets.ValueRange{
		Values: [][]any{{"=SUM(1,2)"}},
	}).ValueInputOption("USER_ENTERED").Do())
	res := must[*sheets.BatchUpdateSpreadsheetResponse](t)(sv.sheets.Spreadsheets.BatchUpdate(fx.ssID, &sheets.BatchUpdateSpreadsheetRequest{
		Requests: []*sheets.Request{{AddSheet: &sheets.AddSheetRequest{Properties: &sheets.SheetProperties{Title: "Historial"}}}},
	}).Do())
	fx.sheetTitle = res.Replies[0].AddSheet.Properties.Title
	fx.formID = must[string](t)(s.CreateForm("Solicitudes", []string{"Edificio"}))
	f := must[*forms.Form](t)(sv.forms.Forms.Get(fx.formID).Do())
	fx.questionID = f.Items[0].QuestionItem.Question.QuestionId
	fx.respID = must[string](t)(s.SubmitResponse(fx.formID, "a@x.co", time.Date(2026, 3, 18, 10, 0, 0, 0, time.UTC), map[string]string{"Edificio": "Alcaldía"}))
	fx.fileID = must[*drive.File](t)(sv.drive.Files.Create(&drive.File{Name: "r.txt"}).Media(strings.NewReader("reporte")).Do()).Id
	fx.mailID = must[*gmail.Message](t)(sv.gmail.Users.Messages.Send("me", &gmail.Message{
		Raw: base64.URLEncoding.EncodeToString([]byte("To: a@x.co\r\nSubject: s\r\n\r\nb\r\n")),
	}).Do()).Id
	return fx
}

func checkFixture(t *testing.T, s *workspacefake.Server, sv *services, fx fixture) {
	t.Helper()
	vr := must[*sheets.ValueRange](t)(sv.sheets.Spreadsheets.Values.Get(fx.ssID, "Casos").ValueRenderOption("UNFORMATTED_VALUE").Do())
	want := [][]any{{"Caso", "Estado", "N", "=SUM(1,2)"}, {"1", "Abierto", 2.5}, {"=1+1", true}}
	if !reflect.DeepEqual(vr.Values, want) {
		t.Errorf("values = %#v", vr.Values)
	}
	// A formula stays a formula, a RAW "=..." stays text.
	grid := must[*sheets.Spreadsheet](t)(sv.sheets.Spreadsheets.Get(fx.ssID).Ranges("Casos!A1:D3").IncludeGridData(true).Do())
	rows := grid.Sheets[0].Data[0].RowData
	if f := rows[0].Values[3].UserEnteredValue; f == nil || f.FormulaValue == nil || *f.FormulaValue != "=SUM(1,2)" {
		t.Errorf("D1 = %+v, want a formula", f)
	}
	if v := rows[2].Values[0].UserEnteredValue; v == nil || v.StringValue == nil || *v.StringValue != "=1+1" {
		t.Errorf("A3 = %+v, want a string", v)
	}
	ss := must[*sheets.Spreadsheet](t)(sv.sheets.Spreadsheets.Get(fx.ssID).Do())
	if len(ss.Sheets) != 2 || ss.Sheets[1].Properties.Title != fx.sheetTitle {
		t.Errorf("sheets = %d", len(ss.Sheets))
	}
	r := must[*forms.FormResponse](t)(sv.forms.Forms.Responses.Get(fx.formID, fx.respID).Do())
	if r.Answers[fx.questionID].TextAnswers.Answers[0].Value != "Alcaldía" {
		t.Errorf("response = %+v", r)
	}
	if got := download(t, sv, fx.fileID); string(got) != "reporte" {
		t.Errorf("file = %q", got)
	}
	mail := s.SentMail()
	if len(mail) != 1 || mail[0].ID != fx.mailID {
		t.Errorf("mail = %+v", mail)
	}
}

func TestPersistAcrossCloseAndOpen(t *testing.T) {
	dir := t.TempDir()
	s, sv := openDir(t, dir)
	fx := writeFixture(t, s, sv)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(filepath.Join(dir, "wal.jsonl")); err != nil || fi.Size() != 0 {
		t.Errorf("log after Close: %v, %d bytes", err, fi.Size())
	}
	s2, sv2 := openDir(t, dir)
	checkFixture(t, s2, sv2, fx)
}

func TestPersistAcrossCrash(t *testing.T) {
	dir := t.TempDir()
	s, sv := openDir(t, dir)
	fx := writeFixture(t, s, sv)
	s.Crash()

	// A write torn by the crash is ignored.
	wal, err := os.OpenFile(filepath.Join(dir, "wal.jsonl"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(wal, `{"seq":999,"time":"2026-03-18T10:00:00Z","op":"sheets.values.upd`)
	wal.Close()

	s2, sv2 := openDir(t, dir)
	checkFixture(t, s2, sv2, fx)

	// Ids handed out after the replay do not collide with earlier ones.
	ss := newSpreadsheet(t, sv2, "Otra")
	if ss.SpreadsheetId == fx.ssID {
		t.Error("a new spreadsheet reused an id")
	}
	s2.Crash()
	s3, sv3 := openDir(t, dir)
	checkFixture(t, s3, sv3, fx)
	must[*sheets.Spreadsheet](t)(sv3.sheets.Spreadsheets.Get(ss.SpreadsheetId).Do())
}

func TestOpenWaitsForTheLock(t *testing.T) {
	dir := t.TempDir()
	s, _ := openDir(t, dir)
	opened := make(chan *workspacefake.Server)
	go func() {
		s2, err := workspacefake.Open(dir)
		if err != nil {
			t.Error(err)
		}
		opened <- s2
	}()
	select {
	case <-opened:
		t.Fatal("a second Open did not wait for the first server to close")
	case <-time.After(100 * time.Millisecond):
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case s2 := <-opened:
		if s2 != nil {
			s2.Close()
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Open still waiting after Close")
	}
}

// TestKill9 kills a child process that is writing, at an arbitrary moment,
// and checks that every write the child saw acknowledged survived.
func TestKill9(t *testing.T) {
	if dir := os.Getenv("WORKSPACEFAKE_KILL9_DIR"); dir != "" {
		kill9Child(t, dir)
		return
	}
	if testing.Short() {
		t.Skip("spawns a process")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKill9$")
	cmd.Env = append(os.Environ(), "WORKSPACEFAKE_KILL9_DIR="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	ssID, acked := "", -1
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 2 && f[0] == "spreadsheet":
			ssID = f[1]
		case len(f) == 2 && f[0] == "ack":
			acked, _ = strconv.Atoi(f[1])
		}
		if acked >= 150 {
			break
		}
	}
	_ = cmd.Process.Kill() // SIGKILL: no Close, no snapshot
	_ = cmd.Wait()
	if ssID == "" || acked < 150 {
		t.Fatalf("child did not get going: spreadsheet %q, acked %d", ssID, acked)
	}

	_, sv := openDir(t, dir)
	vr := must[*sheets.ValueRange](t)(sv.sheets.Spreadsheets.Values.Get(ssID, "T!A:B").ValueRenderOption("UNFORMATTED_VALUE").Do())
	if len(vr.Values) < acked+1 {
		t.Fatalf("%d rows survived, %d were acknowledged", len(vr.Values), acked+1)
	}
	for i := 0; i <= acked; i++ {
		if want := []any{float64(i), fmt.Sprintf("row %d", i)}; !reflect.DeepEqual(vr.Values[i], want) {
			t.Fatalf("row %d = %v, want %v", i, vr.Values[i], want)
		}
	}
}

func kill9Child(t *testing.T, dir string) {
	s, err := workspacefake.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	sv := connect(t, s)
	id := newSpreadsheet(t, sv, "T").SpreadsheetId
	fmt.Printf("spreadsheet %s\n", id)
	for i := 0; ; i++ {
		// Alternate the two write paths the log records differently.
		var err error
		row := &sheets.ValueRange{Values: [][]any{{i, fmt.Sprintf("row %d", i)}}}
		if i%2 == 0 {
			_, err = sv.sheets.Spreadsheets.Values.Update(id, fmt.Sprintf("T!A%d", i+1), row).ValueInputOption("RAW").Do()
		} else {
			_, err = sv.sheets.Spreadsheets.Values.Append(id, "T!A:B", row).ValueInputOption("RAW").Do()
		}
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("ack %d\n", i)
	}
}

// TestReplayGivesSameIDs checks that ids drawn after a failed request are
// the same once the log is replayed (a failed request is not logged, so it
// must not consume ids either).
func TestReplayGivesSameIDs(t *testing.T) {
	dir := t.TempDir()
	s, sv := openDir(t, dir)
	_, err := sv.sheets.Spreadsheets.Create(&sheets.Spreadsheet{Sheets: []*sheets.Sheet{
		{Properties: &sheets.SheetProperties{Title: "A"}},
		{Properties: &sheets.SheetProperties{Title: "B"}},
		{Properties: &sheets.SheetProperties{Title: "A"}},
	}}).Do()
	if apiCode(err) != 400 {
		t.Fatalf("duplicate titles: %v", err)
	}
	ss := newSpreadsheet(t, sv, "A", "B")
	formID := must[string](t)(s.CreateForm("F", []string{"q1", "q2"}))
	before := must[*forms.Form](t)(sv.forms.Forms.Get(formID).Do())
	s.Crash()

	_, sv2 := openDir(t, dir)
	after := must[*sheets.Spreadsheet](t)(sv2.sheets.Spreadsheets.Get(ss.SpreadsheetId).Do())
	if after.Sheets[1].Properties.SheetId != ss.Sheets[1].Properties.SheetId {
		t.Errorf("sheet id %d became %d after replay", ss.Sheets[1].Properties.SheetId, after.Sheets[1].Properties.SheetId)
	}
	f := must[*forms.Form](t)(sv2.forms.Forms.Get(formID).Do())
	for i := range f.Items {
		if a, b := before.Items[i].QuestionItem.Question.QuestionId, f.Items[i].QuestionItem.Question.QuestionId; a != b {
			t.Errorf("question id %s became %s after replay", a, b)
		}
	}
}
