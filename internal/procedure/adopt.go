package procedure

import "fmt"

// Adopt turns a case of a hand-kept workbook into journal events (rule
// F-I): one that opens it as it was registered, and, unless it is still
// Abierto, one that moves it to its state at Solved (or StateAt when the
// workbook has no solution date). It reads the case's number, registration,
// requester and request, state, wait reason, agent and activities; mesa
// keeps the number, the outcome, and e-mails nobody. The events go straight
// to the journal, not through a fold, so they call for no notification;
// their IDs depend on the case number only, so adopting the same workbook
// twice adds nothing.
func Adopt(h *Case) ([]Event, error) {
	if h.Number <= 0 {
		return nil, fmt.Errorf("case number %d: want a positive number", h.Number)
	}
	if h.Registered.IsZero() {
		return nil, fmt.Errorf("case %d: no registration date", h.Number)
	}
	state, ok := oneOf(string(h.State), string(Abierto), string(EnEspera), string(Resuelto), string(NoResuelto), string(Cerrado))
	if !ok {
		return nil, fmt.Errorf("case %d: state %q is not Abierto, En Espera, Resuelto, No Resuelto or Cerrado", h.Number, h.State)
	}
	n := caseKey(h.Number)
	evs := []Event{{
		ID: eventID(string(FI), n), At: h.Registered, Case: h.Number, Rule: FI, Kind: KImported,
		Data: Data{Requester: h.Requester, Email: h.Email, Phone: h.Phone, Dependencia: h.Dependencia,
			Building: h.Building, Service: h.Service, Category: h.Category, Description: h.Description,
			Agent: h.Agent, State: Abierto},
	}}
	// The events skip the fold, so they are fitted to a Sheets cell here
	// (limits.go); the full text stays in the workbook they came from.
	evs[0].Data = fitData(evs[0].Data, "")
	if State(state) == Abierto {
		return evs, nil
	}
	at := h.Solved
	if at.IsZero() {
		at = h.StateAt
	}
	if at.IsZero() || at.Before(h.Registered) {
		at = h.Registered
	}
	reason := ""
	if State(state) == EnEspera {
		reason, _ = oneOf(h.WaitReason, WaitWarranty, WaitEscalation, WaitAvailability)
	}
	return append(evs, Event{
		ID: eventID(string(FI), n, "estado"), At: at, Case: h.Number, Rule: FI, Kind: KAttended,
		Data: fitData(Data{Agent: h.Agent, State: State(state), WaitReason: reason, Activities: h.Activities}, ""),
	}), nil
}
