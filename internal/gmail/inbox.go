package gmail

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/text/encoding/htmlindex"
	ggmail "google.golang.org/api/gmail/v1"

	"github.com/funza-tic/mesa/internal/retry"
	"github.com/funza-tic/mesa/internal/workspace"
)

// maxBody bounds what is read of one body part; a request needs far less.
const maxBody = 1 << 20

// InboxQuery is the search that finds mail people sent to the mailbox:
// in the inbox, not sent by the mailbox itself, received after (Gmail
// takes epoch seconds; a bare date would mean midnight Pacific time).
func InboxQuery(after time.Time) string {
	q := "in:inbox -from:me"
	if !after.IsZero() {
		q += " after:" + strconv.FormatInt(after.Unix(), 10)
	}
	return q
}

// InboxIDs lists the ids of the messages InboxQuery(after) finds, oldest
// first (messages.list answers newest first, in pages).
func (c *Client) InboxIDs(ctx context.Context, after time.Time) ([]string, error) {
	var ids []string
	token := ""
	for {
		var list *ggmail.ListMessagesResponse
		err := c.Retry.Do(ctx, retry.Transient, func() error {
			call := c.svc.Users.Messages.List(c.user).Q(InboxQuery(after)).MaxResults(500).Context(ctx)
			if token != "" {
				call = call.PageToken(token)
			}
			var err error
			list, err = call.Do()
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("list inbox: %w", err)
		}
		for _, m := range list.Messages {
			ids = append(ids, m.Id)
		}
		if token = list.NextPageToken; token == "" {
			break
		}
	}
	for i, j := 0, len(ids)-1; i < j; i, j = i+1, j-1 {
		ids[i], ids[j] = ids[j], ids[i]
	}
	return ids, nil
}

// Message fetches one message (format raw) and decodes it. A message that
// does not parse is reported with workspace.ErrMalformed.
func (c *Client) Message(ctx context.Context, id string) (workspace.Message, error) {
	var got *ggmail.Message
	err := c.Retry.Do(ctx, retry.Transient, func() error {
		var err error
		got, err = c.svc.Users.Messages.Get(c.user, id).Format("raw").Context(ctx).Do()
		return err
	})
	if err != nil {
		return workspace.Message{}, fmt.Errorf("get message %s: %w", id, err)
	}
	raw, err := base64.URLEncoding.DecodeString(got.Raw)
	if err != nil {
		raw, err = base64.RawURLEncoding.DecodeString(strings.TrimRight(got.Raw, "="))
	}
	if err != nil {
		return workspace.Message{}, fmt.Errorf("message %s: raw is not base64url: %w", id, workspace.ErrMalformed)
	}
	m, err := Parse(raw)
	if err != nil {
		return workspace.Message{}, fmt.Errorf("message %s: %w", id, err)
	}
	m.ID, m.Received = id, time.UnixMilli(got.InternalDate)
	return m, nil
}

// ListInbox returns the messages InboxQuery(after) finds, oldest first:
// one messages.list per page and one messages.get per message.
func (c *Client) ListInbox(ctx context.Context, after time.Time) ([]workspace.Message, error) {
	ids, err := c.InboxIDs(ctx, after)
	if err != nil {
		return nil, err
	}
	out := make([]workspace.Message, 0, len(ids))
	for _, id := range ids {
		m, err := c.Message(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// Parse decodes an RFC 5322 message: RFC 2047 words in From and Subject,
// MIME multiparts, quoted-printable and base64 bodies, and any charset the
// WHATWG encoding standard names (UTF-8, ISO-8859-1, windows-1252, ...).
// The text/plain body wins over the text/html one, which is turned into
// text; attachments are ignored.
func Parse(raw []byte) (workspace.Message, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return workspace.Message{}, fmt.Errorf("%w: %v", workspace.ErrMalformed, err)
	}
	dec := &mime.WordDecoder{CharsetReader: charsetReader}
	m := workspace.Message{Headers: msg.Header}
	subject := msg.Header.Get("Subject")
	if m.Subject, err = dec.DecodeHeader(subject); err != nil {
		m.Subject = subject
	}
	m.Subject = strings.Join(strings.Fields(m.Subject), " ")
	ap := mail.AddressParser{WordDecoder: dec}
	if from, err := ap.Parse(msg.Header.Get("From")); err == nil {
		m.From = *from
	}
	var b bodies
	b.walk(msg.Header.Get, msg.Body, 0)
	switch {
	case strings.TrimSpace(b.plain) != "":
		m.Text = b.plain
	case b.html != "":
		m.Text = htmlText(b.html)
	}
	return m, nil
}

func charsetReader(charset string, r io.Reader) (io.Reader, error) {
	e, err := htmlindex.Get(charset)
	if err != nil {
		return nil, err
	}
	return e.NewDecoder().Reader(r), nil
}

// bodies keeps the first text/plain and the first text/html part met.
type bodies struct{ plain, html string }

func (b *bodies) walk(header func(string) string, r io.Reader, depth int) {
	mt, params, err := mime.ParseMediaType(header("Content-Type"))
	if err != nil && mt == "" {
		mt, params = "text/plain", map[string]string{}
	}
	if disp, _, _ := mime.ParseMediaType(header("Content-Disposition")); disp == "attachment" {
		return
	}
	if strings.HasPrefix(mt, "multipart/") {
		if depth > 8 || params["boundary"] == "" {
			return
		}
		mr := multipart.NewReader(r, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err != nil {
				return // io.EOF, or a broken part: keep what was read
			}
			b.walk(p.Header.Get, p, depth+1)
		}
	}
	if mt != "text/plain" && mt != "text/html" || mt == "text/plain" && b.plain != "" || mt == "text/html" && b.html != "" {
		return
	}
	data, _ := io.ReadAll(io.LimitReader(r, maxBody))
	switch strings.ToLower(strings.TrimSpace(header("Content-Transfer-Encoding"))) {
	case "base64":
		clean := bytes.Map(func(r rune) rune {
			if r == '\r' || r == '\n' || r == ' ' || r == '\t' {
				return -1
			}
			return r
		}, data)
		if d, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, bytes.NewReader(clean))); err == nil || len(d) > 0 {
			data = d
		}
	case "quoted-printable":
		if d, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(data))); err == nil || len(d) > 0 {
			data = d
		}
	}
	text := decodeCharset(data, params["charset"])
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	if mt == "text/plain" {
		b.plain = text
	} else {
		b.html = text
	}
}

