package workspacefake

import (
	"cmp"
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"google.golang.org/api/drive/v3"
	"google.golang.org/api/sheets/v4"
)

const (
	opDriveWrite  = "drive.write"
	opDriveDelete = "drive.delete"

	mimeFolder = "application/vnd.google-apps.folder"

	// rootFolderID stands for "My Drive"; the alias "root" means it too.
	rootFolderID = "0AworkspacefakeRootFolderUk9PVA"

	driveTime = "2006-01-02T15:04:05.000Z"

	defaultFileFields = "kind,id,name,mimeType"
	defaultListFields = "kind,incompleteSearch,nextPageToken,files(kind,id,name,mimeType)"
)

type driveFile struct {
	ID            string            `json:"id"`
	Name          string            `json:"name"`
	MimeType      string            `json:"mimeType"`
	Parents       []string          `json:"parents"`
	Created       time.Time         `json:"created"`
	Modified      time.Time         `json:"modified"`
	Version       int64             `json:"version"`
	Size          int64             `json:"size"`
	MD5           string            `json:"md5,omitempty"`
	Trashed       bool              `json:"trashed,omitempty"`
	Description   string            `json:"description,omitempty"`
	AppProperties map[string]string `json:"appProperties,omitempty"`
	Properties    map[string]string `json:"properties,omitempty"`
	HasContent    bool              `json:"hasContent,omitempty"`
}

func isGoogleType(mimeType string) bool {
	return strings.HasPrefix(mimeType, "application/vnd.google-apps.")
}

func (s *Server) file(id string) (*driveFile, error) {
	if id == "root" {
		id = rootFolderID
	}
	f := s.st.Files[id]
	if f == nil {
		return nil, &apiError{Code: 404, Message: "File not found: " + id + ".", Reason: "notFound", Location: "fileId"}
	}
	return f, nil
}

// contentPath is where a file's bytes live: dir/drive/<id>/<name>.
func (s *Server) contentPath(f *driveFile) string {
	name := strings.NewReplacer("/", "_", "\\", "_", "\x00", "_").Replace(f.Name)
	if name == "" || name == "." || name == ".." {
		name = "_"
	}
	return filepath.Join(s.driveDir(f.ID), name)
}

// version and modified time of a spreadsheet's file follow its edits, so a
// worker can detect changes with one files.get.
func (s *Server) versionOf(f *driveFile) (int64, time.Time) {
	version, modified := f.Version, f.Modified
	if ss := s.st.Spreadsheets[f.ID]; ss != nil {
		version += ss.Revision
		if ss.Modified.After(modified) {
			modified = ss.Modified
		}
	}
	return version, modified
}

func (s *Server) modifiedOf(f *driveFile) time.Time {
	_, m := s.versionOf(f)
	return m
}

func (s *Server) renderFile(f *driveFile) map[string]any {
	version, modified := s.versionOf(f)
	m := map[string]any{
		"kind":              "drive#file",
		"id":                f.ID,
		"name":              f.Name,
		"mimeType":          f.MimeType,
		"parents":           f.Parents,
		"createdTime":       f.Created.UTC().Format(driveTime),
		"modifiedTime":      modified.UTC().Format(driveTime),
		"version":           strconv.FormatInt(version, 10),
		"trashed":           f.Trashed,
		"explicitlyTrashed": f.Trashed,
		"starred":           false,
		"ownedByMe":         true,
		"spaces":            []string{"drive"},
		"webViewLink":       "https://drive.google.com/file/d/" + f.ID + "/view",
	}
	switch f.MimeType {
	case mimeSpreadsheet:
		m["webViewLink"] = "https://docs.google.com/spreadsheets/d/" + f.ID + "/edit"
	case mimeFolder:
		m["webViewLink"] = "https://drive.google.com/drive/folders/" + f.ID
	}
	if f.HasContent {
		m["size"] = strconv.FormatInt(f.Size, 10)
		m["quotaBytesUsed"] = strconv.FormatInt(f.Size, 10)
		m["md5Checksum"] = f.MD5
		m["originalFilename"] = f.Name
		if ext := strings.TrimPrefix(filepath.Ext(f.Name), "."); ext != "" {
			m["fileExtension"], m["fullFileExtension"] = ext, ext
		}
		m["webContentLink"] = "https://drive.google.com/uc?id=" + f.ID + "&export=download"
	}
	if f.Description != "" {
		m["description"] = f.Description
	}
	if len(f.AppProperties) > 0 {
		m["appProperties"] = f.AppProperties
	}
	if len(f.Properties) > 0 {
		m["properties"] = f.Properties
	}
	return m
}

