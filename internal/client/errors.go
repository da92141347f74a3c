package client

import (
	"fmt"
	"net/http"
	"strings"
)

// APIError is an answer with errcode != 0. Error() states what the PBX
// said; Hint() says what the user can do about it.
type APIError struct {
	Endpoint      string // e.g. "certificate/query", never a URL
	Code          int
	Message       string // errmsg verbatim
	SubMsg        string
	InvalidParams []InvalidParam

	apiPath         string // for hints about a wrong api_path
	configuredToken bool   // the call used Config.AccessToken, which cannot be renewed
}

// InvalidParam is one entry of invalid_param_list.
type InvalidParam struct{ Field, Value, ValidationType string }

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: the PBX answered errcode %d", e.Endpoint, e.Code)
	if e.Message != "" {
		fmt.Fprintf(&b, " (%s)", e.Message)
	}
	if e.SubMsg != "" {
		fmt.Fprintf(&b, ": %s", e.SubMsg)
	}
	for i, p := range e.InvalidParams {
		if i == 0 {
			b.WriteString("; invalid parameters: ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(p.Field)
		if p.Value != "" {
			fmt.Fprintf(&b, "=%q", p.Value)
		}
		if p.ValidationType != "" {
			fmt.Fprintf(&b, " (%s)", p.ValidationType)
		}
	}
	return b.String()
}

const (
	blockedIPsPlace  = "Security > Security Rules > Blocked IPs"
	apiSettingsPlace = "Integrations > API"
)

// Hint says what the user should do about the error; "" when there is
// nothing better to say than the PBX's own errmsg.
func (e *APIError) Hint() string {
	switch e.Code {
	case -1:
		if strings.Contains(strings.ToUpper(e.Message), "MAX TOKEN") {
			return "The API application already has 8 valid access tokens, the PBX's limit. Tokens end after 30 minutes; " +
				"other integrations using the same client ID may be holding them. Wait, or revoke unused tokens."
		}
	case -2:
		return "The PBX reported an internal error. Try again later; if it persists, check the PBX's health."
	case 10001:
		return fmt.Sprintf("The PBX has no %q interface under api_path %q. Check api_path (default %q) and that the PBX firmware supports this endpoint.",
			e.Endpoint, e.apiPath, DefaultAPIPath)
	case 10002, 10003:
		return fmt.Sprintf("The PBX does not support the API version in api_path %q. Use an api_path the PBX firmware supports (default %q).",
			e.apiPath, DefaultAPIPath)
	case 10004:
		if e.configuredToken {
			return "The configured access_token expired or is invalid, and a configured token cannot be renewed. " +
				"Configure a new access_token, or configure client_id and client_secret instead so the token is renewed automatically."
		}
		return "The access token expired or is invalid and renewing it did not help. Try again; if it persists, check the API application on the PBX (" + apiSettingsPlace + ")."
	case 10005:
		return "The API application lacks permission for this resource. Grant it in the PBX web portal under " + apiSettingsPlace + "."
	case 40001:
		return "The PBX rejected a parameter's syntax; see the invalid parameters."
	case 40002:
		return "The PBX rejected the request's parameters. Requests without a User-Agent header also get this answer: check that no proxy strips it."
	case 60001:
		return "The requested data does not exist on the PBX."
	case 70004:
		return "This client's IP address is on the PBX's blocklist, usually after five failed logins in a row. " +
			"A PBX administrator can remove it in the PBX web portal under " + blockedIPsPlace + ". " +
			"Fix client_id and client_secret first, or the address will be blocked again."
	case 70087:
		return "The API's IP allowlist does not include this client's IP address. A PBX administrator can allow it in the PBX web portal under " +
			apiSettingsPlace + " (allowed IP addresses); if the address was blocked instead, see " + blockedIPsPlace + "."
	}
	return ""
}

// LoginRefusedError means get_token refused the client ID/secret. It is
// never retried: five failed logins in a row block the caller's IP.
type LoginRefusedError struct {
	Code    int
	Message string // errmsg verbatim
}

func (e *LoginRefusedError) Error() string {
	return fmt.Sprintf("the PBX refused the client ID/secret (get_token errcode %d %s). "+
		"Check client_id and client_secret against the PBX web portal (%s). "+
		"Five failed logins in a row block this IP on the PBX, so fix the credentials before trying again.",
		e.Code, e.Message, apiSettingsPlace)
}

// MissingCertificatesError lists the asked-for ids the PBX has no
// certificate for, ascending.
type MissingCertificatesError struct{ IDs []int64 }

func (e *MissingCertificatesError) Error() string {
	noun := "ids"
	if len(e.IDs) == 1 {
		noun = "id"
	}
	return fmt.Sprintf("the PBX has no certificate with %s %s", noun, e.IDList())
}

// IDList is the missing ids for a message: "7, 9".
func (e *MissingCertificatesError) IDList() string {
	return strings.ReplaceAll(formatIDs(e.IDs), ",", ", ")
}

// TransportError is a request that got no usable HTTP answer: a network
// failure or a non-2xx status. Its text never holds an unredacted URL.
type TransportError struct {
	Endpoint   string
	StatusCode int // 0 when no HTTP answer arrived
	Attempts   int
	Err        error // with every URL inside already redacted

	location    string // redacted target of a redirect, if any
	certProblem bool   // TLS verification failed
}

func (e *TransportError) Error() string {
	var b strings.Builder
	b.WriteString(e.Endpoint)
	b.WriteString(": ")
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, "the PBX answered HTTP %d %s", e.StatusCode, http.StatusText(e.StatusCode))
		if e.location != "" {
			fmt.Fprintf(&b, ", redirecting to %s: set base_url to the address the PBX redirects to", e.location)
		}
	} else {
		fmt.Fprintf(&b, "request failed: %v", e.Err)
		if e.certProblem {
			b.WriteString("; if the PBX's certificate is signed by a private CA, set ca_cert_pem to that CA")
		}
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	return b.String()
}

func (e *TransportError) Unwrap() error { return e.Err }

// ResponseError is an HTTP 2xx answer the client cannot use: not JSON,
// too large, missing errcode, or fields of the wrong type.
type ResponseError struct {
	Endpoint string
	Reason   string // never quotes the body, which may hold secrets
}

func (e *ResponseError) Error() string {
	return fmt.Sprintf("%s: unusable answer from the PBX: %s", e.Endpoint, e.Reason)
}
