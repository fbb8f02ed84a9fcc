package workspacefake

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"os"
	"path/filepath"
)

// parseUpload reads a simple upload (/upload/...): uploadType=multipart is a
// multipart/related body with JSON metadata then the media; uploadType=media
// is the media alone. Resumable sessions are handled by the Drive code.
func parseUpload(c *call) (meta, media []byte, mediaType string, err error) {
	switch ut := c.r.URL.Query().Get("uploadType"); ut {
	case "media":
		return nil, c.body, c.r.Header.Get("Content-Type"), nil
	case "multipart":
		mt, params, err := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
		if err != nil || mt != "multipart/related" {
			return nil, nil, "", errBadRequest("Bad content type. Please use multipart/related for uploadType=multipart.")
		}
		mr := multipart.NewReader(bytes.NewReader(c.body), params["boundary"])
		var parts [][]byte
		var types []string
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, nil, "", errBadRequest("Malformed multipart body: %v", err)
			}
			data, err := io.ReadAll(p)
			if err != nil {
				return nil, nil, "", errBadRequest("Malformed multipart body: %v", err)
			}
			parts = append(parts, data)
			types = append(types, p.Header.Get("Content-Type"))
		}
		if len(parts) != 2 {
			return nil, nil, "", errBadRequest("Malformed multipart body: want metadata and media, got %d parts", len(parts))
		}
		return parts[0], parts[1], types[1], nil
	case "":
		return nil, nil, "", &apiError{Code: 400, Message: "Upload requests must include an uploadType URL parameter and a URL path beginning with /upload/", Reason: "wrongUrlForUpload", Location: "uploadType"}
	default:
		return nil, nil, "", &apiError{Code: 400, Message: "Invalid upload type " + ut, Location: "uploadType"}
	}
}

// decodeJSON is decodeBody for bytes that are not the request body (the
// metadata part of an upload).
func decodeJSON(data []byte, v any) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	if err := json.Unmarshal(data, v); err != nil {
		return errBadRequest("Invalid JSON payload received. %v", err)
	}
	return nil
}

// writeFileAtomic writes through a temporary file and a rename, so a crash
// never leaves half a file under the final name.
func writeFileAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