func (s *Server) fileResult(f *driveFile) *jsonResult {
	return &jsonResult{v: s.renderFile(f), defaultFields: defaultFileFields}
}

// ---- files.create / files.update ----

type driveWriteArgs struct {
	FileID        string          `json:"fileId,omitempty"` // empty: create
	Meta          json.RawMessage `json:"meta,omitempty"`
	HasMedia      bool            `json:"hasMedia,omitempty"`
	Media         []byte          `json:"media,omitempty"`
	MediaType     string          `json:"mediaType,omitempty"`
	AddParents    string          `json:"addParents,omitempty"`
	RemoveParents string          `json:"removeParents,omitempty"`
}

func (s *Server) driveCreate(c *call) (any, error) { return s.driveWrite(c, "") }

func (s *Server) driveUpdate(c *call) (any, error) {
	if _, err := s.file(c.param(0)); err != nil {
		return nil, err
	}
	return s.driveWrite(c, c.param(0))
}

func (s *Server) driveWrite(c *call, fileID string) (any, error) {
	q := c.r.URL.Query()
	a := &driveWriteArgs{FileID: fileID, AddParents: q.Get("addParents"), RemoveParents: q.Get("removeParents")}
	if strings.HasPrefix(c.r.URL.Path, "/upload/") {
		if q.Get("uploadType") == "resumable" {
			return s.startResumable(c, a)
		}
		meta, media, mediaType, err := parseUpload(c)
		if err != nil {
			return nil, err
		}
		a.Meta, a.HasMedia, a.Media, a.MediaType = meta, true, media, mediaType
	} else {
		a.Meta = c.body
	}
	if len(a.Meta) > 0 && !json.Valid(a.Meta) {
		return nil, errBadRequest("Invalid JSON payload received.")
	}
	f, err := mutate(s, opDriveWrite, a, s.applyDriveWrite)
	if err != nil {
		return nil, err
	}
	return s.fileResult(f), nil
}

// fileMeta is the writable metadata of a request, with presence: a field
// absent from the request is left alone by an update.
type fileMeta struct {
	drive.File
	present map[string]json.RawMessage
}

func parseFileMeta(raw json.RawMessage) (*fileMeta, error) {
	m := &fileMeta{present: map[string]json.RawMessage{}}
	if len(raw) == 0 || string(raw) == "null" {
		return m, nil
	}
	if err := json.Unmarshal(raw, &m.File); err != nil {
		return nil, errBadRequest("Invalid JSON payload received. %v", err)
	}
	if err := json.Unmarshal(raw, &m.present); err != nil {
		return nil, errBadRequest("Invalid JSON payload received. %v", err)
	}
	return m, nil
}

func (s *Server) applyDriveWrite(now time.Time, a *driveWriteArgs) (*driveFile, error) {
	meta, err := parseFileMeta(a.Meta)
	if err != nil {
		return nil, err
	}
	if a.FileID == "" {
		return s.createFile(now, a, meta)
	}
	return s.updateFile(now, a, meta)
}

func (s *Server) createFile(now time.Time, a *driveWriteArgs, meta *fileMeta) (*driveFile, error) {
	if meta.Id != "" {
		return nil, errBadRequest("workspacefake: client-chosen file ids are not supported")
	}
	mimeType := meta.MimeType
	if mimeType == "" && a.MediaType != "" {
		if mt, _, err := mime.ParseMediaType(a.MediaType); err == nil {
			mimeType = mt
		}
	}
	if mimeType == "" {
		mimeType = "application/octet-stream"
	}
	if isGoogleType(mimeType) {
		if a.HasMedia && len(a.Media) > 0 {
			return nil, errBadRequest("workspacefake: converting uploads to Google types is not supported")
		}
		if mimeType != mimeFolder && mimeType != mimeSpreadsheet {
			return nil, errBadRequest("workspacefake: creating %s files is not supported", mimeType)
		}
	}
	parents := meta.Parents
	if len(parents) == 0 {
		parents = []string{rootFolderID}
	}
	parents, err := s.checkParents(parents)
	if err != nil {
		return nil, err
	}
	name := meta.Name
	if name == "" {
		name = "Untitled"
	}
	if mimeType == mimeSpreadsheet {
		// A spreadsheet made through Drive is a real spreadsheet.
		ss, err := s.applySheetsCreate(now, &sheets.Spreadsheet{Properties: &sheets.SpreadsheetProperties{Title: name}})
		if err != nil {
			return nil, err
		}
		f := s.st.Files[ss.ID]
		f.Parents, f.Description = parents, meta.Description
		f.AppProperties, f.Properties = meta.AppProperties, meta.Properties
		return f, nil
	}
	f := &driveFile{
		ID: "1" + s.st.newID("file", 32), Name: name, MimeType: mimeType, Parents: parents,
		Created: now, Modified: now, Version: 1, Description: meta.Description,
		AppProperties: meta.AppProperties, Properties: meta.Properties,
	}
	if a.HasMedia {
		if err := s.storeContent(f, a.Media); err != nil {
			return nil, err
		}
	}
	s.st.Files[f.ID] = f
	return f, nil
}

