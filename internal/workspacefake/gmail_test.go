package workspacefake_test

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/api/gmail/v1"
)

const sampleMail = "From: Mesa de ayuda <mesa@funza.gov.co>\r\n" +
	"To: ana@funza.gov.co\r\n" +
	"Subject: =?UTF-8?Q?Caso_42_asignado_a_Jos=C3=A9?=\r\n" +
	"Message-ID: <caso-42@mesa.funza>\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/alternative; boundary=b1\r\n" +
	"\r\n" +
	"--b1\r\n" +
	"Content-Type: text/plain; charset=UTF-8\r\n" +
	"Content-Transfer-Encoding: quoted-printable\r\n" +
	"\r\n" +
	"Su caso 42 fue asignado a Jos=C3=A9.\r\n" +
	"--b1\r\n" +
	"Content-Type: text/html; charset=UTF-8\r\n" +
	"\r\n" +
	"<p>Su caso 42</p>\r\n" +
	"--b1--\r\n"

func rawMessage(s string) *gmail.Message {
	return &gmail.Message{Raw: base64.URLEncoding.EncodeToString([]byte(s))}
}

func TestGmailSendListGet(t *testing.T) {
	s, sv := open(t)
	msgs := sv.gmail.Users.Messages

	sent := must[*gmail.Message](t)(msgs.Send("me", rawMessage(sampleMail)).Do())
	if sent.Id == "" || sent.ThreadId != sent.Id || len(sent.LabelIds) != 1 || sent.LabelIds[0] != "SENT" {
		t.Fatalf("send = %+v", sent)
	}

	// A reply joins the thread through In-Reply-To.
	reply := "To: ana@funza.gov.co\r\nSubject: Re\r\nIn-Reply-To: <caso-42@mesa.funza>\r\n\r\nok\r\n"
	r2 := must[*gmail.Message](t)(msgs.Send("me", rawMessage(reply)).Do())
	if r2.ThreadId != sent.Id {
		t.Errorf("reply thread = %s, want %s", r2.ThreadId, sent.Id)
	}

	// The media upload path, as with Messages.Send(...).Media(r).
	r3 := must[*gmail.Message](t)(msgs.Send("me", &gmail.Message{}).Media(strings.NewReader("To: b@x.co\r\nSubject: media\r\n\r\nhola\r\n")).Do())
	if r3.Id == "" {
		t.Errorf("media send = %+v", r3)
	}

	list := must[*gmail.ListMessagesResponse](t)(msgs.List("me").Q("rfc822msgid:<caso-42@mesa.funza>").Do())
	if len(list.Messages) != 1 || list.Messages[0].Id != sent.Id {
		t.Errorf("rfc822msgid search = %+v", list.Messages)
	}
	list = must[*gmail.ListMessagesResponse](t)(msgs.List("me").Q("rfc822msgid:caso-42@mesa.funza").Do())
	if len(list.Messages) != 1 {
		t.Errorf("rfc822msgid without brackets = %+v", list.Messages)
	}
	if list := must[*gmail.ListMessagesResponse](t)(msgs.List("me").Do()); len(list.Messages) != 3 || list.Messages[0].Id != r3.Id {
		t.Errorf("list = %+v", list.Messages)
	}
	if _, err := msgs.List("me").Q("from:ana").Do(); apiCode(err) != 400 {
		t.Errorf("unsupported search: %v", err)
	}

	raw := must[*gmail.Message](t)(msgs.Get("me", sent.Id).Format("raw").Do())
	if b, _ := base64.URLEncoding.DecodeString(raw.Raw); string(b) != sampleMail {
		t.Errorf("raw = %q", b)
	}
	meta := must[*gmail.Message](t)(msgs.Get("me", sent.Id).Format("metadata").MetadataHeaders("Subject").Do())
	if len(meta.Payload.Headers) != 1 || meta.Payload.Headers[0].Value != "Caso 42 asignado a José" {
		t.Errorf("metadata = %+v", meta.Payload.Headers)
	}
	full := must[*gmail.Message](t)(msgs.Get("me", sent.Id).Do())
	if full.Payload.MimeType != "multipart/alternative" || len(full.Payload.Parts) != 2 || full.Snippet != "Su caso 42 fue asignado a José." {
		t.Fatalf("full = %+v snippet %q", full.Payload, full.Snippet)
	}
	if body, _ := base64.URLEncoding.DecodeString(full.Payload.Parts[0].Body.Data); string(body) != "Su caso 42 fue asignado a José." {
		t.Errorf("decoded body = %q", body)
	}
	if _, err := msgs.Get("me", "nope").Do(); apiCode(err) != 404 {
		t.Errorf("unknown message: %v", err)
	}

	// A message without Message-ID gets one, so it can be searched.
	mail := s.SentMail()
	if len(mail) != 3 || !strings.Contains(string(mail[2].Raw), "Message-ID: <") {
		t.Fatalf("SentMail = %d, last %q", len(mail), mail[len(mail)-1].Raw)
	}
	eml := filepath.Join(s.Dir(), "mail", "00001-"+sent.Id+".eml")
	if b, err := os.ReadFile(eml); err != nil || string(b) != sampleMail {
		t.Errorf(".eml file: %v", err)
	}
}

func TestGmailRejectsBadMessages(t *testing.T) {
	_, sv := open(t)
	tests := []struct{ name, raw string }{
		{"empty", ""},
		{"no recipients", "Subject: hola\r\n\r\nbody\r\n"},
		{"bad address", "To: not an address\r\n\r\nbody\r\n"},
		{"not a message", "this is not a header\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := sv.gmail.Users.Messages.Send("me", rawMessage(tt.raw)).Do()
			if apiCode(err) != 400 {
				t.Errorf("err = %v, want 400", err)
			}
		})
	}
}

func TestGmailDailyLimit(t *testing.T) {
	s, sv := open(t)
	s.SetDailySendLimit(3)
	for i := range 3 {
		if _, err := sv.gmail.Users.Messages.Send("me", rawMessage("To: a@x.co\r\n\r\nhola\r\n")).Do(); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	_, err := sv.gmail.Users.Messages.Send("me", rawMessage("To: a@x.co\r\n\r\nhola\r\n")).Do()
	if apiCode(err) != 429 || !strings.Contains(err.Error(), "Daily user sending limit exceeded") {
		t.Fatalf("fourth send: %v", err)
	}
	// The limit is per user.
	if _, err := sv.gmail.Users.Messages.Send("otro@funza.gov.co", rawMessage("To: a@x.co\r\n\r\nhola\r\n")).Do(); err != nil {
		t.Errorf("another user: %v", err)
	}
	if n := len(s.SentMail()); n != 4 {
		t.Errorf("sent %d, want 4", n)
	}
}
