package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// maxBodyBytes bounds an answer: the PBX holds at most 23 certificates,
// so anything near this is not a PBX answer.
const maxBodyBytes = 8 << 20

// envelope is the part every PBX answer shares, plus the raw fields for
// the endpoint-specific decoder.
type envelope struct {
	Code          int
	Message       string
	SubMsg        string
	InvalidParams []InvalidParam
	Fields        map[string]json.RawMessage
}

// readBody reads at most maxBodyBytes.
func readBody(endpoint string, r io.Reader) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, maxBodyBytes+1))
	if err != nil {
		return nil, err
	}
	if len(body) > maxBodyBytes {
		return nil, &ResponseError{Endpoint: endpoint, Reason: fmt.Sprintf("the answer is larger than %d MiB", maxBodyBytes>>20)}
	}
	return body, nil
}

// decodeEnvelope parses a 2xx body. It tolerates unknown fields and the
// trailing commas of the vendor's own examples; anything else that is not
// a JSON object with an integer errcode is a *ResponseError.
func decodeEnvelope(endpoint string, body []byte) (*envelope, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return nil, &ResponseError{Endpoint: endpoint, Reason: "the answer is empty, not JSON; check base_url and api_path"}
	}
	if trimmed[0] == '<' {
		return nil, &ResponseError{Endpoint: endpoint, Reason: "the answer is HTML (a web page, perhaps a login page or a proxy's error page), not JSON; check base_url and api_path"}
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(stripTrailingCommas(trimmed), &fields); err != nil {
		return nil, &ResponseError{Endpoint: endpoint, Reason: "the answer is not a JSON object: " + jsonProblem(err)}
	}
	rawCode, ok := fields["errcode"]
	if !ok {
		return nil, &ResponseError{Endpoint: endpoint, Reason: "the answer has no errcode"}
	}
	code, err := strictInt(rawCode)
	if err != nil {
		return nil, &ResponseError{Endpoint: endpoint, Reason: "errcode is not an integer"}
	}
	env := &envelope{
		Code:    int(code),
		Message: looseString(fields["errmsg"]),
		SubMsg:  looseString(fields["submsg"]),
		Fields:  fields,
	}
	// invalid_param_list only decorates an error; a malformed one must not
	// hide the errcode, so it is read loosely and skipped when unreadable.
	var params []map[string]json.RawMessage
	if raw, ok := fields["invalid_param_list"]; ok && json.Unmarshal(raw, &params) == nil {
		for _, p := range params {
			env.InvalidParams = append(env.InvalidParams, InvalidParam{
				Field:          looseString(p["field"]),
				Value:          looseString(p["value"]),
				ValidationType: looseString(p["validation_type"]),
			})
		}
	}
	return env, nil
}

// strictInt accepts a JSON integer (also written as 5.0 or 5e0) only.
func strictInt(raw json.RawMessage) (int64, error) {
	// json.Number would also take "5", a string.
	if len(raw) == 0 || (raw[0] != '-' && (raw[0] < '0' || raw[0] > '9')) {
		return 0, errors.New("not a number")
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		return 0, err
	}
	if i, err := n.Int64(); err == nil {
		return i, nil
	}
	f, err := n.Float64()
	if err != nil || f != float64(int64(f)) {
		return 0, errors.New("not an integer")
	}
	return int64(f), nil
}

// looseString renders a JSON string as its text and anything else as its
// JSON text, so odd errmsg types still reach the user.
func looseString(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

// jsonProblem describes a decoding error without quoting the body: syntax
// errors name one character at most, type errors name the field and kind.
func jsonProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "unexpected end of JSON input"):
		return "it ends early (truncated)"
	case errors.As(err, &syn):
		return fmt.Sprintf("%s at byte %d", syn.Error(), syn.Offset)
	case errors.As(err, &typ):
		if typ.Field != "" {
			return fmt.Sprintf("field %s is a JSON %s, expected %s", typ.Field, typ.Value, goKind(typ.Type.String()))
		}
		return fmt.Sprintf("it is a JSON %s, expected %s", typ.Value, goKind(typ.Type.String()))
	}
	return err.Error()
}

func goKind(t string) string {
	switch {
	case strings.HasPrefix(t, "map["), strings.HasPrefix(t, "client."), strings.HasPrefix(t, "struct"):
		return "an object"
	case strings.HasPrefix(t, "[]"):
		return "an array"
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "float"), t == "json.Number":
		return "a number"
	case t == "bool":
		return "a boolean"
	case t == "string":
		return "a string"
	}
	return t
}

// stripTrailingCommas removes a comma that, apart from whitespace, comes
// right before ] or } outside strings. Such a comma is unambiguous and the
// vendor's documented examples have one. Everything else, valid or not,
// is left for the JSON decoder to judge.
func stripTrailingCommas(in []byte) []byte {
	out := make([]byte, 0, len(in))
	inString, escaped := false, false
	pendingComma := -1 // index in out of a comma not yet known to be trailing
	var prev byte      // last byte outside strings that is not whitespace
	for _, c := range in {
		if inString {
			out = append(out, c)
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		switch c {
		case ' ', '\t', '\n', '\r':
			out = append(out, c)
			continue
		case ']', '}':
			if pendingComma >= 0 {
				out = append(out[:pendingComma], out[pendingComma+1:]...)
			}
		case '"':
			inString = true
		}
		pendingComma = -1
		// "[,]" or ",," are not trailing commas but broken JSON: keep them.
		if c == ',' && prev != '[' && prev != '{' && prev != ',' && prev != 0 {
			pendingComma = len(out)
		}
		prev = c
		out = append(out, c)
	}
	return out
}

// decodeField decodes one field of an answer into v; absent or null leaves
// v untouched.
func decodeField(endpoint string, fields map[string]json.RawMessage, name string, v any) error {
	raw, ok := fields[name]
	if !ok || string(raw) == "null" {
		return nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return &ResponseError{Endpoint: endpoint, Reason: "field " + name + ": " + jsonProblem(err)}
	}
	return nil
}

func formatIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}
