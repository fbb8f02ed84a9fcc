package workspacefake

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"google.golang.org/api/gmail/v1"
)

const (
	opGmailSend = "gmail.send"

	defaultDailySendLimit = 2000
)

// SentMessage is a message accepted by users.messages.send.
type SentMessage struct {
	ID       string
	ThreadID string
	Raw      []byte // the RFC 5322 message as stored (with a Message-ID added if it had none)
	Time     time.Time
}

type sentMail struct {
	ID        string    `json:"id"`
	ThreadID  string    `json:"threadId"`
	User      string    `json:"user"`
	Time      time.Time `json:"time"`
	Raw       []byte    `json:"raw"`
	MessageID string    `json:"messageId"`         // without angle brackets
	Inbox     bool      `json:"inbox,omitempty"`   // received (Deliver), not sent; Time is when it arrived
	Trashed   bool      `json:"trashed,omitempty"` // moved to the trash (messages.trash)
}

// SentMail returns the messages sent so far, oldest first.
func (s *Server) SentMail() []SentMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]SentMessage, 0, len(s.st.Mail))
	for _, m := range s.st.Mail {
		if m.Inbox {
			continue
		}
		out = append(out, SentMessage{ID: m.ID, ThreadID: m.ThreadID, Raw: bytes.Clone(m.Raw), Time: m.Time})
	}
	return out
}

// SetDailySendLimit sets how many messages a user may send in any 24 hours
// before messages.send answers 429 (default 2000, Google's Workspace
// limit). Users are told apart by mailbox: "me" is the fake's own address.
func (s *Server) SetDailySendLimit(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sendLimit = n
}

// ---- users.messages.send ----

type sendArgs struct {
	User     string `json:"user"`
	Raw      []byte `json:"raw"`
	ThreadID string `json:"threadId,omitempty"`
	// Deliver puts the message in the inbox, received at Received, instead
	// of sending it. It rides on the gmail.send operation so that the log
	// replays it through the same apply function (store.go's replay).
	Deliver  bool      `json:"deliver,omitempty"`
	Received time.Time `json:"received,omitzero"`
}

func (s *Server) gmailSend(c *call) (any, error) {
	a := &sendArgs{User: c.param(0)}
	if strings.HasPrefix(c.r.URL.Path, "/upload/") {
		meta, media, _, err := parseUpload(c)
		if err != nil {
			return nil, err
		}
		var m gmail.Message
		if err := decodeJSON(meta, &m); err != nil {
			return nil, err
		}
		a.Raw, a.ThreadID = media, m.ThreadId
	} else {
		var m gmail.Message
		if err := decodeBody(c, &m); err != nil {
			return nil, err
		}
		raw, err := decodeBase64URL(m.Raw)
		if err != nil {
			return nil, &apiError{Code: 400, Message: "Invalid value for ByteString: " + truncate(m.Raw, 40), Reason: "invalidArgument"}
		}
		a.Raw, a.ThreadID = raw, m.ThreadId
	}
	if len(a.Raw) == 0 {
		return nil, &apiError{Code: 400, Message: "'raw' RFC822 payload message string or uploading message via /upload/* URL required", Reason: "invalidArgument"}
	}
	m, err := mutate(s, opGmailSend, a, s.applyGmailSend)
	if err != nil {
		return nil, err
	}
	return &gmail.Message{Id: m.ID, ThreadId: m.ThreadID, LabelIds: []string{"SENT"}}, nil
}

