package worker

import (
	"fmt"
	"net/mail"
	"strconv"
	"strings"

	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
)

// Longest service levels a Catálogo row may state. The procedures are
// silent; a level longer than about three months of business time is taken
// for a typo ("99999 días") rather than a promise to a citizen.
const (
	maxSLADays  = 60
	maxSLAHours = 480
)

// CheckAdmin lists every problem of an admin tab (Agentes, Catálogo,
// Festivos) given as rows with the header first, in Spanish, one line per
// problem, naming the row as a person sees it in the sheet (the header is
// row 1). `mesa import sheet` refuses a file with any; the cycle and
// `mesa doctor` report the same problems when a person edits the tab, and
// the cycle goes on reading the tab as before (a bad row is skipped).
func CheckAdmin(tab workbook.Tab, rows [][]string) []string {
	if len(rows) == 0 {
		return []string{fmt.Sprintf("la pestaña %s no tiene fila de títulos (%s)", tab.Name, strings.Join(headers(tab), ", "))}
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		if _, dup := col[procedure.Norm(h)]; !dup {
			col[procedure.Norm(h)] = i
		}
	}
	var missing []string
	for _, h := range headers(tab) {
		if _, ok := col[procedure.Norm(h)]; !ok {
			missing = append(missing, "«"+h+"»")
		}
	}
	if len(missing) > 0 {
		return []string{fmt.Sprintf("a la pestaña %s le faltan las columnas %s (los títulos van en español, en la fila 1: %s)",
			tab.Name, strings.Join(missing, ", "), strings.Join(headers(tab), ", "))}
	}
	get := func(row []string, h string) string {
		if i := col[procedure.Norm(h)]; i < len(row) {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	var probs []string
	add := func(n int, format string, args ...any) {
		probs = append(probs, fmt.Sprintf("fila %d: ", n)+fmt.Sprintf(format, args...))
	}
	switch tab.Name {
	case workbook.Agentes.Name:
		names, emails := map[string]int{}, map[string]int{}
		for i, row := range rows[1:] {
			n := i + 2
			if blankRow(row) {
				continue
			}
			name, email := get(row, "Nombre"), get(row, "Correo")
			if name == "" {
				add(n, "falta el nombre")
			} else if first, dup := names[procedure.Norm(name)]; dup {
				add(n, "el nombre «%s» ya está en la fila %d (cada agente se nombra una sola vez: los formularios lo eligen por su nombre)", name, first)
			} else {
				names[procedure.Norm(name)] = n
			}
			if a, err := mail.ParseAddress(email); err != nil || a.Address != email || a.Name != "" || !strings.Contains(email[strings.LastIndex(email, "@")+1:], ".") {
				add(n, "el correo «%s» no es una dirección de correo válida", email)
			} else if first, dup := emails[strings.ToLower(email)]; dup {
				add(n, "el correo %s ya está en la fila %d (el correo de asignación iría a otra persona)", email, first)
			} else {
				emails[strings.ToLower(email)] = n
			}
			if r := get(row, "Rol"); r != "" && !knownRole(r) {
				add(n, "el rol «%s» no existe (use Agente, Administrador, Coordinador o Garantías)", r)
			}
			if v := get(row, "Activo"); !yesNo(v) {
				add(n, "Activo «%s»: escriba Sí o No", v)
			}
		}
	case workbook.Catalogo.Name:
		types := map[string]int{}
		for i, row := range rows[1:] {
			n := i + 2
			if blankRow(row) {
				continue
			}
			t := get(row, "Tipo de servicio")
			if t == "" {
				add(n, "falta el tipo de servicio")
			} else if first, dup := types[procedure.Norm(t)]; dup {
				add(n, "el tipo de servicio «%s» ya está en la fila %d", t, first)
			} else {
				types[procedure.Norm(t)] = n
			}
			if v := get(row, "ANS"); v != "" {
				if sla, err := ParseSLA(v); err != nil {
					add(n, "ANS «%s»: escriba un número entero positivo y la unidad, como «8 horas» o «3 días»", v)
				} else if sla.Days && sla.Amount > maxSLADays || !sla.Days && sla.Amount > maxSLAHours {
					add(n, "ANS «%s»: más de %d días o %d horas hábiles; ¿un error al escribirlo?", v, maxSLADays, maxSLAHours)
				}
			}
			if v := get(row, "Requiere edificio"); !yesNo(v) {
				add(n, "Requiere edificio «%s»: escriba Sí o No", v)
			}
		}
	case workbook.Festivos.Name:
		for i, row := range rows[1:] {
			n := i + 2
			if blankRow(row) {
				continue
			}
			v := get(row, "Fecha")
			if _, ok := procedure.ParseDate(v, calendar.Bogota()); ok {
				continue
			}
			if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 1 && f < 100000 {
				continue // a Sheets date serial
			}
			add(n, "la fecha «%s» no se entiende: escriba d/m/aaaa o aaaa-mm-dd", v)
		}
	}
	return probs
}

// CheckAdminTable checks an admin tab as read from the workbook; each
// problem starts with the tab's name.
func CheckAdminTable(t workbook.Table) []string {
	if len(t.Header) == 0 && len(t.Rows) == 0 {
		return nil // not written yet: setup or an import fills it
	}
	probs := CheckAdmin(t.Tab, append([][]string{t.Header}, t.Rows...))
	for i, p := range probs {
		probs[i] = t.Tab.Name + ", " + p
	}
	return probs
}

func knownRole(s string) bool {
	for _, r := range []procedure.Role{procedure.RoleAgent, procedure.RoleAdmin, procedure.RoleCoordinator, procedure.RoleWarranty} {
		if procedure.Norm(s) == procedure.Norm(string(r)) {
			return true
		}
	}
	return false
}

// yesNo accepts what active() reads, and the ways people write "no".
func yesNo(s string) bool {
	switch procedure.Norm(s) {
	case "", "si", "true", "x", "1", "activo", "no", "false", "0", "inactivo", "falso":
		return true
	}
	return false
}

func blankRow(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func headers(t workbook.Tab) []string {
	out := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = c.Name
	}
	return out
}
