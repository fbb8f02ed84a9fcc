package workspacefake_test

import (
	"encoding/base64"
	"fmt"
	"testing"
	"time"

	"google.golang.org/api/gmail/v1"
)

func incoming(from, subject string) []byte {
	return []byte("From: " + from + "\r\nTo: mesa@funza.gov.co\r\nSubject: " + subject + "\r\n\r\nhola\r\n")
}

// Deliver puts mail in the inbox; in:inbox, -from:me and after: find it,
// in:sent does not, and it survives a crash (it is in the log).
func TestDeliverInboxSearch(t *testing.T) {
	dir := t.TempDir()
	s, sv := openDir(t, dir)
	msgs := sv.gmail.Users.Messages
	sent := must[*gmail.Message](t)(msgs.Send("me", rawMessage(sampleMail)).Do())

	t0 := time.Date(2026, 3, 16, 14, 0, 0, 0, time.UTC)
	early := must[string](t)(s.Deliver(incoming("Ana <ana@funza.gov.co>", "impresora"), t0))
	late := must[string](t)(s.Deliver(incoming("Luis <luis@funza.gov.co>", "red"), t0.Add(time.Hour)))
	must[string](t)(s.Deliver(incoming("Mesa <mesa@workspacefake.invalid>", "a mí mismo"), t0.Add(2*time.Hour)))
	if n := len(s.SentMail()); n != 1 {
		t.Errorf("SentMail lists %d messages, want only the one sent", n)
	}

	ids := func(q string) []string {
		t.Helper()
		list := must[*gmail.ListMessagesResponse](t)(msgs.List("me").Q(q).Do())
		var out []string
		for _, m := range list.Messages {
			out = append(out, m.Id)
		}
		return out
	}
	for _, tc := range []struct {
		name, q string
		want    []string
	}{
		{"inbox, newest first, not from me", "in:inbox -from:me", []string{late, early}},
		{"after epoch seconds", fmt.Sprintf("in:inbox -from:me after:%d", t0.Unix()), []string{late}},
		{"after a date", "in:inbox -from:me after:2026/03/16", []string{late, early}},
		{"sent", "in:sent", []string{sent.Id}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ids(tc.q); fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("%q = %v, want %v", tc.q, got, tc.want)
			}
		})
	}
	if _, err := msgs.List("me").Q("in:inbox is:unread").Do(); apiCode(err) != 400 {
		t.Errorf("unknown term: err = %v, want 400", err)
	}

	got := must[*gmail.Message](t)(msgs.Get("me", early).Format("raw").Do())
	raw, _ := base64.URLEncoding.DecodeString(got.Raw)
	if got.InternalDate != t0.UnixMilli() || got.LabelIds[0] != "INBOX" || len(raw) == 0 {
		t.Errorf("get = date %d labels %v raw %q", got.InternalDate, got.LabelIds, raw)
	}

	s.Crash()
	s2, sv2 := openDir(t, dir)
	list := must[*gmail.ListMessagesResponse](t)(sv2.gmail.Users.Messages.List("me").Q("in:inbox -from:me").Do())
	if len(list.Messages) != 2 || list.Messages[1].Id != early || len(s2.SentMail()) != 1 {
		t.Errorf("after a crash: inbox %v, sent %d", list.Messages, len(s2.SentMail()))
	}
}
