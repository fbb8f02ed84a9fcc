package calendar

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Office hours of the two procedures, as OfficeHours specs. The SCJ
// procedure (PD-GT-1) also serves on weekends; give its Hours
// HolidaysAsWeekend so that national holidays get the weekend hours too.
const (
	FunzaHours = "lun-vie 08:00-17:00"
	SCJHours   = "lun-vie 07:00-19:00; sáb-dom 08:00-12:00"
)

// Window is a stretch of business time within a day, as offsets from
// midnight (Start inclusive, End exclusive). Offsets are elapsed time, which
// is wall-clock time in Bogotá, where there is no daylight saving.
type Window struct{ Start, End time.Duration }

func (w Window) String() string { return clock(w.Start) + "-" + clock(w.End) }

// Hours are an office's business hours.
type Hours struct {
	// Week holds the windows of each weekday, indexed by time.Weekday.
	Week [7][]Window
	// HolidaysAsWeekend gives holidays (national or extra) Sunday's windows
	// instead of none: offices that serve on weekends serve on holidays the
	// same way (SCJ: Sat–Sun 08:00–12:00). Without it a holiday is closed.
	HolidaysAsWeekend bool
}

// windows returns the business windows of a day.
func (h Hours) windows(wd time.Weekday, holiday bool) []Window {
	if holiday {
		if !h.HolidaysAsWeekend {
			return nil
		}
		wd = time.Sunday
	}
	return h.Week[wd]
}

// total returns the business time of a whole day.
func (h Hours) total(wd time.Weekday, holiday bool) time.Duration {
	var sum time.Duration
	for _, w := range h.windows(wd, holiday) {
		sum += w.End - w.Start
	}
	return sum
}

// normalize returns a copy of h with each day's windows clipped to the day,
// sorted, and overlapping ones merged, so that Hours built by hand rather than
// by OfficeHours cannot count the same minute twice.
func (h Hours) normalize() Hours {
	out := Hours{HolidaysAsWeekend: h.HolidaysAsWeekend}
	for wd, ws := range h.Week {
		var day []Window
		for _, w := range ws {
			w.Start, w.End = max(w.Start, 0), min(w.End, 24*time.Hour)
			if w.End > w.Start {
				day = append(day, w)
			}
		}
		slices.SortFunc(day, func(a, b Window) int { return cmp.Compare(a.Start, b.Start) })
		var merged []Window
		for _, w := range day {
			if n := len(merged); n > 0 && w.Start <= merged[n-1].End {
				merged[n-1].End = max(merged[n-1].End, w.End)
				continue
			}
			merged = append(merged, w)
		}
		out.Week[wd] = merged
	}
	return out
}

// dayNames maps the Spanish day names and abbreviations, with and without
// accents, to weekdays.
var dayNames = map[string]time.Weekday{
	"lun": time.Monday, "lunes": time.Monday,
	"mar": time.Tuesday, "martes": time.Tuesday,
	"mie": time.Wednesday, "mié": time.Wednesday, "miercoles": time.Wednesday, "miércoles": time.Wednesday,
	"jue": time.Thursday, "jueves": time.Thursday,
	"vie": time.Friday, "viernes": time.Friday,
	"sab": time.Saturday, "sáb": time.Saturday, "sabado": time.Saturday, "sábado": time.Saturday,
	"dom": time.Sunday, "domingo": time.Sunday,
}

