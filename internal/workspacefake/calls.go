package workspacefake

import "maps"

// Calls returns how many requests each method received since Open or the
// last ResetCalls, keyed like "sheets.values.batchGet",
// "gmail.messages.send", "drive.files.get". Requests that match no method
// count as "unknown". Faulted requests count too: they reached the server.
func (s *Server) Calls() map[string]int {
	s.callsMu.Lock()
	defer s.callsMu.Unlock()
	return maps.Clone(s.calls)
}

// ResetCalls sets every count back to zero.
func (s *Server) ResetCalls() {
	s.callsMu.Lock()
	defer s.callsMu.Unlock()
	clear(s.calls)
}

func (s *Server) countCall(method string) {
	s.callsMu.Lock()
	defer s.callsMu.Unlock()
	s.calls[method]++
}
