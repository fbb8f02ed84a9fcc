// Package drive is the thin adapter over the Google Drive v3 client: upload
// a report into a folder (replacing the file of the same name, never
// duplicating it) and read a file's version for cheap change checks.
package drive

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	gdrive "google.golang.org/api/drive/v3"
	"google.golang.org/api/option"

	"github.com/funza-tic/mesa/internal/retry"
)

// Client works in shared drives too (supportsAllDrives).
type Client struct {
	svc   *gdrive.Service
	Retry retry.Policy // how calls are retried (New: retry.Default())
}

// New returns a Drive client.
func New(ctx context.Context, opts ...option.ClientOption) (*Client, error) {
	svc, err := gdrive.NewService(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("drive client: %w", err)
	}
	return &Client{svc: svc, Retry: retry.Default()}, nil
}

// Version returns a file's version, which changes on every edit: an idle
// cycle compares it with the last one it saw instead of reading the workbook.
func (c *Client) Version(ctx context.Context, fileID string) (int64, error) {
	var f *gdrive.File
	err := c.Retry.Do(ctx, retry.Transient, func() error {
		var err error
		f, err = c.svc.Files.Get(fileID).Fields("id,version").SupportsAllDrives(true).Context(ctx).Do()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("version of %s: %w", fileID, err)
	}
	return f.Version, nil
}

// Upload puts data into folder under name, replacing the content of an
// existing file with that name so re-running a report creates no duplicate.
func (c *Client) Upload(ctx context.Context, folder, name, mimeType string, data []byte) (string, error) {
	q := fmt.Sprintf("name = '%s' and '%s' in parents and trashed = false", escape(name), escape(folder))
	var list *gdrive.FileList
	err := c.Retry.Do(ctx, retry.Transient, func() error {
		var err error
		list, err = c.svc.Files.List().Q(q).Fields("files(id,name)").SupportsAllDrives(true).IncludeItemsFromAllDrives(true).Context(ctx).Do()
		return err
	})
	if err != nil {
		return "", fmt.Errorf("look for %s: %w", name, err)
	}
	if len(list.Files) > 0 {
		id := list.Files[0].Id
		err := c.Retry.Do(ctx, retry.Transient, func() error {
			_, err := c.svc.Files.Update(id, &gdrive.File{}).Media(bytes.NewReader(data)).SupportsAllDrives(true).Context(ctx).Do()
			return err
		})
		if err != nil {
			return "", fmt.Errorf("replace %s: %w", name, err)
		}
		return id, nil
	}
	// files.create is not idempotent: it is retried only after a rate-limit
	// refusal (nothing was created), and a duplicate left by a lost reply is
	// replaced (not multiplied) by the next run's lookup.
	var f *gdrive.File
	err = c.Retry.Do(ctx, retry.Quota, func() error {
		var err error
		f, err = c.svc.Files.Create(&gdrive.File{Name: name, Parents: []string{folder}, MimeType: mimeType}).
			Media(bytes.NewReader(data)).SupportsAllDrives(true).Context(ctx).Do()
		return err
	})
	if err != nil {
		return "", fmt.Errorf("upload %s: %w", name, err)
	}
	return f.Id, nil
}

func escape(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `'`, `\'`) }
