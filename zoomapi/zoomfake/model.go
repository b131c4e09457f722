package zoomfake

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// account is the simulated Zoom account: its users, meetings, webinars,
// past meeting instances and their cloud recordings.
type account struct {
	users     []*user // in creation order; users[0] is the owner ("me")
	usersByID map[string]*user
	meetings  map[int64]*session
	webinars  map[int64]*session
	past      []*instance // in start order
	pastByID  map[string]*instance
}

func newAccount() account {
	return account{
		usersByID: make(map[string]*user),
		meetings:  make(map[int64]*session),
		webinars:  make(map[int64]*session),
		pastByID:  make(map[string]*instance),
	}
}

// user is a member of the account.
type user struct {
	ID, Email, FirstName, LastName string
	Type                           int64 // 1 basic, 2 licensed, 4 unassigned, 99 none
	RoleID, RoleName               string
	Status                         string // active, inactive, pending
	PMI                            int64
	Timezone, Dept, JobTitle       string
	Language, Location             string
	CreatedAt, LastLogin           time.Time
}

func (u *user) displayName() string {
	return strings.TrimSpace(u.FirstName + " " + u.LastName)
}

// session is a meeting or a webinar.
type session struct {
	webinar        bool
	ID             int64
	UUID           string
	HostID         string
	Topic, Agenda  string
	Timezone       string
	Password       string
	Type           int64
	Duration       int64
	StartTime      time.Time // zero for recurring meetings with no fixed time
	CreatedAt      time.Time
	PreSchedule    bool
	Status         string // waiting or started
	Settings       map[string]any
	Recurrence     map[string]any
	TrackingFields []any
	Occurrences    []*occurrence
	Registrants    []*registrant
	live           *instance // the instance in progress, if any
	deletedAt      time.Time // soft deletion: "recover" undoes it
}

func (m *session) deleted() bool { return !m.deletedAt.IsZero() }

// registrationOpen reports whether attendees must register: approval_type
// 0 (automatic) or 1 (manual); 2 means no registration.
func (m *session) registrationOpen() bool {
	n, _ := asInt(m.Settings["approval_type"])
	return m.Settings["approval_type"] != nil && n != 2
}

// occurrence is one occurrence of a recurring meeting or webinar.
type occurrence struct {
	ID       string // the start time in Unix milliseconds, as Zoom does
	Start    time.Time
	Duration int64
	Status   string // available or deleted
}

// registrant is a person registered to a meeting or webinar.
type registrant struct {
	ID                  string
	Email               string
	FirstName, LastName string
	Status              string // approved, pending or denied
	CreateTime          time.Time
	PinCode             int64
	Extra               map[string]any // the optional registration fields
	JoinURL             string
	OccurrenceIDs       []string
	cancelled           bool
}

// instance is one past or live run of a meeting or webinar.
type instance struct {
	UUID         string
	MeetingID    int64
	webinar      bool
	HostID       string
	Topic        string
	Type         int64
	Start, End   time.Time // End is zero while the instance is live
	Participants []*participant
	Recording    *recording
	Summary      *summary // the AI Companion meeting summary, if any
}

func (in *instance) minutes() int64 {
	return int64(in.End.Sub(in.Start).Round(time.Minute) / time.Minute)
}

// participant is one join of a participant to an instance.
type participant struct {
	ID, UserID, Name, Email string
	RegistrantID            string
	Join, Leave             time.Time
}

// recording is the cloud recording of an instance.
type recording struct {
	Files     []*recordingFile // the listed, downloadable files
	Password  string
	trashedAt time.Time // zero: not in the trash
	// autoDelete is the day the host's "Delete cloud recordings after a
	// specified number of days" setting deletes it; zero: not set.
	autoDelete time.Time
	// transcript is the audio transcript; nil when it was not recorded.
	transcript *transcript
}

// transcript is the audio transcript of a cloud recording. Its file is
// among the recording's Files only while it can be downloaded.
type transcript struct {
	file *recordingFile
	// reason is Zoom's download_restriction_reason when the transcript
	// cannot be downloaded ("NOT_READY", "UNSUPPORTED" or
	// "NO_TRANSCRIPT_DATA"; a trashed recording answers
	// "DELETED_OR_TRASHED"), "" when it can.
	reason  string
	created time.Time // zero while NOT_READY
}

// recordingFile is one file of a cloud recording.
type recordingFile struct {
	ID            string
	FileType      string // MP4, M4A, TRANSCRIPT, CHAT
	FileExtension string
	RecordingType string
	Size          int64
	Start, End    time.Time
	// vtt shapes the WebVTT text of a TRANSCRIPT file.
	vtt vttStyle
	// body is the content, made on first use (see Server.fileBody); it
	// never changes once set.
	body []byte
}

// summary is the AI Companion summary of an instance. The legacy fields
// (overview, details, next steps) and the Markdown content say the same.
type summary struct {
	Title      string
	Overview   string
	Details    []summaryDetail
	NextSteps  []string
	Edited     *editedSummary // nil unless a user edited the summary
	Created    time.Time
	Modified   time.Time
	ModifiedBy string // user ID of the last editor
	DocID      string // the summary's document in Zoom Docs
	trashedAt  time.Time
}