// OfficeHours parses business hours written as in the procedures:
// semicolon-separated groups of days followed by one or more time windows,
//
//	lun-vie 08:00-17:00
//	lun-vie 07:00-19:00; sáb-dom 08:00-12:00
//	lun-jue 08:00-12:00, 14:00-18:00; vie 08:00-16:00
//
// Days are Spanish abbreviations (lun mar mie/mié jue vie sab/sáb dom) or
// full names, as a range that runs from Monday towards Sunday or a comma list.
// Times are 24-hour HH:MM; 24:00 may end a window. A window cannot cross
// midnight and windows of one day cannot overlap. HolidaysAsWeekend is left
// false: it is a decision of the procedure, not part of the schedule.
func OfficeHours(spec string) (Hours, error) {
	var h Hours
	groups := 0
	for group := range strings.SplitSeq(spec, ";") {
		group = strings.TrimSpace(group)
		if group == "" {
			continue
		}
		groups++
		days, windows, err := parseGroup(group)
		if err != nil {
			return Hours{}, fmt.Errorf("office hours %q: %w", spec, err)
		}
		for _, wd := range days {
			for _, w := range windows {
				for _, have := range h.Week[wd] {
					if w.Start < have.End && have.Start < w.End {
						return Hours{}, fmt.Errorf("office hours %q: on %s, %s overlaps %s", spec, weekdayAbbr[wd], w, have)
					}
				}
				h.Week[wd] = append(h.Week[wd], w)
			}
		}
	}
	if groups == 0 {
		return Hours{}, fmt.Errorf("office hours %q: empty, want days and times such as %q", spec, FunzaHours)
	}
	return h.normalize(), nil
}

var weekdayAbbr = [7]string{"dom", "lun", "mar", "mié", "jue", "vie", "sáb"}

// parseGroup parses one "days times" group such as "lun-vie 08:00-17:00".
func parseGroup(group string) ([]time.Weekday, []Window, error) {
	cut := strings.IndexFunc(group, unicode.IsDigit)
	if cut < 0 {
		return nil, nil, fmt.Errorf("%q has no times, want e.g. %q", group, "lun-vie 08:00-17:00")
	}
	daysPart, timesPart := strings.TrimSpace(group[:cut]), group[cut:]
	if daysPart == "" {
		return nil, nil, fmt.Errorf("%q has no days, want e.g. %q", group, "lun-vie 08:00-17:00")
	}
	days, err := parseDays(daysPart)
	if err != nil {
		return nil, nil, err
	}
	var windows []Window
	for field := range strings.FieldsFuncSeq(timesPart, func(r rune) bool { return r == ',' || unicode.IsSpace(r) }) {
		w, err := parseWindow(field)
		if err != nil {
			return nil, nil, err
		}
		windows = append(windows, w)
	}
	return days, windows, nil
}

// parseDays parses "lun-vie", "sáb", or "lun, mié, vie".
func parseDays(s string) ([]time.Weekday, error) {
	var days []time.Weekday
	for item := range strings.SplitSeq(s, ",") {
		item = strings.TrimSpace(item)
		first, last, isRange := strings.Cut(item, "-")
		a, err := parseDay(first)
		if err != nil {
			return nil, err
		}
		if !isRange {
			days = append(days, a)
			continue
		}
		b, err := parseDay(last)
		if err != nil {
			return nil, err
		}
		// Ranges run in the Colombian week order, Monday to Sunday.
		ia, ib := (int(a)+6)%7, (int(b)+6)%7
		if ia > ib {
			return nil, fmt.Errorf("day range %q runs backwards; write it from Monday towards Sunday, as in %q", item, "sáb-dom")
		}
		for i := ia; i <= ib; i++ {
			days = append(days, time.Weekday((i+1)%7))
		}
	}
	return days, nil
}

func parseDay(s string) (time.Weekday, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	wd, ok := dayNames[s]
	if !ok {
		return 0, fmt.Errorf("unknown day %q, want one of lun, mar, mié, jue, vie, sáb, dom", s)
	}
	return wd, nil
}

// parseWindow parses "08:00-17:00".
func parseWindow(s string) (Window, error) {
	from, to, ok := strings.Cut(s, "-")
	if !ok {
		return Window{}, fmt.Errorf("time window %q: want HH:MM-HH:MM", s)
	}
	start, err := parseClock(from)
	if err != nil {
		return Window{}, fmt.Errorf("time window %q: %w", s, err)
	}
	end, err := parseClock(to)
	if err != nil {
		return Window{}, fmt.Errorf("time window %q: %w", s, err)
	}
	if start >= 24*time.Hour {
		return Window{}, fmt.Errorf("time window %q: 24:00 can only end a window", s)
	}
	if end <= start {
		return Window{}, fmt.Errorf("time window %q ends before it starts (windows cannot cross midnight)", s)
	}
	return Window{Start: start, End: end}, nil
}

