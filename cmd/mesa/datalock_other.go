//go:build !unix

package main

import (
	"context"
	"io"
)

// waitDataDir: elsewhere the fake's own lock waits (see lock_other.go).
func waitDataDir(context.Context, string, io.Writer) error { return nil }
