package zoomapi_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/zoommcp/zoom-mcp/zoomapi"
	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

// TestIntegrationDownload fetches transcripts and recording files from the
// simulator, which serves them only to a token in the Authorization header.
func TestIntegrationDownload(t *testing.T) {
	t.Run("long transcript", func(t *testing.T) {
		e := newEnv(t, zoomfake.Options{}, nil)
		ctx := t.Context()
		tr, _, err := e.c.Meetings.GetTranscript(ctx, zoomfake.SeedLongTranscriptUUID)
		mustOK(t, err)
		trace := &zoomapi.Trace{}
		vtt, resp, err := e.c.Download(zoomapi.WithTrace(ctx, trace), tr.DownloadURL, 4<<20)
		mustOK(t, err)
		if n := strings.Count(string(vtt), " --> "); n != zoomfake.SeedLongTranscriptCues || !strings.HasPrefix(string(vtt), "WEBVTT\r\n") {
			t.Errorf("%d cues, starts %q; want %d cues in CRLF lines", n, vtt[:min(len(vtt), 20)], zoomfake.SeedLongTranscriptCues)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "text/vtt" {
			t.Errorf("Content-Type = %q", ct)
		}
		path := strings.TrimPrefix(tr.DownloadURL, "http://sandbox.zoom.invalid")
		if diff := cmp.Diff([]zoomapi.TracedRequest{{Method: "GET", Path: path, Status: 200}}, trace.Requests()); diff != "" {
			t.Errorf("trace (-want +got):\n%s", diff)
		}

		_, _, err = e.c.Download(ctx, tr.DownloadURL, 1000)
		var de *zoomapi.DownloadError
		if !errors.As(err, &de) || de.Limit != 1000 {
			t.Errorf("capped at 1000 bytes: err = %v, want *DownloadError", err)
		}
	})

	t.Run("recording files", func(t *testing.T) {
		e := newEnv(t, zoomfake.Options{}, nil)
		ctx := t.Context()
		rec, _, err := e.c.Recordings.Get(ctx, zoomfake.SeedPastUUID, nil)
		mustOK(t, err)
		i := slices.IndexFunc(rec.RecordingFiles, func(f zoomapi.RecordingFile) bool { return f.FileType == zoomapi.FileTypeChat })
		if i < 0 {
			t.Fatalf("no chat file among %+v", rec.RecordingFiles)
		}
		chat := rec.RecordingFiles[i]
		// A token in the URL is dropped: the simulator would refuse it.
		data, _, err := e.c.Download(ctx, chat.DownloadURL+"?access_token=stale", 1<<20)
		mustOK(t, err)
		if int64(len(data)) != chat.FileSize || !strings.Contains(string(data), " to Everyone:") {
			t.Errorf("chat file: %d bytes (listed %d): %q", len(data), chat.FileSize, data)
		}
		// An expired token is renewed, as for any call.
		e.sim.ExpireTokens()
		_, _, err = e.c.Download(ctx, chat.DownloadURL, 1<<20)
		mustOK(t, err)
		if n := e.sim.RequestsFor(zoomfake.DownloadOp); n != 3 {
			t.Errorf("%d downloads reached the simulator, want 3", n)
		}
		// Once the recording is in the trash, its files are gone.
		_, err = e.c.Recordings.Delete(ctx, zoomfake.SeedPastUUID, nil)
		mustOK(t, err)
		_, _, err = e.c.Download(ctx, chat.DownloadURL, 1<<20)
		if !errors.Is(err, zoomapi.ErrNotFound) {
			t.Errorf("file of a trashed recording: err = %v, want not found", err)
		}
	})

	t.Run("foreign host", func(t *testing.T) {
		e := newEnv(t, zoomfake.Options{}, nil)
		before := e.sim.Requests()
		_, _, err := e.c.Download(context.Background(), "https://example.com/rec/download/x", 100)
		var de *zoomapi.DownloadError
		if !errors.As(err, &de) || de.Host != "example.com" {
			t.Errorf("err = %v, want *DownloadError for example.com", err)
		}
		if n := e.sim.Requests() - before; n != 0 {
			t.Errorf("%d requests sent", n)
		}
	})
}
