// Package inproc connects an HTTP client to a handler in the same process.
package inproc

import (
	"net/http"
	"net/http/httptest"
)

// Client returns an *http.Client that hands every request to h inside
// this process, without a socket. The sandbox uses it to reach the built-in
// Zoom simulator.
func Client(h http.Handler) *http.Client {
	return &http.Client{Transport: inProcessTransport{h}}
}

type inProcessTransport struct{ h http.Handler }

func (t inProcessTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	// Give the handler what a server request has and a client request may
	// lack: a non-nil body, the request URI and a remote address.
	sr := r.Clone(r.Context())
	if sr.Body == nil {
		sr.Body = http.NoBody
	}
	sr.RequestURI = r.URL.RequestURI()
	sr.RemoteAddr = "127.0.0.1:1"
	rec := httptest.NewRecorder()
	serve(t.h, rec, sr)
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}

// serve runs h as net/http's server would: a panic in the handler becomes a
// 500 answer, not a crash of the calling goroutine.
func serve(h http.Handler, w *httptest.ResponseRecorder, r *http.Request) {
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			w.Body.Reset()
			w.Code = http.StatusInternalServerError
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Body.WriteString("internal server error")
		}
	}()
	h.ServeHTTP(w, r)
}
