package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// QueryResult is the answer of certificate/query.
type QueryResult struct {
	TotalNumber  int64
	Certificates []Certificate // in the order of the ids asked for
}

// Certificate is one certificate on the PBX. Server-only fields are nil
// for trusted CA certificates.
type Certificate struct {
	ID                                           int64
	Name, Type, IssueTo, Expiration, ApplyStatus string
	CAType                                       *string
	AutoRenewal                                  *bool // from 0/1
	DNSProvider                                  *string
	ApplyTipCode                                 *int64
	AuthInfo                                     []AuthParam // PBX order; nil when absent
}

// AuthParam is one DNS-provider parameter. Exactly one value is set, per
// the vendor; the values are cloud credentials, so treat them as secrets.
type AuthParam struct {
	Key    string
	Int    *int64
	String *string
	Bool   *bool
}

const queryEndpoint = "certificate/query"

// maxProbes bounds the one-id-at-a-time queries that find which ids made
// the PBX answer 60001. The PBX holds at most 23 certificates.
const maxProbes = 50

// QueryCertificates fetches the certificates with the given ids in one
// request. Ids the PBX does not have yield a *MissingCertificatesError,
// whether the PBX omits them or fails the whole call with 60001.
func (c *Client) QueryCertificates(ctx context.Context, ids []int64) (*QueryResult, error) {
	if len(ids) == 0 {
		return nil, errors.New("no certificate ids to query")
	}
	var unique []int64
	for _, id := range ids {
		if id <= 0 {
			return nil, fmt.Errorf("certificate ids must be positive, got %d", id)
		}
		if !slices.Contains(unique, id) {
			unique = append(unique, id)
		}
	}

	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return nil, errClosed
	}
	answer, err := c.answerFor(ctx, unique)
	if err != nil {
		return nil, err
	}
	res := &QueryResult{TotalNumber: answer.total, Certificates: make([]Certificate, 0, len(ids))}
	for _, id := range ids {
		res.Certificates = append(res.Certificates, answer.byID[id])
	}
	return res, nil
}

// queryAnswer is the PBX's answer for one set of ids, with every id found.
type queryAnswer struct {
	total int64
	byID  map[int64]Certificate
}

// answerFor returns the answer for a set of ids. With Config.ShareAnswers,
// reads of the same set share one request and its answer. Failures are not
// kept, so a later read tries again. Callers that join a read wait for it:
// the one that started it owns the context, and in Terraform every read is
// cancelled together.
func (c *Client) answerFor(ctx context.Context, ids []int64) (*queryAnswer, error) {
	if !c.shareAnswers {
		return c.fetch(ctx, ids)
	}
	key := formatIDs(slices.Sorted(slices.Values(ids)))
	c.mu.Lock()
	answer, ok := c.answers[key]
	c.mu.Unlock()
	if ok {
		return answer, nil
	}
	shared, err, _ := c.queries.Do(key, func() (any, error) {
		answer, err := c.fetch(ctx, ids)
		if err == nil {
			c.mu.Lock()
			c.answers[key] = answer
			c.mu.Unlock()
		}
		return answer, err
	})
	if err != nil {
		return nil, err
	}
	answer, _ = shared.(*queryAnswer)
	return answer, nil
}

