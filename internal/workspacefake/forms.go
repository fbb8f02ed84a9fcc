package workspacefake

import (
	"cmp"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"google.golang.org/api/forms/v1"
)

const (
	opFormsCreate      = "forms.create"
	opFormsBatchUpdate = "forms.batchUpdate"
	opFormsSubmit      = "forms.submit" // seeding: a person submits or edits a response

	mimeForm = "application/vnd.google-apps.form"

	// settings.emailCollectionType (Forms v1 discovery, FormSettings).
	emailDoNotCollect   = "DO_NOT_COLLECT"
	emailVerified       = "VERIFIED"
	emailResponderInput = "RESPONDER_INPUT"

	maxResponsesPage = 5000
)

type form struct {
	Form      *forms.Form     `json:"form"` // as forms.get returns it
	Revision  int64           `json:"revision"`
	Responses []*formResponse `json:"responses"`
}

type formResponse struct {
	ID        string            `json:"id"`
	Created   time.Time         `json:"created"`
	Submitted time.Time         `json:"submitted"` // lastSubmittedTime
	Email     string            `json:"email,omitempty"`
	Answers   map[string]string `json:"answers"` // by questionId
}

func (f *form) response(id string) *formResponse {
	for _, r := range f.Responses {
		if r.ID == id {
			return r
		}
	}
	return nil
}

func (f *form) bump() {
	f.Revision++
	f.Form.RevisionId = fmt.Sprintf("%08x", f.Revision)
}

func (s *Server) form(id string) (*form, error) {
	f := s.st.Forms[id]
	if f == nil {
		return nil, errNotFound("Requested entity was not found.")
	}
	return f, nil
}

// ---- forms.create / forms.get ----

func (s *Server) formsCreate(c *call) (any, error) {
	var req forms.Form
	if err := decodeBody(c, &req); err != nil {
		return nil, err
	}
	return mutate(s, opFormsCreate, &req, s.applyFormsCreate)
}

// applyFormsCreate keeps only the title and document title, and refuses
// anything else, as Google does: items are added with batchUpdate.
func (s *Server) applyFormsCreate(now time.Time, req *forms.Form) (*forms.Form, error) {
	if len(req.Items) > 0 || req.Settings != nil {
		return nil, errBadRequest("Only info.title and info.document_title may be set when creating a form. To add items, use batchUpdate.")
	}
	info := &forms.Info{}
	if req.Info != nil {
		if req.Info.Description != "" {
			return nil, errBadRequest("Only info.title and info.document_title may be set when creating a form. To add items, use batchUpdate.")
		}
		info.Title, info.DocumentTitle = req.Info.Title, req.Info.DocumentTitle
	}
	if info.Title == "" {
		info.Title = "Untitled form"
	}
	if info.DocumentTitle == "" {
		info.DocumentTitle = info.Title
	}
	id := s.st.newID("form", 44)
	f := &form{Form: &forms.Form{
		FormId: id,
		Info:   info,
		// DO_NOT_COLLECT is Google's default for a form owned by a
		// consumer account (VERIFIED for a Workspace one): the strict side,
		// so whoever needs e-mail addresses must ask for them.
		Settings:     &forms.FormSettings{EmailCollectionType: emailDoNotCollect},
		ResponderUri: "https://docs.google.com/forms/d/e/" + id + "/viewform",
	}}
	f.bump()
	s.st.Forms[id] = f
	s.st.Files[id] = &driveFile{ID: id, Name: info.DocumentTitle, MimeType: mimeForm,
		Parents: []string{rootFolderID}, Created: now, Modified: now, Version: 1}
	return f.Form, nil
}

func (s *Server) formsGet(c *call) (any, error) {
	f, err := s.form(c.param(0))
	if err != nil {
		return nil, err
	}
	return f.Form, nil
}

// ---- forms.batchUpdate ----

type formsBatchArgs struct {
	ID   string                        `json:"id"`
	Body *forms.BatchUpdateFormRequest `json:"body"`
}

