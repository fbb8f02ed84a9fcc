package setup_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/funza-tic/mesa/internal/setup"
)

func example(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "credentials.example", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestInspectCredentials(t *testing.T) {
	cases := []struct {
		name, auth string
		data       []byte
		kind       string
		problem    string
	}{
		{"service account example", "service_account", example(t, "service-account.json"), "service_account", ""},
		{"oauth example", "oauth", example(t, "oauth-client.json"), "oauth", ""},
		{"key for the wrong auth", "oauth", example(t, "service-account.json"), "service_account", "google.auth is oauth"},
		{"web client", "oauth", []byte(`{"web":{"client_id":"x"}}`), "oauth", "Desktop app"},
		{"truncated key", "service_account", []byte(`{"type":"service_account","client_email":"a@b"}`), "service_account", "missing private_key"},
		{"not json", "", []byte("hola"), "", "not JSON"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := setup.InspectCredentials(c.data, c.auth)
			if got.Kind != c.kind {
				t.Errorf("kind %q, want %q", got.Kind, c.kind)
			}
			joined := strings.Join(got.Problems, "; ")
			if (c.problem == "") != (joined == "") || !strings.Contains(joined, c.problem) {
				t.Errorf("problems %q, want %q", joined, c.problem)
			}
			// Identities only: nothing secret ever comes back.
			if s := fmt.Sprint(got); strings.Contains(s, "PRIVATE KEY") || strings.Contains(s, "GOCSPX") {
				t.Errorf("a secret leaked: %s", s)
			}
		})
	}
	scopes, probs := setup.InspectToken(example(t, "token.json"))
	if len(probs) != 0 || len(scopes) != 7 {
		t.Errorf("token example: scopes %v, problems %v", scopes, probs)
	}
}

// The desktop flow against a fake Google: the browser is sent to the
// consent URL, comes back to the loopback listener with a code, and the
// code is exchanged with the PKCE verifier matching the S256 challenge.
func TestLoginLoopbackPKCE(t *testing.T) {
	var challenge string
	google := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/auth":
			q := r.URL.Query()
			if q.Get("code_challenge_method") != "S256" || q.Get("access_type") != "offline" || !strings.HasPrefix(q.Get("redirect_uri"), "http://127.0.0.1:") {
				http.Error(w, "bad auth request "+r.URL.RawQuery, 400)
				return
			}
			challenge = q.Get("code_challenge")
			http.Redirect(w, r, q.Get("redirect_uri")+"?code=el-codigo&state="+q.Get("state"), http.StatusFound)
		case "/token":
			_ = r.ParseForm()
			sum := sha256.Sum256([]byte(r.Form.Get("code_verifier")))
			if r.Form.Get("code") != "el-codigo" || base64.RawURLEncoding.EncodeToString(sum[:]) != challenge {
				http.Error(w, `{"error":"invalid_grant"}`, 400)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "acceso", "refresh_token": "refresco",
				"token_type": "Bearer", "expires_in": 3600, "scope": "https://www.googleapis.com/auth/gmail.send"})
		}
	}))
	defer google.Close()
	conf := &oauth2.Config{ClientID: "id", ClientSecret: "secreto", Scopes: []string{"https://www.googleapis.com/auth/gmail.send"},
		Endpoint: oauth2.Endpoint{AuthURL: google.URL + "/auth", TokenURL: google.URL + "/token"}}
	browser := func(url string) error {
		go func() {
			resp, err := http.Get(url) // follows the redirect to the loopback listener
			if err == nil {
				resp.Body.Close()
			}
		}()
		return nil
	}
	tok, err := setup.Login{Config: conf, Show: browser}.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if tok.RefreshToken != "refresco" {
		t.Errorf("refresh token %q", tok.RefreshToken)
	}
	path := filepath.Join(t.TempDir(), "credentials", "token.json")
	if err := setup.SaveToken(path, tok); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(path)
	if st.Mode().Perm() != 0o600 {
		t.Errorf("token file mode %v, want 0600", st.Mode().Perm())
	}
	b, _ := os.ReadFile(path)
	if scopes, probs := setup.InspectToken(b); len(probs) != 0 || len(scopes) != 1 {
		t.Errorf("stored token: scopes %v, problems %v", scopes, probs)
	}
}
