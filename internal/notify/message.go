package notify

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Message is one e-mail, ready to be built.
type Message struct {
	ID        string // notification id (the Notificaciones row); goes in X-Mesa-Notificacion
	From      mail.Address
	To        []mail.Address
	Subject   string
	Text      string
	HTML      string // optional; without it the message is plain text
	Date      time.Time
	MessageID string // "<id@domain>", see MessageIDFor; "" builds one from ID and the From domain
	// Inline images the HTML shows by "cid:" address (the survey's QR
	// code); they need HTML. Without them the message is built as before.
	Inline []Inline
}

// Limits that keep every header line far below the 998 characters of RFC 5322.
const (
	maxSubject = 200 // runes
	maxName    = 100 // runes
	maxID      = 200 // runes
	maxAddress = 254 // bytes (RFC 5321)
	lineWidth  = 76
)

// HeaderNotification carries the notification id, so that a sent message can
// be matched to its outbox row.
const HeaderNotification = "X-Mesa-Notificacion"

var (
	dotAtom   = regexp.MustCompile(`^[A-Za-z0-9_+=-]+(\.[A-Za-z0-9_+=-]+)*$`)
	domainRE  = regexp.MustCompile(`^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$`)
	messageID = regexp.MustCompile(`^<[!-;=?-~]+@[!-;=?-~]+>$`) // printable ASCII without < > or spaces
)

// MessageIDFor builds the Message-ID of a notification, "<id@domain>". The
// same notification always gets the same Message-ID, so a message sent twice
// by accident can be recognized. An id that is not a safe dot-atom is
// replaced by a hash of it; an invalid domain by "mesa.invalid".
func MessageIDFor(notificationID, domain string) string {
	id := notificationID
	if !dotAtom.MatchString(id) || len(id) > 100 {
		sum := sha256.Sum256([]byte(notificationID))
		id = "mesa-" + hex.EncodeToString(sum[:16])
	}
	domain = strings.ToLower(strings.TrimSpace(domain))
	if !domainRE.MatchString(domain) || len(domain) > 100 {
		domain = "mesa.invalid"
	}
	return "<" + id + "@" + domain + ">"
}

