package notify

import (
	htmltemplate "html/template"

	qrcode "github.com/skip2/go-qrcode"
)

// Funza paso 8: the agent asks for the survey "a traves del código QR o el
// link del formulario de la encuesta". The invitation carries the case's
// prefilled survey link as a QR image, inline in the HTML part (Gmail shows
// no data: images; a multipart/related part with a Content-ID it does), and
// `mesa survey poster` prints it for an agent's desk.

// SurveyQRID is the Content-ID of the survey's QR image in an invitation.
const SurveyQRID = "qr-encuesta@mesa"

// QR encodes content as a PNG QR code of size×size pixels, with medium
// error correction (15 %: a printed code survives a smudge).
func QR(content string, size int) ([]byte, error) {
	return qrcode.Encode(content, qrcode.Medium, size)
}

// SurveyQR returns the survey's QR image as an inline part and the address
// the HTML uses for it, or nothing when there is no survey link.
func (d Data) SurveyQR() ([]Inline, htmltemplate.URL, error) {
	link := d.SurveyLink()
	if link == "" {
		return nil, "", nil
	}
	png, err := QR(link, 240)
	if err != nil {
		return nil, "", err
	}
	return []Inline{{ContentID: SurveyQRID, ContentType: "image/png", Name: "encuesta-qr.png", Data: png}}, htmltemplate.URL("cid:" + SurveyQRID), nil
}

// Inline is an image shown inside the HTML part (multipart/related).
type Inline struct {
	ContentID, ContentType, Name string
	Data                         []byte
}
