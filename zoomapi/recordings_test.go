package zoomapi

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
)

func TestRecordingsService(t *testing.T) {
	const files = `[{"id":"72576a1f","meeting_id":"L0AGOEPVR9m5WSOOs/d+FQ==","recording_start":"2021-03-18T05:41:36Z","recording_end":"2021-03-18T05:51:36Z",
		"file_type":"TRANSCRIPT","file_extension":"VTT","file_size":7220,"play_url":"https://zoom.us/rec/play/x","download_url":"https://zoom.us/rec/download/x",
		"status":"completed","recording_type":"audio_transcript"}]`
	wantFiles := []RecordingFile{{ID: "72576a1f", MeetingID: "L0AGOEPVR9m5WSOOs/d+FQ==", RecordingStart: tm("2021-03-18T05:41:36Z"), RecordingEnd: tm("2021-03-18T05:51:36Z"),
		FileType: FileTypeTranscript, FileExtension: "VTT", FileSize: 7220, PlayURL: "https://zoom.us/rec/play/x", DownloadURL: "https://zoom.us/rec/download/x",
		Status: "completed", RecordingType: "audio_transcript"}}
	runAPICases(t, []apiCase{
		{
			name: "List",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return wrap(c.Recordings.List(ctx, "me", &ListRecordingsOptions{From: "2025-03-01", To: "2025-03-14", Trash: true, TrashType: "recording_file", MC: true, MeetingID: 6840331990}))
			},
			method: "GET", path: "/users/me/recordings",
			query: q("from", "2025-03-01", "to", "2025-03-14", "trash", "true", "trash_type", "recording_file", "mc", "true", "meeting_id", "6840331990"),
			reply: `{"from":"2025-03-01","to":"2025-03-14","page_size":30,"total_records":1,"meetings":[{"uuid":"BOKX==","id":6840331990,"type":2,"topic":"T",
				"start_time":"2021-03-18T05:41:36Z","total_size":7220,"recording_count":1,"recording_files":` + files + `}]}`,
			want: &RecordingList{From: "2025-03-01", To: "2025-03-14", Page: Page{PageSize: 30, TotalRecords: 1}, Meetings: []Recording{{
				UUID: "BOKX==", ID: 6840331990, Type: "2", Topic: "T", StartTime: tm("2021-03-18T05:41:36Z"), TotalSize: 7220, RecordingCount: 1,
				RecordingFiles: wantFiles,
			}}},
		},
		{
			name: "Get/numeric ID",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return wrap(c.Recordings.Get(ctx, "6840331990", &GetRecordingsOptions{IncludeFields: "download_access_token", TTL: 3600}))
			},
			method: "GET", path: "/meetings/6840331990/recordings", query: q("include_fields", "download_access_token", "ttl", "3600"),
			reply: `{"id":6840331990,"type":"8","download_access_token":"abJh","password":"981651","recording_files":` + files + `}`,
			want:  &Recording{ID: 6840331990, Type: "8", DownloadAccessToken: "abJh", Password: "981651", RecordingFiles: wantFiles},
		},
		{
			name: "Get/plain UUID is encoded once",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return wrap(c.Recordings.Get(ctx, "4444AAAiAAAAAiAiAiiAii==", nil))
			},
			method: "GET", path: "/meetings/4444AAAiAAAAAiAiAiiAii==/recordings", reply: `{}`, want: &Recording{},
		},
		{
			name: "Get/UUID starting with slash is double-encoded",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return wrap(c.Recordings.Get(ctx, "/ajXp112QmuoKj4854875==", nil))
			},
			method: "GET", path: "/meetings/%252FajXp112QmuoKj4854875==/recordings", reply: `{}`,
		},
		{
			name: "Get/UUID with double slash is double-encoded",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return wrap(c.Recordings.Get(ctx, "aB//cD+eF==", nil))
			},
			method: "GET", path: "/meetings/aB%252F%252FcD+eF==/recordings", reply: `{}`,
		},
		{
			name: "Get/UUID with one inner slash is encoded once",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return wrap(c.Recordings.Get(ctx, "aB/cD==", nil))
			},
			method: "GET", path: "/meetings/aB%2FcD==/recordings", reply: `{}`,
		},
		{
			name: "Delete/trash by default",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noResult(c.Recordings.Delete(ctx, "6840331990", nil))
			},
			method: "DELETE", path: "/meetings/6840331990/recordings",
		},
		{
			name: "Delete/permanently, double-encoded UUID",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noResult(c.Recordings.Delete(ctx, "/abc==", &DeleteRecordingsOptions{Action: RecordingActionDelete}))
			},
			method: "DELETE", path: "/meetings/%252Fabc==/recordings", query: q("action", "delete"),
		},
	})
}

func TestRecordingsArguments(t *testing.T) {
	c, mux, _ := setup(t)
	reqs := recordAll(mux, 200, `{}`)
	ctx := context.Background()
	var ae *ArgumentError
	if _, _, err := c.Recordings.Get(ctx, "", nil); !errors.As(err, &ae) {
		t.Errorf("Get(\"\") err = %v, want ArgumentError", err)
	}
	if _, err := c.Recordings.Delete(ctx, "1", &DeleteRecordingsOptions{Action: "purge"}); !errors.As(err, &ae) || ae.Arg != "action" {
		t.Errorf("Delete(purge) err = %v, want ArgumentError for action", err)
	}
	if len(*reqs) != 0 {
		t.Errorf("%d requests sent for invalid arguments", len(*reqs))
	}
}

func FuzzDecodeRecording(f *testing.F) {
	f.Add([]byte(`{"id":6840331990,"type":"1","recording_files":[{"file_type":"MP4","file_size":7220,"recording_start":"2021-03-18T05:41:36Z","deleted_time":""}]}`))
	f.Add([]byte(`{"type":2,"total_size":1e3}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var r Recording
		if json.Unmarshal(data, &r) == nil {
			if _, err := json.Marshal(&r); err != nil {
				t.Fatal(err)
			}
		}
		var l RecordingList
		_ = json.Unmarshal(data, &l)
	})
}
