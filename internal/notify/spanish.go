package notify

import (
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // America/Bogota must resolve on hosts without a zoneinfo database
)

// bogota is where every date in a message is shown.
var bogota = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("America/Bogota")
	if err != nil {
		panic("notify: time zone America/Bogota: " + err.Error()) // cannot happen with time/tzdata
	}
	return loc
})

var (
	weekdays = [...]string{"domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"}
	months   = [...]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
		"agosto", "septiembre", "octubre", "noviembre", "diciembre"}
)

// fecha formats a day as "miércoles 18 de marzo de 2026"; "" for the zero time.
func fecha(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(bogota())
	return weekdays[t.Weekday()] + " " + strconv.Itoa(t.Day()) + " de " +
		months[t.Month()-1] + " de " + strconv.Itoa(t.Year())
}

// fechaHora formats an instant as "18/03/2026 10:30 a. m."; "" for the zero time.
func fechaHora(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(bogota())
	return t.Format("02/01/2006 ") + hora(t)
}

// hora formats the time of day as "10:30 a. m." (12-hour clock, as usual in Colombia).
func hora(t time.Time) string {
	meridiem := "a. m."
	if t.Hour() >= 12 {
		meridiem = "p. m."
	}
	return t.Format("3:04") + " " + meridiem
}

// cuando formats an agreed date: "miércoles 25 de marzo de 2026", followed by
// " a las 9:00 a. m." unless the time is midnight, which a date-only form
// answer gives.
func cuando(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	local := t.In(bogota())
	if local.Hour() == 0 && local.Minute() == 0 {
		return fecha(t)
	}
	return fecha(t) + " a las " + hora(local)
}

// caso formats a case number the same way everywhere: "Caso 1024".
func caso(n int) string {
	return "Caso " + strconv.Itoa(n)
}

// motivo reduces a wait reason to "garantia", "escalamiento",
// "disponibilidad" or "otro", ignoring case and accents, so templates do not
// depend on the exact spelling of the form's options.
func motivo(reason string) string {
	switch r := plain(reason); {
	case strings.HasPrefix(r, "garantia"):
		return "garantia"
	case strings.HasPrefix(r, "escalamiento"):
		return "escalamiento"
	case strings.HasPrefix(r, "disponibilidad"):
		return "disponibilidad"
	case strings.Contains(r, "direccion tecnica"):
		return "direccion_tecnica" // PD-GT-1 actividad 13: locativo en arriendo
	}
	return "otro"
}

// cierre reduces a closing state without service to "insuficiente",
// "no_procedente" or "otro", ignoring case and accents.
func cierre(state string) string {
	switch s := plain(state); {
	case strings.HasPrefix(s, "informacion insuficiente"):
		return "insuficiente"
	case strings.HasPrefix(s, "no procedente"):
		return "no_procedente"
	}
	return "otro"
}

// plain lowercases s and drops its accents and surrounding spaces, for
// loose matching of form options.
func plain(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.NewReplacer("á", "a", "é", "e", "í", "i", "ó", "o", "ú", "u").Replace(s)
}

// calificacion formats a survey rating as "2 de 5"; "" when there is none.
func calificacion(rating int) string {
	if rating <= 0 {
		return ""
	}
	return strconv.Itoa(rating) + " de 5"
}

// lineas splits multi-line text for the HTML templates, which join the lines
// with <br> so that the escaping stays with html/template.
func lineas(s string) []string {
	s = strings.TrimSpace(normalizeNewlines(s))
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// sangria indents the continuation lines of a multi-line value in the text
// templates, so that a field stays visually one block.
func sangria(s string) string {
	return strings.Join(lineas(s), "\n  ")
}

// Field is a labelled value; the "campos" templates skip empty values.
type Field struct {
	Label, Value string
}

func campo(label, value string) Field { return Field{label, value} }

func campos(fields ...Field) []Field { return fields }

func normalizeNewlines(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// Miles writes 10000000 as 10.000.000, the Colombian way.
func Miles(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, ch := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(ch)
	}
	return b.String()
}
