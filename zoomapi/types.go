package zoomapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Ptr returns a pointer to v, for the optional fields of request types:
//
//	&MeetingUpdateRequest{Topic: zoomapi.Ptr("Standup")}
func Ptr[T any](v T) *T { return &v }

// Time is a date-time from Zoom. Zoom sends RFC 3339 times in UTC, but
// sends "" (or nothing) for times that are not set, such as the start time
// of a meeting without a fixed time; Time decodes both "" and null as the
// zero time. It encodes as "2006-01-02T15:04:05Z" in UTC, the form Zoom
// accepts in requests; use the omitzero tag option to leave a zero Time out.
type Time struct{ time.Time }

// zoomTimeLayouts are the forms a Zoom date-time takes, most common first.
var zoomTimeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05",       // local time, as Zoom echoes a start time given with a timezone
	"2006-01-02 15:04:05Z07:00", // seen in older report payloads
	"2006-01-02 15:04:05",
}

// ParseTime parses a Zoom date-time in any of the forms Zoom sends. A time
// without a zone is taken as UTC.
func ParseTime(s string) (Time, error) {
	if s == "" {
		return Time{}, nil
	}
	for _, layout := range zoomTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return Time{t}, nil
		}
	}
	return Time{}, fmt.Errorf("zoomapi: cannot parse %q as a date-time", s)
}

// UnmarshalJSON accepts an RFC 3339 string, "", or null.
func (t *Time) UnmarshalJSON(data []byte) error {
	if bytes.Equal(data, []byte("null")) {
		*t = Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("zoomapi: date-time must be a string, got %.40s", data)
	}
	v, err := ParseTime(s)
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// MarshalJSON encodes the zero time as "" and any other as UTC RFC 3339.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte(`""`), nil
	}
	return []byte(`"` + t.String() + `"`), nil
}

// String formats t as Zoom does: "2006-01-02T15:04:05Z", or "" when zero.
func (t Time) String() string {
	if t.IsZero() {
		return ""
	}
	u := t.UTC()
	if u.Nanosecond() != 0 {
		return u.Format(time.RFC3339Nano)
	}
	return u.Format("2006-01-02T15:04:05Z")
}

// FormatTime formats t for the start_time of a request: UTC with a "Z".
// To schedule in local time instead, send "2006-01-02T15:04:05" (no zone)
// together with a timezone.
func FormatTime(t time.Time) string { return Time{t}.String() }

// NumString is a value Zoom documents as a string but may send as a JSON
// number (or the other way round), such as the type of a recorded meeting.
// It decodes either form and encodes as a string.
type NumString string

// UnmarshalJSON accepts a JSON string, number, or null.
func (n *NumString) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	switch {
	case bytes.Equal(data, []byte("null")):
		*n = ""
		return nil
	case len(data) > 0 && data[0] == '"':
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		*n = NumString(s)
		return nil
	}
	var num json.Number
	if err := json.Unmarshal(data, &num); err != nil {
		return fmt.Errorf("zoomapi: want a string or a number, got %.40s", data)
	}
	*n = NumString(num.String())
	return nil
}

// Int returns the value as an integer, or 0 if it is not one.
func (n NumString) Int() int64 {
	v, _ := strconv.ParseInt(string(n), 10, 64)
	return v
}

// Occurrence is one occurrence of a recurring meeting or webinar.
type Occurrence struct {
	OccurrenceID string `json:"occurrence_id,omitempty"`
	StartTime    Time   `json:"start_time,omitzero"`
	Duration     int    `json:"duration,omitempty"` // minutes
	Status       string `json:"status,omitempty"`   // available or deleted
}

// Recurrence types.
const (
	RecurrenceDaily   = 1
	RecurrenceWeekly  = 2
	RecurrenceMonthly = 3
)

// Recurrence is the schedule of a recurring meeting (type 8) or webinar
// (type 9). Set either EndTimes or EndDateTime.
type Recurrence struct {
	Type           int    `json:"type,omitempty"`            // 1 daily, 2 weekly, 3 monthly
	RepeatInterval int    `json:"repeat_interval,omitempty"` // every n days, weeks or months
	WeeklyDays     string `json:"weekly_days,omitempty"`     // "1" (Sunday) to "7", comma-separated
	MonthlyDay     int    `json:"monthly_day,omitempty"`     // 1 to 31
	MonthlyWeek    int    `json:"monthly_week,omitempty"`    // -1 (last), 1 to 4
	MonthlyWeekDay int    `json:"monthly_week_day,omitempty"`
	EndTimes       int    `json:"end_times,omitempty"` // number of occurrences
	EndDateTime    Time   `json:"end_date_time,omitzero"`
}

// TrackingField is a tracking field of a meeting or webinar.
type TrackingField struct {
	Field   string `json:"field"`
	Value   string `json:"value,omitempty"`
	Visible *bool  `json:"visible,omitempty"` // responses only
}

// CustomKey is a custom key-value pair of a meeting.
type CustomKey struct {
	Key   string `json:"key"`
	Value string `json:"value,omitempty"`
}

// CustomQuestion is a registrant's answer to a custom registration question.
type CustomQuestion struct {
	Title string `json:"title"`
	Value string `json:"value,omitempty"`
}

// DialInNumber is a global dial-in number of a meeting or webinar.
type DialInNumber struct {
	City        string `json:"city,omitempty"`
	Country     string `json:"country,omitempty"`
	CountryName string `json:"country_name,omitempty"`
	Number      string `json:"number,omitempty"`
	Type        string `json:"type,omitempty"` // toll or tollfree
}

// copyOpts returns a copy of *opts, or a new zero value when opts is nil, so
// that iterators never change the caller's options.
func copyOpts[T any](opts *T) *T {
	var o T
	if opts != nil {
		o = *opts
	}
	return &o
}

// checkID rejects a non-positive numeric ID before any request is sent and
// returns it formatted for a path.
func checkID(arg string, id int64) (string, error) {
	if id <= 0 {
		return "", &ArgumentError{Arg: arg, Reason: "must be a positive number"}
	}
	return strconv.FormatInt(id, 10), nil
}
