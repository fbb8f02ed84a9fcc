package procedure

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"time"
)

// Kind is what a journal event records.
type Kind string

const (
	KRegistered  Kind = "registrado"
	KAssigned    Kind = "asignado"
	KReassigned  Kind = "reasignado"
	KAttended    Kind = "atendido"
	KAutoSolved  Kind = "resuelto_por_plazo"
	KRejected    Kind = "rechazado"
	KInvited     Kind = "encuesta_enviada"
	KReminded    Kind = "encuesta_recordada"
	KWeekSampled Kind = "muestra_semanal"
	KSurveyed    Kind = "encuesta_respondida"
	KSurveyClose Kind = "cierre_por_encuesta"
	KReviewed    Kind = "revisado"
	KProblem     Kind = "problema"
	KImported    Kind = "importado"
	KAwaiting    Kind = "en_espera"   // the worker put the case En Espera (PD-GT-1 actividad 13)
	KArchived    Kind = "archivado"   // the case's rows moved to the year's archive workbook (archive.go)
	KAnonymized  Kind = "anonimizado" // a titular's personal data replaced by a pseudonym (rule HD-1, internal/privacy)
)

// Event is one row of the Historial journal: an input applied or a decision
// the worker made. Its ID is a hash of what makes it unique, so a re-run or a
// second worker produces the same ID and never a duplicate.
type Event struct {
	ID       string
	At       time.Time // effective instant (not when the cycle ran)
	Case     int       // 0 for events about no case (a rejected response)
	Rule     Rule
	Kind     Kind
	Response string // the form response applied, if any
	Data     Data
}

// Data is the payload of an event; each kind fills the fields it needs. It is
// stored as JSON in the journal so replaying the journal rebuilds every case.
type Data struct {
	Form        Form   `json:"form,omitempty"`
	Requester   string `json:"solicitante,omitempty"`
	Email       string `json:"correo,omitempty"`
	Phone       string `json:"telefono,omitempty"`
	Dependencia string `json:"dependencia,omitempty"`
	Building    string `json:"edificio,omitempty"`
	Service     string `json:"servicio,omitempty"`
	Category    string `json:"categoria,omitempty"`
	Description string `json:"descripcion,omitempty"`

	Agent     string `json:"agente,omitempty"`
	Previous  string `json:"anterior,omitempty"`
	Criterion string `json:"criterio,omitempty"`
	By        string `json:"por,omitempty"`

	State      State  `json:"estado,omitempty"`
	WaitReason string `json:"motivo,omitempty"`
	VisitDate  string `json:"visita,omitempty"` // YYYY-MM-DD
	Activities string `json:"actividades,omitempty"`
	Concept    string `json:"concepto,omitempty"`
	Lesson     bool   `json:"leccion,omitempty"`
	Deadline   string `json:"plazo,omitempty"`        // RFC 3339: when a timer rule fires (F-5c, S-7)
	Reminder   string `json:"recordatorio,omitempty"` // RFC 3339: when the S-7 reminder is due
	Location   string `json:"locacion,omitempty"`     // scj-bogota locativo: Propia or En arriendo

	Reason   string `json:"motivo_rechazo,omitempty"`
	Rating   int    `json:"calificacion,omitempty"`
	Solved   string `json:"solucionado,omitempty"`
	Comments string `json:"comentarios,omitempty"`
	Decision string `json:"decision,omitempty"`
	Week     string `json:"semana,omitempty"` // ISO week, e.g. 2026-W12
	Cases    []int  `json:"casos,omitempty"`
	Until    string `json:"hasta,omitempty"` // RFC 3339: end of a Problema's window
	Note     string `json:"nota,omitempty"`

	// Archiving (archive.go): where the case went and the form responses
	// it consumed, so that they stay applied once its rows have left.
	Archive   string   `json:"archivo,omitempty"`
	Responses []string `json:"respuestas,omitempty"`

	// Anonymization (HD-1, internal/privacy): the titular as a one-way
	// hash of their e-mail, never the address itself.
	Subject string `json:"titular,omitempty"`
}

// idSet is a set of event IDs. Those eventID makes ("E" and 16 lower-case
// hex digits) are kept as the number they spell; any other (a test's, a
// row typed by hand) as text. The journal's numbers are one sorted array
// (read), searched by halves: a 100k journal holds ~300,000 IDs, and
// sorting them costs half of hashing them into a map, in a third of the
// memory; IDs added later (a fold's decisions) go to a map.
type idSet struct {
	read  []uint64 // sorted
	nums  map[uint64]struct{}
	texts map[string]struct{}
}

// readAll makes the set of the journal's IDs and reports whether one is
// there twice (a row pasted twice).
func (s *idSet) readAll(j Journal) (repeated bool) {
	s.read = make([]uint64, 0, j.Len())
	for i := range j.Len() {
		id := j.ID(i)
		if n, ok := idNumber(id); ok {
			s.read = append(s.read, n)
		} else if !s.add(id) {
			repeated = true
		}
	}
	slices.Sort(s.read)
	for i := 1; i < len(s.read); i++ {
		if s.read[i] == s.read[i-1] {
			repeated = true
			break
		}
	}
	return repeated
}

// add adds id and reports whether it was new.
func (s *idSet) add(id string) bool {
	if n, ok := idNumber(id); ok {
		if _, in := slices.BinarySearch(s.read, n); in {
			return false
		}
		if s.nums == nil {
			s.nums = map[uint64]struct{}{}
		}
		l := len(s.nums)
		s.nums[n] = struct{}{}
		return len(s.nums) > l
	}
	if s.texts == nil {
		s.texts = map[string]struct{}{}
	}
	l := len(s.texts)
	s.texts[id] = struct{}{}
	return len(s.texts) > l
}

func (s *idSet) has(id string) bool {
	if n, ok := idNumber(id); ok {
		if _, in := slices.BinarySearch(s.read, n); in {
			return true
		}
		_, in := s.nums[n]
		return in
	}
	_, in := s.texts[id]
	return in
}

// idNumber returns the number an eventID spells; only lower-case digits,
// so that two IDs never spell the same number. A table, not a switch: the
// digits of a hash are random, and a branch per digit mispredicts (at
// 300,000 IDs a fold, 25 ms against 7).
func idNumber(id string) (uint64, bool) {
	if len(id) != 17 || id[0] != 'E' {
		return 0, false
	}
	var n uint64
	var bad uint8
	for i := 1; i < len(id); i++ {
		d := hexDigit[id[i]]
		bad |= d
		n = n<<4 | uint64(d&0xf)
	}
	return n, bad&0xf0 == 0
}

// hexDigit is the value of each lower-case hex digit; 0xff for any other
// byte.
var hexDigit = func() (t [256]uint8) {
	for i := range t {
		t[i] = 0xff
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = uint8(c - '0')
	}
	for c := 'a'; c <= 'f'; c++ {
		t[c] = uint8(c - 'a' + 10)
	}
	return t
}()

// eventID derives a stable identifier from the parts that make an event unique.
func eventID(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x1f")))
	return "E" + hex.EncodeToString(h[:8])
}

// NoticeID derives the outbox id of a notification from its event and kind.
func NoticeID(event, kind, to string) string {
	h := sha256.Sum256([]byte(event + "\x1f" + kind + "\x1f" + strings.ToLower(to)))
	return "N" + hex.EncodeToString(h[:8])
}
