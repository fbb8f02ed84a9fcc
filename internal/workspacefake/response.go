package workspacefake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// apiError is rendered as Google's JSON error body, which the clients turn
// into *googleapi.Error.
type apiError struct {
	Code     int
	Message  string
	Reason   string // errors[0].reason; derived from Code when empty
	Location string // errors[0].location (a parameter name), optional
	Domain   string // errors[0].domain; "global" when empty
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s", e.Code, e.Message) }

func errBadRequest(format string, a ...any) error {
	return &apiError{Code: http.StatusBadRequest, Message: fmt.Sprintf(format, a...)}
}

func errNotFound(format string, a ...any) error {
	return &apiError{Code: http.StatusNotFound, Message: fmt.Sprintf(format, a...)}
}

// statusNames maps HTTP codes to the canonical status Google puts in "status".
var statusNames = map[int]string{
	400: "INVALID_ARGUMENT",
	401: "UNAUTHENTICATED",
	403: "PERMISSION_DENIED",
	404: "NOT_FOUND",
	409: "ABORTED",
	412: "FAILED_PRECONDITION",
	429: "RESOURCE_EXHAUSTED",
	500: "INTERNAL",
	501: "UNIMPLEMENTED",
	502: "UNAVAILABLE",
	503: "UNAVAILABLE",
	504: "DEADLINE_EXCEEDED",
}

var reasons = map[int]string{
	400: "badRequest",
	401: "authError",
	403: "forbidden",
	404: "notFound",
	409: "conflict",
	412: "conditionNotMet",
	429: "rateLimitExceeded",
	500: "backendError",
	501: "notImplemented",
	502: "backendError",
	503: "backendError",
	504: "backendError",
}

type errorItem struct {
	Message      string `json:"message"`
	Domain       string `json:"domain"`
	Reason       string `json:"reason"`
	Location     string `json:"location,omitempty"`
	LocationType string `json:"locationType,omitempty"`
}

type errorBody struct {
	Error struct {
		Code    int         `json:"code"`
		Message string      `json:"message"`
		Errors  []errorItem `json:"errors"`
		Status  string      `json:"status"`
	} `json:"error"`
}

func (e *apiError) body() []byte {
	var b errorBody
	b.Error.Code = e.Code
	b.Error.Message = e.Message
	b.Error.Status = statusNames[e.Code]
	if b.Error.Status == "" {
		b.Error.Status = "UNKNOWN"
	}
	reason := e.Reason
	if reason == "" {
		reason = reasons[e.Code]
	}
	item := errorItem{Message: e.Message, Domain: "global", Reason: reason}
	if e.Domain != "" {
		item.Domain = e.Domain
	}
	if e.Location != "" {
		item.Location, item.LocationType = e.Location, "parameter"
	}
	b.Error.Errors = []errorItem{item}
	out, _ := json.Marshal(b)
	return out
}

// reply is an encoded response, built while the state lock is held and
// written after it is released.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func (rp *reply) write(w http.ResponseWriter) {
	for k, v := range rp.header {
		w.Header()[k] = v
	}
	w.WriteHeader(rp.status)
	_, _ = w.Write(rp.body)
}

func errorReply(err error) *reply {
	var ae *apiError
	if !errors.As(err, &ae) {
		ae = &apiError{Code: http.StatusInternalServerError, Message: err.Error()}
	}
	h := http.Header{"Content-Type": {"application/json; charset=UTF-8"}}
	return &reply{status: ae.Code, header: h, body: ae.body()}
}

func writeError(w http.ResponseWriter, err error) { errorReply(err).write(w) }

// mediaResult is a download (Drive alt=media).
type mediaResult struct {
	contentType string
	data        []byte
}

// jsonResult carries a JSON reply with options a plain value cannot say.
type jsonResult struct {
	v             any
	defaultFields string // partial response when the request has no fields parameter (Drive)
	header        http.Header
}

// headerResult is a reply without a body (resumable upload steps, 204).
type headerResult struct {
	status int
	header http.Header
}

