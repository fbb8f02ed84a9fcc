package forms

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// Column titles of a Forms export.
const (
	TimestampColumn = "Marca temporal"
	EmailColumn     = "Dirección de correo electrónico"
)

// ParseCSV reads the CSV that Google Forms and Sheets export: a header row
// of question titles, the first column "Marca temporal" as d/M/yyyy H:mm:ss
// in loc (ISO 8601 accepted too), and the respondent's e-mail in the
// "Dirección de correo electrónico" column when the form collects it. A row
// that cannot be read is reported with its line and the rest are kept.
func ParseCSV(r io.Reader, loc *time.Location) ([]Response, []error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, []error{fmt.Errorf("read header: %w", err)}
	}
	for i := range header {
		header[i] = strings.TrimSpace(strings.TrimPrefix(header[i], "\ufeff"))
	}
	if len(header) == 0 || !strings.EqualFold(header[0], TimestampColumn) && !strings.EqualFold(header[0], "Timestamp") {
		return nil, []error{fmt.Errorf("first column is %q: want %q (a Google Forms export)", first(header), TimestampColumn)}
	}
	var out []Response
	var errs []error
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("line %d: %w", line, err))
			continue
		}
		if blank(rec) {
			continue
		}
		ts, err := ParseTimestamp(rec[0], loc)
		if err != nil {
			errs = append(errs, fmt.Errorf("line %d: %w", line, err))
			continue
		}
		resp := Response{Submitted: ts, Answers: map[string]string{}}
		for i := 1; i < len(rec) && i < len(header); i++ {
			if header[i] == "" {
				continue // a column without a title answers no question
			}
			v := strings.TrimSpace(rec[i])
			if strings.EqualFold(header[i], EmailColumn) || strings.EqualFold(header[i], "Email Address") {
				resp.Email = v
				continue
			}
			if v != "" {
				resp.Answers[header[i]] = v
			}
		}
		out = append(out, resp)
	}
	return out, errs
}

// ParseTimestamp reads a "Marca temporal": d/M/yyyy H:mm:ss (Spanish-locale
// export) in loc, or RFC 3339.
func ParseTimestamp(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2/1/2006 15:04:05", "2/1/2006 15:04", "2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("timestamp %q: want d/M/yyyy H:mm:ss or RFC 3339", s)
}

func first(h []string) string {
	if len(h) == 0 {
		return ""
	}
	return h[0]
}

func blank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}
