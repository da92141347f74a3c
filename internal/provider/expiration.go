package provider

import (
	"errors"
	"fmt"
	"strings"
	"time"

	// Embedded so time_zone works on hosts without a zoneinfo database
	// (Windows, minimal CI images).
	_ "time/tzdata"
)

// Date display formats the PBX offers, as its web portal names them.
const (
	DateFormatYMD = "YYYY/MM/DD"
	DateFormatMDY = "MM/DD/YYYY"
	DateFormatDMY = "DD/MM/YYYY"
)

var (
	errUnknownTimeZone   = errors.New("unknown time zone")
	errUnknownDateFormat = errors.New("unknown date format")
)

// DateFormats lists the accepted date_format values, the default first.
var DateFormats = []string{DateFormatYMD, DateFormatMDY, DateFormatDMY}

// Go layouts are unpadded on purpose: the parser then accepts "5/3/2025"
// as well as "05/03/2025".
var dateLayouts = map[string]string{
	DateFormatYMD: "2006/1/2",
	DateFormatMDY: "1/2/2006",
	DateFormatDMY: "2/1/2006",
}

var clockLayouts = []string{"3:04:05 PM", "15:04:05", "3:04 PM", "15:04"}

// ExpirationParser turns the PBX's display text for a certificate's expiry
// into an instant, using the PBX's date format and time zone.
type ExpirationParser struct {
	layouts  []string
	location *time.Location
}

// NewExpirationParser fails on an unknown date format or time zone.
func NewExpirationParser(dateFormat, timeZone string) (ExpirationParser, error) {
	location, err := time.LoadLocation(timeZone)
	if err != nil || timeZone == "" || strings.EqualFold(timeZone, "local") {
		// "Local" would silently depend on the machine running Terraform.
		return ExpirationParser{}, fmt.Errorf("%w %q", errUnknownTimeZone, timeZone)
	}
	return newExpirationParserIn(dateFormat, location)
}

func newExpirationParserIn(dateFormat string, location *time.Location) (ExpirationParser, error) {
	dateLayout, ok := dateLayouts[dateFormat]
	if !ok {
		return ExpirationParser{}, fmt.Errorf("%w %q: use one of %s", errUnknownDateFormat, dateFormat, strings.Join(DateFormats, ", "))
	}
	layouts := make([]string, len(clockLayouts))
	for i, clock := range clockLayouts {
		layouts[i] = dateLayout + " " + clock
	}
	return ExpirationParser{layouts: layouts, location: location}, nil
}

// Parse returns the instant in UTC, or false when the text matches none of
// the PBX's layouts.
func (p ExpirationParser) Parse(text string) (time.Time, bool) {
	// Normalise case and spacing: Go only matches "PM", and some firmware
	// pads with double spaces.
	normalised := strings.Join(strings.Fields(strings.ToUpper(text)), " ")
	for _, layout := range p.layouts {
		if t, err := time.ParseInLocation(layout, normalised, p.location); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}
