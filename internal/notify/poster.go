package notify

import (
	"bytes"
	"encoding/base64"
	htmltemplate "html/template"
	"net/url"
	"strings"
)

// PosterLink is the survey address for a poster on an agent's desk: the
// configured survey link without the case number (a poster serves every
// case; the user writes the number in the form). A query parameter whose
// value is "{caso}" is dropped, and any other "{caso}" is removed.
func PosterLink(surveyURL string) string {
	u, err := url.Parse(surveyURL)
	if err != nil || !strings.Contains(surveyURL, "{caso}") {
		return strings.ReplaceAll(surveyURL, "{caso}", "")
	}
	q := u.Query()
	for k, vs := range q {
		if len(vs) == 1 && vs[0] == "{caso}" {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	return strings.ReplaceAll(u.String(), url.QueryEscape("{caso}"), "")
}

var posterTemplate = htmltemplate.Must(htmltemplate.New("cartel").Parse(`<!DOCTYPE html>
<html lang="es">
<head>
<meta charset="utf-8">
<title>Encuesta de satisfacción — {{.Desk}}</title>
<style>
  @page { size: letter portrait; margin: 18mm; }
  body { font-family: Arial, Helvetica, sans-serif; color: #1d2939; text-align: center; margin: 0; }
  h1 { font-size: 30pt; margin: 10mm 0 4mm 0; }
  h2 { font-size: 18pt; font-weight: normal; margin: 0 0 8mm 0; }
  img { width: 110mm; height: 110mm; image-rendering: pixelated; }
  p { font-size: 14pt; margin: 4mm 12mm; }
  .enlace { font-size: 10pt; word-break: break-all; color: #475467; }
  .pie { font-size: 11pt; color: #475467; margin-top: 10mm; }
</style>
</head>
<body>
<h1>¿Cómo lo atendimos?</h1>
<h2>{{.Desk}} — {{.Office}}</h2>
<p>Escanee el código con la cámara del celular y responda la encuesta de satisfacción. Tenga a mano el número de su caso.</p>
<img src="{{.QR}}" alt="Código QR de la encuesta de satisfacción">
<p>Lo atendió: <strong>{{.Agent}}</strong></p>
<p class="enlace">{{.Link}}</p>
<p class="pie">La encuesta es voluntaria y toma un par de minutos. Gracias por ayudarnos a mejorar.</p>
</body>
</html>
`))

// Poster renders the printable page of paso 8 for an agent's desk: the
// survey's QR code (embedded, so the file prints anywhere) and its link.
func Poster(o Office, agent, link string) ([]byte, error) {
	png, err := QR(link, 512)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	err = posterTemplate.Execute(&b, struct {
		Desk, Office, Agent, Link string
		QR                        htmltemplate.URL
	}{o.Desk(), o.Name, agent, link, htmltemplate.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))})
	return b.Bytes(), err
}
