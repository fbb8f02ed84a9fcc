package backend

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/google"

	"github.com/funza-tic/mesa/internal/procedure"
)

// Scopes are the OAuth scopes mesa asks for, each for one reason (README,
// "Scopes"). ReadMail is added only when the outbox verifies interrupted sends
// or e-mail intake reads the inbox.
var (
	Scopes = []string{
		"https://www.googleapis.com/auth/spreadsheets",             // read and write the workbook
		"https://www.googleapis.com/auth/forms.body.readonly",      // question titles of the forms
		"https://www.googleapis.com/auth/forms.responses.readonly", // the responses
		"https://www.googleapis.com/auth/gmail.send",               // notifications
		"https://www.googleapis.com/auth/drive.file",               // report files mesa uploads
		"https://www.googleapis.com/auth/drive.metadata.readonly",  // workbook version for idle cycles (restricted scope; only the version is read)
	}
	ReadMail = "https://www.googleapis.com/auth/gmail.readonly" // find a message whose send outcome was lost; read the inbox (intake)
	// ModifyMail is added only with privacy.trash_sent: `mesa privacy
	// anonymize` moves the mail sent to the titular to the trash
	// (users.messages.trash needs gmail.modify or mail.google.com).
	ModifyMail = "https://www.googleapis.com/auth/gmail.modify"
)

// Google describes a real Google Workspace.
type Google struct {
	Auth        string // "service_account" (domain-wide delegation) or "oauth"
	Credentials string // service account key, or OAuth client secret (desktop app)
	Token       string // oauth: stored refresh token file
	Subject     string // service_account: the help-desk mailbox to act as
	Spreadsheet string
	Forms       map[procedure.Form]string
	Folder      string
	VerifySent  bool
	Intake      bool // e-mail intake reads the inbox
	TrashSent   bool // privacy.trash_sent: anonymize trashes the sent copies
}

// HTTPClient returns an authorized client for g. Secrets are read from
// files and never logged.
func (g Google) HTTPClient(ctx context.Context) (*http.Client, error) {
	scopes := append([]string{}, Scopes...)
	if g.VerifySent || g.Intake {
		scopes = append(scopes, ReadMail)
	}
	if g.TrashSent {
		scopes = append(scopes, ModifyMail)
	}
	data, err := os.ReadFile(g.Credentials)
	if err != nil {
		return nil, fmt.Errorf("read credentials: %w", err)
	}
	switch g.Auth {
	case "service_account", "":
		conf, err := google.JWTConfigFromJSON(data, scopes...)
		if err != nil {
			return nil, fmt.Errorf("service account credentials %s: %w", g.Credentials, err)
		}
		if g.Subject == "" {
			return nil, fmt.Errorf("service account needs google.subject: the help-desk mailbox it acts as (domain-wide delegation)")
		}
		conf.Subject = g.Subject
		return conf.Client(ctx), nil
	case "oauth":
		conf, err := google.ConfigFromJSON(data, scopes...)
		if err != nil {
			return nil, fmt.Errorf("oauth client credentials %s: %w", g.Credentials, err)
		}
		tb, err := os.ReadFile(g.Token)
		if err != nil {
			return nil, fmt.Errorf("read oauth token (run `mesa setup --login` first): %w", err)
		}
		var tok oauth2.Token
		if err := json.Unmarshal(tb, &tok); err != nil {
			return nil, fmt.Errorf("oauth token %s: %w", g.Token, err)
		}
		return conf.Client(ctx, &tok), nil
	}
	return nil, fmt.Errorf("google.auth %q: want service_account or oauth", g.Auth)
}

// Open connects to the real APIs.
func (g Google) Open(ctx context.Context) (*Workspace, error) { return g.OpenWith(ctx, nil) }
