package workspacefake_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"google.golang.org/api/forms/v1"
)

func TestFormsCreateGetBatchUpdate(t *testing.T) {
	s, sv := open(t)
	f := must[*forms.Form](t)(sv.forms.Forms.Create(&forms.Form{Info: &forms.Info{Title: "Solicitudes"}}).Do())
	if f.FormId == "" || f.Info.DocumentTitle != "Solicitudes" || f.RevisionId == "" {
		t.Fatalf("created form = %+v", f)
	}
	// Items are refused at creation, as by Google.
	_, err := sv.forms.Forms.Create(&forms.Form{Info: &forms.Info{Title: "x"}, Items: []*forms.Item{{Title: "q"}}}).Do()
	if apiCode(err) != 400 {
		t.Errorf("create with items: %v", err)
	}

	res := must[*forms.BatchUpdateFormResponse](t)(sv.forms.Forms.BatchUpdate(f.FormId, &forms.BatchUpdateFormRequest{
		IncludeFormInResponse: true,
		Requests: []*forms.Request{{CreateItem: &forms.CreateItemRequest{
			Item:     &forms.Item{Title: "Edificio", QuestionItem: &forms.QuestionItem{Question: &forms.Question{TextQuestion: &forms.TextQuestion{}}}},
			Location: &forms.Location{Index: 0, ForceSendFields: []string{"Index"}},
		}}},
	}).Do())
	if len(res.Replies) != 1 || len(res.Replies[0].CreateItem.QuestionId) != 1 || res.Form == nil || res.WriteControl.RequiredRevisionId == f.RevisionId {
		t.Fatalf("batchUpdate = %+v", res)
	}
	qid := res.Replies[0].CreateItem.QuestionId[0]

	got := must[*forms.Form](t)(sv.forms.Forms.Get(f.FormId).Do())
	if len(got.Items) != 1 || got.Items[0].Title != "Edificio" || got.Items[0].QuestionItem.Question.QuestionId != qid ||
		got.Items[0].QuestionItem.Question.TextQuestion == nil {
		t.Errorf("form items = %+v", got.Items)
	}

	_, err = sv.forms.Forms.BatchUpdate(f.FormId, &forms.BatchUpdateFormRequest{Requests: []*forms.Request{
		{CreateItem: &forms.CreateItemRequest{Item: &forms.Item{Title: "ok"}, Location: &forms.Location{Index: 0, ForceSendFields: []string{"Index"}}}},
		{MoveItem: &forms.MoveItemRequest{}},
	}}).Do()
	if apiCode(err) != 400 {
		t.Errorf("unsupported request: %v", err)
	}
	if got := must[*forms.Form](t)(sv.forms.Forms.Get(f.FormId).Do()); len(got.Items) != 1 {
		t.Errorf("a failed batch added items: %d", len(got.Items))
	}
	// A question id given at creation must not be in use in the form.
	_, err = sv.forms.Forms.BatchUpdate(f.FormId, &forms.BatchUpdateFormRequest{Requests: []*forms.Request{
		{CreateItem: &forms.CreateItemRequest{
			Item:     &forms.Item{Title: "Sede", QuestionItem: &forms.QuestionItem{Question: &forms.Question{QuestionId: qid, TextQuestion: &forms.TextQuestion{}}}},
			Location: &forms.Location{Index: 1},
		}},
	}}).Do()
	if apiCode(err) != 400 {
		t.Errorf("createItem with a question id in use: %v, want 400", err)
	}
	if _, err := sv.forms.Forms.Get("nope").Do(); apiCode(err) != 404 {
		t.Errorf("unknown form: %v", err)
	}

	// Seeding uses the same questions.
	at := time.Date(2026, 3, 16, 13, 0, 0, 250_000_000, time.UTC)
	rid := must[string](t)(s.SubmitResponse(f.FormId, "ana@funza.gov.co", at, map[string]string{"Edificio": "Alcaldía"}))
	r := must[*forms.FormResponse](t)(sv.forms.Forms.Responses.Get(f.FormId, rid).Do())
	if r.Answers[qid].TextAnswers.Answers[0].Value != "Alcaldía" || r.LastSubmittedTime != "2026-03-16T13:00:00.250Z" {
		t.Errorf("response = %+v", r)
	}
	if _, err := sv.forms.Forms.Responses.Get(f.FormId, "nope").Do(); apiCode(err) != 404 {
		t.Errorf("unknown response: %v", err)
	}
	if _, err := s.SubmitResponse(f.FormId, "", time.Now(), map[string]string{"No such question": "x"}); err == nil {
		t.Error("an answer to an unknown question was accepted")
	}
}

