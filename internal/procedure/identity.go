package procedure

// AuthorizesByEmail reports whether the respondent's e-mail decides what a
// response of the form may do: an agent answers only their own cases (Funza
// paso 5), only an Administrador reassigns (paso 4), only the Coordinador
// reviews an unsatisfactory survey (PD-GT-1 actividades 22 to 25). Such a
// form must collect addresses Google has verified; a typed one would let
// anybody act as an agent. A survey counts only when its respondent is the
// case's requester (Funza paso 8: "los usuarios que recibieron el servicio";
// PD-GT-1 actividad 7; issue 13), so it needs a verified address too. A
// request (Solicitudes) uses its address only to write back: it authorizes
// nothing by it.
func (f Form) AuthorizesByEmail() bool {
	switch f {
	case Respuestas, Reasignaciones, Revisiones, Encuestas:
		return true
	}
	return false
}