func (s *Server) applyGmailSend(now time.Time, a *sendArgs) (*sentMail, error) {
	if a.Deliver {
		return s.applyDeliver(now, a)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(a.Raw))
	if err != nil {
		return nil, &apiError{Code: 400, Message: "Invalid RFC822 message: " + err.Error(), Reason: "invalidArgument"}
	}
	recipients := 0
	for _, h := range []string{"To", "Cc", "Bcc"} {
		if v := msg.Header.Get(h); v != "" {
			list, err := mail.ParseAddressList(v)
			if err != nil {
				return nil, &apiError{Code: 400, Message: "Invalid " + h + " header", Reason: "invalidArgument"}
			}
			recipients += len(list)
		}
	}
	if recipients == 0 {
		return nil, &apiError{Code: 400, Message: "Recipient address required", Reason: "invalidArgument"}
	}
	if err := s.checkSendLimit(now, a.User); err != nil {
		return nil, err
	}
	m := &sentMail{User: a.User, Time: now, Raw: a.Raw}
	m.ID = s.st.newHexID("message", 16)
	m.MessageID = strings.Trim(strings.TrimSpace(msg.Header.Get("Message-Id")), "<>")
	if m.MessageID == "" {
		// Gmail gives every message a Message-ID; so does the fake.
		m.MessageID = m.ID + ".workspacefake@mail.gmail.com"
		m.Raw = append([]byte("Message-ID: <"+m.MessageID+">\r\n"), a.Raw...)
	}
	m.ThreadID = s.threadFor(a.ThreadID, msg.Header)
	if m.ThreadID == "" {
		m.ThreadID = m.ID
	}
	if err := s.writeEML(s.sentCount()+1, m); err != nil {
		return nil, err
	}
	s.st.Mail = append(s.st.Mail, m)
	return m, nil
}

// checkSendLimit answers like Gmail once a user has sent sendLimit messages
// in the 24 hours up to now: "Limits per day are applied over a rolling
// 24-hour period, not a set time of day" (Gmail sending limits in Google
// Workspace, support.google.com/a/answer/166852). A message sent exactly 24
// hours ago still counts: where the edge is unknown, the fake is strict.
func (s *Server) checkSendLimit(now time.Time, user string) error {
	from, who := now.Add(-24*time.Hour), mailbox(user)
	n := 0
	for i := len(s.st.Mail) - 1; i >= 0; i-- {
		m := s.st.Mail[i]
		if m.Inbox {
			continue // received mail: not in time order, and not sent
		}
		if m.Time.Before(from) {
			break // messages are in time order
		}
		if mailbox(m.User) == who {
			n++
		}
	}
	if n >= s.sendLimit {
		return &apiError{Code: 429, Reason: "rateLimitExceeded",
			Message: "Daily user sending limit exceeded. For more information on Google Workspace sending limits, visit https://support.google.com/a/answer/166852"}
	}
	return nil
}

// mailbox is the user a userId path value names: "me" is the fake's own
// address, as Google resolves it to the authenticated user.
func mailbox(user string) string { return strings.ToLower(profileAddress(user)) }

// sentCount is how many messages were sent (not delivered).
func (s *Server) sentCount() int {
	n := 0
	for _, m := range s.st.Mail {
		if !m.Inbox {
			n++
		}
	}
	return n
}

// Deliver puts raw (an RFC 5322 message) in the inbox of user "me", as if
// someone had e-mailed the mailbox and it arrived at received (the fake's
// clock when zero). It returns the Gmail message id. A reply to a sent
// message joins its thread. Delivered mail is persisted like the rest of
// the state but is not written as .eml and SentMail does not list it.
func (s *Server) Deliver(raw []byte, received time.Time) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := mutate(s, opGmailSend, &sendArgs{User: "me", Raw: raw, Deliver: true, Received: received.UTC()}, s.applyGmailSend)
	if err != nil {
		return "", err
	}
	return m.ID, nil
}

func (s *Server) applyDeliver(now time.Time, a *sendArgs) (*sentMail, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(a.Raw))
	if err != nil {
		return nil, &apiError{Code: 400, Message: "Invalid RFC822 message: " + err.Error(), Reason: "invalidArgument"}
	}
	at := a.Received
	if at.IsZero() {
		at = now
	}
	m := &sentMail{User: a.User, Time: at, Raw: a.Raw, Inbox: true}
	m.ID = s.st.newHexID("message", 16)
	m.MessageID = strings.Trim(strings.TrimSpace(msg.Header.Get("Message-Id")), "<>")
	if m.MessageID == "" {
		m.MessageID = m.ID + ".workspacefake@mail.gmail.com"
		m.Raw = append([]byte("Message-ID: <"+m.MessageID+">\r\n"), a.Raw...)
	}
	if m.ThreadID = s.threadFor("", msg.Header); m.ThreadID == "" {
		m.ThreadID = m.ID
	}
	s.st.Mail = append(s.st.Mail, m)
	return m, nil
}