func (s *Server) updateFile(now time.Time, a *driveWriteArgs, meta *fileMeta) (*driveFile, error) {
	f, err := s.file(a.FileID)
	if err != nil {
		return nil, err
	}
	if _, ok := meta.present["parents"]; ok {
		return nil, &apiError{Code: 403, Reason: "fieldNotWritable",
			Message: "The parents field is not directly writable in update requests. Use the addParents and removeParents parameters instead."}
	}
	if a.HasMedia && isGoogleType(f.MimeType) {
		return nil, errBadRequest("workspacefake: uploading content to a %s file is not supported", f.MimeType)
	}
	parents := slices.Clone(f.Parents)
	if a.AddParents != "" {
		add, err := s.checkParents(strings.Split(a.AddParents, ","))
		if err != nil {
			return nil, err
		}
		for _, p := range add {
			if !slices.Contains(parents, p) {
				parents = append(parents, p)
			}
		}
	}
	for _, p := range strings.Split(a.RemoveParents, ",") {
		if p == "root" {
			p = rootFolderID
		}
		parents = slices.DeleteFunc(parents, func(x string) bool { return x == p })
	}
	oldPath := s.contentPath(f)
	renamed := *f
	if _, ok := meta.present["name"]; ok && meta.Name != "" {
		renamed.Name = meta.Name
	}
	// New content is written first, under the new name, so that a disk
	// error leaves the file as it was.
	if a.HasMedia {
		if err := s.storeContent(&renamed, a.Media); err != nil {
			return nil, err
		}
	} else if f.HasContent && s.contentPath(&renamed) != oldPath {
		if err := os.Rename(oldPath, s.contentPath(&renamed)); err != nil && !os.IsNotExist(err) {
			return nil, err
		}
	}
	if a.HasMedia && s.contentPath(&renamed) != oldPath {
		_ = os.Remove(oldPath)
	}
	f.Name, f.Size, f.MD5, f.HasContent = renamed.Name, renamed.Size, renamed.MD5, renamed.HasContent
	if ss := s.st.Spreadsheets[f.ID]; ss != nil {
		ss.Props.Title = f.Name
	}
	if _, ok := meta.present["mimeType"]; ok && meta.MimeType != "" && !isGoogleType(f.MimeType) && !isGoogleType(meta.MimeType) {
		f.MimeType = meta.MimeType
	}
	if _, ok := meta.present["description"]; ok {
		f.Description = meta.Description
	}
	if _, ok := meta.present["trashed"]; ok {
		f.Trashed = meta.Trashed
	}
	f.AppProperties = mergeProps(f.AppProperties, meta.present["appProperties"])
	f.Properties = mergeProps(f.Properties, meta.present["properties"])
	f.Parents = parents
	f.Version++
	f.Modified = now
	return f, nil
}

// mergeProps applies an appProperties/properties update: keys are set, a
// null value deletes the key, other keys stay.
func mergeProps(cur map[string]string, raw json.RawMessage) map[string]string {
	if len(raw) == 0 {
		return cur
	}
	var upd map[string]*string
	if json.Unmarshal(raw, &upd) != nil {
		return cur
	}
	if cur == nil {
		cur = map[string]string{}
	}
	for k, v := range upd {
		if v == nil {
			delete(cur, k)
		} else {
			cur[k] = *v
		}
	}
	return cur
}

