package calendar

import (
	"time"

	"github.com/rickar/cal/v2"
)

// nextMonday moves a holiday to the following Monday unless it already falls
// on one: the rule of Ley 51 de 1983 ("Ley Emiliani") for most holidays.
var nextMonday = []cal.AltDay{
	{Day: time.Tuesday, Offset: 6},
	{Day: time.Wednesday, Offset: 5},
	{Day: time.Thursday, Offset: 4},
	{Day: time.Friday, Offset: 3},
	{Day: time.Saturday, Offset: 2},
	{Day: time.Sunday, Offset: 1},
}

func fixed(name string, month time.Month, day int) *cal.Holiday {
	return &cal.Holiday{Name: name, Type: cal.ObservancePublic, Month: month, Day: day, Func: cal.CalcDayOfMonth}
}

func fixedToMonday(name string, month time.Month, day int) *cal.Holiday {
	h := fixed(name, month, day)
	h.Observed = nextMonday
	return h
}

func easter(name string, offset int) *cal.Holiday {
	return &cal.Holiday{Name: name, Type: cal.ObservancePublic, Offset: offset, Func: cal.CalcEasterOffset}
}

func easterToMonday(name string, offset int) *cal.Holiday {
	h := easter(name, offset)
	h.Observed = nextMonday
	return h
}

// national lists the Colombian national holidays (Ley 51 de 1983) in the
// order of the year, which is also the order of the names when two fall on
// the same day (Sagrado Corazón and San Pedro y San Pablo do when Easter is
// on or after 19 April, as in 2025 and 2030).
//
// Ascensión, Corpus Christi and Sagrado Corazón are given on their liturgical
// day (a Thursday, a Thursday and a Friday) and moved to Monday like the
// others, which gives the Easter+43, +64 and +71 of the law.
var national = []*cal.Holiday{
	fixed("Año Nuevo", time.January, 1),
	fixedToMonday("Reyes Magos", time.January, 6),
	fixedToMonday("San José", time.March, 19),
	easter("Jueves Santo", -3),
	easter("Viernes Santo", -2),
	fixed("Día del Trabajo", time.May, 1),
	easterToMonday("Ascensión del Señor", 39),
	easterToMonday("Corpus Christi", 60),
	easterToMonday("Sagrado Corazón", 68),
	fixedToMonday("San Pedro y San Pablo", time.June, 29),
	fixed("Día de la Independencia", time.July, 20),
	fixed("Batalla de Boyacá", time.August, 7),
	fixedToMonday("Asunción de la Virgen", time.August, 15),
	fixedToMonday("Día de la Raza", time.October, 12),
	fixedToMonday("Todos los Santos", time.November, 1),
	fixedToMonday("Independencia de Cartagena", time.November, 11),
	fixed("Inmaculada Concepción", time.December, 8),
	fixed("Navidad", time.December, 25),
}
