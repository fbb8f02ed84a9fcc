package worker_test

import (
	"bytes"
	"encoding/base64"
	"image/png"
	"io"
	"mime"
	"mime/multipart"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/procedure"
)

// Funza paso 8: "Cada agente solicita ... el diligenciamiento de la
// encuesta de satisfacción a traves del código QR o el link del formulario
// de la encuesta". The invitation carries both: the prefilled link and, in
// the HTML, a QR image of it as an inline part Gmail shows.
func TestSurveyInvitationCarriesQR(t *testing.T) {
	e := officeEnv(t)
	e.w.Config.Office.SurveyURL = "https://docs.google.com/forms/d/e/1FAIpQLSe/viewform?usp=pp_url&entry.1327180861={caso}"
	for i, u := range []string{"jose.nunez@funza-cundinamarca.gov.co", "ines.rojas@funza-cundinamarca.gov.co", "luis.mendez@funza-cundinamarca.gov.co"} {
		e.request(u, "Usuario", "No abre el programa", bogota("2026-03-16 09:00").Add(timeMinutes(i)))
	}
	e.cycle(bogota("2026-03-16 10:00"))
	for n := 1; n <= 3; n++ {
		e.answer(procedure.Respuestas, "carlos.perez@funza-cundinamarca.gov.co", bogota("2026-03-17 10:00").Add(timeMinutes(n)), map[procedure.Field]string{
			procedure.FCase: itoa(n), procedure.FState: "Resuelto", procedure.FActivities: "Se reinstaló el programa"})
	}
	e.cycle(bogota("2026-03-17 12:00"))
	e.cycle(bogota("2026-03-23 08:00")) // Monday: the week's sample (W12)
	found := 0
	for _, m := range e.sent() {
		if m.Kind != "encuesta" {
			continue
		}
		found++
		ct, params, err := mime.ParseMediaType(m.Msg.Header.Get("Content-Type"))
		if err != nil || ct != "multipart/related" {
			t.Fatalf("invitation Content-Type %q, want multipart/related", m.Msg.Header.Get("Content-Type"))
		}
		mr := multipart.NewReader(m.Msg.Body, params["boundary"])
		alt, err := mr.NextPart()
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(alt)
		if !strings.Contains(string(body), "cid:qr-encuesta@mesa") || !strings.Contains(string(body), "entry.1327180861=") {
			t.Errorf("the HTML does not show the QR image and the prefilled link")
		}
		img, err := mr.NextPart()
		if err != nil {
			t.Fatal(err)
		}
		if img.Header.Get("Content-Id") != "<qr-encuesta@mesa>" || img.Header.Get("Content-Type") != `image/png; name=encuesta-qr.png` {
			t.Errorf("image part headers %v", img.Header)
		}
		raw, _ := io.ReadAll(img)
		data := decodeBase64(t, raw)
		pic, err := png.Decode(bytes.NewReader(data))
		if err != nil || pic.Bounds().Dx() != 240 {
			t.Errorf("QR image: %v, %v", err, pic)
		}
	}
	if found == 0 {
		t.Fatal("no survey invitation was sent")
	}
}

func timeMinutes(n int) time.Duration { return time.Duration(n) * time.Minute }

func itoa(n int) string { return strconv.Itoa(n) }

func decodeBase64(t *testing.T, raw []byte) []byte {
	t.Helper()
	out, err := base64.StdEncoding.DecodeString(strings.NewReplacer("\r", "", "\n", "").Replace(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	return out
}