func (s *Server) checkParents(ids []string) ([]string, error) {
	var out []string
	for _, id := range ids {
		id = strings.TrimSpace(id)
		if id == "root" || id == rootFolderID {
			out = append(out, rootFolderID)
			continue
		}
		p := s.st.Files[id]
		if p == nil || p.MimeType != mimeFolder {
			return nil, &apiError{Code: 404, Message: "File not found: " + id + ".", Reason: "notFound", Location: "fileId"}
		}
		out = append(out, id)
	}
	return out, nil
}

func (s *Server) storeContent(f *driveFile, data []byte) error {
	if err := writeFileAtomic(s.contentPath(f), data); err != nil {
		return fmt.Errorf("store content of %s: %w", f.ID, err)
	}
	sum := md5.Sum(data)
	f.Size, f.MD5, f.HasContent = int64(len(data)), hex.EncodeToString(sum[:]), true
	return nil
}

// ---- resumable uploads (the clients use them above 16 MiB by default) ----

// upload is an open resumable session. Sessions live in memory only; after
// a restart the client gets 404 and starts over, as with an expired session.
type upload struct {
	args   *driveWriteArgs
	fields string
	data   []byte
}

func (s *Server) startResumable(c *call, a *driveWriteArgs) (any, error) {
	if len(c.body) > 0 && !json.Valid(c.body) {
		return nil, errBadRequest("Invalid JSON payload received.")
	}
	a.Meta, a.HasMedia, a.MediaType = c.body, true, c.r.Header.Get("X-Upload-Content-Type")
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	id := hex.EncodeToString(b)
	s.uploads[id] = &upload{args: a, fields: c.r.URL.Query().Get("fields")}
	h := http.Header{"Location": {s.url + "/upload/drive/v3/files?uploadType=resumable&upload_id=" + id}}
	return &headerResult{status: http.StatusOK, header: h}, nil
}

var contentRangeRE = regexp.MustCompile(`^bytes (?:(\d+)-(\d+)|\*)/(\d+|\*)$`)

func (s *Server) driveUploadChunk(c *call) (any, error) {
	id := c.r.URL.Query().Get("upload_id")
	up := s.uploads[id]
	if up == nil {
		return nil, errNotFound("No active upload session %s.", id)
	}
	m := contentRangeRE.FindStringSubmatch(c.r.Header.Get("Content-Range"))
	if m == nil {
		return nil, errBadRequest("Invalid Content-Range header %q", c.r.Header.Get("Content-Range"))
	}
	if m[1] != "" {
		first, _ := strconv.Atoi(m[1])
		if first > len(up.data) {
			return nil, errBadRequest("Upload chunk starts at %d but %d bytes were received", first, len(up.data))
		}
		// A chunk sent again after a lost reply overwrites what it covered.
		up.data = append(up.data[:first], c.body...)
	}
	if m[3] == "*" || len(up.data) < mustAtoi(m[3]) {
		h := http.Header{"X-Http-Status-Code-Override": {"308"}}
		if len(up.data) > 0 {
			h.Set("Range", fmt.Sprintf("bytes=0-%d", len(up.data)-1))
		}
		return &headerResult{status: http.StatusOK, header: h}, nil
	}
	up.args.Media = up.data
	f, err := mutate(s, opDriveWrite, up.args, s.applyDriveWrite)
	if err != nil {
		return nil, err
	}
	delete(s.uploads, id)
	fields := up.fields
	if fields == "" {
		fields = defaultFileFields
	}
	return &jsonResult{v: s.renderFile(f), defaultFields: fields}, nil
}

func mustAtoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// ---- files.get / files.list / files.delete ----

func (s *Server) driveGet(c *call) (any, error) {
	f, err := s.file(c.param(0))
	if err != nil {
		return nil, err
	}
	if c.r.URL.Query().Get("alt") != "media" {
		return s.fileResult(f), nil
	}
	if !f.HasContent {
		if isGoogleType(f.MimeType) {
			return nil, &apiError{Code: 403, Reason: "fileNotDownloadable",
				Message: "Only files with binary content can be downloaded. Use Export with Docs Editors files."}
		}
		return &mediaResult{contentType: f.MimeType}, nil
	}
	data, err := os.ReadFile(s.contentPath(f))
	if err != nil {
		return nil, fmt.Errorf("read content of %s: %w", f.ID, err)
	}
	return &mediaResult{contentType: f.MimeType, data: data}, nil
}

