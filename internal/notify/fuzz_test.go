package notify

import (
	"bytes"
	"mime"
	"net/mail"
	"testing"
	"time"
)

// FuzzBuild checks that no input makes Build panic or emit a message that
// does not parse, has a Bcc header, or repeats Subject or To.
func FuzzBuild(f *testing.F) {
	f.Add("n-1", "Mesa de Ayuda TIC", "mesa@example.org", "José Núñez", "jose@example.org",
		"[Mesa de Ayuda TIC] Caso 1024 registrado", "Cordial saludo", "<p>Cordial saludo</p>", int64(1773847800))
	f.Add("n-1\r\nBcc: x@y.z", "Mesa\r\nBcc: x@y.z", "mesa@example.org", "\r\nBcc: x@y.z", "a@b.c",
		"Caso\r\nBcc: x@y.z\r\n\r\ncuerpo", "<script>alert(1)</script>", "=SUM(A1:A9)", int64(0))
	f.Add("", "", "a@b.c\nBcc: x@y.z", "", "Evil <e@x.y>", "=?utf-8?q?x?=", "--=_mesa_\r\n.", "\r\r\n\n=", int64(-1))
	f.Add("x", "\"quoted\" (comment) <>", "a@b.c", "Ángela\u2028Muñoz\x00\x7f", "b@c.d",
		"\xff\xfe invalid", "line\rline", "", int64(253402300799))
	f.Fuzz(func(t *testing.T, id, fromName, fromAddr, toName, toAddr, subject, text, html string, unix int64) {
		m := Message{
			ID:      id,
			From:    mail.Address{Name: fromName, Address: fromAddr},
			To:      []mail.Address{{Name: toName, Address: toAddr}},
			Subject: subject,
			Text:    text,
			HTML:    html,
			Date:    time.Unix(unix, 0),
		}
		raw, err := Build(m)
		if err != nil {
			return
		}
		msg, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("output does not parse: %v\n%q", err, raw)
		}
		if _, ok := msg.Header["Bcc"]; ok {
			t.Fatalf("Bcc header in output:\n%q", raw)
		}
		for _, h := range []string{"Subject", "To", "From", "Message-Id"} {
			if n := len(msg.Header[h]); n != 1 {
				t.Fatalf("%d %s headers in output:\n%q", n, h, raw)
			}
		}
		if _, err := msg.Header.AddressList("To"); err != nil {
			t.Fatalf("To does not parse: %v\n%q", err, raw)
		}
		if _, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil {
			t.Fatalf("Subject does not decode: %v\n%q", err, raw)
		}
		p := parseMessage(t, raw)
		if p.text != normalizeNewlines(text) {
			t.Fatalf("text part = %q, want %q", p.text, normalizeNewlines(text))
		}
		if p.html != normalizeNewlines(html) {
			t.Fatalf("HTML part = %q, want %q", p.html, normalizeNewlines(html))
		}
	})
}
