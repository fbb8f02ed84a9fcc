package drive_test

import (
	"context"
	"errors"
	"testing"

	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"

	"github.com/funza-tic/mesa/internal/drive"
	"github.com/funza-tic/mesa/internal/workspacefake"
)

// Drive refuses requests over a rate limit with 403 userRateLimitExceeded or
// rateLimitExceeded (Drive "Resolve errors": "Resolve a 403 error: User rate
// limit exceeded"; tidyverse/googledrive#380 shows the real body). The
// adapter backs off and retries them like a 429, the upload of a new report
// included (nothing was created); a 403 for permissions is returned at once.
func TestRateLimit403IsRetried(t *testing.T) {
	tests := []struct {
		name      string
		fault     workspacefake.Fault
		wantErr   bool
		wantCalls int
	}{
		{"403 userRateLimitExceeded", workspacefake.Fault{Status: 403, Reason: "userRateLimitExceeded"}, false, 3},
		{"403 rateLimitExceeded", workspacefake.Fault{Status: 403, Reason: "rateLimitExceeded"}, false, 3},
		{"403 insufficientPermissions", workspacefake.Fault{Status: 403, Reason: "insufficientPermissions"}, true, 1},
	}
	for _, method := range []string{"drive.files.list", "drive.files.create"} {
		for _, tt := range tests {
			t.Run(method+" "+tt.name, func(t *testing.T) {
				fake, err := workspacefake.Open(t.TempDir())
				if err != nil {
					t.Fatal(err)
				}
				defer fake.Close()
				ctx := context.Background()
				c, err := drive.New(ctx, option.WithHTTPClient(fake.HTTPClient()),
					option.WithEndpoint(fake.URL()+"/drive/v3/"), option.WithoutAuthentication())
				if err != nil {
					t.Fatal(err)
				}
				fake.SetFault(workspacefake.FailTimes(method, 2, tt.fault))
				id, err := c.Upload(ctx, "root", "informe-2026-03.html", "text/html", []byte("<h1>Informe de marzo</h1>"))
				var ge *googleapi.Error
				if tt.wantErr != (err != nil) || tt.wantErr && (!errors.As(err, &ge) || ge.Code != 403) {
					t.Fatalf("upload: id %q, err %v", id, err)
				}
				if calls := fake.Calls()[method]; calls != tt.wantCalls {
					t.Errorf("%d calls of %s, want %d", calls, method, tt.wantCalls)
				}
				if !tt.wantErr {
					if v, err := c.Version(ctx, id); err != nil || v < 1 {
						t.Errorf("uploaded file: version %d, %v", v, err)
					}
				}
			})
		}
	}
}