func (s *Server) formsBatchUpdate(c *call) (any, error) {
	a := &formsBatchArgs{ID: c.param(0), Body: &forms.BatchUpdateFormRequest{}}
	if err := decodeBody(c, a.Body); err != nil {
		return nil, err
	}
	return mutate(s, opFormsBatchUpdate, a, s.applyFormsBatchUpdate)
}

// applyFormsBatchUpdate applies the requests to a copy of the form and
// keeps it only if all succeed (Google's batches are atomic).
func (s *Server) applyFormsBatchUpdate(now time.Time, a *formsBatchArgs) (*forms.BatchUpdateFormResponse, error) {
	f, err := s.form(a.ID)
	if err != nil {
		return nil, err
	}
	if wc := a.Body.WriteControl; wc != nil && wc.RequiredRevisionId != "" && wc.RequiredRevisionId != f.Form.RevisionId {
		return nil, &apiError{Code: 400, Message: "The required revision ID does not match the latest revision.", Reason: "failedPrecondition"}
	}
	work := &forms.Form{}
	if err := cloneJSON(f.Form, work); err != nil {
		return nil, err
	}
	res := &forms.BatchUpdateFormResponse{}
	for i, req := range a.Body.Requests {
		reply, err := s.applyFormRequest(work, req)
		if err != nil {
			return nil, errBadRequest("Invalid requests[%d]: %s", i, err.Error())
		}
		res.Replies = append(res.Replies, reply)
	}
	f.Form = work
	f.bump()
	if df := s.st.Files[f.Form.FormId]; df != nil {
		df.Modified = now
		df.Version++
	}
	res.WriteControl = &forms.WriteControl{RequiredRevisionId: f.Form.RevisionId}
	if a.Body.IncludeFormInResponse {
		res.Form = f.Form
	}
	return res, nil
}

func (s *Server) applyFormRequest(f *forms.Form, req *forms.Request) (*forms.Response, error) {
	switch {
	case req == nil:
		return nil, fmt.Errorf("empty request")
	case req.CreateItem != nil:
		ci := req.CreateItem
		if ci.Item == nil {
			return nil, fmt.Errorf("createItem.item is required")
		}
		if ci.Location == nil {
			return nil, fmt.Errorf("createItem.location is required")
		}
		at := int(ci.Location.Index)
		if at < 0 || at > len(f.Items) {
			return nil, fmt.Errorf("createItem.location.index %d is out of range (the form has %d items)", at, len(f.Items))
		}
		item := &forms.Item{}
		if err := cloneJSON(ci.Item, item); err != nil {
			return nil, err
		}
		if item.ItemId == "" {
			item.ItemId = s.st.newHexID("item", 8)
		}
		reply := &forms.CreateItemResponse{ItemId: item.ItemId}
		var questions []*forms.Question
		if item.QuestionItem != nil && item.QuestionItem.Question != nil {
			questions = append(questions, item.QuestionItem.Question)
		}
		if item.QuestionGroupItem != nil {
			questions = append(questions, item.QuestionGroupItem.Questions...)
		}
		used := map[string]bool{}
		for _, it := range f.Items {
			if it.QuestionItem != nil && it.QuestionItem.Question != nil {
				used[it.QuestionItem.Question.QuestionId] = true
			}
			if it.QuestionGroupItem != nil {
				for _, q := range it.QuestionGroupItem.Questions {
					used[q.QuestionId] = true
				}
			}
		}
		for _, q := range questions {
			// Question.questionId: "On creation, it can be provided but the
			// ID must not be already used in the form."
			if q.QuestionId != "" && used[q.QuestionId] {
				return nil, fmt.Errorf("question ID %s is already used in the form", q.QuestionId)
			}
			if q.QuestionId == "" {
				q.QuestionId = s.st.newHexID("question", 8)
			}
			used[q.QuestionId] = true
			reply.QuestionId = append(reply.QuestionId, q.QuestionId)
		}
		f.Items = slices.Insert(f.Items, at, item)
		return &forms.Response{CreateItem: reply}, nil
	case req.UpdateFormInfo != nil:
		u := req.UpdateFormInfo
		if u.Info == nil || u.UpdateMask == "" {
			return nil, fmt.Errorf("updateFormInfo needs info and updateMask")
		}
		updated := &forms.Info{}
		if err := applyFieldMask(f.Info, u.Info, snakeToCamel(u.UpdateMask), updated); err != nil {
			return nil, err
		}
		f.Info = updated
		return &forms.Response{}, nil
	case req.DeleteItem != nil:
		if req.DeleteItem.Location == nil {
			return nil, fmt.Errorf("deleteItem.location is required")
		}
		at := int(req.DeleteItem.Location.Index)
		if at < 0 || at >= len(f.Items) {
			return nil, fmt.Errorf("deleteItem.location.index %d is out of range", at)
		}
		f.Items = slices.Delete(f.Items, at, at+1)
		return &forms.Response{}, nil
	case req.UpdateSettings != nil:
		u := req.UpdateSettings
		if u.Settings == nil || u.UpdateMask == "" {
			return nil, fmt.Errorf("updateSettings needs settings and updateMask")
		}
		updated := &forms.FormSettings{}
		if err := applyFieldMask(f.Settings, u.Settings, snakeToCamel(u.UpdateMask), updated); err != nil {
			return nil, err
		}
		switch updated.EmailCollectionType {
		case emailDoNotCollect, emailVerified, emailResponderInput:
		default:
			return nil, fmt.Errorf("invalid value for settings.email_collection_type: %q", updated.EmailCollectionType)
		}
		f.Settings = updated
		return &forms.Response{}, nil
	}
	return nil, fmt.Errorf("workspacefake implements only createItem, updateFormInfo, updateSettings and deleteItem")
}