// parseClock parses a 24-hour "HH:MM" (or "H:MM") up to "24:00".
func parseClock(s string) (time.Duration, error) {
	hh, mm, ok := strings.Cut(s, ":")
	if !ok || len(mm) != 2 || len(hh) < 1 || len(hh) > 2 {
		return 0, fmt.Errorf("bad time %q, want HH:MM", s)
	}
	h, err1 := strconv.Atoi(hh)
	m, err2 := strconv.Atoi(mm)
	if err1 != nil || err2 != nil || h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("bad time %q, want HH:MM from 00:00 to 24:00", s)
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute, nil
}

func clock(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d/time.Hour), int(d%time.Hour/time.Minute))
}

// BusinessDuration returns the business time between two instants: the parts
// of c's office hours that lie in [from, to). Nights, closed weekend days and
// holidays do not count. It is negative when to is before from.
func (c *Calendar) BusinessDuration(from, to time.Time) time.Duration {
	if to.Before(from) {
		return -c.BusinessDuration(to, from)
	}
	a, b := c.day(from), c.day(to)
	if a == b {
		return c.workWithin(a, from, to)
	}
	// The days strictly between come from the per-year running sums, so a
	// span of months costs no more than a span of days.
	return c.workWithin(a, from, to) + c.sum(a, b-1).work + c.workWithin(b, from, to)
}

// AddBusinessDuration returns the earliest instant, in c's location, by which
// d of business time has elapsed after from: Fri 16:00 plus 2h with hours
// 08:00–17:00 is Mon 09:00 (or Tue after a Monday holiday). A deadline that
// uses up a window exactly ends at that window's end, not at the next start.
// d <= 0 returns from. When the hours have no windows at all business time
// never elapses, and the zero Time is returned.
func (c *Calendar) AddBusinessDuration(from time.Time, d time.Duration) time.Time {
	from = from.In(c.loc)
	if d <= 0 {
		return from
	}
	if c.weekly == 0 {
		return time.Time{}
	}
	day := c.day(from)
	if t, ok := c.advanceWithin(day, from, &d); ok {
		return t
	}
	for {
		day++
		// Skip whole days by their total, looking at windows only on the
		// day the deadline falls in.
		if work := c.hours.total(day.weekday(), c.holidayName(day) != ""); work < d {
			d -= work
			continue
		}
		t, _ := c.advanceWithin(day, from, &d)
		return t
	}
}

func (c *Calendar) windows(d day) []Window {
	return c.hours.windows(d.weekday(), c.holidayName(d) != "")
}

// workWithin returns the business time of day d that lies in [from, to).
func (c *Calendar) workWithin(d day, from, to time.Time) time.Duration {
	var sum time.Duration
	midnight := d.at(c.loc)
	for _, w := range c.windows(d) {
		start, end := midnight.Add(w.Start), midnight.Add(w.End)
		if start.Before(from) {
			start = from
		}
		if end.After(to) {
			end = to
		}
		if end.After(start) {
			sum += end.Sub(start)
		}
	}
	return sum
}

// advanceWithin spends *rest on day d's windows after from. It returns the
// instant the last of *rest is spent, or false with *rest reduced by what the
// day offered.
func (c *Calendar) advanceWithin(d day, from time.Time, rest *time.Duration) (time.Time, bool) {
	midnight := d.at(c.loc)
	for _, w := range c.windows(d) {
		start, end := midnight.Add(w.Start), midnight.Add(w.End)
		if start.Before(from) {
			start = from
		}
		if !end.After(start) {
			continue
		}
		avail := end.Sub(start)
		if *rest <= avail {
			return start.Add(*rest), true
		}
		*rest -= avail
	}
	return time.Time{}, false
}
