package procedure

// AuthorizesByEmail reports whether the respondent's e-mail decides what a
// response of the form may do: an agent answers only their own cases (Funza
// paso 5), only an Administrador reassigns (paso 4), only the Coordinador
// reviews an unsatisfactory survey (PD-GT-1 actividades 22 to 25). Such a form must collect
// addresses Google has verified; a typed one would let anybody act as an
// agent. A request (Solicitudes) uses its address only to write back, and
// a survey is answered by case number by any user served (Funza paso 8), so
// neither authorizes anything by it.
func (f Form) AuthorizesByEmail() bool {
	switch f {
	case Respuestas, Reasignaciones, Revisiones:
		return true
	}
	return false
}