func TestCreateFormQuestionIDs(t *testing.T) {
	ids := func() []string {
		s, sv := open(t)
		id := must[string](t)(s.CreateForm("Solicitudes", []string{"Nombre", "Edificio"}))
		f := must[*forms.Form](t)(sv.forms.Forms.Get(id).Do())
		var out []string
		for _, it := range f.Items {
			out = append(out, it.Title+"="+it.QuestionItem.Question.QuestionId)
		}
		return out
	}
	a, b := ids(), ids()
	if len(a) != 2 || strings.Join(a, ",") == "" {
		t.Fatalf("items = %v", a)
	}
	// Different directories have different salts, so ids differ between
	// them; within one history they are reproducible (see the persistence
	// tests). Here only the shape is checked.
	for _, x := range append(a, b...) {
		if _, qid, _ := strings.Cut(x, "="); len(qid) != 8 {
			t.Errorf("question id %q is not 8 hex digits", qid)
		}
	}
}

func TestResponsesListFilterAndPaging(t *testing.T) {
	s, sv := open(t)
	id := must[string](t)(s.CreateForm("Solicitudes", []string{"Descripción"}))
	// Nine fractional digits, so the instants are kept as given.
	base := time.Date(2026, 3, 1, 0, 0, 0, 123456789, time.UTC)
	const n = 12000
	var ids []string
	for i := range n {
		rid, err := s.SubmitResponse(id, fmt.Sprintf("u%d@x.co", i), base.Add(time.Duration(i)*time.Minute), map[string]string{"Descripción": fmt.Sprint(i)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, rid)
	}

	list := func(filter string, pageSize int64) ([]*forms.FormResponse, int) {
		t.Helper()
		var all []*forms.FormResponse
		pages := 0
		token := ""
		for {
			call := sv.forms.Forms.Responses.List(id).Filter(filter).PageToken(token)
			if pageSize > 0 {
				call = call.PageSize(pageSize)
			}
			res := must[*forms.ListFormResponsesResponse](t)(call.Do())
			all = append(all, res.Responses...)
			pages++
			if res.NextPageToken == "" {
				return all, pages
			}
			token = res.NextPageToken
		}
	}

	all, pages := list("", 0)
	if len(all) != n || pages != 3 {
		t.Fatalf("got %d responses in %d pages, want %d in 3 (5000 per page)", len(all), pages, n)
	}
	for i, r := range all {
		if r.ResponseId != ids[i] {
			t.Fatalf("response %d is %s, want %s (order by lastSubmittedTime)", i, r.ResponseId, ids[i])
		}
	}
	if _, pages := list("", 9000); pages != 3 {
		t.Errorf("pageSize above 5000 gave %d pages, want 3", pages)
	}

	cut := base.Add(11000 * time.Minute).Format(time.RFC3339Nano)
	second := base.Add(11000 * time.Minute).Format(time.RFC3339)
	tests := []struct {
		filter string
		want   int
	}{
		{"timestamp > " + cut, 999},
		{"timestamp >= " + cut, 1000},
		{"timestamp>" + cut, 999},
		// A watermark truncated to the second lists the response again.
		{"timestamp > " + second, 1000},
		{"timestamp > 2026-03-08T15:20:00.123456Z", 1000},
		{"timestamp > 2026-03-08T15:20:00.123456790Z", 999},
		{"timestamp > 2030-01-01T00:00:00Z", 0},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			got, _ := list(tt.filter, 300)
			if len(got) != tt.want {
				t.Errorf("got %d, want %d", len(got), tt.want)
			}
		})
	}

	// The reference: "timestamp must be formatted in RFC3339 UTC \"Zulu\" format".
	for _, bad := range []string{"timestamp < " + cut, "respondentEmail = 'x'", "timestamp > yesterday",
		"timestamp > 2026-03-08T10:20:00-05:00", "timestamp > 2026-03-08T15:20:00", "timestamp > 2026-03-08T15:20:00.1234567890Z"} {
		if _, err := sv.forms.Forms.Responses.List(id).Filter(bad).Do(); apiCode(err) != 400 {
			t.Errorf("filter %q: %v, want 400", bad, err)
		}
	}
	if _, err := sv.forms.Forms.Responses.List(id).PageToken("garbage").Do(); apiCode(err) != 400 {
		t.Errorf("bad page token: %v", err)
	}

	// An edit moves the response to the end and past the filter; createTime
	// stays (in milliseconds, as Google writes it).
	edited := base.Add(20000 * time.Minute)
	if err := s.EditResponse(id, ids[0], edited, map[string]string{"Descripción": "editada"}); err != nil {
		t.Fatal(err)
	}
	got, _ := list("timestamp > "+base.Add(15000*time.Minute).Format(time.RFC3339), 0)
	if len(got) != 1 || got[0].ResponseId != ids[0] || got[0].CreateTime != "2026-03-01T00:00:00.123Z" ||
		got[0].LastSubmittedTime != edited.Format(time.RFC3339Nano) || got[0].Answers == nil {
		t.Errorf("after edit: %+v", got[0])
	}
}

