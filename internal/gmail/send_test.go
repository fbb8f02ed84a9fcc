package gmail_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"

	"github.com/funza-tic/mesa/internal/gmail"
	"github.com/funza-tic/mesa/internal/workspace"
	"github.com/funza-tic/mesa/internal/workspacefake"
)

const testMail = "From: Mesa de Ayuda TIC <mesadeayuda@funza-cundinamarca.gov.co>\r\nTo: jose.nunez@funza-cundinamarca.gov.co\r\n" +
	"Subject: Caso 1 registrado\r\n\r\nSu solicitud quedó registrada con el número 1.\r\n"

// Gmail refuses a send over a rate limit with 403 rateLimitExceeded or
// userRateLimitExceeded (Gmail "Resolve errors": "Resolve a 403 error: User
// rate limit exceeded"; mxngls/gmail-cleaner#5 shows the real body). Nothing
// was sent, so Send backs off and sends again, as for a 429. Any other 403
// (insufficientPermissions, forbidden) is returned at once: waiting does not
// cure it.
func TestSendRetriesOnlyRateLimit403(t *testing.T) {
	tests := []struct {
		name      string
		fault     workspacefake.Fault
		wantErr   int // HTTP status of the error Send returns, 0 for none
		wantCalls int
	}{
		{"403 userRateLimitExceeded", workspacefake.Fault{Status: 403, Reason: "userRateLimitExceeded"}, 0, 3},
		{"403 rateLimitExceeded", workspacefake.Fault{Status: 403, Reason: "rateLimitExceeded"}, 0, 3},
		{"429", workspacefake.Fault{Status: 429}, 0, 3},
		{"403 insufficientPermissions", workspacefake.Fault{Status: 403, Reason: "insufficientPermissions"}, 403, 1},
		{"403 forbidden", workspacefake.Fault{Status: 403, Reason: "forbidden"}, 403, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, err := workspacefake.Open(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			defer fake.Close()
			c, err := gmail.New(context.Background(), "me", option.WithHTTPClient(fake.HTTPClient()),
				option.WithEndpoint(fake.URL()+"/"), option.WithoutAuthentication())
			if err != nil {
				t.Fatal(err)
			}
			fake.SetFault(workspacefake.FailTimes("gmail.messages.send", 2, tt.fault))
			id, err := c.Send(context.Background(), []byte(testMail))
			var ge *googleapi.Error
			switch {
			case tt.wantErr == 0 && err != nil:
				t.Fatalf("send: %v", err)
			case tt.wantErr != 0 && (!errors.As(err, &ge) || ge.Code != tt.wantErr):
				t.Fatalf("send: err = %v, want %d", err, tt.wantErr)
			}
			if calls := fake.Calls()["gmail.messages.send"]; calls != tt.wantCalls {
				t.Errorf("%d sends, want %d", calls, tt.wantCalls)
			}
			if sent := fake.SentMail(); (tt.wantErr == 0) != (len(sent) == 1 && sent[0].ID == id) {
				t.Errorf("mailbox holds %d messages (id %q)", len(sent), id)
			}
		})
	}
}

// Send sorts what Gmail answered into the outbox's three classes: a quota
// (nothing sent, the mail waits: 429, and the daily sending limit, which
// Send does not wait out), a refusal (a 4xx that sending again cannot
// cure: the mail fails, with Google's words for the administrator), and a
// lost outcome (a 5xx, a reset after Gmail took the message: the outbox
// looks the message up before sending it again).
func TestSendSortsFailures(t *testing.T) {
	tests := []struct {
		name      string
		setup     func(*workspacefake.Server)
		want      error
		detail    string // what Google said, as the outbox records it ("" : any)
		wantCalls int
		wantSent  int
	}{
		{"daily limit", func(f *workspacefake.Server) { f.SetDailySendLimit(0) }, workspace.ErrQuota, "429 Daily user sending limit exceeded", 1, 0},
		{"403 quotaExceeded", func(f *workspacefake.Server) {
			f.SetFault(workspacefake.FailTimes("gmail.messages.send", 1, workspacefake.Fault{Status: 403, Reason: "quotaExceeded"}))
		}, workspace.ErrQuota, "403 ", 1, 0},
		{"400 bad message", func(f *workspacefake.Server) {
			f.SetFault(workspacefake.FailTimes("gmail.messages.send", 1, workspacefake.Fault{Status: 400, Reason: "invalidArgument"}))
		}, workspace.ErrRefused, "400 ", 1, 0},
		{"403 insufficientPermissions", func(f *workspacefake.Server) {
			f.SetFault(workspacefake.FailTimes("gmail.messages.send", 1, workspacefake.Fault{Status: 403, Reason: "insufficientPermissions"}))
		}, workspace.ErrRefused, "403 Request had insufficient authentication scopes.", 1, 0},
		{"500", func(f *workspacefake.Server) {
			f.SetFault(workspacefake.FailTimes("gmail.messages.send", 1, workspacefake.Fault{Status: 500}))
		}, workspace.ErrUnknown, "500 ", 1, 0},
		{"reply lost after the send", func(f *workspacefake.Server) {
			f.SetFault(workspacefake.FailTimes("gmail.messages.send", 1, workspacefake.Fault{Reset: true, AfterApply: true}))
		}, workspace.ErrUnknown, "", 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, err := workspacefake.Open(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			defer fake.Close()
			c, err := gmail.New(context.Background(), "me", option.WithHTTPClient(fake.HTTPClient()),
				option.WithEndpoint(fake.URL()+"/"), option.WithoutAuthentication())
			if err != nil {
				t.Fatal(err)
			}
			tt.setup(fake)
			_, err = c.Send(context.Background(), []byte(testMail))
			if !errors.Is(err, tt.want) {
				t.Fatalf("send: err = %v, want %v", err, tt.want)
			}
			for _, other := range []error{workspace.ErrQuota, workspace.ErrRefused, workspace.ErrUnknown} {
				if other != tt.want && errors.Is(err, other) {
					t.Errorf("send: err = %v is also %v", err, other)
				}
			}
			if d := workspace.Detail(err); !strings.HasPrefix(d, tt.detail) {
				t.Errorf("detail = %q, want it to start with %q", d, tt.detail)
			}
			if calls := fake.Calls()["gmail.messages.send"]; calls != tt.wantCalls {
				t.Errorf("%d sends, want %d", calls, tt.wantCalls)
			}
			if sent := fake.SentMail(); len(sent) != tt.wantSent {
				t.Errorf("mailbox holds %d messages, want %d", len(sent), tt.wantSent)
			}
		})
	}
}
