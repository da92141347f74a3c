package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// decoderSeeds are answers the PBX gives or might give; testdata/fuzz holds more.
var decoderSeeds = []string{
	`{"errcode":0,"errmsg":"SUCCESS","total_number":1,"certificate_list":[{"id":4,"name":"a.crt","type":"trusted","issue_to":"x","expiration":"2025/05/25 10:45:42 AM","apply_status":"issuance_success"},]}`,
	`{"errcode":0,"certificate_list":[{"id":5,"auto_renewal":1,"auth_info_list":[{"k":"TTL","iv":600},{"k":"Key","sv":"secret-value"},{"k":"On","bv":true},],},],}`,
	`{"errcode":40001,"errmsg":"PARAMETER SYNTAX ERROR","invalid_param_list":[{"field":"ids","value":"a,b","validation_type":"int"},]}`,
	`{"errcode":0,"certificate_list":null}`,
	`{"errcode":0,"certificate_list":[{"id":"4"}]}`,
	`{"errcode":"0"}`,
	`{"errmsg":"SUCCESS"}`,
	`{"errcode":0,"certificate_list":[{"id":4`,
	`<!DOCTYPE html><html><body>Login</body></html>`,
	`["a,]",{"b":"c\",}"},]`,
	``,
}

// FuzzDecodeAnswer feeds arbitrary bytes to the answer decoder. Properties:
// it never panics; every refusal is a *ResponseError naming the endpoint;
// stripping trailing commas leaves valid JSON untouched; and an error never
// quotes a string value from the answer (values may be secrets), apart from
// an auth parameter's key "k", which errors name on purpose.
func FuzzDecodeAnswer(f *testing.F) {
	for _, seed := range decoderSeeds {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if json.Valid(body) {
			if stripped := stripTrailingCommas(body); !bytes.Equal(stripped, body) {
				t.Fatalf("valid JSON changed by stripTrailingCommas:\n in %q\nout %q", body, stripped)
			}
		}
		_, err := decodeAnswer(body)
		if err == nil {
			return
		}
		var re *ResponseError
		if !errors.As(err, &re) || re.Endpoint != queryEndpoint || !strings.HasPrefix(err.Error(), queryEndpoint+": ") {
			t.Fatalf("error %q (%T) is not a *ResponseError naming %s", err, err, queryEndpoint)
		}
		// Blanking every string value except k must not change the error:
		// otherwise the error text depends on, so may quote, a value.
		if json.Valid(stripTrailingCommas(body)) {
			blanked := blankStringValues(body)
			_, err2 := decodeAnswer(blanked)
			if err2 == nil || err2.Error() != err.Error() {
				t.Fatalf("the error depends on string values:\n body %q\n  err %v\nblank %q\n  err %v", body, err, blanked, err2)
			}
		}
	})
}

// decodeAnswer decodes a certificate/query body as the client does after reading it.
func decodeAnswer(body []byte) ([]Certificate, error) {
	env, err := decodeEnvelope(queryEndpoint, body)
	if err != nil {
		return nil, err
	}
	certs, err := decodeCertificates(queryEndpoint, env.Fields)
	if err != nil {
		return nil, err
	}
	var total int64
	if err := decodeField(queryEndpoint, env.Fields, "total_number", &total); err != nil {
		return nil, err
	}
	return certs, nil
}

// blankStringValues replaces each byte inside every string value with x,
// keeping lengths (so byte offsets) and object keys. The value of a key "k"
// is kept. The input must be valid JSON but for trailing commas.
func blankStringValues(in []byte) []byte {
	out := bytes.Clone(in)
	lastKey := ""
	var prev byte // last byte outside strings that is not whitespace
	for i := 0; i < len(out); i++ {
		switch out[i] {
		case ' ', '\t', '\n', '\r':
			continue
		case '"':
		default:
			prev = out[i]
			continue
		}
		end := i + 1
		for ; out[end] != '"'; end++ {
			if out[end] == '\\' {
				end++
			}
		}
		rest := bytes.TrimLeft(out[end+1:], " \t\r\n")
		switch {
		case len(rest) > 0 && rest[0] == ':':
			lastKey = ""
			_ = json.Unmarshal(out[i:end+1], &lastKey)
		case prev == ':' && lastKey == "k":
		default:
			for j := i + 1; j < end; j++ {
				out[j] = 'x'
			}
		}
		prev = '"'
		i = end
	}
	return out
}

