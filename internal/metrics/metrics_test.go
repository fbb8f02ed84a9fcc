package metrics

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

func TestService(t *testing.T) {
	cases := map[string]string{
		"https://sheets.googleapis.com/v4/spreadsheets/x/values:batchGet": "sheets",
		"https://forms.googleapis.com/v1/forms/x/responses":               "forms",
		"https://gmail.googleapis.com/gmail/v1/users/me/messages/send":    "gmail",
		"https://www.googleapis.com/drive/v3/files/x":                     "drive",
		"https://www.googleapis.com/upload/drive/v3/files":                "drive",
		"https://oauth2.googleapis.com/token":                             "oauth2",
		"http://127.0.0.1:4000/v4/spreadsheets/x":                         "sheets",
		"http://127.0.0.1:4000/v1/forms/x":                                "forms",
		"http://127.0.0.1:4000/gmail/v1/users/me/profile":                 "gmail",
		"http://127.0.0.1:4000/drive/v3/files/x":                          "drive",
	}
	for url, want := range cases {
		r := httptest.NewRequest("GET", url, nil)
		if got := Service(r); got != want {
			t.Errorf("%s: %s, want %s", url, got, want)
		}
	}
}

func TestTransportCountsByServiceAndStatus(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "quota") {
			w.WriteHeader(429)
		}
	}))
	defer srv.Close()
	m := New()
	c := &http.Client{Transport: m.Transport(nil)}
	for _, p := range []string{"/v4/spreadsheets/a", "/v4/spreadsheets/a", "/v1/forms/quota"} {
		resp, err := c.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if n := value(m.APICalls.WithLabelValues("sheets", "200")); n != 2 {
		t.Errorf("sheets 200 = %v", n)
	}
	if n := value(m.APICalls.WithLabelValues("forms", "429")); n != 1 {
		t.Errorf("forms 429 = %v", n)
	}
	if server, _ := m.ServerClock(); time.Since(server) > time.Minute {
		t.Errorf("server clock not recorded: %v", server)
	}
	m.Observe("sync", OK, time.Second, time.Unix(1773673200, 0))
	m.Observe("sync", Skipped, 0, time.Unix(1773673500, 0))
	if got := value(m.LastSuccess); got != 1773673200 {
		t.Errorf("last success %v", got)
	}
}

func value(m prometheus.Metric) float64 {
	var d dto.Metric
	if err := m.Write(&d); err != nil {
		panic(err)
	}
	if d.Counter != nil {
		return d.Counter.GetValue()
	}
	return d.Gauge.GetValue()
}
