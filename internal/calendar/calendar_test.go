package calendar_test

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/calendar"
)

var bogota = calendar.Bogota()

// date parses "2006-01-02" as midnight in Bogotá.
func date(t testing.TB, s string) time.Time {
	t.Helper()
	d, err := time.ParseInLocation(time.DateOnly, s, bogota)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// at parses "2006-01-02 15:04" in Bogotá.
func at(t testing.TB, s string) time.Time {
	t.Helper()
	d, err := time.ParseInLocation("2006-01-02 15:04", s, bogota)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// readPublished reads testdata/calendar/festivos-colombia.txt, the holiday
// lists written out by hand from published calendars, keyed by year.
func readPublished(t *testing.T) map[int][]string {
	t.Helper()
	f, err := os.Open("../../testdata/calendar/festivos-colombia.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := make(map[int][]string)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		day, _, ok := strings.Cut(line, " ")
		if !ok {
			t.Fatalf("bad line %q", line)
		}
		d := date(t, day)
		want[d.Year()] = append(want[d.Year()], line)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return want
}

func TestHolidaysMatchPublishedLists(t *testing.T) {
	want := readPublished(t)
	c := calendar.New(bogota, nil, calendar.Hours{})
	for _, year := range []int{2024, 2025, 2026, 2027, 2030} {
		t.Run(fmt.Sprint(year), func(t *testing.T) {
			if len(want[year]) == 0 {
				t.Fatalf("no published list for %d in testdata", year)
			}
			var got []string
			for _, h := range c.Holidays(year) {
				if h.Date.Location() != bogota || h.Date.Hour() != 0 || h.Date.Minute() != 0 {
					t.Errorf("%s: date %v is not midnight in Bogotá", h.Name, h.Date)
				}
				got = append(got, h.Date.Format(time.DateOnly)+" "+h.Name)
			}
			if g, w := strings.Join(got, "\n"), strings.Join(want[year], "\n"); g != w {
				t.Errorf("Holidays(%d):\n%s\nwant:\n%s", year, g, w)
			}
		})
	}
}

func TestIsHoliday(t *testing.T) {
	extra := []calendar.Holiday{
		{Date: time.Date(2026, 3, 25, 0, 0, 0, 0, time.UTC), Name: "Cumpleaños de Funza"},
		{Date: date(t, "2026-12-25"), Name: "Cierre de fin de año"},
		{Date: date(t, "2026-12-24"), Name: "Cierre de fin de año"},
		{Date: date(t, "2026-12-24"), Name: "Cierre de fin de año"}, // listed twice in the sheet
		{Date: date(t, "2026-07-20"), Name: "Día de la Independencia"},
		{Date: date(t, "2026-10-30")},
	}
	c := calendar.New(bogota, extra, calendar.Hours{})
	tests := []struct {
		name string
		t    time.Time
		want string // "" for a working or ordinary weekend day
	}{
		{"fixed holiday on a Sunday stays (20 Jul 2025)", date(t, "2025-07-20"), "Día de la Independencia"},
		{"fixed holiday on a Saturday stays (1 May 2027)", date(t, "2027-05-01"), "Día del Trabajo"},
		{"fixed holiday on a Sunday stays (8 Dec 2024)", date(t, "2024-12-08"), "Inmaculada Concepción"},
		{"Reyes on a Saturday is not kept on its day", date(t, "2024-01-06"), ""},
		{"Reyes on a Saturday moves to Monday", date(t, "2024-01-08"), "Reyes Magos"},
		{"San José on a Thursday is not kept on its day", date(t, "2026-03-19"), ""},
		{"San José on a Thursday moves to Monday", date(t, "2026-03-23"), "San José"},
		{"San Pedro already on a Monday stays", date(t, "2026-06-29"), "San Pedro y San Pablo"},
		{"Todos los Santos on a Friday moves to Monday", date(t, "2030-11-04"), "Todos los Santos"},
		{"Jueves Santo", date(t, "2026-04-02"), "Jueves Santo"},
		{"Viernes Santo", date(t, "2026-04-03"), "Viernes Santo"},
		{"Easter Sunday is an ordinary Sunday", date(t, "2026-04-05"), ""},
		{"Ascensión's Thursday is a working day", date(t, "2026-05-14"), ""},
		{"Ascensión moves to Easter+43", date(t, "2026-05-18"), "Ascensión del Señor"},
		{"Corpus Christi at Easter+64", date(t, "2027-05-31"), "Corpus Christi"},
		{"Sagrado Corazón at Easter+71", date(t, "2026-06-15"), "Sagrado Corazón"},
		{"two holidays on one Monday (2014)", date(t, "2014-06-30"), "Sagrado Corazón / San Pedro y San Pablo"},
		{"far future year computed by rule", date(t, "2100-01-01"), "Año Nuevo"},
		{"late evening in Bogotá is still that day", time.Date(2026, 3, 24, 3, 0, 0, 0, time.UTC), "San José"},
		{"extra day given as a UTC date keeps its date", date(t, "2026-03-25"), "Cumpleaños de Funza"},
		{"extra day on a national holiday joins the names", date(t, "2026-12-25"), "Navidad / Cierre de fin de año"},
		{"extra day listed twice appears once", date(t, "2026-12-24"), "Cierre de fin de año"},
		{"extra day repeating the national name is not doubled", date(t, "2026-07-20"), "Día de la Independencia"},
		{"extra day without a name", date(t, "2026-10-30"), "Festivo"},
		{"ordinary Wednesday", date(t, "2026-03-18"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := c.IsHoliday(tt.t)
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("IsHoliday(%v) = %q, %v; want %q", tt.t, got, ok, tt.want)
			}
		})
	}
}

func TestIsBusinessDay(t *testing.T) {
	c := calendar.New(bogota, []calendar.Holiday{{Date: date(t, "2026-03-27"), Name: "Cierre"}}, calendar.Hours{})
	tests := []struct {
		name string
		t    time.Time
		want bool
	}{
		{"Wednesday", at(t, "2026-03-18 10:00"), true},
		{"Saturday", date(t, "2026-03-21"), false},
		{"Sunday", date(t, "2026-03-22"), false},
		{"Monday holiday", date(t, "2026-03-23"), false},
		{"Jueves Santo", date(t, "2026-04-02"), false},
		{"extra closure", date(t, "2026-03-27"), false},
		{"Friday 23:30 in Bogotá is Saturday in UTC", time.Date(2026, 3, 21, 4, 30, 0, 0, time.UTC), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.IsBusinessDay(tt.t); got != tt.want {
				t.Errorf("IsBusinessDay(%v) = %v, want %v", tt.t, got, tt.want)
			}
		})
	}
}

func TestAddBusinessDays(t *testing.T) {
	plain := calendar.New(bogota, nil, calendar.Hours{})
	withLocal := calendar.New(bogota, []calendar.Holiday{{Date: date(t, "2026-03-25"), Name: "Festivo local"}}, calendar.Hours{})
	tests := []struct {
		name string
		c    *calendar.Calendar
		from time.Time
		n    int
		want string
	}{
		{"DESIGN F-5c example skips San José", plain, date(t, "2026-03-18"), 8, "2026-03-31"},
		{"time of day is ignored", plain, at(t, "2026-03-18 23:59"), 8, "2026-03-31"},
		{"instant given in UTC counts from its Bogotá date", plain, time.Date(2026, 3, 19, 2, 0, 0, 0, time.UTC), 8, "2026-03-31"},
		{"zero returns from's date at midnight", plain, at(t, "2026-03-18 15:30"), 0, "2026-03-18"},
		{"Friday before a long weekend", plain, date(t, "2026-03-20"), 1, "2026-03-24"},
		{"from a Saturday", plain, date(t, "2026-03-21"), 1, "2026-03-24"},
		{"from a holiday", plain, date(t, "2026-03-23"), 1, "2026-03-24"},
		{"over Holy Week", plain, date(t, "2026-04-01"), 1, "2026-04-06"},
		{"Christmas Eve over Navidad", plain, date(t, "2026-12-24"), 1, "2026-12-28"},
		{"Christmas Eve over Año Nuevo into the next year", plain, date(t, "2026-12-24"), 5, "2027-01-04"},
		{"into January past Reyes moved to the 11th", plain, date(t, "2026-12-24"), 9, "2027-01-08"},
		{"backwards over the long weekend", plain, date(t, "2026-03-24"), -1, "2026-03-20"},
		{"backwards over the year boundary", plain, date(t, "2027-01-04"), -5, "2026-12-24"},
		{"extra Festivos day is skipped", withLocal, date(t, "2026-03-18"), 8, "2026-04-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.c.AddBusinessDays(tt.from, tt.n)
			if want := date(t, tt.want); !got.Equal(want) || got.Location() != bogota {
				t.Errorf("AddBusinessDays(%v, %d) = %v, want %v", tt.from, tt.n, got, want)
			}
		})
	}
}

