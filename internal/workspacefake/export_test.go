package workspacefake

// Test hooks. They live in a _test.go file so they are not part of the API.

// Crash stops the server as kill -9 would leave it: no snapshot, the log as
// written so far, and the directory lock released (the kernel would do that
// for a dead process).
func (s *Server) Crash() {
	_ = s.http.Close()
	s.tr.CloseIdleConnections()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	s.releaseFiles()
}

// A1 exposes the A1 parser to the table test.
type A1 = a1

const Open_ = open

func ParseA1(s string) (A1, error) { return parseA1(s) }

func FormatA1(title string, r0, c0, r1, c1 int) string { return formatA1(title, r0, c0, r1, c1) }
