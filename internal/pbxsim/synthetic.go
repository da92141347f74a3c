package pbxsim

import (
	"fmt"
	"time"
)

// FullPBXCertificates is what a full PBX holds: 3 server certificates
// and 20 trusted CA certificates, ids 1 to 23.
func FullPBXCertificates() []Certificate {
	return SyntheticCertificates(3, 20)
}

// SyntheticCertificates returns servers server certificates (ids 1 up,
// each with DNS-provider credentials like the vendor's example) followed by
// trusted CA certificates, with distinct names and expiry dates.
func SyntheticCertificates(servers, trusted int) []Certificate {
	base := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	certs := make([]Certificate, 0, servers+trusted)
	for i := range servers + trusted {
		id := int64(i + 1)
		c := Certificate{
			ID:          id,
			Expiration:  base.Add(time.Duration(i) * 37 * time.Hour).Format("2006/01/02 03:04:05 PM"),
			ApplyStatus: "issuance_success",
		}
		if i < servers {
			c.Name = fmt.Sprintf("server_%d.pem", id)
			c.Type = "server"
			c.IssueTo = fmt.Sprintf("pbx%d.company.com", id)
			c.CAType = "apply"
			c.AutoRenewal = ptr(1)
			c.DNSProvider = "alidns"
			c.AuthInfoList = []AuthInfo{
				{K: "PropagationTimeout", IV: ptr[int64](300)},
				{K: "PollingInterval", IV: ptr[int64](5)},
				{K: "TTL", IV: ptr[int64](600)},
				{K: "AccessKeyId", SV: ptr(fmt.Sprintf("AKIASYNTHETIC%07d", id))},
				{K: "AccessKeySecret", SV: ptr(fmt.Sprintf("synthetic/secret/%023d", id))},
			}
		} else {
			c.Name = fmt.Sprintf("trusted_ca_%d.crt", id)
			c.Type = "trusted"
			c.IssueTo = fmt.Sprintf("ca%d.internal.company.local", id)
		}
		certs = append(certs, c)
	}
	return certs
}
