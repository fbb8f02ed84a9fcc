package workspacefake

import "time"

// SetNow makes the server's clock read f (tests of time windows: Gmail's
// rolling 24 hours).
func (s *Server) SetNow(f func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clock = f
}
