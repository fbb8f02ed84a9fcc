package workspacefake

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Dates typed by people. Sheets has no date type: a value written with
// USER_ENTERED that the spreadsheet's locale reads as a date is stored as a
// serial number (days since 1899-12-30, the time of day as the fraction)
// with a DATE or DATE_TIME number format. UNFORMATTED_VALUE reads give the
// number (dateTimeRenderOption SERIAL_NUMBER, the default) or the formatted
// text (FORMATTED_STRING); FORMATTED_VALUE reads give the text, in the
// spreadsheet's locale.
//
// Modelled: yyyy-MM-dd in any locale; d/M/yyyy where the locale puts the day
// first and M/d/yyyy in en_US; either with " H:mm" or " H:mm:ss". Anything
// else (two-digit years, month names, other separators) stays a string:
// where Google may read a date and the fake reads text, a reader that
// handles both is tested against the harder case.

// dateValue is a date cell: the serial number and its number format type.
type dateValue struct {
	Serial float64 `json:"d"`
	Kind   string  `json:"t"` // DATE or DATE_TIME
}

// epoch is day 0 of Sheets' serial numbers.
var epoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

var (
	isoDateRE   = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$`)
	slashDateRE = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})/(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$`)
)

// monthFirst reports whether a locale writes the month before the day.
// Of the locales Google offers, the fake knows en_US as month-first; every
// other one reads d/M/yyyy (es_CO, es_ES, en_GB, pt_BR, fr_FR, ...).
func monthFirst(locale string) bool {
	return locale == "en_US" || locale == ""
}

// parseDate reads s as a person typing into a cell of a spreadsheet in
// locale would have it read.
func parseDate(s, locale string) (dateValue, bool) {
	var y, mo, d string
	var m []string
	if m = isoDateRE.FindStringSubmatch(s); m != nil {
		y, mo, d = m[1], m[2], m[3]
	} else if m = slashDateRE.FindStringSubmatch(s); m != nil {
		d, mo, y = m[1], m[2], m[3]
		if monthFirst(locale) {
			d, mo = mo, d
		}
	} else {
		return dateValue{}, false
	}
	num := func(s string) int { n, _ := strconv.Atoi(s); return n }
	yy, mm, dd := num(y), num(mo), num(d)
	h, mi, sec := num(m[4]), num(m[5]), num(m[6])
	if mm < 1 || mm > 12 || dd < 1 || h > 23 || mi > 59 || sec > 59 {
		return dateValue{}, false
	}
	t := time.Date(yy, time.Month(mm), dd, h, mi, sec, 0, time.UTC)
	if t.Day() != dd { // 31/02/2026
		return dateValue{}, false
	}
	v := dateValue{Serial: serialOf(t), Kind: "DATE"}
	if m[4] != "" {
		v.Kind = "DATE_TIME"
	}
	return v, true
}

// serialOf is the serial number of a wall-clock instant (its location is
// ignored: serials carry no time zone).
func serialOf(t time.Time) float64 {
	wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
	return wall.Sub(epoch).Seconds() / 86400
}

// timeOf is the wall-clock instant of a serial number, to the second.
func timeOf(serial float64) time.Time {
	return epoch.Add(time.Duration(math.Round(serial*86400)) * time.Second)
}

// datePattern is the number format pattern the fake gives a date cell in
// locale: Google's default short date of the locale, as the Sheets UI
// applies it to a typed date.
func datePattern(kind, locale string) string {
	p := "dd/MM/yyyy"
	if monthFirst(locale) {
		p = "M/d/yyyy"
	}
	if kind == "DATE_TIME" {
		p += " H:mm:ss"
	}
	return p
}

// format renders a date cell in locale, as FORMATTED_VALUE does.
func (v dateValue) format(locale string) string {
	t := timeOf(v.Serial)
	var s string
	if monthFirst(locale) {
		s = fmt.Sprintf("%d/%d/%04d", t.Month(), t.Day(), t.Year())
	} else {
		s = fmt.Sprintf("%02d/%02d/%04d", t.Day(), t.Month(), t.Year())
	}
	if v.Kind == "DATE_TIME" {
		s += fmt.Sprintf(" %d:%02d:%02d", t.Hour(), t.Minute(), t.Second())
	}
	return s
}

// restoreDate turns the {"d": ..., "t": ...} object a snapshot holds back
// into a dateValue.
func restoreDate(m map[string]any) (dateValue, bool) {
	d, ok := m["d"].(float64)
	if !ok {
		return dateValue{}, false
	}
	kind, _ := m["t"].(string)
	if !strings.HasPrefix(kind, "DATE") {
		kind = "DATE"
	}
	return dateValue{Serial: d, Kind: kind}, true
}
