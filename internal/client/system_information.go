package client

import (
	"context"
	"encoding/json"
)

const systemInformationEndpoint = "system/information"

// SystemInformation is what the PBX says of its clock: enough to learn
// how it renders dates and its offset from UTC.
type SystemInformation struct {
	SystemTime       string // the PBX's local time, in its display format
	SystemDateFormat string // e.g. "YYYY/MM/DD", as the PBX spells it
	SystemTimeFormat string // 12- or 24-hour, as the PBX spells it
	Timestamp        int64  // Unix seconds at SystemTime
}

// SystemInformation reads system/information.
func (c *Client) SystemInformation(ctx context.Context) (*SystemInformation, error) {
	env, err := c.call(ctx, systemInformationEndpoint, nil)
	if err != nil {
		return nil, err
	}
	fields := env.Fields
	if _, top := fields["system_time"]; !top {
		// The vendor does not say whether the values sit at the top level
		// or in an object; accept either.
		for _, wrapper := range []string{"data", "system_information", "information"} {
			var nested map[string]json.RawMessage
			if json.Unmarshal(fields[wrapper], &nested) == nil && nested["system_time"] != nil {
				fields = nested
				break
			}
		}
	}
	info := &SystemInformation{}
	for _, f := range []struct {
		name string
		dst  *string
	}{
		{"system_time", &info.SystemTime},
		{"system_date_format", &info.SystemDateFormat},
		{"system_time_format", &info.SystemTimeFormat},
	} {
		s, err := stringField(fields, f.name)
		if err != nil {
			return nil, &ResponseError{Endpoint: systemInformationEndpoint, Reason: err.Error()}
		}
		if s != nil {
			*f.dst = *s
		}
	}
	ts, err := intField(fields, "timestamp")
	if err != nil {
		return nil, &ResponseError{Endpoint: systemInformationEndpoint, Reason: err.Error()}
	}
	if ts == nil || info.SystemTime == "" {
		return nil, &ResponseError{Endpoint: systemInformationEndpoint, Reason: "the answer has no system_time or timestamp"}
	}
	info.Timestamp = *ts
	return info, nil
}
