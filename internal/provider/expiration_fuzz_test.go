package provider

import (
	"strings"
	"testing"
	"time"
)

// fuzzTimeZones covers UTC, zones with and without DST, and offsets that
// are not whole hours (Lord Howe's DST shift is 30 minutes).
var fuzzTimeZones = []string{
	"UTC", "Europe/Berlin", "America/New_York", "Asia/Shanghai", "Asia/Kathmandu",
	"Australia/Lord_Howe", "Pacific/Chatham", "America/St_Johns",
}

// How the PBX may render the date and the clock, padded or not; the
// parser's layouts are the unpadded ones.
var (
	fuzzDateRenderings = map[string][]string{
		DateFormatYMD: {"2006/1/2", "2006/01/02"},
		DateFormatMDY: {"1/2/2006", "01/02/2006"},
		DateFormatDMY: {"2/1/2006", "02/01/2006"},
	}
	fuzzClockRenderings = []struct {
		layout      string
		withSeconds bool
	}{
		{"3:04:05 PM", true}, {"03:04:05 PM", true}, {"15:04:05", true},
		{"3:04 PM", false}, {"03:04 PM", false}, {"15:04", false},
	}
)

func fuzzParser(t *testing.T, formatIndex, zoneIndex uint8) (ExpirationParser, string, *time.Location) {
	t.Helper()
	dateFormat := DateFormats[int(formatIndex)%len(DateFormats)]
	zone := fuzzTimeZones[int(zoneIndex)%len(fuzzTimeZones)]
	parser, err := NewExpirationParser(dateFormat, zone)
	if err != nil {
		t.Fatal(err)
	}
	location, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	return parser, dateFormat, location
}

// FuzzExpirationRoundTrip renders an instant as the PBX would, in every date
// format, with both clocks, padded or not, in upper or lower case, and
// parses it back. Property: the parser returns the instant the text names
// (to the minute when the clock has no seconds), in UTC.
func FuzzExpirationRoundTrip(f *testing.F) {
	f.Add(int64(1748169942), uint8(0), uint8(0), uint8(0), uint8(0))   // the vendor's 2025/05/25 10:45:42 AM
	f.Add(int64(1776588968), uint8(1), uint8(2), uint8(1), uint8(1))   // 2026/04/19 08:56:08, month first
	f.Add(int64(1730597400), uint8(2), uint8(2), uint8(5), uint8(2))   // New York's repeated hour in 2024
	f.Add(int64(1711846800), uint8(0), uint8(1), uint8(4), uint8(3))   // Berlin springs forward
	f.Add(int64(-62135596800), uint8(1), uint8(0), uint8(2), uint8(4)) // year 1
	f.Add(int64(253402300799), uint8(2), uint8(4), uint8(3), uint8(5)) // 9999-12-31 23:59:59 UTC
	f.Fuzz(func(t *testing.T, unix int64, formatIndex, zoneIndex, renderIndex, clockIndex uint8) {
		parser, dateFormat, location := fuzzParser(t, formatIndex, zoneIndex)
		instant := time.Unix(unix, 0).In(location)
		if instant.Year() < 1 || instant.Year() > 9999 {
			return // the layouts take four-digit years
		}
		dates := fuzzDateRenderings[dateFormat]
		clock := fuzzClockRenderings[int(clockIndex)%len(fuzzClockRenderings)]
		text := instant.Format(dates[int(renderIndex)%len(dates)] + " " + clock.layout)
		if renderIndex&4 != 0 {
			text = strings.ToLower(text)
		}
		if renderIndex&8 != 0 {
			text = "  " + strings.ReplaceAll(text, " ", "   ") + " "
		}

		got, ok := parser.Parse(text)
		if !ok {
			t.Fatalf("Parse(%q) in %s, %s found no match", text, dateFormat, location)
		}
		if got.Location() != time.UTC {
			t.Fatalf("Parse(%q) = %s, not in UTC", text, got)
		}
		seconds := 0
		if clock.withSeconds {
			seconds = instant.Second()
		}
		// The wall clock the text names; in a repeated hour it names two
		// instants and either is right.
		want := time.Date(instant.Year(), instant.Month(), instant.Day(), instant.Hour(), instant.Minute(), seconds, 0, location)
		if !got.Equal(want) && !sameWallClock(got.In(location), want) {
			t.Fatalf("Parse(%q) in %s, %s = %s, want %s", text, dateFormat, location, got, want.UTC())
		}
		if !clock.withSeconds || got.Equal(instant) {
			return
		}
		// With seconds, the only instant it may differ from is its twin in a repeated hour.
		if !sameWallClock(got.In(location), instant) {
			t.Fatalf("Parse(%q) in %s, %s = %s, want %s", text, dateFormat, location, got, instant.UTC())
		}
	})
}

func sameWallClock(a, b time.Time) bool {
	return a.Format("2006-01-02 15:04:05") == b.Format("2006-01-02 15:04:05")
}

// FuzzExpirationParse feeds arbitrary text to the parser. Properties: it
// never panics; a result is in UTC; and the result, rendered back in the
// PBX's format, parses to the same instant.
func FuzzExpirationParse(f *testing.F) {
	for _, seed := range []string{
		"2025/05/25 10:45:42 AM", "2025/05/25 22:45:42", " 2025/05/25  1:02:03 pm ", "04/19/2026 08:56:08 AM",
		"19/04/2026 20:56", "2025/05/25 13:45:42 PM", "2025-05-25T10:45:42Z", "", "0000/1/1 0:00", "9999/12/31 11:59:59 PM",
	} {
		f.Add(seed, uint8(0), uint8(0))
		f.Add(seed, uint8(1), uint8(2))
		f.Add(seed, uint8(2), uint8(5))
	}
	f.Fuzz(func(t *testing.T, text string, formatIndex, zoneIndex uint8) {
		parser, dateFormat, location := fuzzParser(t, formatIndex, zoneIndex)
		got, ok := parser.Parse(text)
		if !ok {
			return
		}
		if got.Location() != time.UTC {
			t.Fatalf("Parse(%q) = %s, not in UTC", text, got)
		}
		local := got.In(location)
		if local.Year() < 0 || local.Year() > 9999 {
			return // has no four-digit rendering to parse back
		}
		rendered := local.Format(fuzzDateRenderings[dateFormat][0] + " 15:04:05")
		again, ok := parser.Parse(rendered)
		if !ok || !again.Equal(got) {
			t.Fatalf("Parse(%q) in %s, %s = %s, but its rendering %q parses to %s (%v)", text, dateFormat, location, got, rendered, again, ok)
		}
	})
}
