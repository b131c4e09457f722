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
	t.h.ServeHTTP(rec, sr)
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}
