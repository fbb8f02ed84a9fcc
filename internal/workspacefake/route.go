package workspacefake

import (
	"net/http"
	"net/url"
	"strings"
)

// route is one REST method. Paths are matched segment by segment on the
// escaped path, because the clients escape path parameters ('Tab'!A1:B2
// arrives as %27Tab%27%21A1%3AB2) and a custom verb is whatever follows the
// last unescaped ':' of the last segment (".../values/Tab%21A1:append").
type route struct {
	method string
	path   []string // literal segments, "{}" for a parameter
	verb   string
	// when, if set, must accept the request too (resumable upload sessions
	// share their path with uploads).
	when   func(*http.Request) bool
	name   string // what Calls() counts: the discovery id, shortened
	handle func(*Server, *call) (any, error)
}

func hasUploadID(r *http.Request) bool { return r.URL.Query().Get("upload_id") != "" }
func noUploadID(r *http.Request) bool  { return !hasUploadID(r) }

// routes lists every method the fake implements. Names drop the resource
// that repeats the service ("sheets.spreadsheets.values.get" counts as
// "sheets.values.get", "gmail.users.messages.send" as "gmail.messages.send").
var routes = []*route{
	{method: "POST", path: sp("v4/spreadsheets"), name: "sheets.create", handle: (*Server).sheetsCreate},
	{method: "GET", path: sp("v4/spreadsheets/{}"), name: "sheets.get", handle: (*Server).sheetsGet},
	{method: "POST", path: sp("v4/spreadsheets/{}"), verb: "batchUpdate", name: "sheets.batchUpdate", handle: (*Server).sheetsBatchUpdate},
	{method: "GET", path: sp("v4/spreadsheets/{}/values/{}"), name: "sheets.values.get", handle: (*Server).valuesGet},
	{method: "PUT", path: sp("v4/spreadsheets/{}/values/{}"), name: "sheets.values.update", handle: (*Server).valuesUpdate},
	{method: "POST", path: sp("v4/spreadsheets/{}/values/{}"), verb: "append", name: "sheets.values.append", handle: (*Server).valuesAppend},
	{method: "POST", path: sp("v4/spreadsheets/{}/values/{}"), verb: "clear", name: "sheets.values.clear", handle: (*Server).valuesClear},
	{method: "GET", path: sp("v4/spreadsheets/{}/values"), verb: "batchGet", name: "sheets.values.batchGet", handle: (*Server).valuesBatchGet},
	{method: "POST", path: sp("v4/spreadsheets/{}/values"), verb: "batchUpdate", name: "sheets.values.batchUpdate", handle: (*Server).valuesBatchUpdate},
	{method: "POST", path: sp("v4/spreadsheets/{}/values"), verb: "batchClear", name: "sheets.values.batchClear", handle: (*Server).valuesBatchClear},
	{method: "POST", path: sp("v4/spreadsheets/{}/developerMetadata"), verb: "search", name: "sheets.developerMetadata.search", handle: (*Server).metadataSearch},

	{method: "POST", path: sp("v1/forms"), name: "forms.create", handle: (*Server).formsCreate},
	{method: "GET", path: sp("v1/forms/{}"), name: "forms.get", handle: (*Server).formsGet},
	{method: "POST", path: sp("v1/forms/{}"), verb: "batchUpdate", name: "forms.batchUpdate", handle: (*Server).formsBatchUpdate},
	{method: "GET", path: sp("v1/forms/{}/responses"), name: "forms.responses.list", handle: (*Server).responsesList},
	{method: "GET", path: sp("v1/forms/{}/responses/{}"), name: "forms.responses.get", handle: (*Server).responsesGet},

	{method: "POST", path: sp("gmail/v1/users/{}/messages/send"), name: "gmail.messages.send", handle: (*Server).gmailSend},
	{method: "POST", path: sp("upload/gmail/v1/users/{}/messages/send"), name: "gmail.messages.send", handle: (*Server).gmailSend},
	{method: "GET", path: sp("gmail/v1/users/{}/messages"), name: "gmail.messages.list", handle: (*Server).gmailList},
	{method: "GET", path: sp("gmail/v1/users/{}/messages/{}"), name: "gmail.messages.get", handle: (*Server).gmailGet},
	{method: "POST", path: sp("gmail/v1/users/{}/messages/{}/trash"), name: "gmail.messages.trash", handle: (*Server).gmailTrash},
	{method: "GET", path: sp("gmail/v1/users/{}/profile"), name: "gmail.getProfile", handle: (*Server).gmailProfile},

	{method: "POST", path: sp("drive/v3/files"), name: "drive.files.create", handle: (*Server).driveCreate},
	{method: "POST", path: sp("upload/drive/v3/files"), when: noUploadID, name: "drive.files.create", handle: (*Server).driveCreate},
	{method: "POST", path: sp("upload/drive/v3/files"), when: hasUploadID, name: "drive.upload", handle: (*Server).driveUploadChunk},
	{method: "PUT", path: sp("upload/drive/v3/files"), when: hasUploadID, name: "drive.upload", handle: (*Server).driveUploadChunk},
	{method: "PATCH", path: sp("drive/v3/files/{}"), name: "drive.files.update", handle: (*Server).driveUpdate},
	{method: "PATCH", path: sp("upload/drive/v3/files/{}"), name: "drive.files.update", handle: (*Server).driveUpdate},
	{method: "GET", path: sp("drive/v3/files/{}"), name: "drive.files.get", handle: (*Server).driveGet},
	{method: "GET", path: sp("drive/v3/files"), name: "drive.files.list", handle: (*Server).driveList},
	{method: "DELETE", path: sp("drive/v3/files/{}"), name: "drive.files.delete", handle: (*Server).driveDelete},
}

func sp(p string) []string { return strings.Split(p, "/") }

// route finds the method for r and extracts its path parameters.
func (s *Server) route(r *http.Request) (*route, *call, bool) {
	segs, verb := splitPath(r.URL.EscapedPath())
	if rt, c, ok := match(r, segs, verb); ok {
		return rt, c, true
	}
	// A client that leaves ':' unescaped in a parameter ("Tab!A1:B2") has
	// no verb after all.
	if verb != "" {
		segs[len(segs)-1] += ":" + verb
		return match(r, segs, "")
	}
	return nil, nil, false
}

func match(r *http.Request, segs []string, verb string) (*route, *call, bool) {
	for _, rt := range routes {
		if rt.method != r.Method || rt.verb != verb || len(rt.path) != len(segs) {
			continue
		}
		if rt.when != nil && !rt.when(r) {
			continue
		}
		params, ok := matchPath(rt.path, segs)
		if ok {
			return rt, &call{r: r, params: params}, true
		}
	}
	return nil, nil, false
}

// splitPath splits an escaped path into segments and the custom verb.
func splitPath(escaped string) ([]string, string) {
	escaped = strings.Trim(escaped, "/")
	verb := ""
	last := strings.LastIndexByte(escaped, '/')
	if i := strings.LastIndexByte(escaped, ':'); i > last {
		escaped, verb = escaped[:i], escaped[i+1:]
	}
	return strings.Split(escaped, "/"), verb
}

func matchPath(pattern, segs []string) ([]string, bool) {
	var params []string
	for i, p := range pattern {
		if p == "{}" {
			v, err := url.PathUnescape(segs[i])
			if err != nil || v == "" {
				return nil, false
			}
			params = append(params, v)
			continue
		}
		if p != segs[i] {
			return nil, false
		}
	}
	return params, true
}
