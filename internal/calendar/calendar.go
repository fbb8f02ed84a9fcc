// Package calendar is the Colombian business calendar: national holidays
// (Ley 51 de 1983) plus the office's own non-working days, business days, and
// business hours. Service levels (DESIGN.md §6) and the eight business days of
// rule F-5c are counted with it.
//
// It does no I/O and never reads the clock: every instant comes in as an
// argument. A Calendar is safe for concurrent use.
package calendar

import (
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	// Embedded so that America/Bogota loads on hosts without tzdata.
	_ "time/tzdata"
)

// Holiday is a non-working day.
type Holiday struct {
	// Date is the day. Calendar methods return it at 00:00 in the calendar's
	// location; in New's extra days only its year, month and day are read, in
	// whatever location it carries, so a date parsed in UTC stays that date.
	Date time.Time
	// Name is the holiday's Spanish name; holidays sharing a date are one
	// Holiday with the names joined by " / ".
	Name string
}

// Calendar answers business-day and business-hour questions for one office.
// The zero value is not usable; call New.
type Calendar struct {
	loc   *time.Location
	hours Hours
	extra map[int][]Holiday // by year

	// weekly is the business time of an ordinary week; zero means the
	// business clock never runs, which AddBusinessDuration must know to
	// avoid looking for it forever.
	weekly time.Duration

	mu    sync.RWMutex
	years map[int]*yearCache
	// last is the year holidayName looked at last: the service levels of
	// a fold ask about ~150,000 days, nearly all in the year before.
	last atomic.Pointer[yearCache]
}

// yearCache holds everything about one calendar year, so that the hot paths
// (called ~100,000 times per cycle) do no holiday computation at all.
type yearCache struct {
	first    day       // 1 January
	holidays []Holiday // sorted, merged by date
	names    []string  // holiday name by day of year (0-based), "" if none
	// cum[i] sums over days 0..i: business days and business time.
	cum []tally
}

type tally struct {
	days int
	work time.Duration
}

// New returns the calendar of an office in loc (Bogota() when nil). extra
// are the office's own non-working days (the "Festivos" sheet: local holidays,
// closures); they count like national holidays, an extra day on a national
// holiday adds its name to it, and one without a name is called "Festivo". hours are the office hours used by
// BusinessDuration and AddBusinessDuration; the zero Hours is fine for a
// calendar used only for business days.
func New(loc *time.Location, extra []Holiday, hours Hours) *Calendar {
	if loc == nil {
		loc = Bogota()
	}
	c := &Calendar{
		loc:   loc,
		hours: hours.normalize(),
		extra: make(map[int][]Holiday),
		years: make(map[int]*yearCache),
	}
	for _, h := range extra {
		c.extra[h.Date.Year()] = append(c.extra[h.Date.Year()], h)
	}
	for wd := range c.hours.Week {
		for _, w := range c.hours.Week[wd] {
			c.weekly += w.End - w.Start
		}
	}
	return c
}

var bogota = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("America/Bogota")
	if err != nil {
		// Unreachable with time/tzdata embedded; Colombia has kept UTC-5
		// without daylight saving since 1993.
		return time.FixedZone("America/Bogota", -5*60*60)
	}
	return loc
})

// Bogota returns the America/Bogota location, in which Colombian offices
// count their days.
func Bogota() *time.Location { return bogota() }

// Location returns the location in which c counts days.
func (c *Calendar) Location() *time.Location { return c.loc }

// Holidays returns the national holidays of year plus the extra days given to
// New, sorted by date, one entry per date. The slice is the caller's.
func (c *Calendar) Holidays(year int) []Holiday {
	return slices.Clone(c.year(year).holidays)
}

// IsHoliday reports whether t's date, in c's location, is a holiday and its
// name.
func (c *Calendar) IsHoliday(t time.Time) (string, bool) {
	name := c.holidayName(c.day(t))
	return name, name != ""
}

// IsBusinessDay reports whether t's date, in c's location, is Monday to
// Friday and not a holiday. Office hours play no part: business days are the
// same for every office.
func (c *Calendar) IsBusinessDay(t time.Time) bool {
	return c.isBusinessDay(c.day(t))
}

// AddBusinessDays returns the n-th business day after from's date, at 00:00 in
// c's location. Counting starts the day after from, whatever from is, so
// AddBusinessDays(Wed 2026-03-18, 8) is Tue 2026-03-31 (Monday 23 March is
// San José); n = 0 returns from's date, and a negative n counts backwards
// (the |n|-th business day before from's date).
func (c *Calendar) AddBusinessDays(from time.Time, n int) time.Time {
	d, step := c.day(from), day(1)
	if n < 0 {
		n, step = -n, -1
	}
	for n > 0 {
		d += step
		if c.isBusinessDay(d) {
			n--
		}
	}
	return d.at(c.loc)
}

