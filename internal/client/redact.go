package client

import (
	"context"
	"errors"
	"net/url"
	"regexp"
	"strings"
)

const redacted = "REDACTED"

// sensitiveKeys are query keys whose values are secrets. The PBX sends the
// token in the query string, so every URL the client builds holds one.
var sensitiveKeys = map[string]bool{
	"access_token":  true,
	"refresh_token": true,
	"token":         true,
	"password":      true,
	"client_secret": true,
	"secret":        true,
}

var (
	// The key of a key=value pair, in a URL or in text quoting one. Only
	// the key is matched: a value swallowing "?access_token=..." after it
	// (a path segment "a=b/", say) must not hide it.
	queryKeyRE = regexp.MustCompile(`[A-Za-z0-9_.%-]+=`)
	// user:password@ in an authority.
	userinfoRE = regexp.MustCompile(`(://[^/@\s:"'<>]*:)[^/@\s"'<>]*@`)
)

// valueEnd ends a query value.
const valueEnd = "&;#\t\n\v\f\r \"'<>"

// RedactURL replaces the values of access_token, refresh_token and other
// secret query parameters, and any userinfo password, with "REDACTED". It
// also works on text that quotes URLs, such as a *url.Error message. Keys
// match whatever their case or percent-encoding.
func RedactURL(s string) string {
	s = userinfoRE.ReplaceAllString(s, "${1}"+redacted+"@")
	var b strings.Builder
	done := 0 // s[:done] is written
	for _, m := range queryKeyRE.FindAllStringIndex(s, -1) {
		keyStart, valueStart := m[0], m[1]
		if keyStart < done {
			continue // inside a value already redacted
		}
		key := s[keyStart : valueStart-1]
		if k, err := url.QueryUnescape(key); err == nil {
			key = k
		}
		if !sensitiveKeys[strings.ToLower(key)] {
			continue
		}
		end := strings.IndexAny(s[valueStart:], valueEnd)
		if end < 0 {
			end = len(s) - valueStart
		}
		b.WriteString(s[done:valueStart])
		b.WriteString(redacted)
		done = valueStart + end
	}
	b.WriteString(s[done:])
	return b.String()
}

// scrubbed is an error whose text had secrets removed. It unwraps only to
// context errors, so no caller can reach the unredacted original.
type scrubbed struct {
	msg string
	ctx error
}

func (e *scrubbed) Error() string { return e.msg }
func (e *scrubbed) Unwrap() error { return e.ctx }

// redactError returns err with every URL redacted and every known secret
// replaced. *url.Error (which net/http fills with the full request URL) is
// rewritten in place on a copy so that errors.As still finds it.
func redactError(err error, secrets []string) error {
	if err == nil {
		return nil
	}
	var ue *url.Error
	if errors.As(err, &ue) && err == error(ue) {
		cp := *ue
		cp.URL = scrubString(RedactURL(cp.URL), secrets)
		if cp.Err != nil {
			cp.Err = redactError(cp.Err, secrets)
		}
		return &cp
	}
	msg := err.Error()
	clean := scrubString(RedactURL(msg), secrets)
	if clean == msg {
		return err
	}
	s := &scrubbed{msg: clean}
	switch {
	case errors.Is(err, context.Canceled):
		s.ctx = context.Canceled
	case errors.Is(err, context.DeadlineExceeded):
		s.ctx = context.DeadlineExceeded
	}
	return s
}

// scrubString replaces each known secret in s. Secrets shorter than 8
// characters are skipped: replacing them would mangle ordinary text and
// they are not tokens.
func scrubString(s string, secrets []string) string {
	for _, sec := range secrets {
		if len(sec) >= 8 {
			s = strings.ReplaceAll(s, sec, redacted)
		}
	}
	return s
}
