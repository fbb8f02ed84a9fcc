package calendar

import "time"

// NextOpen returns the earliest instant at or after t that lies within c's
// office hours: t itself during a window, else the start of the next window
// (Fri 19:30 with hours lun-vie 08:00-17:00 gives Mon 08:00, or Tue 08:00
// after a Monday holiday). It is how long mail that calls a worker to act
// waits (Ley 2191 de 2022, desconexión laboral). When the hours have no
// windows at all it returns the zero Time.
func (c *Calendar) NextOpen(t time.Time) time.Time {
	t = t.In(c.loc)
	if c.weekly == 0 {
		return time.Time{}
	}
	// Any week has a window; holidays close at most a few days in a row,
	// but the extra days of the Festivos tab may close more: look a year on.
	for d, last := c.day(t), c.day(t)+400; d <= last; d++ {
		midnight := d.at(c.loc)
		for _, w := range c.windows(d) {
			start, end := midnight.Add(w.Start), midnight.Add(w.End)
			if start.Before(t) {
				start = t
			}
			if end.After(start) {
				return start
			}
		}
	}
	return time.Time{}
}

// Open reports whether t lies within c's office hours.
func (c *Calendar) Open(t time.Time) bool {
	n := c.NextOpen(t)
	return !n.IsZero() && n.Equal(t)
}
