package zoomfake

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Where the simulator serves recording files, on the host an API request
// reached: the download_url of a recording file is <base>DownloadPath<id>,
// its play_url <base>PlayPath<id>, and the download_url of the transcript
// endpoint <base>TranscriptDownloadPath<id>, where <base> is the scheme
// and host of the API request ("http://" unless it came over TLS) and <id>
// the file's ID. All three answer the file with GET, to a request that
// carries an access token of the simulator in its Authorization header
// ("Bearer <token>"), and Zoom's 401 (code 124) to any other: a token in
// the query string is not accepted.
const (
	DownloadPath           = "/rec/download/"
	PlayPath               = "/rec/play/"
	TranscriptDownloadPath = "/rec/meeting/transcript/download/"
)

// filePaths are the path prefixes routes serves files under.
var filePaths = []string{DownloadPath, PlayPath, TranscriptDownloadPath}

// DownloadOp is the name file downloads are counted under in
// [Server.RequestsFor] and [Stats].
const DownloadOp = "rec.download"

// download answers GET of a recording file. Files of trashed recordings,
// and transcripts that cannot be downloaded, are not found.
func (s *Server) download(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests++
	s.counts[DownloadOp]++
	g, e := s.bearer(r, s.now())
	if e != nil {
		s.mu.Unlock()
		writeError(w, e)
		return
	}
	in, f := s.fileByID(r.PathValue("fileId"))
	if f == nil {
		s.mu.Unlock()
		writeError(w, notFound(codeNotFound, "Not Found"))
		return
	}
	if !mayDownload(g, in) {
		s.mu.Unlock()
		writeError(w, errNoPermission())
		return
	}
	body := s.fileBody(in, f) // never changes once made: safe to write unlocked
	name := fileName(f)
	s.mu.Unlock()

	disposition := "attachment"
	if strings.HasPrefix(r.URL.Path, PlayPath) {
		disposition = "inline"
	}
	h := w.Header()
	h.Set("Content-Type", contentType(f))
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("Content-Disposition", disposition+`; filename="`+name+`"`)
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body) // the client went away: nothing to do
	}
}

// fileByID finds a listed file of a recording not in the trash.
func (s *Server) fileByID(id string) (*instance, *recordingFile) {
	for _, in := range s.past {
		if in.Recording == nil || !in.Recording.trashedAt.IsZero() {
			continue
		}
		for _, f := range in.Recording.Files {
			if f.ID == id {
				return in, f
			}
		}
	}
	return nil, nil
}

// fileBody is the content of f, made on first use: the WebVTT text of a
// transcript, the chat of the instance, a few placeholder bytes of video
// or audio (an MP4 header). The caller holds s.mu.
func (s *Server) fileBody(in *instance, f *recordingFile) []byte {
	if f.body != nil {
		return f.body
	}
	switch f.FileType {
	case "TRANSCRIPT":
		f.body = f.vtt.render(f.End.Sub(f.Start))
	case "CHAT":
		f.body = chatText(in, f.Start)
	case "M4A":
		f.body = mp4Header("M4A ")
	default:
		f.body = mp4Header("mp42")
	}
	return f.body
}

// fileSize is the file_size of f: the size of the text files served, the
// nominal size of a real recording for video and audio.
func (s *Server) fileSize(in *instance, f *recordingFile) int64 {
	switch f.FileType {
	case "TRANSCRIPT", "CHAT":
		return int64(len(s.fileBody(in, f)))
	}
	return f.Size
}

// contentType is the media type a file is served with.
func contentType(f *recordingFile) string {
	switch f.FileExtension {
	case "VTT":
		return "text/vtt"
	case "TXT":
		return "text/plain; charset=utf-8"
	case "M4A":
		return "audio/mp4"
	}
	return "video/mp4"
}

// fileName is the name Zoom gives a downloaded file, from the recording's
// start: "GMT20260613-160005_Recording.transcript.vtt".
func fileName(f *recordingFile) string {
	stem := "GMT" + f.Start.UTC().Format("20060102-150405") + "_Recording"
	switch f.FileType {
	case "TRANSCRIPT":
		return stem + ".transcript.vtt"
	case "CHAT":
		return stem + "newChat.txt"
	case "M4A":
		return stem + ".m4a"
	}
	return stem + "_1920x1080.mp4"
}

// mp4Header is an ISO base media "ftyp" box of the given major brand: the
// first bytes of a real MP4 or M4A file, enough for a type sniffer.
func mp4Header(brand string) []byte {
	b := []byte{0, 0, 0, 24}
	b = append(b, "ftyp"+brand...)
	b = append(b, 0, 0, 0, 0)
	return append(b, "isommp42"...)
}

// chatText is the in-meeting chat as Zoom saves it: a line per message,
// "HH:MM:SS From Name to Everyone:", then the text indented by a tab.
func chatText(in *instance, start time.Time) []byte {
	lines := []string{"Hi all, joining from the train — audio may drop.", "Slides: see the shared drive", "+1", "Thanks, everyone!"}
	var b strings.Builder
	for i, p := range in.Participants {
		at := p.Join.Add(time.Duration(i+1) * 90 * time.Second).Sub(start)
		at = max(at, 0)
		fmt.Fprintf(&b, "%s From %s to Everyone:\n\t%s\n", vttTime(at)[:8], p.Name, lines[i%len(lines)])
	}
	return []byte(b.String())
}