// Build returns the RFC 5322 bytes of m: multipart/alternative with a text
// and an HTML part, both UTF-8 quoted-printable. The output depends only on
// m, so golden files are stable. Header values cannot inject headers:
// control characters in names and the subject become spaces, and addresses
// must be plain addresses ("name@example.org").
func Build(m Message) ([]byte, error) {
	from, err := cleanAddress("From", m.From)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(m.ID) == "" {
		return nil, errors.New("message has no notification id")
	}
	if len(m.To) == 0 {
		return nil, errors.New("message has no recipient")
	}
	to := make([]string, len(m.To))
	for i, a := range m.To {
		c, err := cleanAddress("To", a)
		if err != nil {
			return nil, err
		}
		to[i] = formatAddress(c)
	}
	if m.Date.IsZero() {
		return nil, errors.New("message has no date")
	}
	msgID := m.MessageID
	if msgID == "" {
		msgID = MessageIDFor(m.ID, from.Address[strings.LastIndex(from.Address, "@")+1:])
	}
	if !messageID.MatchString(msgID) || len(msgID) > 250 {
		return nil, fmt.Errorf("invalid Message-ID %q: want <id@domain>, see MessageIDFor", msgID)
	}

	text := normalizeNewlines(m.Text)
	html := normalizeNewlines(m.HTML)

	var b bytes.Buffer
	header(&b, "From", formatAddress(from))
	header(&b, "To", strings.Join(to, ", "))
	header(&b, "Subject", encodeText(cleanHeaderText(m.Subject), maxSubject))
	header(&b, "Date", m.Date.In(bogota()).Format(time.RFC1123Z))
	header(&b, "Message-ID", msgID)
	header(&b, HeaderNotification, encodeText(cleanHeaderText(m.ID), maxID))
	header(&b, "MIME-Version", "1.0")

	if html == "" {
		header(&b, "Content-Type", "text/plain; charset=utf-8")
		header(&b, "Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		if err := writeQP(&b, text); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}

	// "=_" never occurs in quoted-printable output, so the boundary cannot
	// collide with a body; hashing the content keeps it deterministic.
	sum := sha256.Sum256([]byte(m.ID + "\x00" + text + "\x00" + html))
	boundary := "=_mesa_" + hex.EncodeToString(sum[:12])
	if len(m.Inline) > 0 {
		// multipart/related: the alternative, then the images it shows.
		related := "=_mesa_r_" + hex.EncodeToString(sum[:12])
		header(&b, "Content-Type", mime.FormatMediaType("multipart/related", map[string]string{"boundary": related, "type": "multipart/alternative"}))
		b.WriteString("\r\n")
		rw := multipart.NewWriter(&b)
		if err := rw.SetBoundary(related); err != nil {
			return nil, fmt.Errorf("set boundary: %w", err)
		}
		alt, err := rw.CreatePart(textproto.MIMEHeader{"Content-Type": {mime.FormatMediaType("multipart/alternative", map[string]string{"boundary": boundary})}})
		if err != nil {
			return nil, err
		}
		if err := alternative(alt, boundary, text, html); err != nil {
			return nil, err
		}
		for _, in := range m.Inline {
			if !dotAtom.MatchString(strings.ReplaceAll(in.ContentID, "@", ".")) || !strings.HasPrefix(in.ContentType, "image/") {
				return nil, fmt.Errorf("inline part %q (%s): want a Content-ID like name@domain and an image type", in.ContentID, in.ContentType)
			}
			w, err := rw.CreatePart(textproto.MIMEHeader{
				"Content-Type":              {mime.FormatMediaType(in.ContentType, map[string]string{"name": in.Name})},
				"Content-Transfer-Encoding": {"base64"},
				"Content-Id":                {"<" + in.ContentID + ">"},
				"Content-Disposition":       {mime.FormatMediaType("inline", map[string]string{"filename": in.Name})},
			})
			if err != nil {
				return nil, err
			}
			if err := writeBase64(w, in.Data); err != nil {
				return nil, err
			}
		}
		if err := rw.Close(); err != nil {
			return nil, fmt.Errorf("close multipart: %w", err)
		}
		return b.Bytes(), nil
	}
	header(&b, "Content-Type", mime.FormatMediaType("multipart/alternative", map[string]string{"boundary": boundary}))
	b.WriteString("\r\n")
	if err := alternative(&b, boundary, text, html); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// alternative writes the text and HTML parts of a multipart/alternative
// body with the given boundary.
func alternative(out io.Writer, boundary, text, html string) error {
	mw := multipart.NewWriter(out)
	if err := mw.SetBoundary(boundary); err != nil {
		return fmt.Errorf("set boundary: %w", err)
	}
	for _, p := range []struct{ ctype, body string }{
		{"text/plain; charset=utf-8", text},
		{"text/html; charset=utf-8", html},
	} {
		w, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {p.ctype},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return fmt.Errorf("create %s part: %w", p.ctype, err)
		}
		if err := writeQP(w, p.body); err != nil {
			return err
		}
	}
	if err := mw.Close(); err != nil {
		return fmt.Errorf("close multipart: %w", err)
	}
	return nil
}

// writeBase64 writes data in base64 lines of 76 characters (RFC 2045).
func writeBase64(w io.Writer, data []byte) error {
	enc := base64.StdEncoding.EncodeToString(data)
	for len(enc) > 0 {
		n := min(len(enc), lineWidth)
		if _, err := io.WriteString(w, enc[:n]+"\r\n"); err != nil {
			return err
		}
		enc = enc[n:]
	}
	return nil
}

func writeQP(w interface{ Write([]byte) (int, error) }, body string) error {
	qp := quotedprintable.NewWriter(w)
	if _, err := qp.Write([]byte(body)); err != nil {
		return fmt.Errorf("encode body: %w", err)
	}
	if err := qp.Close(); err != nil {
		return fmt.Errorf("encode body: %w", err)
	}
	return nil
}

// cleanAddress checks that a.Address is one plain address and makes the
// display name safe for a header.
func cleanAddress(field string, a mail.Address) (mail.Address, error) {
	addr := strings.TrimSpace(a.Address)
	p, err := mail.ParseAddress(addr)
	if err != nil {
		return mail.Address{}, fmt.Errorf("invalid %s address %q: %v", field, a.Address, err)
	}
	if p.Address != addr || len(addr) > maxAddress || strings.ContainsFunc(addr, isUnsafeRune) {
		return mail.Address{}, fmt.Errorf("invalid %s address %q: want a plain address like name@example.org", field, a.Address)
	}
	return mail.Address{Name: truncate(cleanHeaderText(a.Name), maxName), Address: addr}, nil
}

// formatAddress is mail.Address.String, except that names with a backslash
// are B-encoded: net/mail does not parse the Q-encoded word that String
// writes for them.
func formatAddress(a mail.Address) string {
	s := a.String()
	if !strings.Contains(a.Name, `\`) || !strings.HasPrefix(s, "=?utf-8?q?") {
		return s
	}
	name := mime.BEncoding.Encode("utf-8", a.Name)
	return name + " " + (&mail.Address{Address: a.Address}).String()
}

// cleanHeaderText makes s a single line: invalid UTF-8 is replaced, control
// characters and line separators become spaces, and runs of spaces collapse.
func cleanHeaderText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || isUnsafeRune(r)
	}), " ")
}

func isUnsafeRune(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == utf8.RuneError
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return strings.TrimSpace(string([]rune(s)[:n-1])) + "…"
}

// encodeText shortens and RFC 2047-encodes an unstructured header value.
func encodeText(s string, max int) string {
	return mime.QEncoding.Encode("utf-8", truncate(s, max))
}

// header writes "Name: value", folded at spaces to keep lines short.
// value must already be a single line with single spaces.
func header(b *bytes.Buffer, name, value string) {
	b.WriteString(name)
	b.WriteString(":")
	n := len(name) + 1
	for _, word := range strings.Split(value, " ") {
		if n+1+len(word) > lineWidth && n > len(name)+1 {
			b.WriteString("\r\n")
			n = 0
		}
		b.WriteString(" ")
		b.WriteString(word)
		n += 1 + len(word)
	}
	b.WriteString("\r\n")
}
