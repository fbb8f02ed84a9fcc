package backend

import (
	"context"
	"net/http"

	"golang.org/x/oauth2"

	"github.com/funza-tic/mesa/internal/procedure"
)

// Wrap decorates the HTTP transport every client of a workspace uses, e.g.
// to count API calls by service and status (internal/metrics).
type Wrap func(http.RoundTripper) http.RoundTripper

// OpenWith connects to the real APIs, sending every request, token requests
// included, through wrap (nil: as they are).
func (g Google) OpenWith(ctx context.Context, wrap Wrap) (*Workspace, error) {
	if wrap != nil {
		// The oauth2 package takes its base client from the context, for the
		// token endpoint and as the transport under the authorized client.
		ctx = context.WithValue(ctx, oauth2.HTTPClient, &http.Client{Transport: wrap(http.DefaultTransport)})
	}
	hc, err := g.HTTPClient(ctx)
	if err != nil {
		return nil, err
	}
	mailbox := g.Subject
	if mailbox == "" {
		mailbox = "me"
	}
	ws, err := connect(ctx, hc, "", g.Spreadsheet, mailbox)
	if err != nil {
		return nil, err
	}
	ws.FormIDs, ws.Folder = g.Forms, g.Folder
	return ws, nil
}

// LocalWith opens the local workspace like Local, with its clients sending
// every request through wrap.
func LocalWith(ctx context.Context, dir string, questions map[procedure.Form]map[procedure.Field]string, wrap Wrap) (*Workspace, error) {
	ws, err := Local(ctx, dir, questions)
	if err != nil {
		return nil, err
	}
	hc := &http.Client{Transport: wrap(ws.Fake.HTTPClient().Transport)}
	out, err := connect(ctx, hc, ws.Fake.URL(), ws.Sheets.ID(), "me")
	if err != nil {
		ws.Close()
		return nil, err
	}
	out.Fake, out.FormIDs, out.Folder, out.Exclusive = ws.Fake, ws.FormIDs, ws.Folder, ws.Exclusive
	return out, nil
}