func TestBusinessDaysBetween(t *testing.T) {
	c := calendar.New(bogota, nil, calendar.Hours{})
	tests := []struct {
		name     string
		from, to time.Time
		want     int
	}{
		{"same day", at(t, "2026-03-18 08:00"), at(t, "2026-03-18 18:00"), 0},
		{"DESIGN F-5c example", date(t, "2026-03-18"), date(t, "2026-03-31"), 8},
		{"reversed is negative", date(t, "2026-03-31"), date(t, "2026-03-18"), -8},
		{"weekend and holiday count nothing", date(t, "2026-03-20"), date(t, "2026-03-23"), 0},
		{"across the year boundary", date(t, "2026-12-24"), date(t, "2027-01-04"), 5},
		{"whole year 2026", date(t, "2025-12-31"), date(t, "2026-12-31"), 243},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.BusinessDaysBetween(tt.from, tt.to); got != tt.want {
				t.Errorf("BusinessDaysBetween(%v, %v) = %d, want %d", tt.from, tt.to, got, tt.want)
			}
		})
	}
}

// TestBusinessDaysAgreeWithIsBusinessDay checks the cached running sums and
// the day stepping against the plain definition over several years.
func TestBusinessDaysAgreeWithIsBusinessDay(t *testing.T) {
	c := calendar.New(bogota, []calendar.Holiday{{Date: date(t, "2026-03-25"), Name: "Festivo local"}}, calendar.Hours{})
	rng := rand.New(rand.NewPCG(1, 2))
	start := date(t, "2024-01-01")
	for range 500 {
		from := start.AddDate(0, 0, rng.IntN(4*365))
		to := from.AddDate(0, 0, rng.IntN(400))
		want := 0
		for d := from.AddDate(0, 0, 1); !d.After(to); d = d.AddDate(0, 0, 1) {
			if c.IsBusinessDay(d) {
				want++
			}
		}
		if got := c.BusinessDaysBetween(from, to); got != want {
			t.Fatalf("BusinessDaysBetween(%v, %v) = %d, want %d", from, to, got, want)
		}
		n := rng.IntN(30)
		end := c.AddBusinessDays(from, n)
		if got := c.BusinessDaysBetween(from, end); got != n {
			t.Fatalf("BusinessDaysBetween(%v, AddBusinessDays(.., %d) = %v) = %d", from, n, end, got)
		}
		if n > 0 && !c.IsBusinessDay(end) {
			t.Fatalf("AddBusinessDays(%v, %d) = %v, not a business day", from, n, end)
		}
	}
}

