package calendar_test

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/calendar"
)

func hours(t testing.TB, spec string, holidaysAsWeekend bool) calendar.Hours {
	t.Helper()
	h, err := calendar.OfficeHours(spec)
	if err != nil {
		t.Fatal(err)
	}
	h.HolidaysAsWeekend = holidaysAsWeekend
	return h
}

func win(start, end time.Duration) calendar.Window {
	return calendar.Window{Start: start, End: end}
}

func TestOfficeHours(t *testing.T) {
	const h = time.Hour
	weekdays := func(ws ...calendar.Window) (week [7][]calendar.Window) {
		for wd := time.Monday; wd <= time.Friday; wd++ {
			week[wd] = ws
		}
		return week
	}
	scj := weekdays(win(7*h, 19*h))
	scj[time.Saturday] = []calendar.Window{win(8*h, 12*h)}
	scj[time.Sunday] = []calendar.Window{win(8*h, 12*h)}
	split := weekdays(win(8*h, 12*h), win(14*h, 17*h))
	var sparse [7][]calendar.Window
	sparse[time.Monday] = []calendar.Window{win(8*h, 12*h)}
	sparse[time.Wednesday] = []calendar.Window{win(8*h, 12*h)}
	sparse[time.Saturday] = []calendar.Window{win(9*h+30*time.Minute, 24*h)}

	tests := []struct {
		name string
		spec string
		want [7][]calendar.Window
	}{
		{"Funza default", calendar.FunzaHours, weekdays(win(8*h, 17*h))},
		{"SCJ PD-GT-1", calendar.SCJHours, scj},
		{"SCJ without accents and in capitals", "LUN-VIE 07:00-19:00;SAB-DOM 08:00-12:00;", scj},
		{"two windows a day, given out of order", "lun-vie 14:00-17:00, 08:00-12:00", split},
		{"day list, full names, H:MM and 24:00", "lunes, mié 8:00-12:00; sábado 09:30-24:00", sparse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := calendar.OfficeHours(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Week, tt.want) {
				t.Errorf("OfficeHours(%q).Week = %v, want %v", tt.spec, got.Week, tt.want)
			}
			if got.HolidaysAsWeekend {
				t.Error("HolidaysAsWeekend set by the parser")
			}
		})
	}
}

func TestOfficeHoursErrors(t *testing.T) {
	tests := []struct {
		name string
		spec string
		want string // part of the error message
	}{
		{"empty", "  ", "empty"},
		{"only separators", ";;", "empty"},
		{"no times", "lun-vie", `"lun-vie" has no times`},
		{"no days", "08:00-17:00", "has no days"},
		{"unknown day", "lun-fri 08:00-17:00", `unknown day "fri"`},
		{"English day", "mon-fri 08:00-17:00", `unknown day "mon"`},
		{"backwards range", "dom-sab 08:00-12:00", "runs backwards"},
		{"hour without minutes", "lun-vie 8-17", "want HH:MM"},
		{"missing end", "lun-vie 08:00", "want HH:MM-HH:MM"},
		{"minutes out of range", "lun-vie 08:60-17:00", "bad time"},
		{"hour out of range", "lun-vie 08:00-25:00", "bad time"},
		{"end before start", "lun-vie 17:00-08:00", "ends before it starts"},
		{"crossing midnight", "sab 22:00-02:00", "cannot cross midnight"},
		{"empty window", "lun 08:00-08:00", "ends before it starts"},
		{"starts at 24:00", "lun 24:00-24:00", "24:00 can only end"},
		{"overlap in one group", "lun-vie 08:00-12:00, 11:00-17:00", "on lun, 11:00-17:00 overlaps 08:00-12:00"},
		{"overlap across groups", "lun-vie 08:00-17:00; vie 16:00-18:00", "on vie, 16:00-18:00 overlaps 08:00-17:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := calendar.OfficeHours(tt.spec)
			if err == nil {
				t.Fatalf("OfficeHours(%q) succeeded", tt.spec)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "office hours ") {
				t.Errorf("OfficeHours(%q) error = %q, want it to mention %q", tt.spec, err, tt.want)
			}
		})
	}
}

