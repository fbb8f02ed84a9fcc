package drive

import (
	"context"
	"fmt"
	"strings"

	gdrive "google.golang.org/api/drive/v3"

	"github.com/funza-tic/mesa/internal/retry"
)

// MimeSpreadsheet is a Google Sheets file.
const MimeSpreadsheet = "application/vnd.google-apps.spreadsheet"

// File is a Drive file as mesa lists it.
type File struct {
	ID, Name, Created string
}

// Spreadsheets lists the spreadsheets whose name starts with prefix, in
// folder ("" for anywhere the account sees), by name.
func (c *Client) Spreadsheets(ctx context.Context, folder, prefix string) ([]File, error) {
	q := fmt.Sprintf("name contains '%s' and mimeType = '%s' and trashed = false", escape(prefix), MimeSpreadsheet)
	if folder != "" {
		q += fmt.Sprintf(" and '%s' in parents", escape(folder))
	}
	var out []File
	token := ""
	for {
		var list *gdrive.FileList
		err := c.Retry.Do(ctx, retry.Transient, func() error {
			var err error
			call := c.svc.Files.List().Q(q).Fields("nextPageToken,files(id,name,createdTime)").OrderBy("name").
				SupportsAllDrives(true).IncludeItemsFromAllDrives(true).Context(ctx)
			if token != "" {
				call = call.PageToken(token)
			}
			list, err = call.Do()
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("list spreadsheets %q: %w", prefix, err)
		}
		for _, f := range list.Files {
			if strings.HasPrefix(f.Name, prefix) {
				out = append(out, File{ID: f.Id, Name: f.Name, Created: f.CreatedTime})
			}
		}
		if token = list.NextPageToken; token == "" {
			return out, nil
		}
	}
}

// Spreadsheet returns the id of the spreadsheet named name in folder,
// creating it (an empty spreadsheet, through Drive so it lands in the
// folder) when there is none. created says it was made now.
func (c *Client) Spreadsheet(ctx context.Context, folder, name string) (id string, created bool, err error) {
	have, err := c.Spreadsheets(ctx, folder, name)
	if err != nil {
		return "", false, err
	}
	for _, f := range have {
		if f.Name == name {
			return f.ID, false, nil
		}
	}
	meta := &gdrive.File{Name: name, MimeType: MimeSpreadsheet}
	if folder != "" {
		meta.Parents = []string{folder}
	}
	// files.create is not idempotent: retried only after a rate-limit
	// refusal; a duplicate left by a lost reply is found by name next time.
	var f *gdrive.File
	err = c.Retry.Do(ctx, retry.Quota, func() error {
		var err error
		f, err = c.svc.Files.Create(meta).Fields("id").SupportsAllDrives(true).Context(ctx).Do()
		return err
	})
	if err != nil {
		return "", false, fmt.Errorf("create %s: %w", name, err)
	}
	return f.Id, true, nil
}
