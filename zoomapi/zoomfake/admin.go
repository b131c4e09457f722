package zoomfake

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The simulator's admin endpoints play what happens in Zoom's clients,
// which no REST call does: a meeting starts, people join and leave, it
// ends, its cloud recording completes. Like [StatsPath] they live outside
// /v2, take no token and are not counted. Each has a Go method of the same
// effect for in-process tests. The state changes emit the events Zoom
// sends (see webhook.go).
//
//	POST   /_simulator/meetings/{id}/start               StartMeeting
//	POST   /_simulator/meetings/{id}/end                 EndMeeting
//	POST   /_simulator/meetings/{id}/participants        JoinMeeting: {"name", "email"} -> {"participant_id", ...}
//	DELETE /_simulator/meetings/{id}/participants/{pid}  LeaveMeeting
//	POST   /_simulator/meetings/{id}/recording           CompleteRecording
//
// Errors are Zoom's JSON error bodies: 404 code 3001 for an unknown
// meeting, 400 code 3000 for a meeting in the wrong state.
const AdminPrefix = "/_simulator/meetings/"

func (s *Server) adminRoutes() {
	s.mux.HandleFunc("POST "+AdminPrefix+"{id}/start", s.adminStart)
	s.mux.HandleFunc("POST "+AdminPrefix+"{id}/end", s.adminEnd)
	s.mux.HandleFunc("POST "+AdminPrefix+"{id}/participants", s.adminJoin)
	s.mux.HandleFunc("DELETE "+AdminPrefix+"{id}/participants/{pid}", s.adminLeave)
	s.mux.HandleFunc("POST "+AdminPrefix+"{id}/recording", s.adminRecording)
}

// liveMeeting finds meeting id (not deleted); live requires it in progress.
func (s *Server) liveMeeting(id int64, live bool) (*session, *apiError) {
	m := s.meetings[id]
	if m == nil || m.deleted() {
		return nil, errMeetingNotFound(itoa(id))
	}
	if live && (m.Status != "started" || m.live == nil) {
		return nil, badRequest(codeMeeting, "The meeting is not in progress.")
	}
	return m, nil
}

// StartMeeting puts meeting id in progress, as when its host starts it:
// its status becomes "started" and a live instance, with the host as its
// first participant, begins now. It emits meeting.started, then
// meeting.participant_joined for the host.
func (s *Server) StartMeeting(id int64) error {
	s.seeded(context.Background())
	s.mu.Lock()
	defer s.mu.Unlock()
	_, e := s.startMeeting(id)
	if e != nil {
		return e
	}
	return nil
}

func (s *Server) startMeeting(id int64) (*session, *apiError) {
	m, e := s.liveMeeting(id, false)
	if e != nil {
		return nil, e
	}
	if m.Status == "started" {
		return nil, badRequest(codeMeeting, "The meeting is already in progress.")
	}
	s.startLocked(m)
	s.emitStarted(m)
	for _, p := range m.live.Participants {
		s.emitJoined(m, m.live, p)
	}
	return m, nil
}

// EndMeeting ends meeting id in progress, as when its host ends it for
// all (see endMeeting: the instance gets its recording and summary). It
// emits meeting.participant_left for everyone still in it, then
// meeting.ended.
func (s *Server) EndMeeting(id int64) error {
	s.seeded(context.Background())
	s.mu.Lock()
	defer s.mu.Unlock()
	m, e := s.liveMeeting(id, true)
	if e != nil {
		return e
	}
	s.endAndEmit(m, s.now())
	return nil
}

// endAndEmit ends m's live instance and emits its events.
func (s *Server) endAndEmit(m *session, now time.Time) {
	in := m.live
	var present []*participant
	for _, p := range in.Participants {
		if p.Leave.IsZero() {
			present = append(present, p)
		}
	}
	s.endMeeting(m, now)
	for _, p := range present {
		s.emitLeft(m, in, p, "Host ended the meeting.")
	}
	s.emitEnded(m, in)
}

// JoinMeeting adds a participant to meeting id in progress and returns the
// participant's ID; it emits meeting.participant_joined.
func (s *Server) JoinMeeting(id int64, name, email string) (string, error) {
	s.seeded(context.Background())
	s.mu.Lock()
	defer s.mu.Unlock()
	p, e := s.join(id, name, email)
	if e != nil {
		return "", e
	}
	return p.ID, nil
}

func (s *Server) join(id int64, name, email string) (*participant, *apiError) {
	m, e := s.liveMeeting(id, true)
	if e != nil {
		return nil, e
	}
	if strings.TrimSpace(name) == "" {
		return nil, invalidFields("name")
	}
	if email != "" && !validEmail(email) {
		return nil, invalidFields("email")
	}
	p := &participant{
		ID: s.newID("participant"), UserID: itoa(16778240 + s.next()), Name: name, Email: email,
		Join: s.now().Truncate(time.Second),
	}
	if r := m.findRegistrant("", email); r != nil && email != "" {
		p.RegistrantID = r.ID
	}
	m.live.Participants = append(m.live.Participants, p)
	s.emitJoined(m, m.live, p)
	return p, nil
}

