package procedure

import (
	"fmt"
	"time"
)

// Historic is a case of a hand-kept workbook that mesa adopts: it keeps its
// number and its history's outcome, and nobody is e-mailed about it.
type Historic struct {
	Number      int
	Registered  time.Time
	Requester   string
	Email       string
	Phone       string
	Dependencia string
	Building    string
	Service     string
	Category    string
	Description string
	State       State
	WaitReason  string
	Agent       string
	Closed      time.Time // when it reached its state, if not Abierto
	Activities  string
}

// Adopt turns a historic case into journal events (rule F-I): one that opens
// it as it was registered, and, unless it is still Abierto, one that moves it
// to its state. The events go straight to the journal, not through a fold,
// so they call for no notification; their IDs depend on the case number
// only, so adopting the same workbook twice adds nothing.
func Adopt(h Historic) ([]Event, error) {
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
	at := h.Closed
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