func TestBusinessDuration(t *testing.T) {
	funza := calendar.New(bogota, nil, hours(t, calendar.FunzaHours, false))
	scj := calendar.New(bogota, nil, hours(t, calendar.SCJHours, true))
	scjClosedHolidays := calendar.New(bogota, nil, hours(t, calendar.SCJHours, false))
	split := calendar.New(bogota, nil, hours(t, "lun-vie 08:00-12:00, 14:00-17:00", false))
	tests := []struct {
		name     string
		c        *calendar.Calendar
		from, to string
		want     time.Duration
	}{
		{"Funza: within a day", funza, "2026-03-18 09:00", "2026-03-18 11:30", 2*time.Hour + 30*time.Minute},
		{"Funza: from before opening to after closing", funza, "2026-03-18 06:00", "2026-03-18 20:00", 9 * time.Hour},
		{"Funza: across a night", funza, "2026-03-18 16:00", "2026-03-19 09:00", 2 * time.Hour},
		{"Funza: across a weekend and a Monday holiday", funza, "2026-03-20 16:00", "2026-03-24 09:00", 2 * time.Hour},
		{"Funza: across Holy Week", funza, "2026-04-01 16:00", "2026-04-06 10:00", 3 * time.Hour},
		{"Funza: within a weekend", funza, "2026-03-21 09:00", "2026-03-22 17:00", 0},
		{"Funza: a whole week", funza, "2026-03-09 00:00", "2026-03-16 00:00", 45 * time.Hour},
		{"Funza: March 2026 (21 business days)", funza, "2026-03-01 00:00", "2026-04-01 00:00", 21 * 9 * time.Hour},
		{"Funza: across the year boundary", funza, "2026-12-31 16:00", "2027-01-04 09:00", 2 * time.Hour},
		{"Funza: reversed is negative", funza, "2026-03-19 09:00", "2026-03-18 16:00", -2 * time.Hour},
		{"lunch break does not count", split, "2026-03-18 11:00", "2026-03-18 15:00", 2 * time.Hour},
		{"SCJ: across a night", scj, "2026-03-18 18:30", "2026-03-19 07:30", time.Hour},
		{"SCJ: long weekend, holiday served like Sunday", scj, "2026-03-20 18:00", "2026-03-24 08:00", 14 * time.Hour},
		{"SCJ without HolidaysAsWeekend: holiday closed", scjClosedHolidays, "2026-03-20 18:00", "2026-03-24 08:00", 10 * time.Hour},
		{"SCJ: Jueves Santo has weekend hours", scj, "2026-04-02 00:00", "2026-04-03 00:00", 4 * time.Hour},
		{"SCJ: a whole week", scj, "2026-03-09 00:00", "2026-03-16 00:00", 5*12*time.Hour + 2*4*time.Hour},
		{"SCJ: Saturday afternoon to Sunday morning", scj, "2026-03-21 11:00", "2026-03-22 09:00", 2 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from, to := at(t, tt.from), at(t, tt.to)
			if got := tt.c.BusinessDuration(from, to); got != tt.want {
				t.Errorf("BusinessDuration(%s, %s) = %v, want %v", tt.from, tt.to, got, tt.want)
			}
		})
	}
}

func TestAddBusinessDuration(t *testing.T) {
	funza := calendar.New(bogota, nil, hours(t, calendar.FunzaHours, false))
	scj := calendar.New(bogota, nil, hours(t, calendar.SCJHours, true))
	split := calendar.New(bogota, nil, hours(t, "lun-vie 08:00-12:00, 14:00-17:00", false))
	tests := []struct {
		name string
		c    *calendar.Calendar
		from string
		d    time.Duration
		want string
	}{
		{"Funza: within a day", funza, "2026-03-18 09:00", 2 * time.Hour, "2026-03-18 11:00"},
		{"Funza: using up the day ends at closing", funza, "2026-03-18 08:00", 9 * time.Hour, "2026-03-18 17:00"},
		{"Funza: before opening", funza, "2026-03-18 06:00", time.Hour, "2026-03-18 09:00"},
		{"Funza: across a night", funza, "2026-03-18 16:00", 2 * time.Hour, "2026-03-19 09:00"},
		{"Funza: from after closing", funza, "2026-03-18 20:00", 30 * time.Minute, "2026-03-19 08:30"},
		{"Funza: Friday before a long weekend", funza, "2026-03-20 16:00", 2 * time.Hour, "2026-03-24 09:00"},
		{"Funza: from a Sunday", funza, "2026-03-22 10:00", time.Hour, "2026-03-24 09:00"},
		{"Funza: eight business days of hours", funza, "2026-03-18 08:00", 8 * 9 * time.Hour, "2026-03-30 17:00"},
		{"Funza: over Christmas and New Year", funza, "2026-12-24 16:00", 2 * time.Hour, "2026-12-28 09:00"},
		{"Funza: zero returns from", funza, "2026-03-21 10:00", 0, "2026-03-21 10:00"},
		{"lunch break is skipped", split, "2026-03-18 11:00", 2 * time.Hour, "2026-03-18 15:00"},
		{"SCJ: Friday evening through a long weekend", scj, "2026-03-20 18:00", 14 * time.Hour, "2026-03-24 08:00"},
		{"SCJ: Saturday into Sunday", scj, "2026-03-21 11:00", 2 * time.Hour, "2026-03-22 09:00"},
		{"SCJ: holiday Monday served in the morning", scj, "2026-03-22 12:00", 3 * time.Hour, "2026-03-23 11:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.c.AddBusinessDuration(at(t, tt.from), tt.d)
			if want := at(t, tt.want); !got.Equal(want) || got.Location() != bogota {
				t.Errorf("AddBusinessDuration(%s, %v) = %v, want %v", tt.from, tt.d, got, want)
			}
		})
	}
}

