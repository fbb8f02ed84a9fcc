package workspacefake_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"google.golang.org/api/googleapi"

	"github.com/funza-tic/mesa/internal/workspacefake"
)

// The RateLimit kind of a fault schedule answers as each API does: Drive and
// Gmail 403 with domain usageLimits and reason userRateLimitExceeded or
// rateLimitExceeded (Drive and Gmail "Resolve errors" guides;
// tidyverse/googledrive#380 and mxngls/gmail-cleaner#5 show real bodies),
// Sheets 429 RESOURCE_EXHAUSTED.
func TestScheduleRateLimitAnswersLikeEachAPI(t *testing.T) {
	s, sv := open(t)
	s.SetFault(workspacefake.Schedule(3, workspacefake.Rates{RateLimit: 1}))
	reasons := map[string]bool{}
	for range 20 {
		_, err := sv.drive.Files.List().Do()
		var ge *googleapi.Error
		if !errors.As(err, &ge) || ge.Code != 403 || len(ge.Errors) != 1 {
			t.Fatalf("drive: %v", err)
		}
		reasons[ge.Errors[0].Reason] = true
		if ge.Errors[0].Reason == "userRateLimitExceeded" && !strings.HasPrefix(ge.Message, "User Rate Limit Exceeded.") {
			t.Errorf("drive message %q", ge.Message)
		}
	}
	if !reasons["userRateLimitExceeded"] || !reasons["rateLimitExceeded"] || len(reasons) != 2 {
		t.Errorf("drive reasons %v", reasons)
	}
	_, err := sv.gmail.Users.Messages.Send("me", rawMessage(sampleMail)).Do()
	var ge *googleapi.Error
	if !errors.As(err, &ge) || ge.Code != 403 || !strings.Contains(ge.Errors[0].Reason, "ateLimitExceeded") {
		t.Errorf("gmail: %v", err)
	}
	if len(s.SentMail()) != 0 {
		t.Error("a refused send was sent")
	}
	_, err = sv.sheets.Spreadsheets.Get("x").Do()
	if apiCode(err) != 429 {
		t.Errorf("sheets: %v, want 429", err)
	}
}

// Gmail's daily sending limit counts a rolling 24 hours per user, not a
// calendar day: "Limits per day are applied over a rolling 24-hour period,
// not a set time of day" (support.google.com/a/answer/166852). Mail sent
// late in the evening still counts after midnight; each message frees its
// slot 24 hours after it was sent. "me" and the mailbox's address are one
// user.
func TestGmailDailyLimitRollingWindow(t *testing.T) {
	s, sv := open(t)
	s.SetDailySendLimit(3)
	now := time.Date(2026, 3, 17, 23, 0, 0, 0, time.UTC)
	s.SetNow(func() time.Time { return now })
	send := func(user string) error {
		_, err := sv.gmail.Users.Messages.Send(user, rawMessage("To: a@x.co\r\n\r\nhola\r\n")).Do()
		return err
	}
	for i := range 3 {
		now = time.Date(2026, 3, 17, 23, 10*i, 0, 0, time.UTC)
		if err := send("me"); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	steps := []struct {
		at     time.Time
		user   string
		status int
	}{
		{time.Date(2026, 3, 18, 0, 30, 0, 0, time.UTC), "me", 429},                         // a new calendar day, same 24 hours
		{time.Date(2026, 3, 18, 0, 30, 0, 0, time.UTC), "mesa@workspacefake.invalid", 429}, // the same mailbox by address
		{time.Date(2026, 3, 18, 0, 30, 0, 0, time.UTC), "otro@funza.gov.co", 0},            // another user
		{time.Date(2026, 3, 18, 23, 0, 0, 0, time.UTC), "me", 429},                         // exactly 24 hours: still counted
		{time.Date(2026, 3, 18, 23, 0, 1, 0, time.UTC), "me", 0},                           // the 23:00 message left the window
		{time.Date(2026, 3, 18, 23, 5, 0, 0, time.UTC), "me", 429},                         // ... and its slot is taken again
	}
	for _, st := range steps {
		now = st.at
		err := send(st.user)
		if apiCode(err) != st.status {
			t.Fatalf("%s as %s: %v, want status %d", st.at.Format(time.RFC3339), st.user, err, st.status)
		}
		if st.status == 429 && !strings.Contains(err.Error(), "Daily user sending limit exceeded") {
			t.Errorf("message: %v", err)
		}
	}
}
