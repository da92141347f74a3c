package provider

import (
	"testing"
	"time"
)

func TestExpirationParserParse(t *testing.T) {
	cases := []struct {
		name, dateFormat, timeZone, text string
		want                             string // RFC 3339; empty means unparseable
	}{
		{"vendor example, 12-hour", DateFormatYMD, "UTC", "2025/05/25 10:45:42 AM", "2025-05-25T10:45:42Z"},
		{"PM adds twelve hours", DateFormatYMD, "UTC", "2025/05/25 10:45:42 PM", "2025-05-25T22:45:42Z"},
		{"12 AM is midnight", DateFormatYMD, "UTC", "2025/05/25 12:00:00 AM", "2025-05-25T00:00:00Z"},
		{"24-hour clock", DateFormatYMD, "UTC", "2025/05/25 22:45:42", "2025-05-25T22:45:42Z"},
		{"lower-case pm and extra spaces", DateFormatYMD, "UTC", " 2025/05/25  1:02:03 pm ", "2025-05-25T13:02:03Z"},
		{"month first", DateFormatMDY, "UTC", "04/19/2026 08:56:08 AM", "2026-04-19T08:56:08Z"},
		{"day first", DateFormatDMY, "UTC", "19/04/2026 20:56:08", "2026-04-19T20:56:08Z"},
		{"day first is not month first", DateFormatDMY, "UTC", "04/19/2026 08:56:08 AM", ""},
		{"unpadded date", DateFormatMDY, "UTC", "4/9/2026 8:56:08 AM", "2026-04-09T08:56:08Z"},
		{"no seconds", DateFormatYMD, "UTC", "2026/04/19 08:56", "2026-04-19T08:56:00Z"},
		{"east of UTC", DateFormatYMD, "Asia/Shanghai", "2025/05/25 10:45:42 AM", "2025-05-25T02:45:42Z"},
		{"west of UTC with DST", DateFormatYMD, "America/New_York", "2025/07/01 08:00:00", "2025-07-01T12:00:00Z"},
		{"west of UTC without DST", DateFormatYMD, "America/New_York", "2025/01/01 08:00:00", "2025-01-01T13:00:00Z"},
		{"13 o'clock PM is nonsense", DateFormatYMD, "UTC", "2025/05/25 13:45:42 PM", ""},
		{"empty", DateFormatYMD, "UTC", "", ""},
		{"ISO text is not the PBX's", DateFormatYMD, "UTC", "2025-05-25T10:45:42Z", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			parser, err := NewExpirationParser(tc.dateFormat, tc.timeZone)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := parser.Parse(tc.text)
			if tc.want == "" {
				if ok {
					t.Fatalf("Parse(%q) = %s, want no match", tc.text, got.Format(time.RFC3339))
				}
				return
			}
			if !ok {
				t.Fatalf("Parse(%q) found no match, want %s", tc.text, tc.want)
			}
			if s := got.Format(time.RFC3339); s != tc.want {
				t.Fatalf("Parse(%q) = %s, want %s", tc.text, s, tc.want)
			}
		})
	}
}

func TestNewExpirationParserRefusesBadSettings(t *testing.T) {
	for _, tc := range []struct{ dateFormat, timeZone string }{
		{"YYYY-MM-DD", "UTC"},
		{"", "UTC"},
		{DateFormatYMD, "Mars/Olympus"},
		{DateFormatYMD, ""},
		{DateFormatYMD, "Local"},
	} {
		if _, err := NewExpirationParser(tc.dateFormat, tc.timeZone); err == nil {
			t.Errorf("NewExpirationParser(%q, %q) accepted bad settings", tc.dateFormat, tc.timeZone)
		}
	}
}
