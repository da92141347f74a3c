package e2e

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/pbxops/terraform-provider-pbx/internal/pbxsim"
)

// secretSet is everything that must never appear in Terraform's output,
// logs or saved plan (outside values marked sensitive).
type secretSet struct {
	strings map[string]string // text, or one of its encodings -> what it is
	tokens  map[string]bool   // every access and refresh token issued (32 hex)
	ints    map[string]string // auth values that are numbers long enough to search for
}

// minSearchedIntDigits keeps short numbers (a TTL of 600) out of text
// scans, where they would match by coincidence; the plan JSON check
// catches those by position instead.
const minSearchedIntDigits = 6

func (w *workspace) secrets() secretSet {
	s := secretSet{strings: map[string]string{}, tokens: map[string]bool{}, ints: map[string]string{}}
	s.addString(w.secret, "the client secret sent")
	s.addString(pbxsim.DefaultClientSecret, "the client secret")
	for _, tok := range w.pbx.sim.IssuedSecrets() {
		s.tokens[strings.ToLower(tok)] = true
	}
	for _, c := range w.pbx.certs {
		for _, a := range c.AuthInfoList {
			what := fmt.Sprintf("auth value %s of certificate %d", a.K, c.ID)
			if a.SV != nil {
				s.addString(*a.SV, what)
			}
			if a.IV != nil {
				if n := strconv.FormatInt(*a.IV, 10); len(n) >= minSearchedIntDigits {
					s.ints[n] = what
				}
			}
		}
	}
	return s
}

// addString adds v with the encodings it may take in logs and JSON.
func (s secretSet) addString(v, what string) {
	if v == "" {
		return
	}
	quoted := strconv.Quote(v)
	jsonText, _ := json.Marshal(v)
	for _, form := range []string{
		v,
		quoted[1 : len(quoted)-1],
		string(jsonText[1 : len(jsonText)-1]),
		strings.ReplaceAll(v, "/", `\/`),
		url.QueryEscape(v),
		url.PathEscape(v),
	} {
		s.strings[form] = what
	}
}

// find lists every secret in text, with a little context around it, the
// secret itself masked.
func (s secretSet) find(text string) []string {
	var found []string
	report := func(at, length int, what string) {
		from, to := max(0, at-60), min(len(text), at+length+60)
		context := text[from:at] + "<" + what + ">" + text[at+length:to]
		found = append(found, fmt.Sprintf("%s at byte %d: %q", what, at, context))
	}
	for v, what := range s.strings {
		if at := strings.Index(text, v); at >= 0 {
			report(at, len(v), what)
		}
	}
	for n, what := range s.ints {
		for from := 0; ; {
			i := strings.Index(text[from:], n)
			if i < 0 {
				break
			}
			at := from + i
			if !isDigitAt(text, at-1) && !isDigitAt(text, at+len(n)) {
				report(at, len(n), what)
				break
			}
			from = at + 1
		}
	}
	// Tokens are 32 hex digits: look them up in every hex run instead of
	// searching for each of hundreds of tokens separately.
	for i := 0; i < len(text); {
		if !isHex(text[i]) {
			i++
			continue
		}
		j := i
		for j < len(text) && isHex(text[j]) {
			j++
		}
		for k := i; k+32 <= j; k++ {
			if s.tokens[strings.ToLower(text[k:k+32])] {
				report(k, 32, "a token issued by the PBX")
				break
			}
		}
		i = j
	}
	return found
}

func isDigitAt(s string, i int) bool { return i >= 0 && i < len(s) && s[i] >= '0' && s[i] <= '9' }

func isHex(b byte) bool {
	return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F')
}

// assertNoLeaks fails the test for each secret in text, showing a few.
func (w *workspace) assertNoLeaks(s secretSet, name, text string) {
	w.t.Helper()
	const shown = 3
	leaks := s.find(text)
	for _, leak := range leaks[:min(len(leaks), shown)] {
		w.t.Errorf("secret in %s: %s", name, leak)
	}
	if len(leaks) > shown {
		w.t.Errorf("and %d more secrets in %s", len(leaks)-shown, name)
	}
}

// sensitiveValuesRemoved parses `terraform show -json` output and
// returns it with every value marked sensitive removed.
func sensitiveValuesRemoved(showJSON string) (string, error) {
	var doc any
	if err := json.Unmarshal([]byte(showJSON), &doc); err != nil {
		return showJSON, fmt.Errorf("not JSON: %w", err)
	}
	pruned, err := json.Marshal(withoutSensitive(doc))
	return string(pruned), err
}

// withoutSensitive returns a copy of a `terraform show -json` document
// with every value Terraform marks sensitive replaced by null: "values"
// under "sensitive_values", "before"/"after" under "before_sensitive" /
// "after_sensitive", and outputs with "sensitive": true.
func withoutSensitive(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			if mask, ok := x[k+"_sensitive"]; ok {
				val = applyMask(val, mask)
			}
			if k == "values" {
				if mask, ok := x["sensitive_values"]; ok {
					val = applyMask(val, mask)
				}
			}
			out[k] = withoutSensitive(val)
		}
		if sensitive, _ := x["sensitive"].(bool); sensitive {
			if _, ok := out["value"]; ok {
				out["value"] = nil
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = withoutSensitive(val)
		}
		return out
	}
	return v
}

// applyMask nulls what mask marks true; a mask mirrors the value's shape.
func applyMask(val, mask any) any {
	switch m := mask.(type) {
	case bool:
		if m {
			return nil
		}
	case map[string]any:
		if obj, ok := val.(map[string]any); ok {
			out := make(map[string]any, len(obj))
			for k, sub := range obj {
				if subMask, ok := m[k]; ok {
					sub = applyMask(sub, subMask)
				}
				out[k] = sub
			}
			return out
		}
	case []any:
		if list, ok := val.([]any); ok {
			out := make([]any, len(list))
			for i, sub := range list {
				if i < len(m) {
					sub = applyMask(sub, m[i])
				}
				out[i] = sub
			}
			return out
		}
	}
	return val
}

// authValuesLeft lists auth_info values still set after withoutSensitive.
// The schema marks them all sensitive, so any left is a leak, however
// common the number (a TTL of 600).
func authValuesLeft(v any, path string) []string {
	var left []string
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if k == "sensitive_values" || strings.HasSuffix(k, "_sensitive") || strings.HasSuffix(k, "_unknown") {
				continue // markers, not values
			}
			switch k {
			case "int_value", "string_value", "bool_value":
				if val != nil && strings.Contains(path, "auth_info") {
					left = append(left, path+"."+k)
				}
			}
			left = append(left, authValuesLeft(val, path+"."+k)...)
		}
	case []any:
		for i, val := range x {
			left = append(left, authValuesLeft(val, fmt.Sprintf("%s[%d]", path, i))...)
		}
	}
	return left
}
