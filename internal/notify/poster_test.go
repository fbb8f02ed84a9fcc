package notify

import (
	"bytes"
	"encoding/base64"
	"html"
	"image/png"
	"regexp"
	"strings"
	"testing"
)

func TestPosterLink(t *testing.T) {
	for in, want := range map[string]string{
		"https://docs.google.com/forms/d/e/1FAIpQLSe/viewform?usp=pp_url&entry.1327180861={caso}": "https://docs.google.com/forms/d/e/1FAIpQLSe/viewform?usp=pp_url",
		"https://forms.gle/encuesta-mesa-de-ayuda?caso={caso}":                                    "https://forms.gle/encuesta-mesa-de-ayuda",
		"https://forms.gle/abc": "https://forms.gle/abc",
	} {
		if got := PosterLink(in); got != want {
			t.Errorf("PosterLink(%q) = %q, want %q", in, got, want)
		}
	}
}

// Funza paso 8: the survey "a traves del código QR o el link". The poster
// shows both, names the agent, and embeds the QR image (a PNG) so that the
// page prints without a network.
func TestPoster(t *testing.T) {
	o := Office{Name: "Alcaldía de Funza", SenderName: "Mesa de Ayuda TIC"}
	page, err := Poster(o, "Carlos Pérez", "https://docs.google.com/forms/d/e/1FAIpQLSe/viewform?usp=pp_url")
	if err != nil {
		t.Fatal(err)
	}
	s := string(page)
	for _, want := range []string{"Lo atendió: <strong>Carlos Pérez</strong>", "Mesa de Ayuda TIC — Alcaldía de Funza",
		"https://docs.google.com/forms/d/e/1FAIpQLSe/viewform?usp=pp_url", "@page"} {
		if !strings.Contains(s, want) {
			t.Errorf("poster lacks %q", want)
		}
	}
	// The attribute is HTML-escaped ("+" as &#43;), as a browser reads it.
	m := regexp.MustCompile(`src="data:image/png;base64,([A-Za-z0-9+/=]+)"`).FindStringSubmatch(html.UnescapeString(s))
	if m == nil {
		t.Fatal("no embedded PNG")
	}
	raw, _ := base64.StdEncoding.DecodeString(m[1])
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil || img.Bounds().Dx() != 512 {
		t.Fatalf("QR image: %v", err)
	}
	if _, err := Poster(o, "<script>", "x"); err != nil {
		t.Fatal(err)
	}
	if p, _ := Poster(o, "<script>", "x"); strings.Contains(string(p), "<script>") {
		t.Error("agent name not escaped")
	}
}