// fetch queries the PBX for ids and insists that every one is found.
func (c *Client) fetch(ctx context.Context, ids []int64) (*queryAnswer, error) {
	total, byID, err := c.query(ctx, ids)
	var ae *APIError
	if errors.As(err, &ae) && ae.Code == 60001 {
		return nil, c.findMissing(ctx, ids, err)
	}
	if err != nil {
		return nil, err
	}
	var missing []int64
	for _, id := range ids {
		if _, ok := byID[id]; !ok {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return nil, &MissingCertificatesError{IDs: missing}
	}
	return &queryAnswer{total: total, byID: byID}, nil
}

// query runs one certificate/query and indexes the answer by id.
func (c *Client) query(ctx context.Context, ids []int64) (int64, map[int64]Certificate, error) {
	env, err := c.call(ctx, queryEndpoint, [][2]string{{"ids", formatIDs(ids)}})
	if err != nil {
		return 0, nil, err
	}
	certs, err := decodeCertificates(queryEndpoint, env.Fields)
	if err != nil {
		return 0, nil, err
	}
	total := int64(len(certs))
	if err := decodeField(queryEndpoint, env.Fields, "total_number", &total); err != nil {
		return 0, nil, err
	}
	byID := make(map[int64]Certificate, len(certs))
	for _, cert := range certs {
		if _, dup := byID[cert.ID]; !dup {
			byID[cert.ID] = cert
		}
	}
	return total, byID, nil
}

// findMissing asks for each id on its own after the PBX failed a whole
// call with 60001, so the error names exactly the ids that do not exist.
func (c *Client) findMissing(ctx context.Context, ids []int64, notFound error) error {
	if len(ids) == 1 {
		return &MissingCertificatesError{IDs: ids}
	}
	if len(ids) > maxProbes {
		return notFound
	}
	var missing []int64
	for _, id := range ids {
		_, byID, err := c.query(ctx, []int64{id})
		var ae *APIError
		switch {
		case errors.As(err, &ae) && ae.Code == 60001:
			missing = append(missing, id)
		case err != nil:
			return err
		default:
			if _, ok := byID[id]; !ok {
				missing = append(missing, id)
			}
		}
	}
	if len(missing) == 0 {
		return notFound
	}
	slices.Sort(missing)
	return &MissingCertificatesError{IDs: missing}
}

// decodeCertificates reads certificate_list one entry at a time so that an
// error names the certificate and field. Absent or null means empty.
func decodeCertificates(endpoint string, fields map[string]json.RawMessage) ([]Certificate, error) {
	var list []map[string]json.RawMessage
	if err := decodeField(endpoint, fields, "certificate_list", &list); err != nil {
		return nil, err
	}
	certs := make([]Certificate, 0, len(list))
	for i, raw := range list {
		cert, err := decodeCertificate(raw)
		if err != nil {
			where := fmt.Sprintf("certificate_list[%d]", i)
			if cert.ID != 0 {
				where = fmt.Sprintf("certificate %d", cert.ID)
			}
			return nil, &ResponseError{Endpoint: endpoint, Reason: where + ": " + err.Error()}
		}
		certs = append(certs, cert)
	}
	return certs, nil
}

// decodeCertificate fills as much as it can before an error, so the
// caller can name the certificate by id.
func decodeCertificate(f map[string]json.RawMessage) (Certificate, error) {
	var c Certificate
	if f == nil {
		return c, errors.New("is null, expected an object")
	}
	id, err := intField(f, "id")
	if err != nil {
		return c, err
	}
	if id == nil {
		return c, errors.New("has no id")
	}
	c.ID = *id
	for _, fd := range []struct {
		name string
		dst  *string
	}{
		{"name", &c.Name}, {"type", &c.Type}, {"issue_to", &c.IssueTo},
		{"expiration", &c.Expiration}, {"apply_status", &c.ApplyStatus},
	} {
		s, err := stringField(f, fd.name)
		if err != nil {
			return c, err
		}
		if s != nil {
			*fd.dst = *s
		}
	}
	if c.CAType, err = stringField(f, "ca_type"); err != nil {
		return c, err
	}
	if c.DNSProvider, err = stringField(f, "dns_provider"); err != nil {
		return c, err
	}
	if c.ApplyTipCode, err = intField(f, "apply_tip_code"); err != nil {
		return c, err
	}
	ar, err := intField(f, "auto_renewal")
	if err != nil {
		return c, err
	}
	if ar != nil {
		if *ar != 0 && *ar != 1 {
			return c, fmt.Errorf("field auto_renewal is %d, expected 0 or 1", *ar)
		}
		on := *ar == 1
		c.AutoRenewal = &on
	}
	if c.AuthInfo, err = decodeAuthInfo(f["auth_info_list"]); err != nil {
		return c, err
	}
	return c, nil
}

func decodeAuthInfo(raw json.RawMessage) ([]AuthParam, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var list []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("field auth_info_list: %s", jsonProblem(err))
	}
	out := make([]AuthParam, 0, len(list))
	for i, f := range list {
		var p AuthParam
		k, err := stringField(f, "k")
		if err == nil && k != nil {
			p.Key = *k
		}
		if err == nil {
			p.Int, err = intField(f, "iv")
		}
		if err == nil {
			p.String, err = stringField(f, "sv")
		}
		if err == nil {
			p.Bool, err = boolField(f, "bv")
		}
		if err != nil {
			// Name the entry by its key, never by its value: values are secrets.
			return nil, fmt.Errorf("auth_info_list[%d] (k %q): %w", i, p.Key, err)
		}
		out = append(out, p)
	}
	return out, nil
}

// The field readers return nil for absent or null, and an error naming the
// field and the JSON kind found, never its value.

func stringField(f map[string]json.RawMessage, name string) (*string, error) {
	raw, ok := f[name]
	if !ok || string(raw) == "null" {
		return nil, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fieldError(name, raw, "a string")
	}
	return &s, nil
}

func intField(f map[string]json.RawMessage, name string) (*int64, error) {
	raw, ok := f[name]
	if !ok || string(raw) == "null" {
		return nil, nil
	}
	n, err := strictInt(raw)
	if err != nil {
		return nil, fieldError(name, raw, "an integer")
	}
	return &n, nil
}

func boolField(f map[string]json.RawMessage, name string) (*bool, error) {
	raw, ok := f[name]
	if !ok || string(raw) == "null" {
		return nil, nil
	}
	var b bool
	if err := json.Unmarshal(raw, &b); err != nil {
		return nil, fieldError(name, raw, "a boolean")
	}
	return &b, nil
}

func fieldError(name string, raw json.RawMessage, want string) error {
	return fmt.Errorf("field %s is %s, expected %s", name, jsonKind(raw), want)
}

func jsonKind(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "empty"
	}
	switch raw[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	}
	return "a non-integer number"
}
