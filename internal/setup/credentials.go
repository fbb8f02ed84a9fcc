package setup

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/google"
)

// Credentials describes a credentials file without revealing its secrets:
// only identities (the service account's e-mail, the client id) are shown.
type Credentials struct {
	Kind     string // "service_account" or "oauth"
	Identity string // client_email, or the OAuth client_id
	ClientID string // what the Admin console's domain-wide delegation asks for
	Problems []string
}

// InspectCredentials checks the shape of a service-account key or an OAuth
// desktop client file for the configured google.auth.
func InspectCredentials(data []byte, auth string) Credentials {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return Credentials{Problems: []string{"not JSON: " + err.Error()}}
	}
	str := func(m map[string]json.RawMessage, k string) string {
		var s string
		_ = json.Unmarshal(m[k], &s)
		return s
	}
	var c Credentials
	switch {
	case str(raw, "type") == "service_account":
		c.Kind, c.Identity, c.ClientID = "service_account", str(raw, "client_email"), str(raw, "client_id")
		for _, k := range []string{"client_email", "client_id", "private_key_id", "private_key", "token_uri"} {
			if str(raw, k) == "" {
				c.Problems = append(c.Problems, "missing "+k)
			}
		}
		if pk := str(raw, "private_key"); pk != "" && !strings.Contains(pk, "PRIVATE KEY-----") {
			c.Problems = append(c.Problems, "private_key is not a PEM key")
		}
	case raw["installed"] != nil:
		var in map[string]json.RawMessage
		_ = json.Unmarshal(raw["installed"], &in)
		c.Kind, c.Identity, c.ClientID = "oauth", str(in, "client_id"), str(in, "client_id")
		for _, k := range []string{"client_id", "client_secret", "auth_uri", "token_uri"} {
			if str(in, k) == "" {
				c.Problems = append(c.Problems, "missing installed."+k)
			}
		}
	case raw["web"] != nil:
		c.Kind = "oauth"
		c.Problems = append(c.Problems, `a "Web application" client: create an OAuth client of type "Desktop app"`)
	default:
		c.Problems = append(c.Problems, "neither a service account key nor an OAuth desktop client")
	}
	want := auth
	if want == "" {
		want = "service_account"
	}
	if c.Kind != "" && c.Kind != want {
		c.Problems = append(c.Problems, fmt.Sprintf("google.auth is %s but the file is a %s credential", want, c.Kind))
	}
	return c
}

// InspectToken checks a stored OAuth token file and returns the scopes
// Google granted when it was made (empty if the file does not say).
func InspectToken(data []byte) (scopes []string, problems []string) {
	var t StoredToken
	if err := json.Unmarshal(data, &t); err != nil || t.Token == nil {
		return nil, []string{"token file is not an OAuth token (run mesa setup --login)"}
	}
	if t.RefreshToken == "" {
		problems = append(problems, "no refresh_token (run mesa setup --login)")
	}
	return strings.Fields(t.Scope), problems
}

// ErrDelegation means the Admin console has not authorized the service
// account's client id for the scopes (domain-wide delegation).
var ErrDelegation = errors.New("domain-wide delegation is not authorized for these scopes")

// GrantedScopes obtains a token and returns the scopes it carries. For a
// service account acting as subject, Google grants all of them or refuses
// with unauthorized_client. For OAuth, the refreshed token says which
// scopes the person consented to.
func GrantedScopes(ctx context.Context, auth, credentials, token, subject string, scopes []string) ([]string, error) {
	data, err := os.ReadFile(credentials)
	if err != nil {
		return nil, err
	}
	if auth == "oauth" {
		conf, err := google.ConfigFromJSON(data, scopes...)
		if err != nil {
			return nil, err
		}
		tb, err := os.ReadFile(token)
		if err != nil {
			return nil, err
		}
		var st StoredToken
		if err := json.Unmarshal(tb, &st); err != nil || st.Token == nil {
			return nil, fmt.Errorf("token file %s is not an OAuth token", token)
		}
		st.Expiry, st.AccessToken = st.Expiry.AddDate(-1, 0, 0), "" // force a refresh: it reports the scopes
		tok, err := conf.TokenSource(ctx, st.Token).Token()
		if err != nil {
			return nil, fmt.Errorf("refresh the OAuth token: %w", err)
		}
		if s, ok := tok.Extra("scope").(string); ok && s != "" {
			return strings.Fields(s), nil
		}
		return strings.Fields(st.Scope), nil
	}
	conf, err := google.JWTConfigFromJSON(data, scopes...)
	if err != nil {
		return nil, err
	}
	conf.Subject = subject
	if _, err := conf.TokenSource(ctx).Token(); err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && (re.ErrorCode == "unauthorized_client" || re.ErrorCode == "access_denied") {
			return nil, fmt.Errorf("%w: %s", ErrDelegation, re.ErrorCode)
		}
		return nil, err
	}
	return scopes, nil
}