// summaryDetail is one labelled section of a summary.
type summaryDetail struct {
	Label, Text string
}

// editedSummary is what a user changed in a summary.
type editedSummary struct {
	Overview, Details string
	NextSteps         []string
}

// next returns the next value of the simulator's sequence, the source of
// every generated ID, so that a run is reproducible.
func (s *Server) next() int64 {
	s.seq++
	return s.seq
}

// digest is a deterministic 16-byte digest of a label and a sequence number.
func digest(label string, n int64) []byte {
	sum := sha256.Sum256([]byte(label + ":" + strconv.FormatInt(n, 10)))
	return sum[:16]
}

// newMeetingID returns an unused 11-digit meeting or webinar ID.
func (s *Server) newMeetingID() int64 {
	for {
		d := digest("meeting", s.next())
		id := 10_000_000_000 + int64(binary.BigEndian.Uint64(d)%89_999_999_999)
		if s.meetings[id] == nil && s.webinars[id] == nil {
			return id
		}
	}
}

// newUUID returns an instance UUID: 16 bytes in standard base64, 24
// characters ending in "==", like Zoom's.
func (s *Server) newUUID() string {
	for {
		u := base64.StdEncoding.EncodeToString(digest("uuid", s.next()))
		if s.pastByID[u] == nil {
			return u
		}
	}
}

// newID returns an ID in the style of Zoom's user and registrant IDs: 22
// URL-safe base64 characters.
func (s *Server) newID(label string) string {
	return base64.RawURLEncoding.EncodeToString(digest(label, s.next()))
}

// newFileID returns a recording file ID, a UUID in its canonical form.
func (s *Server) newFileID() string {
	d := digest("file", s.next())
	return fmt.Sprintf("%x-%x-%x-%x-%x", d[0:4], d[4:6], d[6:8], d[8:10], d[10:16])
}

// passcode returns a 6-digit meeting passcode.
func (s *Server) passcode() string {
	d := digest("passcode", s.next())
	return fmt.Sprintf("%06d", binary.BigEndian.Uint32(d)%1_000_000)
}

// userLookup finds a user by ID or email. It does not know "me": a
// request resolves a user reference with userFor (userlevel.go), which
// knows whom the request's token acts for.
func (s *Server) userLookup(ref string) (*user, *apiError) {
	if u := s.usersByID[ref]; u != nil {
		return u, nil
	}
	for _, u := range s.users {
		if strings.EqualFold(u.Email, ref) {
			return u, nil
		}
	}
	return nil, errUserNotFound(ref)
}

func (s *Server) userByID(id string) *user {
	if u := s.usersByID[id]; u != nil {
		return u
	}
	return &user{ID: id}
}

func (s *Server) addUser(u *user) {
	s.users = append(s.users, u)
	s.usersByID[u.ID] = u
}

// addInstance records a past instance.
func (s *Server) addInstance(in *instance) {
	s.past = append(s.past, in)
	sort.SliceStable(s.past, func(i, j int) bool { return s.past[i].Start.Before(s.past[j].Start) })
	s.pastByID[in.UUID] = in
}

// lastInstance returns the latest ended instance of meeting id.
func (s *Server) lastInstance(id int64, pred func(*instance) bool) *instance {
	for i := len(s.past) - 1; i >= 0; i-- {
		in := s.past[i]
		if in.MeetingID == id && !in.End.IsZero() && (pred == nil || pred(in)) {
			return in
		}
	}
	return nil
}

// instanceRef finds an ended instance by meeting ID (the latest one) or by
// UUID, as the report and recording endpoints take either.
func (s *Server) instanceRef(ref string, pred func(*instance) bool) *instance {
	if in := s.pastByID[ref]; in != nil && !in.End.IsZero() && (pred == nil || pred(in)) {
		return in
	}
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		return s.lastInstance(id, pred)
	}
	return nil
}

// meetingRef finds a meeting (not deleted, unless withDeleted) by its ID,
// or by the UUID of one of its instances.
func (s *Server) meetingRef(ref string, withDeleted bool) (*session, *apiError) {
	var m *session
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		m = s.meetings[id]
	} else if in := s.pastByID[ref]; in != nil && !in.webinar {
		m = s.meetings[in.MeetingID]
	} else {
		for _, cand := range s.meetings {
			if cand.UUID == ref {
				m = cand
			}
		}
	}
	if m == nil || (m.deleted() && !withDeleted) {
		return nil, errMeetingNotFound(ref)
	}
	return m, nil
}

func (s *Server) webinarRef(ref string) (*session, *apiError) {
	id, err := strconv.ParseInt(ref, 10, 64)
	if err != nil {
		if in := s.pastByID[ref]; in != nil && in.webinar {
			id = in.MeetingID
		}
	}
	w := s.webinars[id]
	if w == nil || w.deleted() {
		return nil, errWebinarNotFound(ref)
	}
	return w, nil
}

// timeString formats t as Zoom does, in UTC: "2026-12-01T10:00:00Z".
func timeString(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05Z")
}