func (s *Server) driveList(c *call) (any, error) {
	q := c.r.URL.Query()
	match, err := parseDriveQuery(q.Get("q"), s.modifiedOf)
	if err != nil {
		return nil, &apiError{Code: 400, Message: "Invalid Value", Reason: "invalid", Location: "q"}
	}
	var files []*driveFile
	for _, f := range s.st.Files {
		if f.ID != rootFolderID && match(f) {
			files = append(files, f)
		}
	}
	if err := s.sortFiles(files, q.Get("orderBy")); err != nil {
		return nil, err
	}
	size := 100
	if v := q.Get("pageSize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, &apiError{Code: 400, Message: "Invalid Value", Reason: "invalid", Location: "pageSize"}
		}
		size = min(n, 1000)
	}
	offset := 0
	if v := q.Get("pageToken"); v != "" {
		if offset, err = strconv.Atoi(v); err != nil || offset < 0 {
			return nil, &apiError{Code: 400, Message: "Invalid Value", Reason: "invalid", Location: "pageToken"}
		}
	}
	out := map[string]any{"kind": "drive#fileList", "incompleteSearch": false}
	list := []any{}
	for i := offset; i < min(offset+size, len(files)); i++ {
		list = append(list, s.renderFile(files[i]))
	}
	out["files"] = list
	if offset+size < len(files) {
		out["nextPageToken"] = strconv.Itoa(offset + size)
	}
	return &jsonResult{v: out, defaultFields: defaultListFields}, nil
}

// sortFiles applies orderBy ("name", "modifiedTime desc", "createdTime");
// the default is creation order, which is stable across calls.
func (s *Server) sortFiles(files []*driveFile, orderBy string) error {
	type key struct {
		field string
		desc  bool
	}
	var keys []key
	for _, part := range strings.Split(orderBy, ",") {
		fields := strings.Fields(part)
		if len(fields) == 0 {
			continue
		}
		k := key{field: fields[0]}
		if len(fields) == 2 && strings.EqualFold(fields[1], "desc") {
			k.desc = true
		} else if len(fields) != 1 {
			return &apiError{Code: 400, Message: "Invalid Value", Reason: "invalid", Location: "orderBy"}
		}
		switch k.field {
		case "name", "modifiedTime", "createdTime", "folder":
		default:
			return &apiError{Code: 400, Message: "Invalid Value", Reason: "invalid", Location: "orderBy"}
		}
		keys = append(keys, k)
	}
	slices.SortStableFunc(files, func(a, b *driveFile) int {
		for _, k := range keys {
			var c int
			switch k.field {
			case "name":
				c = cmp.Compare(a.Name, b.Name)
			case "modifiedTime":
				c = s.modifiedOf(a).Compare(s.modifiedOf(b))
			case "createdTime":
				c = a.Created.Compare(b.Created)
			case "folder":
				c = -cmp.Compare(boolInt(a.MimeType == mimeFolder), boolInt(b.MimeType == mimeFolder))
			}
			if k.desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		if c := a.Created.Compare(b.Created); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (s *Server) driveDelete(c *call) (any, error) {
	if _, err := s.file(c.param(0)); err != nil {
		return nil, err
	}
	if _, err := mutate(s, opDriveDelete, c.param(0), s.applyDriveDelete); err != nil {
		return nil, err
	}
	return &headerResult{status: http.StatusNoContent}, nil
}

// applyDriveDelete deletes a file for good (not to the trash), and a
// folder with everything in it, as files.delete does.
func (s *Server) applyDriveDelete(_ time.Time, id string) (bool, error) {
	f, err := s.file(id)
	if err != nil {
		return false, err
	}
	if f.ID == rootFolderID {
		return false, &apiError{Code: 403, Message: "The root folder cannot be deleted."}
	}
	for _, child := range s.st.Files {
		if slices.Contains(child.Parents, f.ID) {
			if _, err := s.applyDriveDelete(time.Time{}, child.ID); err != nil {
				return false, err
			}
		}
	}
	delete(s.st.Files, f.ID)
	delete(s.st.Spreadsheets, f.ID)
	delete(s.st.Forms, f.ID)
	_ = os.RemoveAll(s.driveDir(f.ID))
	return true, nil
}
