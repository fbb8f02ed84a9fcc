package notify

import (
	"bytes"
	"net/mail"
	"strings"
	"testing"
	"time"
)

func TestBuildRoundTrip(t *testing.T) {
	tm := loadDefaults(t)
	for _, k := range Kinds() {
		t.Run(string(k), func(t *testing.T) {
			d := goldenData(t, k)
			r, err := tm.Render(k, d)
			if err != nil {
				t.Fatal(err)
			}
			m := messageFor(t, "n-"+string(k), d, r)
			raw, err := Build(m)
			if err != nil {
				t.Fatal(err)
			}
			p := parseMessage(t, raw)
			if p.text != r.Text {
				t.Errorf("text part differs:\n%s\n--- want ---\n%s", p.text, r.Text)
			}
			if p.html != r.HTML {
				t.Errorf("HTML part differs:\n%s\n--- want ---\n%s", p.html, r.HTML)
			}
			if got := decodeHeader(t, p.header.Get("Subject")); got != r.Subject {
				t.Errorf("Subject = %q, want %q", got, r.Subject)
			}
			to, err := p.header.AddressList("To")
			if err != nil || len(to) != 1 || to[0].Name != d.RecipientName || to[0].Address != m.To[0].Address {
				t.Errorf("To = %v, %v; want %s <%s>", to, err, d.RecipientName, m.To[0].Address)
			}
			if got := p.header.Get("Message-ID"); got != m.MessageID {
				t.Errorf("Message-ID = %q, want %q", got, m.MessageID)
			}
			if got := p.header.Get(HeaderNotification); got != m.ID {
				t.Errorf("%s = %q, want %q", HeaderNotification, got, m.ID)
			}
			if got := p.header.Get("MIME-Version"); got != "1.0" {
				t.Errorf("MIME-Version = %q", got)
			}
			date, err := p.header.Date()
			if err != nil || !date.Equal(m.Date) {
				t.Errorf("Date = %v, %v; want %v", date, err, m.Date)
			}
			again, err := Build(m)
			if err != nil || !bytes.Equal(raw, again) {
				t.Error("Build is not deterministic")
			}
		})
	}
}

func TestBuildHostileInput(t *testing.T) {
	tm := loadDefaults(t)
	d := goldenData(t, Acuse)
	d.RecipientName = "José Núñez\r\nBcc: x@y.z"
	d.Case.Description = "<script>alert(1)</script>"
	d.Case.Dependencia = "=SUM(A1:A9)"
	r, err := tm.Render(Acuse, d)
	if err != nil {
		t.Fatal(err)
	}
	m := messageFor(t, "n-1\r\nBcc: x@y.z", d, r)
	m.From.Name = "Mesa\nBcc: x@y.z"
	m.Subject = r.Subject + "\r\nBcc: x@y.z\r\n\r\nbody"
	m.MessageID = ""
	raw, err := Build(m)
	if err != nil {
		t.Fatal(err)
	}
	p := parseMessage(t, raw)
	if _, ok := p.header["Bcc"]; ok {
		t.Fatalf("a Bcc header was injected:\n%s", raw)
	}
	if got, want := decodeHeader(t, p.header.Get("Subject")), "[Mesa de Ayuda TIC] Caso 1024 registrado Bcc: x@y.z body"; got != want {
		t.Errorf("Subject = %q, want %q", got, want)
	}
	to, err := p.header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Name != "José Núñez Bcc: x@y.z" {
		t.Errorf("To = %v, %v", to, err)
	}
	from, err := p.header.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != "Mesa Bcc: x@y.z" {
		t.Errorf("From = %v, %v", from, err)
	}
	if got := p.header.Get("Message-ID"); !messageID.MatchString(got) || strings.ContainsAny(got, " \r\n") {
		t.Errorf("Message-ID = %q", got)
	}
	if !strings.Contains(p.text, "<script>alert(1)</script>") || !strings.Contains(p.text, "Dependencia: =SUM(A1:A9)") {
		t.Errorf("text part is not literal:\n%s", p.text)
	}
	if strings.Contains(p.html, "<script>") || !strings.Contains(p.html, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("HTML part is not escaped:\n%s", p.html)
	}
	if !strings.Contains(p.html, ">=SUM(A1:A9)<") {
		t.Errorf("HTML part changed =SUM(A1:A9):\n%s", p.html)
	}
}

