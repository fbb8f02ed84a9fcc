package report

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
)

// The charts of the HTML report are inline SVG drawn here: no JavaScript,
// no external assets, so the file reads the same offline, attached to a
// mail or printed. Every label is escaped.

// Colours of the report (GOV.CO palette).
const (
	colBlue   = "#3366CC"
	colNavy   = "#004884"
	colGreen  = "#069169"
	colRed    = "#A80521"
	colYellow = "#F3C300"
	colGrey   = "#B8BEC7"
	colText   = "#4B4B4B"
	colGrid   = "#E5E8ED"
)

// seg is one coloured part of a bar.
type seg struct {
	Value float64
	Color string
	Name  string // for the tooltip
}

// bar is one labelled row of a horizontal bar chart.
type bar struct {
	Label string
	Segs  []seg
	Note  string // printed after the bar; the total when empty
}

func esc(s string) string { return html.EscapeString(s) }

// hbars draws a horizontal bar chart, one row per bar, stacked segments.
func hbars(title string, bars []bar) template.HTML {
	if len(bars) == 0 {
		return empty(title)
	}
	const (
		plotW  = 300
		labelW = 190
		rowH   = 26
		top    = 8
	)
	maxV := 0.0
	noteW := 40 // room after the longest bar for its value label, so none is clipped
	for _, b := range bars {
		maxV = math.Max(maxV, total(b))
		note := b.Note
		if note == "" {
			note = trimNum(total(b))
		}
		noteW = max(noteW, 12+len([]rune(note))*8)
	}
	width := labelW + plotW + noteW
	if maxV == 0 {
		maxV = 1
	}
	h := top + rowH*len(bars) + 8
	var s strings.Builder
	fmt.Fprintf(&s, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="100%%" role="img" aria-label="%s">`, width, h, esc(title))
	plot := float64(plotW)
	for i, b := range bars {
		y := top + i*rowH
		fmt.Fprintf(&s, `<text x="%d" y="%d" text-anchor="end" class="lbl">%s</text>`, labelW-8, y+17, esc(clip(b.Label, 28)))
		x := float64(labelW)
		for _, sg := range b.Segs {
			w := sg.Value / maxV * plot
			if w <= 0 {
				continue
			}
			fmt.Fprintf(&s, `<rect x="%.1f" y="%d" width="%.1f" height="18" fill="%s"><title>%s: %s</title></rect>`,
				x, y+4, w, sg.Color, esc(b.Label+" — "+sg.Name), esc(trimNum(sg.Value)))
			x += w
		}
		note := b.Note
		if note == "" {
			note = trimNum(total(b))
		}
		fmt.Fprintf(&s, `<text x="%.1f" y="%d" class="val">%s</text>`, x+6, y+17, esc(note))
	}
	s.WriteString(`</svg>`)
	return template.HTML(s.String())
}

// vbars draws a vertical bar chart with one bar per label (the ratings).
func vbars(title string, labels []string, values []int, colors []string) template.HTML {
	const width, height, left, bottom, top = 560, 220, 30, 28, 18
	maxV := 0
	for _, v := range values {
		maxV = max(maxV, v)
	}
	if maxV == 0 {
		return empty(title)
	}
	var s strings.Builder
	fmt.Fprintf(&s, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="100%%" role="img" aria-label="%s">`, width, height, esc(title))
	plotH := float64(height - bottom - top)
	slot := float64(width-left-10) / float64(len(values))
	fmt.Fprintf(&s, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s"/>`, left, height-bottom, width-10, height-bottom, colGrey)
	for i, v := range values {
		bh := float64(v) / float64(maxV) * plotH
		x := float64(left) + slot*float64(i) + slot*0.2
		y := float64(height-bottom) - bh
		fmt.Fprintf(&s, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s: %d</title></rect>`, x, y, slot*0.6, bh, colors[i], esc(labels[i]), v)
		fmt.Fprintf(&s, `<text x="%.1f" y="%.1f" text-anchor="middle" class="val">%d</text>`, x+slot*0.3, y-4, v)
		fmt.Fprintf(&s, `<text x="%.1f" y="%d" text-anchor="middle" class="lbl">%s</text>`, x+slot*0.3, height-bottom+17, esc(labels[i]))
	}
	s.WriteString(`</svg>`)
	return template.HTML(s.String())
}

// donut draws a share as a ring with the percentage in the middle.
func donut(title string, hit, miss int, hitName, missName string) template.HTML {
	n := hit + miss
	if n == 0 {
		return empty(title)
	}
	const size, r, stroke = 200, 70, 26
	c := 2 * math.Pi * r
	share := float64(hit) / float64(n)
	var s strings.Builder
	fmt.Fprintf(&s, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s">`, size, size, size, size, esc(title))
	fmt.Fprintf(&s, `<circle cx="100" cy="100" r="%d" fill="none" stroke="%s" stroke-width="%d"><title>%s: %d</title></circle>`, r, colRed, stroke, esc(missName), miss)
	fmt.Fprintf(&s, `<circle cx="100" cy="100" r="%d" fill="none" stroke="%s" stroke-width="%d" stroke-dasharray="%.2f %.2f" transform="rotate(-90 100 100)"><title>%s: %d</title></circle>`,
		r, colGreen, stroke, share*c, c, esc(hitName), hit)
	fmt.Fprintf(&s, `<text x="100" y="100" text-anchor="middle" class="big">%s %%</text>`, esc(pctText(math.Round(share*1000)/10)))
	fmt.Fprintf(&s, `<text x="100" y="122" text-anchor="middle" class="lbl">%d de %d</text>`, hit, n)
	s.WriteString(`</svg>`)
	return template.HTML(s.String())
}

// series is one line of a line chart.
type series struct {
	Name   string
	Color  string
	Values []float64 // NaN where there is no data
	Dash   bool
}

// lines draws a line chart over the month labels, y from 0 to yMax.
func lines(title string, labels []string, ss []series, yMax float64, unit string) template.HTML {
	const width, height, left, right, top, bottom = 1000, 250, 48, 30, 14, 50
	plotW, plotH := float64(width-left-right), float64(height-top-bottom)
	n := len(labels)
	if n == 0 || yMax <= 0 {
		return empty(title)
	}
	x := func(i int) float64 {
		if n == 1 {
			return float64(left) + plotW/2
		}
		return float64(left) + plotW*float64(i)/float64(n-1)
	}
	y := func(v float64) float64 { return float64(top) + plotH*(1-v/yMax) }
	var s strings.Builder
	fmt.Fprintf(&s, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="100%%" role="img" aria-label="%s">`, width, height, esc(title))
	for k := 0; k <= 4; k++ {
		v := yMax * float64(k) / 4
		fmt.Fprintf(&s, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="%s"/>`, left, y(v), width-right, y(v), colGrid)
		fmt.Fprintf(&s, `<text x="%d" y="%.1f" text-anchor="end" class="axis">%s%s</text>`, left-6, y(v)+4, esc(trimNum(math.Round(v))), esc(unit))
	}
	for i, l := range labels {
		fmt.Fprintf(&s, `<text x="%.1f" y="%d" text-anchor="middle" class="axis">%s</text>`, x(i), height-bottom+16, esc(l))
	}
	for _, sr := range ss {
		var path strings.Builder
		pen := false
		for i, v := range sr.Values {
			if math.IsNaN(v) {
				pen = false
				continue
			}
			cmd := "L"
			if !pen {
				cmd = "M"
			}
			fmt.Fprintf(&path, "%s%.1f %.1f ", cmd, x(i), y(v))
			pen = true
		}
		dash := ""
		if sr.Dash {
			dash = ` stroke-dasharray="6 4"`
		}
		fmt.Fprintf(&s, `<path d="%s" fill="none" stroke="%s" stroke-width="2.5"%s/>`, strings.TrimSpace(path.String()), sr.Color, dash)
		if sr.Dash {
			continue
		}
		for i, v := range sr.Values {
			if !math.IsNaN(v) {
				fmt.Fprintf(&s, `<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s"><title>%s, %s: %s%s</title></circle>`, x(i), y(v), sr.Color, esc(sr.Name), esc(labels[i]), esc(pctOrNum(v, unit)), esc(unit))
			}
		}
	}
	// legend
	lx := float64(left)
	for _, sr := range ss {
		fmt.Fprintf(&s, `<rect x="%.1f" y="%d" width="14" height="4" fill="%s"/>`, lx, height-14, sr.Color)
		fmt.Fprintf(&s, `<text x="%.1f" y="%d" class="axis">%s</text>`, lx+19, height-9, esc(sr.Name))
		lx += 19 + float64(len([]rune(sr.Name)))*6.8 + 22
	}
	s.WriteString(`</svg>`)
	return template.HTML(s.String())
}

func pctOrNum(v float64, unit string) string {
	if unit == " %" || unit == "%" {
		return pctText(v)
	}
	return trimNum(v)
}

func empty(title string) template.HTML {
	return template.HTML(fmt.Sprintf(`<p class="sin-datos" aria-label="%s">Sin datos en el periodo.</p>`, esc(title)))
}

func total(b bar) float64 {
	t := 0.0
	for _, s := range b.Segs {
		t += s.Value
	}
	return t
}

func trimNum(v float64) string { return pctText(math.Round(v*10) / 10) }

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
