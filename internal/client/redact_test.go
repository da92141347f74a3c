package client

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
)

func TestRedactURL(t *testing.T) {
	cases := []struct{ in, want string }{
		{"https://pbx:8088/openapi/v1.0/certificate/query?access_token=abc123&ids=4,5",
			"https://pbx:8088/openapi/v1.0/certificate/query?access_token=REDACTED&ids=4,5"},
		{"https://pbx/x?ids=4&access_token=abc123", "https://pbx/x?ids=4&access_token=REDACTED"},
		{"https://pbx/x?refresh_token=r1&Access_Token=a1", "https://pbx/x?refresh_token=REDACTED&Access_Token=REDACTED"},
		{"https://pbx/x?access%5Ftoken=abc123", "https://pbx/x?access%5Ftoken=REDACTED"},
		{"https://pbx/x?access_token=", "https://pbx/x?access_token=REDACTED"},
		{"https://pbx/x#access_token=abc", "https://pbx/x#access_token=REDACTED"},
		{"https://pbx/x?my_access_token=abc", "https://pbx/x?my_access_token=abc"},
		{"https://user:pa55@pbx/x", "https://user:REDACTED@pbx/x"},
		{`Get "https://pbx/q?access_token=abc&ids=4": EOF`, `Get "https://pbx/q?access_token=REDACTED&ids=4": EOF`},
		{"https://pbx/openapi/v1.0/get_token", "https://pbx/openapi/v1.0/get_token"},
		{"not a url at all", "not a url at all"},
	}
	for _, tc := range cases {
		if got := RedactURL(tc.in); got != tc.want {
			t.Errorf("RedactURL(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

// The token must never survive, whatever the shape of the URL around it.
func TestRedactURLProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	keys := []string{"access_token", "refresh_token", "ACCESS_TOKEN", "access%5Ftoken", "token", "password", "client_secret"}
	seps := []string{"?", "&", "#", "?x=1&", "?ids=4,5&", "?a=%20&", ";"}
	tails := []string{"", "&ids=4,5,6", "#frag", "&next=1", "\" : EOF", " ", "'", "&access_token=again"}
	const alphabet = "abcdefABCDEF0123456789-._~%+/=:@!$()*,"
	for i := range 5000 {
		n := 8 + rng.IntN(40)
		var tok strings.Builder
		for range n {
			tok.WriteByte(alphabet[rng.IntN(len(alphabet))])
		}
		secret := "S" + tok.String() // never empty, never a prefix of the key
		u := fmt.Sprintf("https://pbx.example:8088/openapi/v1.0/x%s%s=%s%s",
			seps[rng.IntN(len(seps))], keys[rng.IntN(len(keys))], url.QueryEscape(secret), tails[rng.IntN(len(tails))])
		got := RedactURL(u)
		if strings.Contains(got, url.QueryEscape(secret)) {
			t.Fatalf("case %d: token survived: %q -> %q", i, u, got)
		}
	}
}

func FuzzRedactURL(f *testing.F) {
	f.Add("abc123", "ids=4")
	f.Add("a%26b", "")
	f.Add("0123456789abcdef0123456789abcdef", "x=y")
	f.Fuzz(func(t *testing.T, secret, other string) {
		secret, other = url.QueryEscape(secret), url.QueryEscape(other)
		if len(secret) < 4 || strings.Contains(other, secret) || strings.Contains("https://pbx/x?access_token=&"+redacted, secret) {
			t.Skip()
		}
		u := "https://pbx/x?access_token=" + secret + "&" + other
		if got := RedactURL(u); strings.Contains(got, secret) {
			t.Fatalf("token survived: %q -> %q", u, got)
		}
	})
}

func TestRedactErrorURLError(t *testing.T) {
	orig := &url.Error{Op: "Get", URL: "https://pbx/q?access_token=tok-0123456789&ids=4", Err: context.DeadlineExceeded}
	err := redactError(orig, nil)
	if strings.Contains(err.Error(), "tok-0123456789") {
		t.Fatalf("token in %q", err)
	}
	var ue *url.Error
	if !errors.As(err, &ue) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("redaction should keep the error's identity: %#v", err)
	}
	if !strings.Contains(orig.URL, "tok-0123456789") {
		t.Error("the original error should be left alone (it may be shared)")
	}
}

func TestRedactErrorKnownSecrets(t *testing.T) {
	secret := "0123456789abcdef"
	err := redactError(fmt.Errorf("wrapped: %w", fmt.Errorf("server said %s: %w", secret, context.Canceled)), []string{secret, "short"})
	if strings.Contains(err.Error(), secret) {
		t.Fatalf("secret in %q", err)
	}
	if !errors.Is(err, context.Canceled) {
		t.Error("context.Canceled should survive redaction")
	}
	plain := errors.New("nothing to hide, short")
	if redactError(plain, []string{"short"}) != plain {
		t.Error("an error without secrets should be returned as is")
	}
}