// LeaveMeeting makes participant pid leave meeting id in progress; it
// emits meeting.participant_left.
func (s *Server) LeaveMeeting(id int64, pid string) error {
	s.seeded(context.Background())
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.leave(id, pid); e != nil {
		return e
	}
	return nil
}

func (s *Server) leave(id int64, pid string) *apiError {
	m, e := s.liveMeeting(id, true)
	if e != nil {
		return e
	}
	for _, p := range m.live.Participants {
		if p.ID == pid && p.Leave.IsZero() {
			p.Leave = s.now().Truncate(time.Second)
			if !p.Leave.After(p.Join) {
				p.Leave = p.Join.Add(time.Second)
			}
			s.emitLeft(m, m.live, p, "left the meeting")
			return nil
		}
	}
	return notFound(codeMeetingNotFound, "Participant does not exist: %s.", pid)
}

// CompleteRecording completes the cloud recording of the latest ended
// instance of meeting id: the instance gets a recording with its files
// unless it has one (ending a meeting makes one at once), a trashed one
// is restored, and recording.completed is emitted. The recordings API
// then lists it.
func (s *Server) CompleteRecording(id int64) error {
	s.seeded(context.Background())
	s.mu.Lock()
	defer s.mu.Unlock()
	_, e := s.completeRecording(id, s.base)
	if e != nil {
		return e
	}
	return nil
}

func (s *Server) completeRecording(id int64, base string) (*instance, *apiError) {
	m := s.meetings[id]
	if m == nil {
		return nil, errMeetingNotFound(itoa(id))
	}
	in := s.lastInstance(id, nil)
	if in == nil {
		if m.live != nil {
			return nil, badRequest(codeMeeting, "The meeting is in progress; end it first.")
		}
		return nil, badRequest(codeMeeting, "The meeting has not taken place.")
	}
	if in.Recording == nil {
		in.Recording = s.newRecording(in)
	}
	in.Recording.trashedAt = time.Time{}
	s.emitRecordingCompleted(m, in, base)
	return in, nil
}

// adminID is the meeting ID of an admin request.
func adminID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeError(w, errMeetingNotFound(r.PathValue("id")))
		return 0, false
	}
	return id, true
}

// admin runs f under the lock, with the base URL of the request noted.
func (s *Server) admin(w http.ResponseWriter, r *http.Request, f func(id int64) (any, *apiError)) {
	id, ok := adminID(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	s.base = baseURL(r)
	out, e := f(id)
	s.mu.Unlock()
	if e != nil {
		writeError(w, e)
		return
	}
	if out == nil {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) adminStart(w http.ResponseWriter, r *http.Request) {
	s.admin(w, r, func(id int64) (any, *apiError) {
		m, e := s.startMeeting(id)
		if e != nil {
			return nil, e
		}
		return map[string]any{
			"id": m.ID, "uuid": m.live.UUID, "status": m.Status,
			"start_time": timeString(m.live.Start), "host_participant_id": m.live.Participants[0].ID,
		}, nil
	})
}

func (s *Server) adminEnd(w http.ResponseWriter, r *http.Request) {
	s.admin(w, r, func(id int64) (any, *apiError) {
		m, e := s.liveMeeting(id, true)
		if e != nil {
			return nil, e
		}
		in := m.live
		s.endAndEmit(m, s.now())
		return map[string]any{"id": m.ID, "uuid": in.UUID, "end_time": timeString(in.End)}, nil
	})
}

func (s *Server) adminJoin(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	var in struct {
		Name  string `json:"name"`
		Email string `json:"email"`
	}
	if err != nil || (len(body) > 0 && json.Unmarshal(body, &in) != nil) {
		writeError(w, errBadJSON())
		return
	}
	s.admin(w, r, func(id int64) (any, *apiError) {
		p, e := s.join(id, in.Name, in.Email)
		if e != nil {
			return nil, e
		}
		return map[string]any{
			"participant_id": p.ID, "user_id": p.UserID, "name": p.Name, "email": p.Email,
			"join_time": timeString(p.Join),
		}, nil
	})
}

func (s *Server) adminLeave(w http.ResponseWriter, r *http.Request) {
	s.admin(w, r, func(id int64) (any, *apiError) {
		return nil, s.leave(id, r.PathValue("pid"))
	})
}

func (s *Server) adminRecording(w http.ResponseWriter, r *http.Request) {
	s.admin(w, r, func(id int64) (any, *apiError) {
		in, e := s.completeRecording(id, s.base)
		if e != nil {
			return nil, e
		}
		return s.recordingJSON(in, false, s.base), nil
	})
}
