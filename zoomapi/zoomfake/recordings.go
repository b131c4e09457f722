package zoomfake

import (
	"net/http"
	"slices"
	"time"
)

// newRecording makes the cloud recording of an ended instance: the video,
// the audio, the audio transcript and the chat. The transcript is ready at
// once, in plain WebVTT, its speakers the instance's participants.
func (s *Server) newRecording(in *instance) *recording {
	start := in.Start.Add(5 * time.Second)
	end := in.End
	mins := max(int64(end.Sub(start)/time.Minute), 1)
	rec := &recording{Password: s.passcode()}
	for _, f := range []struct {
		typ, ext, rtype string
		bytesPerMin     int64
	}{
		{"MP4", "MP4", "shared_screen_with_speaker_view", 5_300_000},
		{"M4A", "M4A", "audio_only", 480_000},
		{"TRANSCRIPT", "VTT", "audio_transcript", 0}, // the size of its text
		{"CHAT", "TXT", "chat_file", 0},
	} {
		rec.Files = append(rec.Files, &recordingFile{
			ID: s.newFileID(), FileType: f.typ, FileExtension: f.ext, RecordingType: f.rtype,
			Size: f.bytesPerMin * mins, Start: start, End: end,
		})
	}
	var speakers []string
	for _, p := range in.Participants {
		if !slices.Contains(speakers, p.Name) && len(speakers) < 4 {
			speakers = append(speakers, p.Name)
		}
	}
	tf := rec.Files[2]
	tf.vtt = vttStyle{speakers: speakers, seed: seedOf(in.UUID)}
	// Zoom needs a few minutes to transcribe, longer for longer meetings.
	rec.transcript = &transcript{file: tf, created: end.Add(3*time.Minute + time.Duration(mins)*5*time.Second)}
	return rec
}

// withholdTranscript makes the transcript of rec one that cannot be
// downloaded, for reason (see transcript.reason): its file is no longer
// listed, and no longer downloadable.
func (rec *recording) withholdTranscript(reason string) {
	t := rec.transcript
	t.reason = reason
	if reason == "NOT_READY" {
		t.created = time.Time{}
	}
	rec.Files = slices.DeleteFunc(rec.Files, func(f *recordingFile) bool { return f == t.file })
}

// recordingJSON is a recorded instance as the recording endpoints answer
// it; detail adds the fields of the get endpoint. base is the scheme and
// host the request reached: the files' play and download URLs point at
// the simulator itself (see DownloadPath).
func (s *Server) recordingJSON(in *instance, detail bool, base string) map[string]any {
	rec := in.Recording
	files := []any{}
	var total int64
	for _, f := range rec.Files {
		size := s.fileSize(in, f)
		total += size
		item := map[string]any{
			"id":              f.ID,
			"meeting_id":      in.UUID,
			"recording_start": timeString(f.Start),
			"recording_end":   timeString(f.End),
			"file_type":       f.FileType,
			"file_extension":  f.FileExtension,
			"file_size":       size,
			"recording_type":  f.RecordingType,
			"status":          "completed",
			"download_url":    base + DownloadPath + f.ID,
		}
		if f.FileType != "TRANSCRIPT" && f.FileType != "CHAT" {
			item["play_url"] = base + PlayPath + f.ID
		}
		if !rec.trashedAt.IsZero() {
			item["deleted_time"] = timeString(rec.trashedAt)
		}
		files = append(files, item)
	}
	typ := in.Type
	if typ == typeScreenShare {
		typ = typeScheduled
	}
	out := map[string]any{
		"uuid":                    in.UUID,
		"id":                      in.MeetingID,
		"account_id":              s.opts.AccountID,
		"host_id":                 in.HostID,
		"topic":                   in.Topic,
		"type":                    itoa(typ),
		"start_time":              timeString(in.Start),
		"duration":                in.minutes(),
		"total_size":              total,
		"recording_count":         int64(len(rec.Files)),
		"recording_files":         files,
		"recording_play_passcode": encrypted(in.MeetingID, rec.Password)[:32],
	}
	if !rec.autoDelete.IsZero() {
		out["auto_delete"] = true
		out["auto_delete_date"] = rec.autoDelete.Format(time.DateOnly)
	}
	if detail {
		out["password"] = rec.Password
		out["download_access_token"] = encrypted(in.MeetingID, "download:"+in.UUID)
	}
	return out
}

