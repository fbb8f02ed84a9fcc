package workspacefake_test

import (
	"errors"
	"strings"
	"testing"

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
