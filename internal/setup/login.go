package setup

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/oauth2"
)

// Login runs the OAuth 2.0 flow for installed (desktop) applications: a
// loopback redirect on 127.0.0.1 and PKCE (RFC 7636), as Google requires
// for desktop clients. The person opens the printed URL, consents, and the
// browser brings the code back to the local listener.
type Login struct {
	Config *oauth2.Config // from google.ConfigFromJSON(client secret, scopes...)
	// Show presents the consent URL: print it, or open a browser.
	Show    func(url string) error
	Timeout time.Duration // how long to wait for the person; default 5 minutes
}

// Token returns a token with a refresh token.
func (l Login) Token(ctx context.Context) (*oauth2.Token, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen for the OAuth redirect: %w", err)
	}
	defer ln.Close()
	conf := *l.Config
	conf.RedirectURL = "http://" + ln.Addr().String() + "/"

	state := randomString()
	verifier := oauth2.GenerateVerifier()
	url := conf.AuthCodeURL(state, oauth2.AccessTypeOffline, oauth2.S256ChallengeOption(verifier),
		// consent again so Google returns a refresh token even if the
		// person authorized mesa before.
		oauth2.SetAuthURLParam("prompt", "consent"))

	type result struct {
		code string
		err  error
	}
	done := make(chan result, 1)
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		var res result
		switch {
		case q.Get("state") != state:
			http.Error(w, "state no coincide / state mismatch", http.StatusBadRequest)
			return // not our redirect (or a forged one): keep waiting
		case q.Get("error") != "":
			res.err = fmt.Errorf("authorization refused: %s", q.Get("error"))
		case q.Get("code") == "":
			res.err = errors.New("authorization reply without a code")
		default:
			res.code = q.Get("code")
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		msg := "Listo: mesa quedó autorizada. Puede cerrar esta ventana. / Done: you can close this window."
		if res.err != nil {
			msg = "No se completó la autorización / authorization failed: " + res.err.Error()
		}
		fmt.Fprintf(w, "<!doctype html><meta charset=utf-8><title>mesa</title><p>%s</p>", html.EscapeString(msg))
		select {
		case done <- res:
		default:
		}
	})}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	if err := l.Show(url); err != nil {
		return nil, err
	}
	timeout := l.Timeout
	if timeout == 0 {
		timeout = 5 * time.Minute
	}
	var res result
	select {
	case res = <-done:
	case <-time.After(timeout):
		return nil, errors.New("timed out waiting for the browser to come back")
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if res.err != nil {
		return nil, res.err
	}
	tok, err := conf.Exchange(ctx, res.code, oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, fmt.Errorf("exchange the authorization code: %w", err)
	}
	if tok.RefreshToken == "" {
		return nil, errors.New("google returned no refresh token: remove mesa's access at https://myaccount.google.com/permissions and run again")
	}
	return tok, nil
}

// StoredToken is the token file: oauth2.Token's fields plus the scopes
// Google granted, which `mesa doctor` compares with the ones mesa needs.
type StoredToken struct {
	*oauth2.Token
	Scope string `json:"scope,omitempty"`
}

// SaveToken writes the token readable by its owner only (it is a secret).
func SaveToken(path string, tok *oauth2.Token) error {
	st := StoredToken{Token: tok}
	if s, ok := tok.Extra("scope").(string); ok {
		st.Scope = s
	}
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func randomString() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