// snakeToCamel accepts masks written either way ("document_title").
func snakeToCamel(mask string) string {
	parts := strings.Split(mask, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// ---- responses.list / responses.get ----

var filterRE = regexp.MustCompile(`^\s*timestamp\s*(>=|>)\s*(\S+)\s*$`)

// zuluRE is the timestamp a filter takes: RFC 3339 in UTC "Zulu" form, with
// no fraction or one of up to nine digits ("2014-10-02T15:01:23Z",
// "2014-10-02T15:01:23.045123456Z" in the responses.list reference).
var zuluRE = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$`)

// pageToken is where the previous page ended. Keyset paging (not an offset)
// keeps a list consistent while responses are submitted or edited.
type pageToken struct {
	Submitted time.Time `json:"t"`
	ID        string    `json:"id"`
	Filter    string    `json:"f"`
}

func (s *Server) responsesList(c *call) (any, error) {
	f, err := s.form(c.param(0))
	if err != nil {
		return nil, err
	}
	q := c.r.URL.Query()
	size := maxResponsesPage
	if v := q.Get("pageSize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, &apiError{Code: 400, Message: fmt.Sprintf("Invalid value at 'page_size' (TYPE_INT32), %q", v), Location: "pageSize"}
		}
		if n > 0 && n < maxResponsesPage {
			size = n
		}
	}
	filter := q.Get("filter")
	var after time.Time
	inclusive := false
	if filter != "" {
		m := filterRE.FindStringSubmatch(filter)
		if m == nil {
			return nil, &apiError{Code: 400, Message: "Invalid filter: " + filter + ". Supported: timestamp > RFC3339 or timestamp >= RFC3339.", Location: "filter"}
		}
		t, err := time.Parse(time.RFC3339Nano, m[2])
		if err != nil || !zuluRE.MatchString(m[2]) {
			return nil, &apiError{Code: 400, Message: "Invalid filter: timestamp " + m[2] + " is not in RFC3339 UTC \"Zulu\" format.", Location: "filter"}
		}
		after, inclusive = t, m[1] == ">="
	}
	var from *pageToken
	if tok := q.Get("pageToken"); tok != "" {
		from = &pageToken{}
		raw, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil || json.Unmarshal(raw, from) != nil || from.Filter != filter {
			return nil, &apiError{Code: 400, Message: "Invalid page token.", Location: "pageToken"}
		}
	}
	var matched []*formResponse
	for _, r := range f.Responses {
		if filter != "" && (r.Submitted.Before(after) || r.Submitted.Equal(after) && !inclusive) {
			continue
		}
		if from != nil && compareResponse(r, from.Submitted, from.ID) <= 0 {
			continue
		}
		matched = append(matched, r)
	}
	slices.SortFunc(matched, func(a, b *formResponse) int { return compareResponse(a, b.Submitted, b.ID) })
	res := &forms.ListFormResponsesResponse{}
	for _, r := range matched[:min(size, len(matched))] {
		res.Responses = append(res.Responses, f.render(r))
	}
	if len(matched) > size {
		last := matched[size-1]
		b, _ := json.Marshal(pageToken{Submitted: last.Submitted, ID: last.ID, Filter: filter})
		res.NextPageToken = base64.RawURLEncoding.EncodeToString(b)
	}
	return res, nil
}

// compareResponse orders by lastSubmittedTime, then responseId.
func compareResponse(r *formResponse, t time.Time, id string) int {
	if c := r.Submitted.Compare(t); c != 0 {
		return c
	}
	return cmp.Compare(r.ID, id)
}

func (s *Server) responsesGet(c *call) (any, error) {
	f, err := s.form(c.param(0))
	if err != nil {
		return nil, err
	}
	r := f.response(c.param(1))
	if r == nil {
		return nil, errNotFound("Requested entity was not found.")
	}
	return f.render(r), nil
}

// protoTime writes an instant as google.protobuf.Timestamp's JSON mapping
// does: UTC "Z", with 0, 3, 6 or 9 fractional digits, the fewest that hold
// the value ("2024-06-19T16:05:51.394Z", "…51.394652Z"). Go's RFC3339Nano
// would trim trailing zeros instead (".39Z"), which Google never sends.
func protoTime(t time.Time) string {
	t = t.UTC()
	base := t.Format("2006-01-02T15:04:05")
	switch ns := t.Nanosecond(); {
	case ns == 0:
		return base + "Z"
	case ns%1e6 == 0:
		return fmt.Sprintf("%s.%03dZ", base, ns/1e6)
	case ns%1e3 == 0:
		return fmt.Sprintf("%s.%06dZ", base, ns/1e3)
	default:
		return fmt.Sprintf("%s.%09dZ", base, ns)
	}
}

func (f *form) render(r *formResponse) *forms.FormResponse {
	out := &forms.FormResponse{
		FormId:            f.Form.FormId,
		ResponseId:        r.ID,
		CreateTime:        protoTime(r.Created.Truncate(time.Millisecond)),
		LastSubmittedTime: protoTime(r.Submitted),
		RespondentEmail:   r.Email,
	}
	if len(r.Answers) > 0 {
		out.Answers = map[string]forms.Answer{}
		for qid, v := range r.Answers {
			out.Answers[qid] = forms.Answer{
				QuestionId:  qid,
				TextAnswers: &forms.TextAnswers{Answers: []*forms.TextAnswer{{Value: v}}},
			}
		}
	}
	return out
}

// ---- seeding: people using the form ----

// CreateForm creates a form whose questions are short-text questions with
// the given titles, through the same operations as forms.create and
// forms.batchUpdate. Question ids are derived from the state, so the same
// sequence of calls on a fresh directory gives the same ids.
func (s *Server) CreateForm(title string, questions []string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := mutate(s, opFormsCreate, &forms.Form{Info: &forms.Info{Title: title}}, s.applyFormsCreate)
	if err != nil {
		return "", err
	}
	if len(questions) == 0 {
		return f.FormId, nil
	}
	a := &formsBatchArgs{ID: f.FormId, Body: &forms.BatchUpdateFormRequest{}}
	for i, q := range questions {
		a.Body.Requests = append(a.Body.Requests, &forms.Request{CreateItem: &forms.CreateItemRequest{
			Item: &forms.Item{Title: q, QuestionItem: &forms.QuestionItem{Question: &forms.Question{
				TextQuestion: &forms.TextQuestion{},
			}}},
			Location: &forms.Location{Index: int64(i), ForceSendFields: []string{"Index"}},
		}})
	}
	if _, err := mutate(s, opFormsBatchUpdate, a, s.applyFormsBatchUpdate); err != nil {
		return "", err
	}
	return f.FormId, nil
}

type submitArgs struct {
	FormID     string            `json:"formId"`
	ResponseID string            `json:"responseId,omitempty"` // set when editing
	Email      string            `json:"email,omitempty"`
	Submitted  time.Time         `json:"submitted"`
	Answers    map[string]string `json:"answers"` // by question title
}

// SubmitResponse records a response as if a person had submitted the form
// during the given instant (see serverTime for the sub-second part Forms
// adds). answers are keyed by question title; empty answers are left out,
// as Forms does. respondentEmail is kept only when the form collects it.
func (s *Server) SubmitResponse(formID, respondentEmail string, submitted time.Time, answers map[string]string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := &submitArgs{FormID: formID, Email: respondentEmail, Submitted: submitted.UTC(), Answers: answers}
	return mutate(s, opFormsSubmit, a, s.applyFormsSubmit)
}

// EditResponse replaces the answers of a response as an edit through the
// form does: lastSubmittedTime moves to submitted, createTime stays.
func (s *Server) EditResponse(formID, responseID string, submitted time.Time, answers map[string]string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := &submitArgs{FormID: formID, ResponseID: responseID, Submitted: submitted.UTC(), Answers: answers}
	_, err := mutate(s, opFormsSubmit, a, s.applyFormsSubmit)
	return err
}

func (s *Server) applyFormsSubmit(_ time.Time, a *submitArgs) (string, error) {
	f, err := s.form(a.FormID)
	if err != nil {
		return "", fmt.Errorf("workspacefake: form %s: %w", a.FormID, err)
	}
	byTitle := map[string]string{}
	for _, it := range f.Form.Items {
		if it.QuestionItem != nil && it.QuestionItem.Question != nil {
			byTitle[it.Title] = it.QuestionItem.Question.QuestionId
		}
	}
	answers := map[string]string{}
	for title, v := range a.Answers {
		qid, ok := byTitle[title]
		if !ok {
			return "", fmt.Errorf("workspacefake: form %s has no question titled %q", a.FormID, title)
		}
		if v != "" {
			answers[qid] = v
		}
	}
	if a.ResponseID != "" {
		r := f.response(a.ResponseID)
		if r == nil {
			return "", fmt.Errorf("workspacefake: form %s has no response %s", a.FormID, a.ResponseID)
		}
		r.Submitted, r.Answers = s.serverTime(a.Submitted, r.ID+"/"+a.Submitted.Format(time.RFC3339Nano)), answers
		return r.ID, nil
	}
	id := "ACYDBN" + s.st.newID("response", 50)
	at := s.serverTime(a.Submitted, id)
	r := &formResponse{ID: id, Created: at, Submitted: at, Answers: answers}
	// respondentEmail is "the email address (if collected)": none when the
	// form does not collect it, the signed-in account under VERIFIED, and
	// whatever the person typed under RESPONDER_INPUT. A form without
	// settings (state saved before they were modelled) keeps the address.
	if f.Form.Settings == nil || f.Form.Settings.EmailCollectionType != emailDoNotCollect {
		r.Email = a.Email
	}
	f.Responses = append(f.Responses, r)
	return r.ID, nil
}

// serverTime is the instant Forms records for a submission made during the
// given second. Google stamps responses with its own clock in microseconds
// (createTime "2024-06-19T16:05:51.394Z", lastSubmittedTime
// "2024-06-19T16:05:51.394652Z" in captured responses), so a whole-second
// instant from a caller (a test, a CSV's "Marca temporal") gets a
// sub-second part drawn from the key: mostly microseconds, one time in
// eight exact milliseconds, one in eight none at all, so every JSON shape
// (0, 3 and 6 fractional digits) shows up. An instant that already has a
// fraction is kept as given (9 digits included).
func (s *Server) serverTime(t time.Time, key string) time.Time {
	t = t.UTC()
	if t.Nanosecond() != 0 {
		return t
	}
	sum := sha256.Sum256(fmt.Appendf(nil, "%s/subsecond/%s", s.st.Salt, key))
	us := int64(binary.BigEndian.Uint32(sum[:4]) % 1e6)
	switch sum[4] % 8 {
	case 0:
		us = 0
	case 1:
		us -= us % 1000
	}
	return t.Add(time.Duration(us) * time.Microsecond)
}