// listRecordings answers GET /users/{userId}/recordings: the user's
// recorded instances that started between from and to (default: today
// and tomorrow), newest first; trash=true lists the trash instead.
func (s *Server) listRecordings(c *call) (result, *apiError) {
	u, e := s.hostOf(c)
	if e != nil {
		return result{}, notFound(codeUserNotFound, "User %s does not exist, or does not belong to this account.", pathID(c, "userId"))
	}
	q := newQuery(c)
	trash := q.boolean("trash", false)
	q.oneOf("trash_type", "meeting_recordings", "meeting_recordings", "recording_file")
	q.oneOf("mc", "false", "false", "true")
	from, hasFrom := q.date("from")
	to, hasTo := q.date("to")
	var meetingID int64
	if v := q.v.Get("meeting_id"); v != "" {
		var ok bool
		if meetingID, ok = parseInt(v); !ok {
			q.bad = append(q.bad, "meeting_id")
		}
	}
	if e := q.err(); e != nil {
		return result{}, e
	}
	// Zoom's defaults: from today to tomorrow.
	today := startOfDay(c.now)
	switch {
	case !hasFrom && !hasTo:
		from, to = today, today.AddDate(0, 0, 1)
	case !hasFrom:
		from = to.AddDate(0, 0, -1)
	case !hasTo:
		to = today.AddDate(0, 0, 1)
		if to.Before(from) {
			to = from
		}
	}
	if e := checkRange(from, to); e != nil {
		return result{}, e
	}
	p, e := s.pageOf(c, maxPageSize)
	if e != nil {
		return result{}, e
	}
	var ins []*instance
	for i := len(s.past) - 1; i >= 0; i-- {
		in := s.past[i]
		if in.HostID != u.ID || in.Recording == nil || in.Recording.trashedAt.IsZero() == trash {
			continue
		}
		if meetingID != 0 && in.MeetingID != meetingID {
			continue
		}
		// The trash is not filtered by date, as on Zoom.
		if day := startOfDay(in.Start); !trash && (day.Before(from) || day.After(to)) {
			continue
		}
		ins = append(ins, in)
	}
	pi := s.cut(c, p, len(ins))
	items := []any{}
	for _, in := range ins[pi.start:pi.end] {
		items = append(items, s.recordingJSON(in, false, baseURL(c.r)))
	}
	return result{http.StatusOK, map[string]any{
		"from":            from.Format(time.DateOnly),
		"to":              to.Format(time.DateOnly),
		"page_size":       p.size,
		"page_count":      pi.pageCount,
		"total_records":   len(ins),
		"next_page_token": pi.nextPageToken,
		"meetings":        items,
	}}, nil
}

// recordedInstance finds the recorded, untrashed instance a meetingId
// (meeting ID: the latest instance; or instance UUID) names.
func (s *Server) recordedInstance(c *call) (*instance, *apiError) {
	in := s.instanceRef(pathID(c, "meetingId"), func(in *instance) bool {
		return in.Recording != nil && in.Recording.trashedAt.IsZero()
	})
	if in == nil {
		return nil, notFound(codeNoRecording, "There is no recording for this meeting.")
	}
	return in, nil
}

// getMeetingRecordings answers GET /meetings/{meetingId}/recordings.
func (s *Server) getMeetingRecordings(c *call) (result, *apiError) {
	q := newQuery(c)
	if v := q.v.Get("ttl"); v != "" {
		if n, ok := parseInt(v); !ok || n < 1 || n > 604800 {
			q.bad = append(q.bad, "ttl")
		}
	}
	if e := q.err(); e != nil {
		return result{}, e
	}
	in, e := s.recordedInstance(c)
	if e != nil {
		return result{}, e
	}
	return result{http.StatusOK, s.recordingJSON(in, true, baseURL(c.r))}, nil
}

// deleteMeetingRecordings answers DELETE /meetings/{meetingId}/recordings:
// action=trash (the default) moves the files to the trash, where they stay
// listable with trash=true; action=delete removes them for good.
func (s *Server) deleteMeetingRecordings(c *call) (result, *apiError) {
	q := newQuery(c)
	action := q.oneOf("action", "trash", "trash", "delete")
	if e := q.err(); e != nil {
		return result{}, e
	}
	in := s.instanceRef(pathID(c, "meetingId"), func(in *instance) bool {
		return in.Recording != nil && (action == "delete" || in.Recording.trashedAt.IsZero())
	})
	if in == nil {
		return result{}, notFound(codeNoRecording, "There is no recording for this meeting.")
	}
	if action == "delete" {
		in.Recording = nil
	} else {
		in.Recording.trashedAt = c.now.Truncate(time.Second)
	}
	return result{status: http.StatusNoContent}, nil
}