// Forms stamps responses with its own clock: createTime in milliseconds,
// lastSubmittedTime in microseconds, written as google.protobuf.Timestamp's
// JSON with 0, 3, 6 or 9 fractional digits (shapes of captured responses:
// "2024-06-19T16:05:51.394Z" / "2024-06-19T16:05:51.394652Z").
func TestResponseTimestampShapes(t *testing.T) {
	s, sv := open(t)
	id := must[string](t)(s.CreateForm("Solicitudes", []string{"Descripción"}))
	shape := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3}|\.\d{6}|\.\d{9})?Z$`)
	base := time.Date(2026, 3, 16, 13, 0, 0, 0, time.UTC)
	digits := map[int]int{}
	for i := range 200 {
		at := base.Add(time.Duration(i) * time.Second)
		rid := must[string](t)(s.SubmitResponse(id, "", at, map[string]string{"Descripción": "x"}))
		r := must[*forms.FormResponse](t)(sv.forms.Forms.Responses.Get(id, rid).Do())
		if !shape.MatchString(r.LastSubmittedTime) || !shape.MatchString(r.CreateTime) {
			t.Fatalf("timestamps %q / %q are not protobuf JSON", r.CreateTime, r.LastSubmittedTime)
		}
		last, err := time.Parse(time.RFC3339Nano, r.LastSubmittedTime)
		if err != nil || !last.Truncate(time.Second).Equal(at) {
			t.Fatalf("lastSubmittedTime %q is not within the second submitted (%s)", r.LastSubmittedTime, at)
		}
		created, _ := time.Parse(time.RFC3339Nano, r.CreateTime)
		if !created.Equal(last.Truncate(time.Millisecond)) {
			t.Errorf("createTime %q, lastSubmittedTime %q: want the same instant in milliseconds", r.CreateTime, r.LastSubmittedTime)
		}
		_, frac, _ := strings.Cut(strings.TrimSuffix(r.LastSubmittedTime, "Z"), ".")
		digits[len(frac)]++
	}
	// Varied: whole seconds, milliseconds and microseconds all occur.
	for _, d := range []int{0, 3, 6} {
		if digits[d] == 0 {
			t.Errorf("no lastSubmittedTime with %d fractional digits in 200 responses: %v", d, digits)
		}
	}
	// An instant with nanoseconds is kept, and written with nine digits.
	rid := must[string](t)(s.SubmitResponse(id, "", base.Add(123456789), map[string]string{"Descripción": "x"}))
	if r := must[*forms.FormResponse](t)(sv.forms.Forms.Responses.Get(id, rid).Do()); r.LastSubmittedTime != "2026-03-16T13:00:00.123456789Z" {
		t.Errorf("lastSubmittedTime = %q", r.LastSubmittedTime)
	}
}

// settings.emailCollectionType decides what respondentEmail holds (Forms
// v1 discovery, FormSettings and FormResponse.respondentEmail "the email
// address (if collected)"): nothing under DO_NOT_COLLECT, the signed-in
// account under VERIFIED, the typed address under RESPONDER_INPUT. It is
// changed with batchUpdate's updateSettings.
func TestFormsEmailCollection(t *testing.T) {
	s, sv := open(t)
	id := must[string](t)(s.CreateForm("Respuesta del agente", []string{"Número de caso"}))
	f := must[*forms.Form](t)(sv.forms.Forms.Get(id).Do())
	if f.Settings == nil || f.Settings.EmailCollectionType != "DO_NOT_COLLECT" {
		t.Fatalf("new form settings = %+v, want DO_NOT_COLLECT", f.Settings)
	}
	submit := func() string {
		rid := must[string](t)(s.SubmitResponse(id, "carlos.perez@funza-cundinamarca.gov.co", time.Date(2026, 3, 17, 14, 0, 0, 0, time.UTC), map[string]string{"Número de caso": "1"}))
		return must[*forms.FormResponse](t)(sv.forms.Forms.Responses.Get(id, rid).Do()).RespondentEmail
	}
	if got := submit(); got != "" {
		t.Errorf("DO_NOT_COLLECT: respondentEmail = %q, want none", got)
	}
	set := func(kind, mask string) error {
		_, err := sv.forms.Forms.BatchUpdate(id, &forms.BatchUpdateFormRequest{Requests: []*forms.Request{{UpdateSettings: &forms.UpdateSettingsRequest{
			Settings: &forms.FormSettings{EmailCollectionType: kind}, UpdateMask: mask}}}}).Do()
		return err
	}
	for _, kind := range []string{"VERIFIED", "RESPONDER_INPUT"} {
		if err := set(kind, "emailCollectionType"); err != nil {
			t.Fatalf("updateSettings %s: %v", kind, err)
		}
		if got := must[*forms.Form](t)(sv.forms.Forms.Get(id).Do()).Settings; got == nil || got.EmailCollectionType != kind {
			t.Errorf("after updateSettings %s: settings = %+v", kind, got)
		}
		if got := submit(); got != "carlos.perez@funza-cundinamarca.gov.co" {
			t.Errorf("%s: respondentEmail = %q", kind, got)
		}
	}
	for _, bad := range []struct{ kind, mask string }{
		{"EMAIL_COLLECTION_TYPE_UNSPECIFIED", "emailCollectionType"},
		{"SIGNED_IN", "emailCollectionType"},
		{"VERIFIED", ""},
	} {
		if err := set(bad.kind, bad.mask); apiCode(err) != 400 {
			t.Errorf("updateSettings %+v: %v, want 400", bad, err)
		}
	}
	if got := must[*forms.Form](t)(sv.forms.Forms.Get(id).Do()).Settings.EmailCollectionType; got != "RESPONDER_INPUT" {
		t.Errorf("a refused updateSettings changed the setting to %s", got)
	}
}