// FuzzTrailingCommas takes a valid JSON document and adds trailing commas
// (with whitespace around them) before closing brackets, as the vendor's
// examples do. Properties: stripping gives back exactly the document with
// that whitespace and no commas, which decodes to the same value and the
// same answer; a doubled comma or a comma in an empty container is still
// refused.
func FuzzTrailingCommas(f *testing.F) {
	for _, seed := range []string{
		`{"errcode":0,"errmsg":"SUCCESS","total_number":3,"certificate_list":[{"id":4,"auth_info_list":[{"k":"TTL","iv":600}]}]}`,
		`{"errcode":40001,"invalid_param_list":[{"field":"ids","value":"a,b]"}]}`,
		`[[],{},[1,[2,{"a":[3]}]],"x,]",{"s\"":"}"}]`,
		`{"a" : [ 1 , 2 ] , "b" : { } }`,
	} {
		f.Add([]byte(seed), uint64(0xffffffffffffffff))
		f.Add([]byte(seed), uint64(0x5555aaaa0f0f3c3c))
	}
	f.Fuzz(func(t *testing.T, doc []byte, choice uint64) {
		if !json.Valid(doc) {
			return
		}
		withCommas, inserted := addTrailingCommas(doc, choice, ",")
		want, _ := addTrailingCommas(doc, choice, "")
		if inserted > 0 && json.Valid(withCommas) {
			t.Fatalf("test bug: %q should not be valid JSON", withCommas)
		}
		if got := stripTrailingCommas(withCommas); !bytes.Equal(got, want) {
			t.Fatalf("stripping trailing commas:\n doc %q\nwith %q\n got %q\nwant %q", doc, withCommas, got, want)
		}
		if got, want := decodeAny(t, want), decodeAny(t, doc); !reflect.DeepEqual(got, want) {
			t.Fatalf("whitespace changed the value:\n doc %q\n got %#v\nwant %#v", doc, got, want)
		}
		if trimmed := bytes.TrimSpace(doc); len(trimmed) > 0 && trimmed[0] == '{' {
			wantAnswer, wantErr := describeAnswer(want)
			gotAnswer, gotErr := describeAnswer(withCommas)
			if gotAnswer != wantAnswer || gotErr != wantErr {
				t.Fatalf("trailing commas changed the answer:\n doc %q\nwith %q\n got %s %s\nwant %s %s",
					want, withCommas, gotAnswer, gotErr, wantAnswer, wantErr)
			}
		}

		// Broken JSON is not repaired: ",," and "[,]" stay errors.
		if doubled, n := addTrailingCommas(doc, choice|1, ",,"); n > 0 && json.Valid(stripTrailingCommas(doubled)) {
			t.Fatalf("a doubled comma was accepted: %q", doubled)
		}
		if leading, n := commaInEmptyContainers(doc); n > 0 && json.Valid(stripTrailingCommas(leading)) {
			t.Fatalf("a comma in an empty container was accepted: %q", leading)
		}
	})
}

func decodeAny(t *testing.T, doc []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decoding %q: %v", doc, err)
	}
	return v
}

// describeAnswer renders everything the client takes from a body.
func describeAnswer(body []byte) (string, string) {
	env, err := decodeEnvelope(queryEndpoint, body)
	if err != nil {
		return "", err.Error()
	}
	certs, err := decodeAnswer(body)
	errText := ""
	if err != nil {
		errText = err.Error()
	}
	rendered, _ := json.Marshal(struct {
		Code          int
		Message       string
		SubMsg        string
		InvalidParams []InvalidParam
		Certificates  []Certificate
	}{env.Code, env.Message, env.SubMsg, env.InvalidParams, certs})
	return string(rendered), errText
}