// threadFor puts a reply in the thread of the message it answers, as Gmail
// does when threadId is given or the References match.
func (s *Server) threadFor(threadID string, h mail.Header) string {
	if threadID != "" {
		for _, m := range s.st.Mail {
			if m.ThreadID == threadID {
				return threadID
			}
		}
	}
	refs := strings.Fields(h.Get("In-Reply-To") + " " + h.Get("References"))
	for _, ref := range refs {
		ref = strings.Trim(ref, "<>")
		for _, m := range s.st.Mail {
			if m.MessageID == ref {
				return m.ThreadID
			}
		}
	}
	return ""
}

// writeEML leaves each sent message where a person can open it.
func (s *Server) writeEML(n int, m *sentMail) error {
	dir := filepath.Join(s.dir, "mail")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(dir, fmt.Sprintf("%05d-%s.eml", n, m.ID)), m.Raw)
}

// ---- users.messages.list / get, users.getProfile ----

func (s *Server) gmailList(c *call) (any, error) {
	user := c.param(0)
	q := c.r.URL.Query()
	msgID := ""
	var inbox, sent, notFromMe bool
	var after time.Time
	for _, term := range strings.Fields(q.Get("q")) {
		switch {
		case strings.HasPrefix(term, "rfc822msgid:"):
			msgID = strings.Trim(strings.TrimPrefix(term, "rfc822msgid:"), "<>")
		case term == "in:sent" || term == "label:sent" || term == "is:sent":
			sent = true
		case term == "in:inbox" || term == "label:inbox":
			inbox = true
		case term == "-from:me":
			notFromMe = true
		case strings.HasPrefix(term, "after:"):
			t, ok := searchDate(strings.TrimPrefix(term, "after:"))
			if !ok {
				return nil, &apiError{Code: 400, Message: "workspacefake: after: wants epoch seconds or YYYY/MM/DD, got " + strconv.Quote(term), Location: "q"}
			}
			after = t
		default:
			return nil, &apiError{Code: 400, Message: "workspacefake: unsupported search term " + strconv.Quote(term) + " (supported: rfc822msgid:, in:sent, in:inbox, -from:me, after:)", Location: "q"}
		}
	}
	self := strings.ToLower(profileAddress(user))
	size := 100
	if v := q.Get("maxResults"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, &apiError{Code: 400, Message: "Invalid maxResults " + v, Location: "maxResults"}
		}
		if n > 0 {
			size = min(n, 500)
		}
	}
	offset := 0
	if v := q.Get("pageToken"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, &apiError{Code: 400, Message: "Invalid pageToken", Location: "pageToken"}
		}
		offset = n
	}
	var matched []*sentMail
	for i := len(s.st.Mail) - 1; i >= 0; i-- { // newest first
		m := s.st.Mail[i]
		if m.Trashed && q.Get("includeSpamTrash") != "true" {
			continue // "includeSpamTrash: Include messages from SPAM and TRASH in the results."
		}
		if m.User != user || msgID != "" && m.MessageID != msgID || sent && m.Inbox || inbox && !m.Inbox ||
			!after.IsZero() && !m.Time.After(after) || notFromMe && (!m.Inbox || fromAddress(m.Raw) == self) {
			continue
		}
		matched = append(matched, m)
	}
	// Received mail arrives with times of its own: order by time, as Gmail does.
	sort.SliceStable(matched, func(i, j int) bool { return matched[i].Time.After(matched[j].Time) })
	res := &gmail.ListMessagesResponse{ResultSizeEstimate: int64(len(matched))}
	for i := offset; i < min(offset+size, len(matched)); i++ {
		res.Messages = append(res.Messages, &gmail.Message{Id: matched[i].ID, ThreadId: matched[i].ThreadID})
	}
	if offset+size < len(matched) {
		res.NextPageToken = strconv.Itoa(offset + size)
	}
	return res, nil
}

