//go:build !unix

package workspacefake

import "context"

// WaitFree: elsewhere Open's own lock waits (see lock_other.go).
func WaitFree(context.Context, string, func()) error { return nil }
