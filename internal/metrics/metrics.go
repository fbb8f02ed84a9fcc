// Package metrics exposes what `mesa run` does to Prometheus: cycles by
// outcome, Google API calls by service and status (counted by an
// http.RoundTripper around the clients' transport), cases by state, the
// mail queue and the time of the last successful cycle.
package metrics

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds mesa's collectors on a registry of its own (no globals).
type Metrics struct {
	Registry    *prometheus.Registry
	Cycles      *prometheus.CounterVec   // job, outcome
	Duration    *prometheus.HistogramVec // job
	APICalls    *prometheus.CounterVec   // service, status
	Cases       *prometheus.GaugeVec     // state
	MailQueue   *prometheus.GaugeVec     // state
	LastSuccess prometheus.Gauge
	Cells       prometheus.Gauge // the workbook's cells, empty grid cells included
	CellLimit   prometheus.Gauge // Google's limit on them

	mu        sync.Mutex
	lastOK    time.Time
	lastDate  time.Time // server Date header of the last API reply
	lastLocal time.Time // local clock when that reply arrived
}

// Cycle outcomes.
const (
	OK      = "ok"
	Failed  = "error"
	Skipped = "skipped" // another instance holds the lease, or still running
	Panic   = "panic"
)

// New registers the collectors, with Go and process metrics.
func New() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		Cycles: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "mesa_cycles_total", Help: "Scheduled jobs run, by job (sync, reconcile, digest, report) and outcome (ok, error, skipped, panic).",
		}, []string{"job", "outcome"}),
		Duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "mesa_cycle_duration_seconds", Help: "How long scheduled jobs took.",
			Buckets: []float64{0.5, 1, 2, 5, 10, 30, 60, 120, 300},
		}, []string{"job"}),
		APICalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "mesa_api_calls_total", Help: "HTTP calls to Google APIs by service (sheets, forms, gmail, drive, oauth2) and status code (or \"error\" when no reply came).",
		}, []string{"service", "status"}),
		Cases: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "mesa_cases", Help: "Cases in the Casos tab by Estado, as of the last statistics refresh.",
		}, []string{"state"}),
		MailQueue: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "mesa_mail_queue", Help: "Rows of the Notificaciones outbox by Estado, as of the last statistics refresh.",
		}, []string{"state"}),
		LastSuccess: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "mesa_last_success_timestamp_seconds", Help: "Unix time of the end of the last successful sync or reconcile.",
		}),
		Cells: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "mesa_workbook_cells", Help: "Cells of the workbook, every grid cell of every tab including empty ones, as of the last statistics refresh; Google refuses to grow past mesa_workbook_cell_limit.",
		}),
		CellLimit: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "mesa_workbook_cell_limit", Help: "Google's limit on the cells of a spreadsheet (10,000,000).",
		}),
	}
	m.Registry.MustRegister(m.Cycles, m.Duration, m.APICalls, m.Cases, m.MailQueue, m.LastSuccess, m.Cells, m.CellLimit,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves /metrics.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// Observe records a job's outcome; a successful sync or reconcile moves
// the last-success time.
func (m *Metrics) Observe(job, outcome string, took time.Duration, end time.Time) {
	m.Cycles.WithLabelValues(job, outcome).Inc()
	if outcome == Skipped {
		return
	}
	m.Duration.WithLabelValues(job).Observe(took.Seconds())
	if outcome == OK && (job == "sync" || job == "reconcile") {
		m.mu.Lock()
		m.lastOK = end
		m.mu.Unlock()
		m.LastSuccess.Set(float64(end.Unix()))
	}
}

// LastOK is the end of the last successful cycle (zero if none yet).
func (m *Metrics) LastOK() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.lastOK
}

// SetCounts replaces a gauge vector's values (states that disappeared drop to 0).
func SetCounts(g *prometheus.GaugeVec, counts map[string]int) {
	g.Reset()
	for k, n := range counts {
		if k == "" {
			k = "(vacío)"
		}
		g.WithLabelValues(k).Set(float64(n))
	}
}

// ServerClock returns the Date header of the last API reply and the local
// time it arrived at, for `mesa doctor`'s clock check.
func (m *Metrics) ServerClock() (server, local time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.lastDate, m.lastLocal
}

// Transport wraps base so every request is counted by service and status.
func (m *Metrics) Transport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &transport{base: base, m: m}
}

type transport struct {
	base http.RoundTripper
	m    *Metrics
}

func (t *transport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(r)
	status := "error"
	if err == nil {
		status = strconv.Itoa(resp.StatusCode)
		if d, perr := http.ParseTime(resp.Header.Get("Date")); perr == nil {
			t.m.mu.Lock()
			t.m.lastDate, t.m.lastLocal = d, time.Now()
			t.m.mu.Unlock()
		}
	}
	t.m.APICalls.WithLabelValues(Service(r), status).Inc()
	return resp, err
}

// Service names the Google API a request goes to, from the host for the
// real APIs (sheets.googleapis.com) or from the path for the local fake
// (/v4/spreadsheets, /v1/forms, /gmail/v1, /drive/v3, /upload/drive/v3).
func Service(r *http.Request) string {
	host := r.URL.Hostname()
	if name, ok := strings.CutSuffix(host, ".googleapis.com"); ok {
		switch name {
		case "sheets", "forms", "gmail", "oauth2":
			return name
		case "www":
			if strings.HasPrefix(r.URL.Path, "/drive/") || strings.HasPrefix(r.URL.Path, "/upload/drive/") {
				return "drive"
			}
			if strings.HasPrefix(r.URL.Path, "/oauth2/") {
				return "oauth2"
			}
		case "drive":
			return "drive"
		}
	}
	p := r.URL.Path
	switch {
	case strings.HasPrefix(p, "/v4/spreadsheets"):
		return "sheets"
	case strings.HasPrefix(p, "/v1/forms"):
		return "forms"
	case strings.HasPrefix(p, "/gmail/") || strings.HasPrefix(p, "/upload/gmail/"):
		return "gmail"
	case strings.HasPrefix(p, "/drive/") || strings.HasPrefix(p, "/upload/drive/"):
		return "drive"
	case strings.Contains(host, "oauth2") || strings.HasSuffix(p, "/token"):
		return "oauth2"
	}
	return "other"
}