// encodeResult renders what a handler returned.
func encodeResult(c *call, res any, err error) *reply {
	if err != nil {
		return errorReply(err)
	}
	switch r := res.(type) {
	case *headerResult:
		h := r.header
		if h == nil {
			h = http.Header{}
		}
		return &reply{status: r.status, header: h}
	case *mediaResult:
		h := http.Header{"Content-Type": {r.contentType}}
		return &reply{status: http.StatusOK, header: h, body: r.data}
	case *jsonResult:
		rp := encodeJSON(c, r.v, r.defaultFields)
		for k, v := range r.header {
			rp.header[k] = v
		}
		return rp
	}
	return encodeJSON(c, res, "")
}

// encodeJSON encodes v, reduced to the partial response the request asked
// for with the standard "fields" parameter.
func encodeJSON(c *call, v any, defaultFields string) *reply {
	if v == nil {
		v = struct{}{}
	}
	data, err := json.Marshal(v)
	if err != nil {
		return errorReply(err)
	}
	fields := c.r.URL.Query().Get("fields")
	if fields == "" {
		fields = defaultFields
	}
	if fields != "" {
		mask, err := parseFieldMask(fields)
		if err != nil {
			return errorReply(&apiError{Code: 400, Message: "Invalid field selection " + fields, Reason: "invalidParameter", Location: "fields"})
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var tree any
		if err := dec.Decode(&tree); err != nil {
			return errorReply(err)
		}
		data, _ = json.Marshal(mask.apply(tree))
	}
	h := http.Header{"Content-Type": {"application/json; charset=UTF-8"}}
	return &reply{status: http.StatusOK, header: h, body: data}
}

// fieldMask is a parsed partial-response selector such as
// "files(id,name),nextPageToken" or "sheets/properties/title".
type fieldMask struct {
	children map[string]*fieldMask // nil: keep the whole value
}

func parseFieldMask(s string) (*fieldMask, error) {
	m := &fieldMask{children: map[string]*fieldMask{}}
	rest, err := m.parseList(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		return nil, err
	}
	if rest != "" {
		return nil, fmt.Errorf("unexpected %q", rest)
	}
	return m, nil
}

// parseList parses "item,item,..." into m and returns what follows (a ')'
// or nothing).
func (m *fieldMask) parseList(s string) (string, error) {
	for {
		i := strings.IndexAny(s, ",()")
		name := s
		if i >= 0 {
			name = s[:i]
		}
		if name == "" {
			return "", fmt.Errorf("empty field name")
		}
		// a/b/c (or a.b.c, which Google's newer APIs accept too) selects c inside b inside a.
		node := m
		for _, part := range strings.FieldsFunc(name, func(r rune) bool { return r == '/' || r == '.' }) {
			if part == "" {
				return "", fmt.Errorf("empty field name")
			}
			if node.children == nil {
				node.children = map[string]*fieldMask{}
			}
			next, ok := node.children[part]
			if !ok {
				next = &fieldMask{}
				node.children[part] = next
			}
			node = next
		}
		if i < 0 {
			return "", nil
		}
		s = s[i:]
		if s[0] == '(' {
			if node.children == nil {
				node.children = map[string]*fieldMask{}
			}
			rest, err := node.parseList(s[1:])
			if err != nil {
				return "", err
			}
			if rest == "" || rest[0] != ')' {
				return "", fmt.Errorf("missing )")
			}
			s = rest[1:]
			if s == "" {
				return "", nil
			}
		}
		if s[0] == ')' {
			return s, nil
		}
		s = s[1:] // ','
	}
}

func (m *fieldMask) apply(v any) any {
	if m == nil || m.children == nil {
		return v
	}
	switch t := v.(type) {
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = m.apply(e)
		}
		return out
	case map[string]any:
		if all, ok := m.children["*"]; ok && len(m.children) == 1 {
			out := map[string]any{}
			for k, e := range t {
				out[k] = all.apply(e)
			}
			return out
		}
		out := map[string]any{}
		for k, sub := range m.children {
			if k == "*" {
				for kk, e := range t {
					if _, ok := out[kk]; !ok {
						out[kk] = e
					}
				}
				continue
			}
			if e, ok := t[k]; ok {
				out[k] = sub.apply(e)
			}
		}
		return out
	}
	return v
}
