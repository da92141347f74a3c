package provider

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/pbxops/terraform-provider-pbx/internal/client"
)

// fromPBX is the time_zone and date_format value that asks the PBX itself.
const fromPBX = "pbx"

// expirationClock says how the PBX renders expiry times. With time_zone or
// date_format "pbx" it reads system/information once, on the first read
// that needs it, and falls back to UTC and YYYY/MM/DD with a warning when
// the PBX will not say.
type expirationClock struct {
	dateFormat, timeZone string

	once   sync.Once
	parser ExpirationParser
}

func newExpirationClock(dateFormat, timeZone string) (*expirationClock, error) {
	clock := &expirationClock{dateFormat: dateFormat, timeZone: timeZone}
	if dateFormat != fromPBX && timeZone != fromPBX {
		parser, err := NewExpirationParser(dateFormat, timeZone)
		if err != nil {
			return nil, err
		}
		clock.once.Do(func() { clock.parser = parser })
		return clock, nil
	}
	// Check what can be checked before any request.
	if dateFormat != fromPBX {
		if _, ok := dateLayouts[dateFormat]; !ok {
			_, err := NewExpirationParser(dateFormat, defaultTimeZone)
			return nil, err
		}
	}
	if timeZone != fromPBX {
		if _, err := NewExpirationParser(DateFormatYMD, timeZone); err != nil {
			return nil, err
		}
	}
	return clock, nil
}

// expirationParser returns the parser, and the warning of a fallback to the
// first read only.
func (d *providerData) expirationParser(ctx context.Context) (ExpirationParser, diag.Diagnostics) {
	clock := d.expiration
	var diags diag.Diagnostics
	clock.once.Do(func() {
		info, err := d.client.SystemInformation(ctx)
		if err == nil {
			clock.parser, err = clock.fromSystemInformation(info)
		}
		if err != nil {
			clock.parser = clock.fallback()
			diags.AddWarning("Unable to Read the PBX's Clock",
				fmt.Sprintf("time_zone or date_format is %q, but the PBX's clock could not be read: %s\n\n"+
					"Expiry times are read as %s in %s until this is fixed. Allow the API application to read system information "+
					"in the PBX web portal (Integrations > API), or set time_zone and date_format to the PBX's settings.",
					fromPBX, err, clock.fallbackDateFormat(), clock.fallbackTimeZone()))
		}
	})
	return clock.parser, diags
}

func (c *expirationClock) fallbackDateFormat() string {
	if c.dateFormat == fromPBX {
		return DateFormatYMD
	}
	return c.dateFormat
}

func (c *expirationClock) fallbackTimeZone() string {
	if c.timeZone == fromPBX {
		return defaultTimeZone
	}
	return c.timeZone
}

func (c *expirationClock) fallback() ExpirationParser {
	parser, _ := NewExpirationParser(c.fallbackDateFormat(), c.fallbackTimeZone()) // both checked in newExpirationClock
	return parser
}

// fromSystemInformation learns the date format from system_date_format and
// the UTC offset from system_time against the Unix timestamp.
func (c *expirationClock) fromSystemInformation(info *client.SystemInformation) (ExpirationParser, error) {
	dateFormat := c.dateFormat
	if dateFormat == fromPBX {
		dateFormat = strings.ToUpper(strings.TrimSpace(info.SystemDateFormat))
		if _, ok := dateLayouts[dateFormat]; !ok {
			return ExpirationParser{}, fmt.Errorf("system_date_format %q is none of %s", info.SystemDateFormat, strings.Join(DateFormats, ", "))
		}
	}
	if c.timeZone != fromPBX {
		return NewExpirationParser(dateFormat, c.timeZone)
	}
	asUTC, err := NewExpirationParser(dateFormat, "UTC")
	if err != nil {
		return ExpirationParser{}, err
	}
	local, ok := asUTC.Parse(info.SystemTime)
	if !ok {
		return ExpirationParser{}, fmt.Errorf("system_time %q does not match the date format %s", info.SystemTime, dateFormat)
	}
	// Time zones are offset in quarter hours; rounding absorbs the seconds
	// between the PBX reading its clock and its timestamp.
	const quarterHour = 15 * 60
	offset := int64(math.Round(float64(local.Unix()-info.Timestamp)/quarterHour)) * quarterHour
	return newExpirationParserIn(dateFormat, time.FixedZone(utcOffsetName(offset), int(offset)))
}

func utcOffsetName(seconds int64) string {
	sign := "+"
	if seconds < 0 {
		sign, seconds = "-", -seconds
	}
	return fmt.Sprintf("UTC%s%02d:%02d", sign, seconds/3600, seconds%3600/60)
}