func TestAddBusinessDurationWithoutHours(t *testing.T) {
	c := calendar.New(bogota, nil, calendar.Hours{})
	if got := c.AddBusinessDuration(at(t, "2026-03-18 09:00"), time.Hour); !got.IsZero() {
		t.Errorf("AddBusinessDuration with no office hours = %v, want the zero Time", got)
	}
	if got := c.BusinessDuration(at(t, "2026-03-18 09:00"), at(t, "2026-03-28 09:00")); got != 0 {
		t.Errorf("BusinessDuration with no office hours = %v, want 0", got)
	}
}

// TestBusinessDurationProperties checks, over random instants in several
// years, that AddBusinessDuration is the earliest inverse of BusinessDuration
// and that BusinessDuration adds up over consecutive spans.
func TestBusinessDurationProperties(t *testing.T) {
	extra := []calendar.Holiday{{Date: date(t, "2026-03-25"), Name: "Festivo local"}}
	calendars := map[string]*calendar.Calendar{
		"funza": calendar.New(bogota, extra, hours(t, calendar.FunzaHours, false)),
		"scj":   calendar.New(bogota, extra, hours(t, calendar.SCJHours, true)),
		"split": calendar.New(bogota, extra, hours(t, "lun-jue 08:00-12:00, 14:00-18:00; vie 07:00-13:00", false)),
	}
	for name, c := range calendars {
		t.Run(name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(3, 4))
			start := date(t, "2025-06-01")
			for range 2000 {
				from := start.Add(time.Duration(rng.Int64N(int64(3 * 365 * 24 * time.Hour))))
				d := time.Duration(rng.Int64N(int64(300 * time.Hour)))
				end := c.AddBusinessDuration(from, d)
				if got := c.BusinessDuration(from, end); got != d {
					t.Fatalf("BusinessDuration(%v, AddBusinessDuration(.., %v) = %v) = %v", from, d, end, got)
				}
				if d > 0 && c.BusinessDuration(from, end.Add(-time.Nanosecond)) >= d {
					t.Fatalf("AddBusinessDuration(%v, %v) = %v is not the earliest instant", from, d, end)
				}
				mid := from.Add(time.Duration(rng.Int64N(int64(60 * 24 * time.Hour))))
				to := mid.Add(time.Duration(rng.Int64N(int64(60 * 24 * time.Hour))))
				if a, b, ab := c.BusinessDuration(from, mid), c.BusinessDuration(mid, to), c.BusinessDuration(from, to); a+b != ab {
					t.Fatalf("BusinessDuration over %v..%v..%v: %v + %v != %v", from, mid, to, a, b, ab)
				}
			}
		})
	}
}

func BenchmarkBusinessDuration(b *testing.B) {
	c := calendar.New(bogota, nil, hours(b, calendar.SCJHours, true))
	from := at(b, "2026-03-18 10:15")
	for i := 0; b.Loop(); i++ {
		c.BusinessDuration(from, from.Add(time.Duration(i%1000)*time.Hour))
	}
}

func BenchmarkAddBusinessDuration(b *testing.B) {
	c := calendar.New(bogota, nil, hours(b, calendar.FunzaHours, false))
	from := at(b, "2026-03-18 10:15")
	for i := 0; b.Loop(); i++ {
		c.AddBusinessDuration(from, time.Duration(i%200)*time.Hour) // up to ~4 weeks of business time
	}
}
