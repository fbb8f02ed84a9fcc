package workspacefake

import (
	"fmt"
	"strings"
	"time"
)

// parseDriveQuery compiles the subset of Drive's search language that mesa
// uses: terms joined by "and", each one of
//
//	name = 'x'   name != 'x'   name contains 'x'
//	mimeType = 'x'   mimeType != 'x'
//	'<id>' in parents
//	trashed = true|false
//	modifiedTime > '2026-03-16T13:00:00Z' (also <, <=, >=, =; createdTime too)
//
// Anything else (or, not, parentheses, other fields) is rejected the way
// Google rejects a malformed query, so an adapter cannot depend on a query
// the fake would silently get wrong.
func parseDriveQuery(q string, modified func(*driveFile) time.Time) (func(*driveFile) bool, error) {
	toks, err := tokenizeQuery(q)
	if err != nil {
		return nil, err
	}
	var terms []func(*driveFile) bool
	for len(toks) > 0 {
		if len(toks) < 3 {
			return nil, fmt.Errorf("incomplete term")
		}
		t, err := compileTerm(toks[0], toks[1], toks[2], modified)
		if err != nil {
			return nil, err
		}
		terms = append(terms, t)
		toks = toks[3:]
		if len(toks) > 0 {
			if !strings.EqualFold(toks[0].text, "and") || toks[0].quoted {
				return nil, fmt.Errorf("only 'and' joins terms")
			}
			toks = toks[1:]
			if len(toks) == 0 {
				return nil, fmt.Errorf("dangling and")
			}
		}
	}
	return func(f *driveFile) bool {
		for _, t := range terms {
			if !t(f) {
				return false
			}
		}
		return true
	}, nil
}

type queryToken struct {
	text   string
	quoted bool
}

func tokenizeQuery(q string) ([]queryToken, error) {
	var toks []queryToken
	for i := 0; i < len(q); {
		switch ch := q[i]; {
		case ch == ' ' || ch == '\t' || ch == '\n':
			i++
		case ch == '\'' || ch == '"':
			var b strings.Builder
			j := i + 1
			for ; j < len(q) && q[j] != ch; j++ {
				if q[j] == '\\' && j+1 < len(q) {
					j++
				}
				b.WriteByte(q[j])
			}
			if j >= len(q) {
				return nil, fmt.Errorf("unterminated string")
			}
			toks = append(toks, queryToken{text: b.String(), quoted: true})
			i = j + 1
		case strings.ContainsRune("=!<>", rune(ch)):
			j := i + 1
			if j < len(q) && q[j] == '=' {
				j++
			}
			toks = append(toks, queryToken{text: q[i:j]})
			i = j
		case ch == '(' || ch == ')':
			return nil, fmt.Errorf("parentheses are not supported")
		default:
			j := i
			for j < len(q) && !strings.ContainsRune(" \t\n'\"=!<>()", rune(q[j])) {
				j++
			}
			toks = append(toks, queryToken{text: q[i:j]})
			i = j
		}
	}
	return toks, nil
}

func compileTerm(a, op, b queryToken, modified func(*driveFile) time.Time) (func(*driveFile) bool, error) {
	if a.quoted && !op.quoted && op.text == "in" && !b.quoted && b.text == "parents" {
		id := a.text
		if id == "root" {
			id = rootFolderID
		}
		return func(f *driveFile) bool {
			for _, p := range f.Parents {
				if p == id {
					return true
				}
			}
			return false
		}, nil
	}
	if a.quoted || op.quoted {
		return nil, fmt.Errorf("bad term")
	}
	switch a.text {
	case "name", "mimeType":
		if !b.quoted {
			return nil, fmt.Errorf("%s needs a quoted value", a.text)
		}
		get := func(f *driveFile) string { return f.Name }
		if a.text == "mimeType" {
			get = func(f *driveFile) string { return f.MimeType }
		}
		switch op.text {
		case "=":
			return func(f *driveFile) bool { return get(f) == b.text }, nil
		case "!=":
			return func(f *driveFile) bool { return get(f) != b.text }, nil
		case "contains":
			if a.text == "name" {
				// Drive matches name prefixes of words; a substring match is close enough.
				return func(f *driveFile) bool { return strings.Contains(strings.ToLower(f.Name), strings.ToLower(b.text)) }, nil
			}
		}
	case "trashed":
		if b.quoted || (b.text != "true" && b.text != "false") {
			return nil, fmt.Errorf("trashed needs true or false")
		}
		want := b.text == "true"
		switch op.text {
		case "=":
			return func(f *driveFile) bool { return f.Trashed == want }, nil
		case "!=":
			return func(f *driveFile) bool { return f.Trashed != want }, nil
		}
	case "modifiedTime", "createdTime":
		if !b.quoted {
			return nil, fmt.Errorf("%s needs a quoted RFC 3339 value", a.text)
		}
		t, err := time.Parse(time.RFC3339Nano, b.text)
		if err != nil {
			return nil, err
		}
		get := func(f *driveFile) time.Time { return f.Created }
		if a.text == "modifiedTime" {
			get = modified
		}
		cmps := map[string]func(int) bool{
			"=": func(c int) bool { return c == 0 }, "!=": func(c int) bool { return c != 0 },
			"<": func(c int) bool { return c < 0 }, "<=": func(c int) bool { return c <= 0 },
			">": func(c int) bool { return c > 0 }, ">=": func(c int) bool { return c >= 0 },
		}
		if test, ok := cmps[op.text]; ok {
			return func(f *driveFile) bool { return test(get(f).Compare(t)) }, nil
		}
	}
	return nil, fmt.Errorf("unsupported term %s %s", a.text, op.text)
}
