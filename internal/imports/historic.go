package imports

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/funza-tic/mesa/internal/forms"
	"github.com/funza-tic/mesa/internal/procedure"
)

// readHistoric reads a CSV export of a hand-kept Casos tab, columns found by
// their Spanish headers (Caso, Fecha de registro, Estado, ... as in mesa's
// own Casos tab). Every row that cannot be read is reported.
func readHistoric(rows [][]string, loc *time.Location) ([]procedure.Historic, []error) {
	if len(rows) < 2 {
		return nil, nil
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[procedure.Norm(h)] = i
	}
	get := func(row []string, name string) string {
		if i, ok := col[procedure.Norm(name)]; ok && i < len(row) {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	when := func(s string) time.Time {
		if s == "" {
			return time.Time{}
		}
		if t, err := forms.ParseTimestamp(s, loc); err == nil {
			return t
		}
		t, _ := procedure.ParseDate(s, loc)
		return t
	}
	var out []procedure.Historic
	var errs []error
	rowOf := map[int]int{} // case number -> its first row in the file
	for i, row := range rows[1:] {
		if slices.IndexFunc(row, func(s string) bool { return strings.TrimSpace(s) != "" }) < 0 {
			continue
		}
		n, ok := procedure.ParseCaseNumber(get(row, "Caso"))
		reg := when(get(row, "Fecha de registro"))
		if !ok || reg.IsZero() {
			errs = append(errs, fmt.Errorf("fila %d: se necesita un número de caso y una fecha de registro", i+2))
			continue
		}
		if first, dup := rowOf[n]; dup {
			errs = append(errs, fmt.Errorf("fila %d: el caso %d ya está en la fila %d del archivo; cada caso va en una sola fila", i+2, n, first))
			continue
		}
		rowOf[n] = i + 2
		closed := when(get(row, "Fecha de solución"))
		if closed.IsZero() {
			closed = when(get(row, "Fecha de estado"))
		}
		state := get(row, "Estado")
		if state == "" {
			state = string(procedure.Abierto)
		}
		out = append(out, procedure.Historic{
			Number: n, Registered: reg, Requester: get(row, "Solicitante"), Email: get(row, "Correo"), Phone: get(row, "Teléfono"),
			Dependencia: get(row, "Dependencia"), Building: get(row, "Edificio"), Service: get(row, "Tipo de servicio"),
			Category: get(row, "Categoría"), Description: get(row, "Descripción"), State: procedure.State(state),
			WaitReason: get(row, "Motivo de espera"), Agent: get(row, "Agente asignado"), Closed: closed,
			Activities: get(row, "Actividades realizadas"),
		})
	}
	return out, errs
}
