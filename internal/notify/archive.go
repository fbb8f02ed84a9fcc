package notify

import "fmt"

// Archive is the yearly proposal to archive a closed year (DESIGN.md §10b):
// how many of its cases can no longer change and the cells they hold in
// the live workbook.
type Archive struct {
	Year, Cases, Cells int
	Auto               bool     // mesa archives it by itself (archive.auto)
	Due                []string // archives due for transfer or final disposition, one sentence each
}

// Proposal is the administrator's digest line; "" when there is nothing to
// archive.
func (a Archive) Proposal() string {
	if a.Year == 0 || a.Cases == 0 {
		return ""
	}
	casos := fmt.Sprintf("los %s casos", Miles(a.Cases))
	if a.Cases == 1 {
		casos = "el caso"
	}
	s := fmt.Sprintf("Archivo anual: %s de %d que ya no pueden cambiar se pueden trasladar al libro de archivo de %d, lo que libera unas %s celdas del libro.",
		casos, a.Year, a.Year, Miles(a.Cells))
	if a.Auto {
		return s + " mesa los archivará por sí mismo en su tarea mensual (archive.auto)."
	}
	return s + fmt.Sprintf(" Para hacerlo: mesa archive --year %d (vea primero el plan con --dry-run).", a.Year)
}