// BusinessDaysBetween counts the business days d with from < d <= to, by date
// in c's location: the days of a count that starts the day after from, so
// that BusinessDaysBetween(from, AddBusinessDays(from, n)) == n. It is
// negative when to is before from.
func (c *Calendar) BusinessDaysBetween(from, to time.Time) int {
	a, b := c.day(from), c.day(to)
	if b < a {
		return -c.sum(b, a).days
	}
	return c.sum(a, b).days
}

// Workdays returns the number of business days in a month.
func (c *Calendar) Workdays(year int, month time.Month) int {
	first := civil(year, month, 1)
	next := civil(year, month+1, 1) // time.Date normalizes month 13
	return c.sum(first-1, next-1).days
}

// day is a calendar date counted in days since 1970-01-01. Working on plain
// integers keeps the day loops free of time zone and AddDate costs.
type day int64

const secondsPerDay = 24 * 60 * 60

func civil(y int, m time.Month, d int) day {
	return day(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / secondsPerDay)
}

// date returns d's year, month and day.
func (d day) date() (int, time.Month, int) {
	return time.Unix(int64(d)*secondsPerDay, 0).UTC().Date()
}

func (d day) weekday() time.Weekday {
	// 1970-01-01 was a Thursday.
	return time.Weekday(((int64(d)+4)%7 + 7) % 7)
}

// at returns the start of d in loc.
func (d day) at(loc *time.Location) time.Time {
	y, m, dd := d.date()
	return time.Date(y, m, dd, 0, 0, 0, 0, loc)
}

// day returns t's date in c's location.
func (c *Calendar) day(t time.Time) day {
	return civil(t.In(c.loc).Date())
}

func (c *Calendar) isBusinessDay(d day) bool {
	wd := d.weekday()
	return wd != time.Saturday && wd != time.Sunday && c.holidayName(d) == ""
}

func (c *Calendar) holidayName(d day) string {
	if yr := c.last.Load(); yr != nil && d >= yr.first && int(d-yr.first) < len(yr.names) {
		return yr.names[d-yr.first]
	}
	y, _, _ := d.date()
	yr := c.year(y)
	c.last.Store(yr)
	return yr.names[d-yr.first]
}

// sum adds up business days and business time over the days d with
// a < d <= b (a <= b), walking back one year at a time.
func (c *Calendar) sum(a, b day) tally {
	var total tally
	for a < b {
		y, _, _ := b.date()
		yr := c.year(y)
		hi := yr.cum[b-yr.first]
		if a >= yr.first {
			lo := yr.cum[a-yr.first]
			return tally{total.days + hi.days - lo.days, total.work + hi.work - lo.work}
		}
		total.days += hi.days
		total.work += hi.work
		b = yr.first - 1
	}
	return total
}

// year returns the cached facts of year y, computing them on first use. The
// cache is never emptied: a help desk looks at a handful of years.
func (c *Calendar) year(y int) *yearCache {
	c.mu.RLock()
	yr := c.years[y]
	c.mu.RUnlock()
	if yr != nil {
		return yr
	}
	yr = c.computeYear(y)
	c.mu.Lock()
	defer c.mu.Unlock()
	if cached := c.years[y]; cached != nil {
		return cached // another goroutine won the race; keep one copy
	}
	c.years[y] = yr
	return yr
}

func (c *Calendar) computeYear(y int) *yearCache {
	first := civil(y, time.January, 1)
	n := int(civil(y+1, time.January, 1) - first)
	yr := &yearCache{first: first, names: make([]string, n), cum: make([]tally, n)}

	add := func(yy int, m time.Month, dd int, name string) {
		if yy != y {
			return
		}
		i := civil(yy, m, dd) - first
		for _, have := range strings.Split(yr.names[i], " / ") {
			if have == name {
				return
			}
		}
		if yr.names[i] != "" {
			name = yr.names[i] + " / " + name
		}
		yr.names[i] = name
	}
	for _, h := range national {
		_, observed := h.Calc(y)
		if !observed.IsZero() {
			add(observed.Year(), observed.Month(), observed.Day(), h.Name)
		}
	}
	for _, h := range c.extra[y] {
		yy, m, dd := h.Date.Date()
		name := strings.TrimSpace(h.Name)
		if name == "" {
			name = "Festivo"
		}
		add(yy, m, dd, name)
	}

	var run tally
	for i, name := range yr.names {
		d := first + day(i)
		if name != "" {
			yr.holidays = append(yr.holidays, Holiday{Date: d.at(c.loc), Name: name})
		} else if wd := d.weekday(); wd != time.Saturday && wd != time.Sunday {
			run.days++
		}
		run.work += c.hours.total(d.weekday(), name != "")
		yr.cum[i] = run
	}
	return yr
}
