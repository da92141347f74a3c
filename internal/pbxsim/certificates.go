package pbxsim

import (
	"cmp"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Certificate is the wire shape of a certificate, exactly as the PBX returns it.
type Certificate struct {
	ID           int64      `json:"id"`
	Name         string     `json:"name"`
	Type         string     `json:"type"`
	IssueTo      string     `json:"issue_to"`
	Expiration   string     `json:"expiration"`
	CAType       string     `json:"ca_type,omitempty"`
	AutoRenewal  *int       `json:"auto_renewal,omitempty"`
	DNSProvider  string     `json:"dns_provider,omitempty"`
	ApplyStatus  string     `json:"apply_status"`
	ApplyTipCode *int       `json:"apply_tip_code,omitempty"`
	AuthInfoList []AuthInfo `json:"auth_info_list,omitempty"`
}

// AuthInfo is one DNS-provider parameter; exactly one of IV, SV, BV is set.
type AuthInfo struct {
	K  string  `json:"k"`
	IV *int64  `json:"iv,omitempty"`
	SV *string `json:"sv,omitempty"`
	BV *bool   `json:"bv,omitempty"`
}

type UnknownIDMode int

const (
	UnknownIDsOmitted  UnknownIDMode = iota // default: unknown ids are left out of certificate_list
	UnknownIDsNotFound                      // any unknown id fails the whole call with errcode 60001
)

// clone deep-copies c so callers never share pointers with the simulator.
func (c Certificate) clone() Certificate {
	c.AutoRenewal = clonePtr(c.AutoRenewal)
	c.ApplyTipCode = clonePtr(c.ApplyTipCode)
	if c.AuthInfoList != nil {
		list := make([]AuthInfo, len(c.AuthInfoList))
		for i, a := range c.AuthInfoList {
			list[i] = AuthInfo{K: a.K, IV: clonePtr(a.IV), SV: clonePtr(a.SV), BV: clonePtr(a.BV)}
		}
		c.AuthInfoList = list
	}
	return c
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func cloneAll(certs []Certificate) []Certificate {
	out := make([]Certificate, len(certs))
	for i, c := range certs {
		out[i] = c.clone()
	}
	return out
}

// SetCertificates replaces the held certificates; they are kept in ascending
// id order, which is the order every answer uses.
func (s *Server) SetCertificates(certs []Certificate) {
	held := cloneAll(certs)
	slices.SortStableFunc(held, func(a, b Certificate) int { return cmp.Compare(a.ID, b.ID) })
	s.mu.Lock()
	defer s.mu.Unlock()
	s.certs = held
}

func (s *Server) SetUnknownIDMode(m UnknownIDMode) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.unknownIDs = m
}

type certificateAnswer struct {
	status
	TotalNumber     int           `json:"total_number"`
	CertificateList []Certificate `json:"certificate_list"`
}

// parseIDs accepts only "4,5,6": positive integers, no spaces, no empty items.
func parseIDs(raw string) (map[int64]bool, bool) {
	ids := map[int64]bool{}
	for part := range strings.SplitSeq(raw, ",") {
		id, err := strconv.ParseInt(part, 10, 64)
		if err != nil || id <= 0 || strconv.FormatInt(id, 10) != part {
			return nil, false
		}
		ids[id] = true
	}
	return ids, true
}

// queryCertificates answers certificate/query; callers hold mu.
func (s *Server) queryCertificates(q url.Values) reply {
	raw := q.Get("ids")
	wanted, ok := parseIDs(raw)
	if !ok {
		return paramSyntaxReply("ids", raw)
	}
	list := []Certificate{}
	for _, c := range s.certs {
		if wanted[c.ID] {
			list = append(list, c.clone())
		}
	}
	if s.unknownIDs == UnknownIDsNotFound && len(list) < len(wanted) {
		return errorReply(codeDataNotFound)
	}
	return reply{body: certificateAnswer{status: statusOf(codeSuccess), TotalNumber: len(list), CertificateList: list}}
}

var sortKeys = map[string]func(Certificate) string{
	"name":       func(c Certificate) string { return c.Name },
	"issue_to":   func(c Certificate) string { return c.IssueTo },
	"expiration": func(c Certificate) string { return c.Expiration },
	"type":       func(c Certificate) string { return c.Type },
}

// listCertificates answers certificate/list; callers hold mu.
func (s *Server) listCertificates(q url.Values) reply {
	page, ok := positiveParam(q, "page", 1)
	if !ok {
		return paramSyntaxReply("page", q.Get("page"))
	}
	pageSize, ok := positiveParam(q, "page_size", 10)
	if !ok {
		return paramSyntaxReply("page_size", q.Get("page_size"))
	}
	sortBy := cmp.Or(q.Get("sort_by"), "id")
	if _, known := sortKeys[sortBy]; !known && sortBy != "id" {
		return paramSyntaxReply("sort_by", sortBy)
	}
	orderBy := cmp.Or(q.Get("order_by"), "asc")
	if orderBy != "asc" && orderBy != "desc" {
		return paramSyntaxReply("order_by", orderBy)
	}
	typ := q.Get("type")
	if typ != "" && typ != "trusted" && typ != "server" {
		return paramSyntaxReply("type", typ)
	}

	var matched []Certificate
	for _, c := range s.certs {
		if typ == "" || c.Type == typ {
			matched = append(matched, c)
		}
	}
	// s.certs is in id order, so a stable sort breaks ties by id.
	if key := sortKeys[sortBy]; key != nil {
		slices.SortStableFunc(matched, func(a, b Certificate) int { return cmp.Compare(key(a), key(b)) })
	}
	if orderBy == "desc" {
		slices.Reverse(matched)
	}

	list := []Certificate{}
	if start := (page - 1) * pageSize; start < len(matched) && start >= 0 {
		list = cloneAll(matched[start:min(start+pageSize, len(matched))])
	}
	return reply{body: certificateAnswer{status: statusOf(codeSuccess), TotalNumber: len(matched), CertificateList: list}}
}

func positiveParam(q url.Values, name string, def int) (int, bool) {
	raw := q.Get(name)
	if raw == "" {
		return def, true
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n <= 0 || n > 1_000_000 {
		return 0, false
	}
	return n, true
}
