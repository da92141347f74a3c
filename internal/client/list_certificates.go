package client

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
)

const listEndpoint = "certificate/list"

// Certificate types the PBX knows, for ListCertificates.
const (
	TypeServer  = "server"
	TypeTrusted = "trusted"
)

// defaultListPageSize makes one request enough for a full PBX (23
// certificates). Paging follows total_number, not the page's length, so a
// PBX that caps page_size lower is still read to the end.
const defaultListPageSize = 100

// maxListPages stops a walk whose total_number never comes in reach.
const maxListPages = 1000

// ListCertificates returns every certificate on the PBX, or every one of
// certType ("" for all), in ascending id order, walking every page of
// certificate/list.
func (c *Client) ListCertificates(ctx context.Context, certType string) ([]Certificate, error) {
	var all []Certificate
	seen := map[int64]bool{}
	for page := 1; ; page++ {
		if page > maxListPages {
			return nil, &ResponseError{Endpoint: listEndpoint, Reason: fmt.Sprintf("still not at total_number after %d pages", maxListPages)}
		}
		params := [][2]string{
			{"page", strconv.Itoa(page)}, {"page_size", strconv.Itoa(c.listPageSize)},
			{"sort_by", "id"}, {"order_by", "asc"},
		}
		if certType != "" {
			params = append(params, [2]string{"type", certType})
		}
		env, err := c.call(ctx, listEndpoint, params)
		if err != nil {
			return nil, err
		}
		certs, err := decodeCertificates(listEndpoint, env.Fields)
		if err != nil {
			return nil, err
		}
		total := int64(-1)
		if err := decodeField(listEndpoint, env.Fields, "total_number", &total); err != nil {
			return nil, err
		}
		found := len(all)
		for _, cert := range certs {
			if !seen[cert.ID] {
				seen[cert.ID] = true
				all = append(all, cert)
			}
		}
		// A page with nothing new ends the walk even if total_number
		// promised more: certificates deleted meanwhile, or a PBX that
		// ignores page, must not make it spin.
		if len(all) == found || total < 0 && len(certs) < c.listPageSize || total >= 0 && int64(len(all)) >= total {
			break
		}
	}
	slices.SortFunc(all, func(a, b Certificate) int { return cmp.Compare(a.ID, b.ID) })
	return all, nil
}