// addTrailingCommas inserts comma before the closing bracket of non-empty
// containers chosen by the bits of choice; other bits add whitespace around
// it. It reports how many it inserted; with comma "" it adds only the
// whitespace.
func addTrailingCommas(doc []byte, choice uint64, comma string) ([]byte, int) {
	bit := func(i int) bool { return choice>>(uint(i)%64)&1 == 1 }
	out := make([]byte, 0, len(doc)+len(doc)/4)
	inString, escaped := false, false
	var prev byte // last byte outside strings that is not whitespace
	candidate, inserted := 0, 0
	for _, c := range doc {
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			out = append(out, c)
			continue
		}
		switch c {
		case '"':
			inString = true
		case ']', '}':
			if prev != '[' && prev != '{' {
				if bit(candidate) {
					if bit(candidate + 21) {
						out = append(out, ' ')
					}
					out = append(out, comma...)
					if bit(candidate + 42) {
						out = append(out, "\n\t"...)
					}
					inserted++
				}
				candidate++
			}
		}
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			prev = c
		}
		out = append(out, c)
	}
	return out, inserted
}

// commaInEmptyContainers turns every [] and {} into [,] and {,}.
func commaInEmptyContainers(doc []byte) ([]byte, int) {
	out := make([]byte, 0, len(doc)+8)
	inString, escaped := false, false
	var prev byte
	n := 0
	for _, c := range doc {
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			out = append(out, c)
			continue
		}
		switch c {
		case '"':
			inString = true
		case ']', '}':
			if prev == '[' || prev == '{' {
				out = append(out, ',')
				n++
			}
		}
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			prev = c
		}
		out = append(out, c)
	}
	return out, n
}

// FuzzRedactURLAnyShape builds URLs of any shape around a secret: any path,
// any other query pair before or after it, any fragment, a userinfo
// password, and the URL quoted inside an error message as net/http does.
// Property: the redacted text does not depend on the secret at all, so the
// secret cannot survive. (FuzzRedactURL in redact_test.go checks the fixed
// shape the client builds.)
func FuzzRedactURLAnyShape(f *testing.F) {
	f.Add("/openapi/v1.0/certificate/query", "ids", "4,5", "", uint8(0), "tok-0123456789abcdef", "other-token-value", "pa55word")
	f.Add("/pbx=1/openapi/v1.0/certificate/query", "ids", "4", "frag", uint8(1), "tok-0123456789abcdef", "x", "")
	f.Add("/a;b=c/", "access_token", "not-this-one", "access_token=x", uint8(2), "0123456789", "", "p@ss:w/rd")
	f.Add("/x", "", "", "", uint8(3), "a%26b", "a&b", "")
	f.Fuzz(func(t *testing.T, path, otherKey, otherValue, fragment string, shape uint8, secretA, secretB, password string) {
		if secretA == secretB {
			return
		}
		keys := []string{"access_token", "refresh_token", "ACCESS_TOKEN", "access%5Ftoken", "token", "client_secret"}
		key := keys[int(shape)%len(keys)]
		render := func(secret, password string) string {
			pair := key + "=" + url.QueryEscape(secret)
			other := url.QueryEscape(otherKey) + "=" + url.QueryEscape(otherValue)
			query := pair + "&" + other
			if shape&8 != 0 {
				query = other + "&" + pair
			}
			u := &url.URL{Scheme: "https", Host: "pbx.example.com:8088", Path: path, RawQuery: query, Fragment: fragment}
			if shape&16 != 0 {
				u.User = url.UserPassword("admin", password)
			}
			if shape&32 != 0 {
				return fmt.Sprintf("Get %q: context deadline exceeded", u.String())
			}
			return u.String()
		}
		a, b := RedactURL(render(secretA, password)), RedactURL(render(secretB, password+"-other"))
		if shape&16 == 0 {
			b = RedactURL(render(secretB, password))
		}
		if a != b {
			t.Fatalf("the redacted text depends on the secret:\n%q\n -> %q\n%q\n -> %q", render(secretA, password), a, render(secretB, password+"-other"), b)
		}
	})
}