// decodeCharset turns a body into UTF-8; an unknown charset is read as
// UTF-8 with invalid bytes replaced.
func decodeCharset(data []byte, charset string) string {
	if charset != "" {
		if e, err := htmlindex.Get(charset); err == nil {
			if d, err := e.NewDecoder().Bytes(data); err == nil {
				data = d
			}
		}
	}
	if !utf8.Valid(data) {
		return strings.ToValidUTF8(string(data), "\uFFFD")
	}
	return string(data)
}

var blankLines = regexp.MustCompile(`\n{3,}`)

// htmlText renders HTML as the text a person would read: no scripts,
// styles or head, a line break for each block element, entities decoded.
func htmlText(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var out strings.Builder
	skip := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			lines := strings.Split(out.String(), "\n")
			for i, l := range lines {
				lines[i] = strings.Join(strings.Fields(l), " ")
			}
			return strings.TrimSpace(blankLines.ReplaceAllString(strings.Join(lines, "\n"), "\n\n"))
		case html.TextToken:
			if skip == 0 {
				out.WriteString(strings.ReplaceAll(string(z.Text()), "\n", " "))
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style", "head", "title":
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
			case "br":
				out.WriteString("\n")
			case "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "ul", "ol", "hr":
				out.WriteString("\n")
				if string(name) == "p" && tt == html.EndTagToken {
					out.WriteString("\n")
				}
			case "td", "th":
				out.WriteString(" ")
			}
		}
	}
}