func (s *Server) gmailGet(c *call) (any, error) {
	user, id := c.param(0), c.param(1)
	var m *sentMail
	for _, x := range s.st.Mail {
		if x.ID == id && x.User == user {
			m = x
		}
	}
	if m == nil {
		return nil, errNotFound("Requested entity was not found.")
	}
	q := c.r.URL.Query()
	labels := []string{"SENT"}
	if m.Inbox {
		labels = []string{"INBOX", "UNREAD"}
	}
	if m.Trashed {
		labels = append(labels, "TRASH")
	}
	out := &gmail.Message{
		Id: m.ID, ThreadId: m.ThreadID, LabelIds: labels,
		InternalDate: m.Time.UnixMilli(), SizeEstimate: int64(len(m.Raw)), HistoryId: uint64(len(s.st.Mail)),
	}
	format := q.Get("format")
	switch format {
	case "raw":
		out.Raw = base64.URLEncoding.EncodeToString(m.Raw)
		return out, nil
	case "minimal":
		return out, nil
	case "", "full", "metadata":
	default:
		return nil, &apiError{Code: 400, Message: "Invalid format " + format, Location: "format"}
	}
	part, snippet, err := parsePart(m.Raw, "", format != "metadata")
	if err != nil {
		return nil, err
	}
	if format == "metadata" {
		if want := q["metadataHeaders"]; len(want) > 0 {
			var keep []*gmail.MessagePartHeader
			for _, h := range part.Headers {
				for _, w := range want {
					if strings.EqualFold(h.Name, w) {
						keep = append(keep, h)
					}
				}
			}
			part.Headers = keep
		}
		part = &gmail.MessagePart{Headers: part.Headers, MimeType: part.MimeType}
	}
	out.Payload, out.Snippet = part, snippet
	return out, nil
}

func (s *Server) gmailProfile(c *call) (any, error) {
	user := c.param(0)
	email := profileAddress(user)
	n := 0
	threads := map[string]bool{}
	for _, m := range s.st.Mail {
		if m.User == user {
			n++
			threads[m.ThreadID] = true
		}
	}
	return &gmail.Profile{EmailAddress: email, MessagesTotal: int64(n), ThreadsTotal: int64(len(threads)), HistoryId: uint64(len(s.st.Mail) + 1)}, nil
}

// profileAddress is the address of a mailbox: the userId when it is one,
// else the fake's own.
func profileAddress(user string) string {
	if !strings.Contains(user, "@") {
		return "mesa@workspacefake.invalid"
	}
	return user
}

// fromAddress is the lower-cased address of a message's From ("" when it
// has none that parses).
func fromAddress(raw []byte) string {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return ""
	}
	a, err := mail.ParseAddress(msg.Header.Get("From"))
	if err != nil {
		return ""
	}
	return strings.ToLower(a.Address)
}

// searchDate reads the value of after: as Gmail does: epoch seconds, or a
// date (YYYY/MM/DD or YYYY-MM-DD) meaning its midnight, Pacific time.
func searchDate(v string) (time.Time, bool) {
	if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 {
		return time.Unix(n, 0), true
	}
	pacific, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		pacific = time.FixedZone("PST", -8*3600)
	}
	for _, layout := range []string{"2006/01/02", "2006-01-02", "2006/1/2"} {
		if t, err := time.ParseInLocation(layout, v, pacific); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// parsePart renders a MIME entity as Gmail's MessagePart: headers in order,
// bodies decoded and base64url-encoded, multiparts as parts. It returns a
// snippet from the first text part.
func parsePart(raw []byte, partID string, bodies bool) (*gmail.MessagePart, string, error) {
	headers, body, err := splitHeaders(raw)
	if err != nil {
		return nil, "", &apiError{Code: 500, Message: "stored message does not parse: " + err.Error()}
	}
	p := &gmail.MessagePart{PartId: partID, MimeType: "text/plain", Body: &gmail.MessagePartBody{}}
	var dec mime.WordDecoder
	var ctype, cte string
	for _, h := range headers {
		v, err := dec.DecodeHeader(h[1])
		if err != nil {
			v = h[1]
		}
		p.Headers = append(p.Headers, &gmail.MessagePartHeader{Name: h[0], Value: v})
		switch strings.ToLower(h[0]) {
		case "content-type":
			ctype = h[1]
		case "content-transfer-encoding":
			cte = strings.ToLower(strings.TrimSpace(h[1]))
		}
	}
	mt, params, err := mime.ParseMediaType(ctype)
	if ctype != "" && err == nil {
		p.MimeType = mt
		p.Filename = params["name"]
	}
	if !bodies {
		return p, "", nil
	}
	snippet := ""
	if strings.HasPrefix(p.MimeType, "multipart/") {
		mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		for i := 0; ; i++ {
			part, err := mr.NextRawPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, "", &apiError{Code: 500, Message: "stored message does not parse: " + err.Error()}
			}
			var hb bytes.Buffer
			for k, vs := range part.Header {
				for _, v := range vs {
					fmt.Fprintf(&hb, "%s: %s\r\n", k, v)
				}
			}
			hb.WriteString("\r\n")
			data, _ := io.ReadAll(part)
			hb.Write(data)
			id := strconv.Itoa(i)
			if partID != "" {
				id = partID + "." + id
			}
			sub, subSnippet, err := parsePart(hb.Bytes(), id, true)
			if err != nil {
				return nil, "", err
			}
			if snippet == "" {
				snippet = subSnippet
			}
			p.Parts = append(p.Parts, sub)
		}
		return p, snippet, nil
	}
	var data []byte
	switch cte {
	case "base64":
		data, err = io.ReadAll(base64.NewDecoder(base64.StdEncoding, bytes.NewReader(bytes.Map(dropSpace, body))))
	case "quoted-printable":
		data, err = io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
	default:
		data = body
	}
	if err != nil {
		data = body
	}
	p.Body = &gmail.MessagePartBody{Size: int64(len(data)), Data: base64.URLEncoding.EncodeToString(data)}
	if p.MimeType == "text/plain" {
		snippet = strings.Join(strings.Fields(string(data)), " ")
		if len(snippet) > 200 {
			snippet = snippet[:200]
		}
		for !utf8.ValidString(snippet) {
			snippet = snippet[:len(snippet)-1] // a rune cut in half
		}
	}
	return p, snippet, nil
}