func TestWorkdays(t *testing.T) {
	plain := calendar.New(bogota, nil, calendar.Hours{})
	closed := calendar.New(bogota, []calendar.Holiday{
		{Date: date(t, "2026-12-24"), Name: "Cierre"},
		{Date: date(t, "2026-12-26"), Name: "Cierre en sábado"}, // a Saturday: changes nothing
	}, calendar.Hours{})
	tests := []struct {
		name  string
		c     *calendar.Calendar
		year  int
		month time.Month
		want  int
	}{
		{"February 2026, no holidays", plain, 2026, time.February, 20},
		{"March 2026, San José", plain, 2026, time.March, 21},
		{"April 2026, Holy Week", plain, 2026, time.April, 20},
		{"June 2026, three Monday holidays", plain, 2026, time.June, 19},
		{"June 2025, two holidays on 30 June", plain, 2025, time.June, 18},
		{"December 2026", plain, 2026, time.December, 21},
		{"December 2026 with office closures", closed, 2026, time.December, 20},
		{"January 2027, Año Nuevo on Friday", plain, 2027, time.January, 19},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.Workdays(tt.year, tt.month); got != tt.want {
				t.Errorf("Workdays(%d, %s) = %d, want %d", tt.year, tt.month, got, tt.want)
			}
		})
	}
}

func TestHolidaysIsACopy(t *testing.T) {
	c := calendar.New(bogota, nil, calendar.Hours{})
	c.Holidays(2026)[0].Name = "changed"
	if got := c.Holidays(2026)[0].Name; got != "Año Nuevo" {
		t.Errorf("Holidays(2026)[0].Name = %q after changing a returned slice", got)
	}
}

func TestNilLocationIsBogota(t *testing.T) {
	c := calendar.New(nil, nil, calendar.Hours{})
	if c.Location().String() != "America/Bogota" {
		t.Errorf("Location() = %v", c.Location())
	}
	if _, off := time.Date(2026, 3, 18, 12, 0, 0, 0, c.Location()).Zone(); off != -5*60*60 {
		t.Errorf("Bogotá offset = %d, want -5h", off)
	}
}

// TestConcurrentUse lets the race detector watch the per-year cache fill up
// from many goroutines at once.
func TestConcurrentUse(t *testing.T) {
	c := calendar.New(bogota, nil, calendar.Hours{})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for y := 2020; y < 2040; y++ {
				from := time.Date(y, time.Month(1+g), 10, 0, 0, 0, 0, bogota)
				c.AddBusinessDays(from, 40)
				c.IsHoliday(from)
				c.BusinessDaysBetween(from, from.AddDate(1, 0, 0))
			}
		})
	}
	wg.Wait()
}

func BenchmarkAddBusinessDays(b *testing.B) {
	c := calendar.New(bogota, nil, calendar.Hours{})
	start := date(b, "2026-01-01")
	for i := 0; b.Loop(); i++ {
		c.AddBusinessDays(start.AddDate(0, 0, i%730), 8)
	}
}
