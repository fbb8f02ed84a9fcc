package gmail_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/funza-tic/mesa/internal/gmail"
	"github.com/funza-tic/mesa/internal/workspace"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name                      string
		raw                       string
		fromName, from, subj, txt string
	}{
		{
			name: "UTF-8 quoted-printable, RFC 2047 subject",
			raw: "From: =?UTF-8?Q?Jos=C3=A9_Pe=C3=B1a?= <jose@x.co>\nSubject: =?UTF-8?B?U2luIGNvbmV4acOzbg==?=\n" +
				"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nNo hay conexi=C3=B3n en la =\noficina.\n",
			fromName: "José Peña", from: "jose@x.co", subj: "Sin conexión", txt: "No hay conexión en la oficina.\n",
		},
		{
			name:     "ISO-8859-1 words and body, no transfer encoding",
			raw:      "From: =?ISO-8859-1?Q?Sof=EDa?= <s@x.co>\nSubject: =?iso-8859-1?q?Contrase=F1a?=\nContent-Type: text/plain; charset=ISO-8859-1\n\nOlvid\xe9 la contrase\xf1a\n",
			fromName: "Sofía", from: "s@x.co", subj: "Contraseña", txt: "Olvidé la contraseña\n",
		},
		{
			name: "windows-1252 in a multipart/alternative: plain wins, attachment ignored",
			raw: "From: a@x.co\nSubject: x\nContent-Type: multipart/mixed; boundary=m\n\n--m\nContent-Type: multipart/alternative; boundary=a\n\n" +
				"--a\nContent-Type: text/html\n\n<p>html</p>\n--a\nContent-Type: text/plain; charset=windows-1252\n\n\x93hola\x94\n--a--\n" +
				"--m\nContent-Type: text/plain\nContent-Disposition: attachment; filename=log.txt\n\nadjunto\n--m--\n",
			from: "a@x.co", subj: "x", txt: "“hola”",
		},
		{
			name: "HTML only, base64",
			raw: "From: a@x.co\nSubject: y\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: base64\n\n" +
				"PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0PjxkaXY+VW5vPGJyPmRvczwvZGl2Pjxw\nPnRyZXMgJmx0OyA0PC9wPg==\n",
			from: "a@x.co", subj: "y", txt: "Uno\ndos\n\ntres < 4",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := gmail.Parse([]byte(strings.ReplaceAll(tc.raw, "\n", "\r\n")))
			if err != nil {
				t.Fatal(err)
			}
			if m.From.Name != tc.fromName || m.From.Address != tc.from || m.Subject != tc.subj || strings.TrimSpace(m.Text) != strings.TrimSpace(tc.txt) {
				t.Errorf("got from %q <%s> subject %q text %q", m.From.Name, m.From.Address, m.Subject, m.Text)
			}
		})
	}
	if _, err := gmail.Parse([]byte("not a header line\r\n")); !errors.Is(err, workspace.ErrMalformed) {
		t.Errorf("garbage: err = %v, want ErrMalformed", err)
	}
}
