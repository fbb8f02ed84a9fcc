package workspacefake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Server is the fake. Create it with Open and release it with Close.
type Server struct {
	dir  string
	lock *os.File
	ln   net.Listener
	http *http.Server
	tr   *http.Transport
	url  string

	// mu serializes every request and seeding call that touches the state.
	mu        sync.Mutex
	st        *state
	wal       *wal
	uploads   map[string]*upload // resumable upload sessions; lost on restart like expired ones
	sendLimit int
	closed    bool

	clock func() time.Time

	inflight atomic.Int64 // requests being served, so Close can let them finish

	callsMu sync.Mutex
	calls   map[string]int
	fault   FaultFunc
}

// Open loads the state persisted in dir (creating dir if needed) and starts
// serving on 127.0.0.1 on a free port. It takes an exclusive lock on
// dir/LOCK, waiting for it if another Server (in this or another process)
// holds it, so two servers never share a state.
func Open(dir string) (*Server, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("workspacefake: %w", err)
	}
	lock, err := lockDir(dir)
	if err != nil {
		return nil, fmt.Errorf("workspacefake: lock %s: %w", dir, err)
	}
	s := &Server{
		dir:       dir,
		lock:      lock,
		uploads:   map[string]*upload{},
		sendLimit: defaultDailySendLimit,
		clock:     func() time.Time { return time.Now().UTC().Truncate(time.Millisecond) },
		calls:     map[string]int{},
	}
	if err := s.load(); err != nil {
		s.releaseFiles()
		return nil, fmt.Errorf("workspacefake: load %s: %w", dir, err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		s.releaseFiles()
		return nil, fmt.Errorf("workspacefake: %w", err)
	}
	s.ln = ln
	s.url = "http://" + ln.Addr().String()
	s.http = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	s.tr = &http.Transport{
		Proxy:               nil, // never send the fake's traffic through a proxy
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConnsPerHost: 64,
		IdleConnTimeout:     30 * time.Second,
	}
	go func() { _ = s.http.Serve(ln) }()
	return s, nil
}

// URL returns the base URL, e.g. http://127.0.0.1:43121 (no trailing slash).
func (s *Server) URL() string { return s.url }

// HTTPClient returns a client for the fake: no proxy, no authentication.
func (s *Server) HTTPClient() *http.Client { return &http.Client{Transport: s.tr} }

// Dir returns the data directory.
func (s *Server) Dir() string { return s.dir }

// Close stops serving, writes a snapshot, empties the log and releases the
// directory lock.
func (s *Server) Close() error {
	// Let requests in flight finish (bounded: a Delay fault may be long),
	// then drop every connection. http.Server.Shutdown would instead wait
	// up to 5 s for connections a client opened but never used.
	s.tr.CloseIdleConnections()
	for deadline := time.Now().Add(5 * time.Second); s.inflight.Load() > 0 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	var err error
	if cerr := s.http.Close(); cerr != nil && !errors.Is(cerr, net.ErrClosed) {
		err = cerr
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	if cerr := s.compact(); cerr != nil && err == nil {
		err = fmt.Errorf("workspacefake: snapshot: %w", cerr)
	}
	s.releaseFiles()
	return err
}

func (s *Server) releaseFiles() {
	if s.wal != nil {
		_ = s.wal.f.Close()
	}
	if s.lock != nil {
		_ = unlockDir(s.lock)
		s.lock = nil
	}
}

// ServeHTTP routes a request, counts it, applies any injected fault and runs
// the handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.inflight.Add(1)
	defer s.inflight.Add(-1)
	rt, c, ok := s.route(r)
	if !ok {
		s.countCall("unknown")
		writeError(w, errNotFound("workspacefake: no API method for %s %s", r.Method, r.URL.EscapedPath()))
		return
	}
	s.countCall(rt.name)
	if f := s.faultFor(r, rt.name); f != nil {
		s.serveFault(w, r, f, func(w http.ResponseWriter) { s.serve(w, rt, c) })
		return
	}
	s.serve(w, rt, c)
}

// maxBody bounds a request body; Google's own limits are far lower except
// for uploads.
const maxBody = 1 << 30

// maxSheetsPayload is the request size Google's API frontend accepts for a
// Sheets call: a bigger one is refused whole with 400 INVALID_ARGUMENT
// (FIDELITY.md, "Sheets: cell content and per-request limits").
const maxSheetsPayload = 10 << 20

func checkPayload(route string, body []byte) error {
	if strings.HasPrefix(route, "sheets.") && len(body) > maxSheetsPayload {
		return errBadRequest("Request payload size exceeds the limit: %d bytes.", maxSheetsPayload)
	}
	return nil
}

func (s *Server) serve(w http.ResponseWriter, rt *route, c *call) {
	// The body is read before taking the lock so a slow client does not
	// stall everybody else.
	body, err := io.ReadAll(io.LimitReader(c.r.Body, maxBody+1))
	if err != nil {
		writeError(w, errBadRequest("read request body: %v", err))
		return
	}
	if len(body) > maxBody {
		writeError(w, &apiError{Code: http.StatusRequestEntityTooLarge, Message: "Request payload size exceeds the limit."})
		return
	}
	if err := checkPayload(rt.name, body); err != nil {
		writeError(w, err)
		return
	}
	c.body = body
	s.mu.Lock()
	var rp *reply
	if s.closed {
		rp = errorReply(&apiError{Code: http.StatusServiceUnavailable, Message: "workspacefake: server is closed"})
	} else {
		res, err := rt.handle(s, c)
		rp = encodeResult(c, res, err)
	}
	s.mu.Unlock()
	rp.write(w)
}

// call is one routed request: its path parameters (unescaped) and query.
type call struct {
	r      *http.Request
	params []string
	body   []byte
}

func (c *call) param(i int) string { return c.params[i] }

// driveDir is where Drive file bytes are kept, one folder per file id.
func (s *Server) driveDir(id string) string { return filepath.Join(s.dir, "drive", id) }

// decodeBody decodes the JSON request body into v; an empty body leaves v
// as it is.
func decodeBody(c *call, v any) error {
	if len(bytes.TrimSpace(c.body)) == 0 {
		return nil
	}
	if err := json.Unmarshal(c.body, v); err != nil {
		return errBadRequest("Invalid JSON payload received. %v", err)
	}
	return nil
}

// boolParam parses a boolean query parameter the way Google's frontends do.
func boolParam(v, name string) (bool, error) {
	switch v {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	}
	return false, &apiError{Code: 400, Message: fmt.Sprintf("Invalid value at '%s' (TYPE_BOOL), %q", name, v), Location: name}
}

// Quiesce waits (up to 10 s) until no request is being served, so what a
// cancelled client left in flight has landed or failed. Tests use it to
// model real time passing between cycles: a request outlives its client by
// seconds, never by the minutes after which mesa looks a lost send up.
func (s *Server) Quiesce() {
	for deadline := time.Now().Add(10 * time.Second); s.inflight.Load() > 0 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
}
