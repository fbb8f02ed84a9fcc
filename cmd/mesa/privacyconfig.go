package main

import (
	"context"
	"fmt"

	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/privacy"
)

// trashSent moves the sent copies to the trash when privacy.trash_sent
// allows it, and returns how many it moved.
func (a *app) trashSent(ctx context.Context, ws *backend.Workspace, sent []privacy.Sent) (int, error) {
	if !a.cfg.Privacy.TrashSent {
		return 0, nil
	}
	n := 0
	for _, m := range sent {
		if m.GmailID == "" {
			continue
		}
		if err := ws.Gmail.Trash(ctx, m.GmailID); err != nil {
			return n, fmt.Errorf("trash the sent copy %s: %w", m.MessageID, err)
		}
		n++
	}
	return n, nil
}
