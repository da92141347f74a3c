package e2e

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// The leak scan guards every other test, so it must itself be able to fail.
func TestLeakScanFindsEachKindOfSecret(t *testing.T) {
	token := "0123456789abcdef0123456789abcdef"
	s := secretSet{strings: map[string]string{}, tokens: map[string]bool{token: true}, ints: map[string]string{"7301946285": "an int"}}
	s.addString("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "a string")

	for _, text := range []string{
		"GET /openapi/v1.0/certificate/query?access_token=" + token + "&ids=4",
		`{"id":"ff` + strings.ToUpper(token) + `"}`, // inside a longer hex run, other case
		`"sv":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"`,
		`"sv":"wJalrXUtnFEMI\/K7MDENG\/bPxRfiCYEXAMPLEKEY"`,
		"secret=wJalrXUtnFEMI%2FK7MDENG%2FbPxRfiCYEXAMPLEKEY",
		`"iv":7301946285}`,
	} {
		if len(s.find(text)) == 0 {
			t.Errorf("no leak found in %q", text)
		}
	}
	for _, text := range []string{
		"access_token=REDACTED",
		"0123456789abcdef0123456789abcde", // one digit short
		"id 17301946285",                  // the int inside a longer number
	} {
		if found := s.find(text); len(found) != 0 {
			t.Errorf("false leak in %q: %v", text, found)
		}
	}
}

func TestWithoutSensitiveDropsOnlyMarkedValues(t *testing.T) {
	const doc = `{
	  "prior_state": {"values": {"root_module": {"resources": [{
	    "values": {"name": "keep-name", "auth_info": {"TTL": {"int_value": 600, "string_value": null}}},
	    "sensitive_values": {"auth_info": {"TTL": {"int_value": true, "string_value": true}}}
	  }]}}},
	  "output_changes": {
	    "plain": {"before": null, "after": "keep-output", "after_sensitive": false},
	    "hidden": {"before": "drop-before", "after": "drop-after", "before_sensitive": true, "after_sensitive": true}
	  },
	  "planned_values": {"outputs": {"o": {"sensitive": true, "value": "drop-output"}}}
	}`
	var v any
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		t.Fatal(err)
	}
	if left := authValuesLeft(v, ""); len(left) != 1 {
		t.Fatalf("before pruning, auth values found: %v; want the TTL", left)
	}
	pruned, err := json.Marshal(withoutSensitive(v))
	if err != nil {
		t.Fatal(err)
	}
	text := string(pruned)
	for _, keep := range []string{"keep-name", "keep-output"} {
		if !strings.Contains(text, keep) {
			t.Errorf("%s was dropped: %s", keep, text)
		}
	}
	for _, drop := range []string{"drop-before", "drop-after", "drop-output", "600"} {
		if strings.Contains(text, drop) {
			t.Errorf("%s survived: %s", drop, text)
		}
	}
	var back any
	_ = json.Unmarshal(pruned, &back)
	if left := authValuesLeft(back, ""); !slices.Equal(left, nil) {
		t.Errorf("auth values left after pruning: %v", left)
	}
}
