package zoomapi

import (
	"encoding/json"
	"testing"
	"time"
)

func TestTimeJSON(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Time
		out     string
		wantErr bool
	}{
		{in: `"2022-03-25T07:29:29Z"`, want: time.Date(2022, 3, 25, 7, 29, 29, 0, time.UTC), out: `"2022-03-25T07:29:29Z"`},
		{in: `"2022-03-25T09:29:29+02:00"`, want: time.Date(2022, 3, 25, 7, 29, 29, 0, time.UTC), out: `"2022-03-25T07:29:29Z"`},
		{in: `"2022-03-25T07:29:29.5Z"`, want: time.Date(2022, 3, 25, 7, 29, 29, 5e8, time.UTC), out: `"2022-03-25T07:29:29.5Z"`},
		{in: `"2022-03-25T07:29:29"`, want: time.Date(2022, 3, 25, 7, 29, 29, 0, time.UTC), out: `"2022-03-25T07:29:29Z"`},
		{in: `""`, out: `""`},
		{in: `null`, out: `""`},
		{in: `"12/22/2021 16:20"`, wantErr: true},
		{in: `1648194360000`, wantErr: true},
	}
	for _, tt := range tests {
		var got Time
		err := json.Unmarshal([]byte(tt.in), &got)
		if (err != nil) != tt.wantErr {
			t.Errorf("Unmarshal(%s) err = %v, wantErr %v", tt.in, err, tt.wantErr)
			continue
		}
		if tt.wantErr {
			continue
		}
		if !got.Equal(tt.want) {
			t.Errorf("Unmarshal(%s) = %v, want %v", tt.in, got, tt.want)
		}
		b, _ := json.Marshal(got)
		if string(b) != tt.out {
			t.Errorf("Marshal(%s) = %s, want %s", tt.in, b, tt.out)
		}
	}
}

func TestTimeOmitzero(t *testing.T) {
	b, _ := json.Marshal(Occurrence{OccurrenceID: "1"})
	if string(b) != `{"occurrence_id":"1"}` {
		t.Errorf("got %s", b)
	}
	if got := FormatTime(time.Date(2025, 3, 20, 10, 0, 0, 0, time.FixedZone("CET", 3600))); got != "2025-03-20T09:00:00Z" {
		t.Errorf("FormatTime = %s", got)
	}
}

func TestNumString(t *testing.T) {
	for in, want := range map[string]NumString{`"1"`: "1", `2`: "2", `null`: "", `"abc"`: "abc", `97891943927`: "97891943927"} {
		var got NumString
		if err := json.Unmarshal([]byte(in), &got); err != nil || got != want {
			t.Errorf("Unmarshal(%s) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{`true`, `{}`, `[1]`} {
		var got NumString
		if err := json.Unmarshal([]byte(in), &got); err == nil {
			t.Errorf("Unmarshal(%s) = %q, want error", in, got)
		}
	}
	if NumString("8").Int() != 8 || NumString("x").Int() != 0 {
		t.Error("Int")
	}
	b, _ := json.Marshal(struct {
		T NumString `json:"type"`
	}{"2"})
	if string(b) != `{"type":"2"}` {
		t.Errorf("Marshal = %s", b)
	}
}

func FuzzTime(f *testing.F) {
	f.Add([]byte(`"2022-03-25T07:29:29Z"`))
	f.Add([]byte(`""`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var tm Time
		if json.Unmarshal(data, &tm) != nil {
			return
		}
		b, err := json.Marshal(tm)
		if err != nil {
			t.Fatal(err)
		}
		var back Time
		if err := json.Unmarshal(b, &back); err != nil || !back.Equal(tm.Time) {
			t.Fatalf("round trip of %s: %s -> %v, %v", data, b, back, err)
		}
	})
}