func TestBuildRejects(t *testing.T) {
	valid := func() Message {
		return Message{
			ID:   "n-1",
			From: mail.Address{Name: "Mesa", Address: "mesa@example.org"},
			To:   []mail.Address{{Name: "Ana", Address: "ana@example.org"}},
			Text: "hola", HTML: "<p>hola</p>",
			Date: time.Date(2026, 3, 18, 10, 0, 0, 0, time.UTC),
		}
	}
	tests := []struct {
		name   string
		change func(*Message)
		want   string
	}{
		{"empty From", func(m *Message) { m.From.Address = "" }, "invalid From address"},
		{"From with a name", func(m *Message) { m.From.Address = "Evil <evil@example.org>" }, "invalid From address"},
		{"no recipient", func(m *Message) { m.To = nil }, "no recipient"},
		{"not an address", func(m *Message) { m.To[0].Address = "ana en example.org" }, "invalid To address"},
		{"two addresses", func(m *Message) { m.To[0].Address = "ana@example.org, x@y.z" }, "invalid To address"},
		{"injected header", func(m *Message) { m.To[0].Address = "ana@example.org\r\nBcc: x@y.z" }, "invalid To address"},
		{"no date", func(m *Message) { m.Date = time.Time{} }, "no date"},
		{"no id", func(m *Message) { m.ID = " " }, "no notification id"},
		{"bad Message-ID", func(m *Message) { m.MessageID = "<a b@c>\r\nBcc: x@y.z" }, "invalid Message-ID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := valid()
			tt.change(&m)
			_, err := Build(m)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
	if _, err := Build(valid()); err != nil {
		t.Errorf("valid message: %v", err)
	}
}

func TestBuildPlainText(t *testing.T) {
	m := Message{
		ID: "n-2", From: mail.Address{Address: "mesa@example.org"},
		To:   []mail.Address{{Address: "ana@example.org"}, {Name: "Ángela Muñoz", Address: "angela@example.org"}},
		Text: "Línea uno\r\nLínea dos\n", Date: time.Date(2026, 3, 18, 10, 0, 0, 0, time.UTC),
	}
	raw, err := Build(m)
	if err != nil {
		t.Fatal(err)
	}
	p := parseMessage(t, raw)
	if p.text != "Línea uno\nLínea dos\n" {
		t.Errorf("text = %q", p.text)
	}
	if to, err := p.header.AddressList("To"); err != nil || len(to) != 2 || to[1].Name != "Ángela Muñoz" {
		t.Errorf("To = %v, %v", to, err)
	}
	if got, want := p.header.Get("Message-ID"), "<n-2@example.org>"; got != want {
		t.Errorf("default Message-ID = %q, want %q", got, want)
	}
}

func TestBuildLongSubjectIsFolded(t *testing.T) {
	m := Message{
		ID: "n-3", From: mail.Address{Address: "mesa@example.org"}, To: []mail.Address{{Address: "ana@example.org"}},
		Subject: strings.Repeat("Solicitud de instalación de software ofimático ", 20),
		Text:    "x", Date: time.Date(2026, 3, 18, 10, 0, 0, 0, time.UTC),
	}
	raw, err := Build(m)
	if err != nil {
		t.Fatal(err)
	}
	head, _, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
	// An encoded-word (at most 75 characters) cannot be split, so a line
	// may pass 78 characters by its header name, never more.
	lines := strings.Split(string(head), "\r\n")
	for _, line := range lines {
		if len(line) > len("Subject: ")+75 {
			t.Errorf("header line of %d characters: %q", len(line), line)
		}
	}
	if strings.Count(string(head), "\r\n =?utf-8?q?") < 3 {
		t.Errorf("the long subject was not folded:\n%s", head)
	}
	p := parseMessage(t, raw)
	got := decodeHeader(t, p.header.Get("Subject"))
	if !strings.HasPrefix(got, "Solicitud de instalación") || !strings.HasSuffix(got, "…") || len([]rune(got)) != maxSubject {
		t.Errorf("Subject = %q", got)
	}
}

func TestMessageIDFor(t *testing.T) {
	tests := []struct{ id, domain, want string }{
		{"n-acuse-1024", "funza-cundinamarca.gov.co", "<n-acuse-1024@funza-cundinamarca.gov.co>"},
		{"a.b_c", "Example.ORG ", "<a.b_c@example.org>"},
		{"n-1", "", "<n-1@mesa.invalid>"},
		{"n-1", "bad domain>", "<n-1@mesa.invalid>"},
	}
	for _, tt := range tests {
		if got := MessageIDFor(tt.id, tt.domain); got != tt.want {
			t.Errorf("MessageIDFor(%q, %q) = %q, want %q", tt.id, tt.domain, got, tt.want)
		}
	}
	for _, id := range []string{"", "a b", "x>\r\nBcc: y", "..", strings.Repeat("a", 200)} {
		got := MessageIDFor(id, "example.org")
		if !messageID.MatchString(got) || !strings.HasPrefix(got, "<mesa-") {
			t.Errorf("MessageIDFor(%q) = %q, want a hashed id", id, got)
		}
		if got != MessageIDFor(id, "example.org") {
			t.Errorf("MessageIDFor(%q) is not stable", id)
		}
	}
}
