package workspacefake_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/api/drive/v3"
	"google.golang.org/api/googleapi"
)

func download(t *testing.T, sv *services, id string) []byte {
	t.Helper()
	res, err := sv.drive.Files.Get(id).Download()
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDriveFiles(t *testing.T) {
	s, sv := open(t)
	files := sv.drive.Files

	folder := must[*drive.File](t)(files.Create(&drive.File{Name: "KAWAK", MimeType: "application/vnd.google-apps.folder"}).SupportsAllDrives(true).Do())
	if folder.Id == "" || folder.Kind != "drive#file" || folder.MimeType != "application/vnd.google-apps.folder" {
		t.Fatalf("folder = %+v", folder)
	}
	// Default fields are kind,id,name,mimeType, as in Drive v3.
	if folder.Version != 0 || folder.ModifiedTime != "" {
		t.Errorf("default fields leaked: %+v", folder)
	}

	content := []byte("Caso,Estado\n1,Abierto\n")
	f := must[*drive.File](t)(files.Create(&drive.File{Name: "indicadores-2026-03.csv", Parents: []string{folder.Id}}).
		Media(bytes.NewReader(content), googleapi.ContentType("text/csv")).Fields("id,name,size,md5Checksum,version,parents,mimeType").Do())
	if f.Size != int64(len(content)) || f.Md5Checksum == "" || f.Version != 1 || f.Parents[0] != folder.Id || f.MimeType != "text/csv" {
		t.Errorf("uploaded = %+v", f)
	}
	if got := download(t, sv, f.Id); !bytes.Equal(got, content) {
		t.Errorf("download = %q", got)
	}
	if b, err := os.ReadFile(filepath.Join(s.Dir(), "drive", f.Id, "indicadores-2026-03.csv")); err != nil || !bytes.Equal(b, content) {
		t.Errorf("file on disk: %v %q", err, b)
	}

	// Update content and name of the same file: no duplicate appears.
	content2 := []byte("Caso,Estado\n1,Resuelto\n")
	u := must[*drive.File](t)(files.Update(f.Id, &drive.File{Name: "indicadores.csv", AppProperties: map[string]string{"mes": "2026-03"}}).
		Media(bytes.NewReader(content2)).Fields("id,name,version,appProperties").Do())
	if u.Id != f.Id || u.Name != "indicadores.csv" || u.Version != 2 || u.AppProperties["mes"] != "2026-03" {
		t.Errorf("updated = %+v", u)
	}
	if got := download(t, sv, f.Id); !bytes.Equal(got, content2) {
		t.Errorf("download after update = %q", got)
	}
	if _, err := os.Stat(filepath.Join(s.Dir(), "drive", f.Id, "indicadores-2026-03.csv")); !os.IsNotExist(err) {
		t.Errorf("old name still on disk: %v", err)
	}
	meta := must[*drive.File](t)(files.Update(f.Id, &drive.File{Description: "marzo"}).Fields("description,version").Do())
	if meta.Description != "marzo" || meta.Version != 3 {
		t.Errorf("metadata update = %+v", meta)
	}

	ss := newSpreadsheet(t, sv, "Casos")

	list := func(q string) []*drive.File {
		t.Helper()
		res := must[*drive.FileList](t)(files.List().Q(q).Fields("files(id,name,mimeType,trashed),nextPageToken").
			SupportsAllDrives(true).IncludeItemsFromAllDrives(true).Do())
		return res.Files
	}
	tests := []struct {
		q    string
		want []string
	}{
		{"name = 'indicadores.csv'", []string{f.Id}},
		{"name = 'indicadores.csv' and '" + folder.Id + "' in parents and trashed = false", []string{f.Id}},
		{"'" + folder.Id + "' in parents", []string{f.Id}},
		{"mimeType = 'application/vnd.google-apps.spreadsheet'", []string{ss.SpreadsheetId}},
		{"mimeType = 'application/vnd.google-apps.folder' and 'root' in parents", []string{folder.Id}},
		{"name = 'It\\'s not there'", nil},
		{"", []string{folder.Id, f.Id, ss.SpreadsheetId}},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			var got []string
			for _, x := range list(tt.q) {
				got = append(got, x.Id)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	for _, bad := range []string{"name = 'x' or name = 'y'", "fullText contains 'x'", "name = "} {
		if _, err := files.List().Q(bad).Do(); apiCode(err) != 400 {
			t.Errorf("q %q: %v, want 400", bad, err)
		}
	}

	// Trash through update; trashed = false hides it.
	must[*drive.File](t)(files.Update(f.Id, &drive.File{Trashed: true}).Do())
	if got := list("name = 'indicadores.csv' and trashed = false"); len(got) != 0 {
		t.Errorf("trashed file listed: %v", got)
	}

	// Paging.
	page := must[*drive.FileList](t)(files.List().PageSize(2).Do())
	if len(page.Files) != 2 || page.NextPageToken == "" {
		t.Errorf("page 1 = %d files, token %q", len(page.Files), page.NextPageToken)
	}
	page = must[*drive.FileList](t)(files.List().PageSize(2).PageToken(page.NextPageToken).Do())
	if len(page.Files) != 1 || page.NextPageToken != "" {
		t.Errorf("page 2 = %d files, token %q", len(page.Files), page.NextPageToken)
	}

	// Errors.
	if _, err := files.Get("nope").Do(); apiCode(err) != 404 {
		t.Errorf("unknown file: %v", err)
	}
	if _, err := files.Get(ss.SpreadsheetId).Download(); apiCode(err) != 403 {
		t.Errorf("download of a spreadsheet: %v", err)
	}
	if _, err := files.Update(f.Id, &drive.File{Parents: []string{folder.Id}}).Do(); apiCode(err) != 403 {
		t.Errorf("parents in update: %v", err)
	}
	if _, err := files.Create(&drive.File{Name: "x", Parents: []string{"nope"}}).Do(); apiCode(err) != 404 {
		t.Errorf("unknown parent: %v", err)
	}

	// Delete.
	if err := files.Delete(folder.Id).Do(); err != nil {
		t.Fatal(err)
	}
	if _, err := files.Get(f.Id).Do(); apiCode(err) != 404 {
		t.Errorf("child of a deleted folder: %v", err)
	}
}

func TestDriveResumableUpload(t *testing.T) {
	s, sv := open(t)
	content := bytes.Repeat([]byte("0123456789abcdef"), 40000) // 640 KB, three 256 KB chunks
	f := must[*drive.File](t)(sv.drive.Files.Create(&drive.File{Name: "kawak.xlsx"}).
		Media(bytes.NewReader(content), googleapi.ChunkSize(256*1024), googleapi.ContentType("application/octet-stream")).
		Fields("id,size").Do())
	if f.Size != int64(len(content)) {
		t.Errorf("size = %d", f.Size)
	}
	if got := download(t, sv, f.Id); !bytes.Equal(got, content) {
		t.Errorf("download differs: %d bytes", len(got))
	}
	calls := s.Calls()
	if calls["drive.files.create"] != 1 || calls["drive.upload"] != 3 {
		t.Errorf("calls = %v", calls)
	}
	// And an update the same way.
	content = content[:300*1024]
	u := must[*drive.File](t)(sv.drive.Files.Update(f.Id, &drive.File{}).Media(bytes.NewReader(content), googleapi.ChunkSize(256*1024)).Fields("size,version").Do())
	if u.Size != int64(len(content)) || u.Version != 2 {
		t.Errorf("resumable update = %+v", u)
	}
}
