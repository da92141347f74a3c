package pbxsim

// VendorCertificates returns the three certificates of the vendor's documented
// certificate/query example (ids 4, 5, 6), freshly allocated on every call.
func VendorCertificates() []Certificate {
	return []Certificate{
		{
			ID:          4,
			Name:        "pbx_internal_ca.crt",
			Type:        "trusted",
			IssueTo:     "internal.company.local",
			Expiration:  "2025/05/25 10:45:42 AM",
			ApplyStatus: "issuance_success",
		},
		{
			ID:          5,
			Name:        "production_server_cert.pem",
			Type:        "server",
			IssueTo:     "pbx.company.com",
			Expiration:  "2025/05/25 10:45:42 AM",
			CAType:      "upload",
			AutoRenewal: ptr(1),
			DNSProvider: "alidns",
			ApplyStatus: "issuance_success",
			AuthInfoList: []AuthInfo{
				{K: "TTL", IV: ptr[int64](600)},
				{K: "AccessKeyId", SV: ptr("AKIAIXXXXXXXXXXAMPLE")},
				{K: "AccessKeySecret", SV: ptr("wJalrXUXXXXXXXXXXLEKEY")},
				{K: "PropagationTimeout", IV: ptr[int64](300)},
				{K: "PollingInterval", IV: ptr[int64](5)},
			},
		},
		{
			ID:          6,
			Name:        "docs_server_cert.pem",
			Type:        "server",
			IssueTo:     "docs.company.com",
			Expiration:  "2026/04/19 08:56:08 AM",
			CAType:      "apply",
			AutoRenewal: ptr(1),
			DNSProvider: "alidns",
			ApplyStatus: "issuance_success",
			AuthInfoList: []AuthInfo{
				{K: "PropagationTimeout", IV: ptr[int64](300)},
				{K: "PollingInterval", IV: ptr[int64](5)},
				{K: "TTL", IV: ptr[int64](600)},
				{K: "AccessKeyId", SV: ptr("AKIAIOSFODNN7EXAMPLE")},
				{K: "AccessKeySecret", SV: ptr("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")},
			},
		},
	}
}

func ptr[T any](v T) *T { return &v }
