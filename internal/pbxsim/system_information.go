package pbxsim

import (
	"net/url"
	"time"
)

// SystemClock is how the simulated PBX shows dates and times: its
// system/information answer, and the form its expiration texts take.
type SystemClock struct {
	Location   *time.Location // nil means UTC
	DateFormat string         // "YYYY/MM/DD", "MM/DD/YYYY" or "DD/MM/YYYY"
	Hour12     bool           // AM/PM rather than a 24-hour clock
}

var dateLayouts = map[string]string{
	"YYYY/MM/DD": "2006/01/02",
	"MM/DD/YYYY": "01/02/2006",
	"DD/MM/YYYY": "02/01/2006",
}

// Layout is the Go layout of the clock's date and time display.
func (c SystemClock) Layout() string {
	clock := " 15:04:05"
	if c.Hour12 {
		clock = " 03:04:05 PM"
	}
	date, ok := dateLayouts[c.DateFormat]
	if !ok {
		date = dateLayouts["YYYY/MM/DD"]
	}
	return date + clock
}

// Format renders t as the PBX would display it.
func (c SystemClock) Format(t time.Time) string {
	loc := c.Location
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format(c.Layout())
}

// SetSystemClock sets what system/information reports. The default is UTC,
// YYYY/MM/DD and a 24-hour clock.
func (s *Server) SetSystemClock(c SystemClock) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clock = c
}

// DenySystemInformation makes system/information answer 10005 ACCESS
// DENIED, as for an API application without that permission.
func (s *Server) DenySystemInformation(deny bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.denySystemInformation = deny
}

type systemInformation struct {
	status
	SystemTime       string `json:"system_time"`
	SystemDateFormat string `json:"system_date_format"`
	SystemTimeFormat string `json:"system_time_format"`
	Timestamp        int64  `json:"timestamp"`
}

// systemInformation answers system/information; callers hold mu.
func (s *Server) systemInformation(url.Values) reply {
	if s.denySystemInformation {
		return errorReply(codeAccessDenied)
	}
	now := s.now()
	format := "24"
	if s.clock.Hour12 {
		format = "12"
	}
	dateFormat := s.clock.DateFormat
	if dateFormat == "" {
		dateFormat = "YYYY/MM/DD"
	}
	return reply{body: systemInformation{
		status:           statusOf(codeSuccess),
		SystemTime:       s.clock.Format(now),
		SystemDateFormat: dateFormat,
		SystemTimeFormat: format,
		Timestamp:        now.Unix(),
	}}
}
