package workspacefake_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// implemented lists the discovery methods the fake serves. The test checks
// that each one's path, verb and HTTP method (and its simple upload path,
// if any) reach the handler that Calls() names after it.
var implemented = map[string][]string{
	"sheets/v4/sheets-api.json": {
		"sheets.spreadsheets.create", "sheets.spreadsheets.get", "sheets.spreadsheets.batchUpdate",
		"sheets.spreadsheets.values.get", "sheets.spreadsheets.values.batchGet", "sheets.spreadsheets.values.update",
		"sheets.spreadsheets.values.batchUpdate", "sheets.spreadsheets.values.append",
		"sheets.spreadsheets.values.clear", "sheets.spreadsheets.values.batchClear",
		"sheets.spreadsheets.developerMetadata.search",
	},
	"forms/v1/forms-api.json": {
		"forms.forms.create", "forms.forms.get", "forms.forms.batchUpdate",
		"forms.forms.responses.list", "forms.forms.responses.get",
	},
	"gmail/v1/gmail-api.json": {
		"gmail.users.messages.send", "gmail.users.messages.list", "gmail.users.messages.get", "gmail.users.getProfile",
	},
	"drive/v3/drive-api.json": {
		"drive.files.create", "drive.files.update", "drive.files.get", "drive.files.list", "drive.files.delete",
	},
}

type discoveryMethod struct {
	ID          string `json:"id"`
	HTTPMethod  string `json:"httpMethod"`
	Path        string `json:"path"`
	FlatPath    string `json:"flatPath"`
	MediaUpload *struct {
		Protocols struct {
			Simple *struct {
				Path string `json:"path"`
			} `json:"simple"`
		} `json:"protocols"`
	} `json:"mediaUpload"`
}

type discoveryResource struct {
	Methods   map[string]discoveryMethod   `json:"methods"`
	Resources map[string]discoveryResource `json:"resources"`
}

type discoveryDoc struct {
	ServicePath string                       `json:"servicePath"`
	Resources   map[string]discoveryResource `json:"resources"`
}

func (r discoveryResource) walk(visit func(discoveryMethod)) {
	for _, m := range r.Methods {
		visit(m)
	}
	for _, sub := range r.Resources {
		sub.walk(visit)
	}
}

// callsName is the name Calls() uses: the discovery id without the
// resource that repeats the service (sheets.spreadsheets.values.get ->
// sheets.values.get).
func callsName(id string) string {
	parts := strings.Split(id, ".")
	if parts[0] != "drive" && len(parts) > 2 {
		parts = append(parts[:1], parts[2:]...)
	}
	return strings.Join(parts, ".")
}

var paramRE = regexp.MustCompile(`\{\+?([^}]+)\}`)

func TestRouterCoversDiscoveryMethods(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "google.golang.org/api").Output()
	if err != nil {
		t.Skipf("cannot locate google.golang.org/api: %v", err)
	}
	apiDir := strings.TrimSpace(string(out))
	s, _ := open(t)
	client := s.HTTPClient()

	for file, ids := range implemented {
		data, err := os.ReadFile(filepath.Join(apiDir, file))
		if err != nil {
			t.Fatal(err)
		}
		var doc discoveryDoc
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		methods := map[string]discoveryMethod{}
		for _, r := range doc.Resources {
			r.walk(func(m discoveryMethod) { methods[m.ID] = m })
		}
		for _, id := range ids {
			m, ok := methods[id]
			if !ok {
				t.Errorf("%s: no method %s in the discovery document", file, id)
				continue
			}
			// Parameters get values that need escaping, as ranges do,
			// escaped the way the clients' URI templates escape them.
			value := strings.ReplaceAll(url.QueryEscape("'Tab 1'!A1:B2"), "+", "%20")
			fill := func(p string) string {
				return paramRE.ReplaceAllLiteralString(p, value)
			}
			paths := []string{doc.ServicePath + fill(m.FlatPath)}
			if m.MediaUpload != nil && m.MediaUpload.Protocols.Simple != nil {
				paths = append(paths, strings.TrimPrefix(fill(m.MediaUpload.Protocols.Simple.Path), "/")+"?uploadType=media")
			}
			for _, p := range paths {
				s.ResetCalls()
				req, _ := http.NewRequest(m.HTTPMethod, s.URL()+"/"+p, nil)
				res, err := client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				if calls := s.Calls(); calls[callsName(id)] != 1 {
					t.Errorf("%s %s /%s: calls %v, want %s", id, m.HTTPMethod, p, calls, callsName(id))
				}
			}
		}
	}

	// A client that does not escape ':' in a range still reaches values.get.
	s.ResetCalls()
	res, err := client.Get(s.URL() + "/v4/spreadsheets/x/values/Tab!A1:B2")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if calls := s.Calls(); calls["sheets.values.get"] != 1 {
		t.Errorf("unescaped range: calls %v", calls)
	}
}