func dropSpace(r rune) rune {
	if r == '\r' || r == '\n' || r == ' ' || r == '\t' {
		return -1
	}
	return r
}

// splitHeaders returns the header fields in order (unfolded) and the body.
func splitHeaders(raw []byte) ([][2]string, []byte, error) {
	br := bufio.NewReader(bytes.NewReader(raw))
	var fields [][2]string
	for {
		line, err := br.ReadString('\n')
		trimmed := strings.TrimRight(line, "\r\n")
		if trimmed == "" {
			break
		}
		if (trimmed[0] == ' ' || trimmed[0] == '\t') && len(fields) > 0 {
			fields[len(fields)-1][1] += " " + strings.TrimSpace(trimmed)
		} else if k, v, ok := strings.Cut(trimmed, ":"); ok {
			fields = append(fields, [2]string{strings.TrimSpace(k), strings.TrimSpace(v)})
		} else {
			return nil, nil, fmt.Errorf("bad header line %q", trimmed)
		}
		if err != nil {
			break
		}
	}
	body, _ := io.ReadAll(br)
	return fields, body, nil
}

// decodeBase64URL accepts base64url with or without padding (Google does),
// and standard base64 as clients sometimes send it.
func decodeBase64URL(s string) ([]byte, error) {
	s = strings.TrimRight(strings.TrimSpace(s), "=")
	if b, err := base64.RawURLEncoding.DecodeString(s); err == nil {
		return b, nil
	}
	return base64.RawStdEncoding.DecodeString(s)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// ---- users.messages.trash ----

const opGmailTrash = "gmail.trash"

type trashArgs struct{ User, ID string }

// gmailTrash moves a message to the trash ("Moves the specified message to
// the trash", users.messages.trash); an unknown id is 404 as for get.
func (s *Server) gmailTrash(c *call) (any, error) {
	m, err := mutate(s, opGmailTrash, &trashArgs{User: c.param(0), ID: c.param(1)}, s.applyGmailTrash)
	if err != nil {
		return nil, err
	}
	labels := []string{"SENT", "TRASH"}
	if m.Inbox {
		labels = []string{"INBOX", "TRASH"}
	}
	return &gmail.Message{Id: m.ID, ThreadId: m.ThreadID, LabelIds: labels}, nil
}

func (s *Server) applyGmailTrash(_ time.Time, a *trashArgs) (*sentMail, error) {
	for _, m := range s.st.Mail {
		if m.ID == a.ID && m.User == a.User {
			m.Trashed = true
			return m, nil
		}
	}
	return nil, errNotFound("Requested entity was not found.")
}

// Trashed reports whether the message with this Gmail id is in the trash.
func (s *Server) Trashed(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range s.st.Mail {
		if m.ID == id {
			return m.Trashed
		}
	}
	return false
}
