package zoomapi

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// apiHost returns the scheme and host of the test client's base URL: the
// one host besides Zoom's that Download may send the token to.
func apiHost(c *Client) string {
	u, _ := url.Parse(c.BaseURL())
	return u.Scheme + "://" + u.Host
}

// foreignHost starts a server that is not Zoom's and counts what reaches it.
func foreignHost(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if a := r.Header.Get("Authorization"); a != "" {
			t.Errorf("the foreign host got Authorization %q", a)
		}
		_, _ = io.WriteString(w, "stolen")
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func wantDownloadError(t *testing.T, err error, reason string) *DownloadError {
	t.Helper()
	var de *DownloadError
	if !errors.As(err, &de) {
		t.Fatalf("err = %T %v, want *DownloadError", err, err)
	}
	if !strings.Contains(de.Error(), reason) {
		t.Errorf("error %q does not say %q", de.Error(), reason)
	}
	return de
}

func TestDownloadSendsTokenInHeaderOnly(t *testing.T) {
	c, mux, _ := setup(t)
	var got recorded
	var rawQuery string
	mux.HandleFunc("GET /rec/download/{id}", func(w http.ResponseWriter, r *http.Request) {
		got = recorded{Method: r.Method, Path: r.URL.EscapedPath(), Auth: r.Header.Get("Authorization")}
		rawQuery = r.URL.RawQuery
		w.Header().Set("Content-Type", "text/vtt")
		_, _ = io.WriteString(w, "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nJill: Hello")
	})
	trace := &Trace{}
	ctx := WithTrace(context.Background(), trace)
	data, resp, err := c.Download(ctx, apiHost(c)+"/rec/download/Ab%2Bc?access_token=SECRET1&pwd=p%2B1&Download_Access_Token=SECRET2&Signature=s%2Fg#frag", 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), "WEBVTT") || resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/vtt" {
		t.Errorf("data %q, response %d %q", data, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if diff := cmp.Diff(recorded{Method: "GET", Path: "/rec/download/Ab%2Bc", Auth: "Bearer tok1"}, got); diff != "" {
		t.Errorf("request (-want +got):\n%s", diff)
	}
	// The other parameters stay as they were: a signed URL must not change.
	if rawQuery != "pwd=p%2B1&Signature=s%2Fg" {
		t.Errorf("query sent = %q, want the token parameters removed and the rest intact", rawQuery)
	}
	if diff := cmp.Diff([]TracedRequest{{Method: "GET", Path: "/rec/download/Ab%2Bc", Status: 200}}, trace.Requests()); diff != "" {
		t.Errorf("trace (-want +got):\n%s", diff)
	}
}

func TestDownloadRefusesHostsNotZoom(t *testing.T) {
	c, mux, _ := setup(t)
	reqs := recordAll(mux, 200, "x")
	foreign, hits := foreignHost(t)
	base, _ := url.Parse(c.BaseURL())
	trace := &Trace{}
	ctx := WithTrace(context.Background(), trace)
	for _, raw := range []string{
		foreign.URL + "/rec/download/x",                         // same machine, another port
		"https://" + base.Host + "/rec/download/x",              // the API host, another scheme
		"http://" + base.Hostname() + "/rec/download/x",         // the API host name, another port
		"https://127.0.0.1@" + foreign.Listener.Addr().String(), // userinfo is not the host
	} {
		_, resp, err := c.Download(ctx, raw, 100)
		de := wantDownloadError(t, err, "not one of Zoom's hosts")
		if de.Host == "" || resp != nil {
			t.Errorf("%s: Host %q, response %v", raw, de.Host, resp)
		}
	}
	if n := hits.Load(); n != 0 || len(*reqs) != 0 || len(trace.Requests()) != 0 {
		t.Errorf("refused downloads sent %d requests to the foreign host, %d to the API host, traced %v", n, len(*reqs), trace.Requests())
	}
}

func TestDownloadHost(t *testing.T) {
	c, _, _ := setup(t)
	tests := map[string]bool{
		"https://zoom.us/rec/download/x":                  true,
		"https://us06web.zoom.us/rec/download/x":          true,
		"https://ZOOM.US/rec/download/x":                  true,
		"https://ssrweb.zoom.us:443/cmr/x":                true,
		"https://zoomgov.com/rec/download/x":              true,
		"https://api.zoomgov.com/rec/download/x":          true,
		apiHost(c) + "/rec/download/x":                    true,
		"http://zoom.us/rec/download/x":                   false, // no token in clear text
		"https://evilzoom.us/x":                           false,
		"https://zoom.us.evil.example/x":                  false,
		"https://zoomgov.com.evil.example/x":              false,
		"https://notzoomgov.com/x":                        false,
		"https://zoom.com/x":                              false,
		"ftp://zoom.us/x":                                 false,
		strings.Replace(apiHost(c), "http:", "https:", 1): false,
	}
	for raw, want := range tests {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.downloadHost(u); got != want {
			t.Errorf("downloadHost(%s) = %v, want %v", raw, got, want)
		}
	}
}

func TestDownloadRedirects(t *testing.T) {
	c, mux, _ := setup(t)
	foreign, hits := foreignHost(t)
	var auth []string
	var mu sync.Mutex
	mux.HandleFunc("GET /rec/download/away", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, foreign.URL+"/steal?Signature=sig", http.StatusFound)
	})
	mux.HandleFunc("GET /rec/download/here", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/files/1?Signature=sig", http.StatusFound)
	})
	mux.HandleFunc("GET /files/1", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auth = append(auth, r.Header.Get("Authorization"))
		mu.Unlock()
		_, _ = io.WriteString(w, "file")
	})

	trace := &Trace{}
	_, resp, err := c.Download(WithTrace(context.Background(), trace), apiHost(c)+"/rec/download/away", 100)
	de := wantDownloadError(t, err, "redirected the download to "+foreign.URL)
	if strings.Contains(err.Error(), "Signature") || de.Host != foreign.Listener.Addr().String() {
		t.Errorf("error %q: want the foreign host %s named, without the query", err, foreign.Listener.Addr())
	}
	if resp == nil || resp.StatusCode != http.StatusFound {
		t.Errorf("response = %v, want the redirect", resp)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the redirect to a foreign host was followed: %d requests", n)
	}
	if diff := cmp.Diff([]TracedRequest{{Method: "GET", Path: "/rec/download/away", Status: 302}}, trace.Requests()); diff != "" {
		t.Errorf("trace (-want +got):\n%s", diff)
	}

	data, _, err := c.Download(context.Background(), apiHost(c)+"/rec/download/here", 100)
	if err != nil || string(data) != "file" {
		t.Fatalf("redirect on the same host: %q, %v", data, err)
	}
	if diff := cmp.Diff([]string{"Bearer tok1"}, auth); diff != "" {
		t.Errorf("Authorization after a redirect on the same host (-want +got):\n%s", diff)
	}
}

func TestDownloadSizeCap(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("GET /sized/{n}", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, strings.Repeat("x", len(r.PathValue("n"))))
	})
	mux.HandleFunc("GET /chunked", func(w http.ResponseWriter, r *http.Request) {
		for range 11 {
			_, _ = io.WriteString(w, "x")
			w.(http.Flusher).Flush() // no Content-Length
		}
	})
	ctx := context.Background()
	if data, _, err := c.Download(ctx, apiHost(c)+"/sized/0123456789", 10); err != nil || len(data) != 10 {
		t.Errorf("exactly the cap: %d bytes, %v", len(data), err)
	}
	for _, path := range []string{"/sized/0123456789a", "/chunked"} {
		data, _, err := c.Download(ctx, apiHost(c)+path, 10)
		de := wantDownloadError(t, err, "larger than 10 bytes")
		if de.Limit != 10 || data != nil {
			t.Errorf("%s: Limit %d, data %q", path, de.Limit, data)
		}
	}
	if _, _, err := c.Download(ctx, apiHost(c)+"/sized/1", 0); !errors.Is(err, ErrValidation) {
		t.Errorf("maxBytes 0: err = %v, want an argument error", err)
	}
}

func TestDownloadErrors(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		body     string
		ctype    string
		check    func(t *testing.T, err error)
		attempts int // requests the call makes in all
	}{
		{name: "401 without code", status: 401, body: `{"status":false,"errorCode":124,"errorMessage":"Invalid access token."}`, attempts: 1 + maxTokenRenewals,
			check: func(t *testing.T, err error) {
				var ite *InvalidTokenError
				if !errors.As(err, &ite) || !errors.Is(err, ErrInvalidToken) || ite.StatusCode != 401 || ite.Endpoint != "download" {
					t.Errorf("err = %T %v, want *InvalidTokenError", err, err)
				}
			}},
		{name: "403", status: 403, body: `{"code":200,"message":"No permission."}`, attempts: 1,
			check: func(t *testing.T, err error) { wantPlain(t, err, 403) }},
		{name: "404", status: 404, body: `{"code":3301,"message":"This recording does not exist."}`, attempts: 1,
			check: func(t *testing.T, err error) { wantNotFound(t, err) }},
		{name: "404 as an HTML page", status: 404, body: "<html>Not found</html>", ctype: "text/html", attempts: 1,
			check: func(t *testing.T, err error) { wantNotFound(t, err) }},
		{name: "sign-in page with 200", status: 200, body: "<html>Sign in</html>", ctype: "text/html; charset=utf-8", attempts: 1,
			check: func(t *testing.T, err error) { wantDownloadError(t, err, "web page instead of the file") }},
		{name: "503 retried like a read", status: 503, body: "<html>down</html>", attempts: 4,
			check: func(t *testing.T, err error) { wantPlain(t, err, 503) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux, tokens := setup(t)
			var n atomic.Int32
			mux.HandleFunc("GET /rec/download/x", func(w http.ResponseWriter, r *http.Request) {
				n.Add(1)
				if tt.ctype != "" {
					w.Header().Set("Content-Type", tt.ctype)
				}
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			})
			data, _, err := c.Download(context.Background(), apiHost(c)+"/rec/download/x", 100)
			if data != nil {
				t.Errorf("data = %q with an error", data)
			}
			tt.check(t, err)
			if got := int(n.Load()); got != tt.attempts {
				t.Errorf("%d requests, want %d (tokens invalidated: %v)", got, tt.attempts, tokens.invalidated)
			}
		})
	}
}

func TestDownloadRenewsRefusedToken(t *testing.T) {
	c, mux, tokens := setup(t)
	var seen []string
	mux.HandleFunc("GET /rec/download/x", func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.Header.Get("Authorization"))
		if r.Header.Get("Authorization") == "Bearer tok1" {
			w.WriteHeader(401)
			_, _ = io.WriteString(w, `{"code":124,"message":"Invalid access token."}`)
			return
		}
		_, _ = io.WriteString(w, "file")
	})
	data, _, err := c.Download(context.Background(), apiHost(c)+"/rec/download/x", 100)
	if err != nil || string(data) != "file" {
		t.Fatalf("Download = %q, %v", data, err)
	}
	if diff := cmp.Diff([]string{"Bearer tok1", "Bearer tok2"}, seen); diff != "" {
		t.Errorf("tokens sent (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"tok1"}, tokens.invalidated); diff != "" {
		t.Errorf("invalidated (-want +got):\n%s", diff)
	}
}

func TestDownloadRetriesAndDryRun(t *testing.T) {
	c, mux, _ := setup(t)
	var n atomic.Int32
	mux.HandleFunc("GET /rec/download/x", func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.WriteHeader(502)
			return
		}
		_, _ = io.WriteString(w, "file")
	})
	trace := &Trace{}
	// A download only reads: a dry run sends it.
	ctx := WithTrace(WithDryRun(context.Background()), trace)
	data, _, err := c.Download(ctx, apiHost(c)+"/rec/download/x?access_token=abc", 100)
	if err != nil || string(data) != "file" {
		t.Fatalf("Download = %q, %v", data, err)
	}
	want := []TracedRequest{{Method: "GET", Path: "/rec/download/x", Status: 502}, {Method: "GET", Path: "/rec/download/x", Status: 200}}
	if diff := cmp.Diff(want, trace.Requests()); diff != "" {
		t.Errorf("trace (-want +got):\n%s", diff)
	}
}

func TestDownloadRespectsContext(t *testing.T) {
	c, mux, _ := setup(t)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	mux.HandleFunc("GET /rec/download/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, _, err := c.Download(ctx, apiHost(c)+"/rec/download/slow", 100)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the context's deadline", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Download took %v past its deadline", d)
	}
	cancelled, stop := context.WithCancel(context.Background())
	stop()
	if _, _, err := c.Download(cancelled, apiHost(c)+"/rec/download/slow", 100); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err = %v", err)
	}
}

// TestDownloadErrorsHideSecrets: neither the token nor the URL's query
// shows in any error, whatever Zoom or the transport says.
func TestDownloadErrorsHideSecrets(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("GET /rec/download/echo", func(w http.ResponseWriter, r *http.Request) {
		// A server that quotes the request back: the header and the query.
		w.WriteHeader(400)
		_, _ = io.WriteString(w, `{"code":300,"message":"bad request `+r.Header.Get("Authorization")+` `+r.URL.RawQuery+` tok1 QSECRET"}`)
	})
	mux.HandleFunc("GET /rec/download/reset", func(w http.ResponseWriter, r *http.Request) {
		resetConn(w)
	})
	const query = "?access_token=QSECRET&keep=KEEPME"
	calls := map[string]string{
		"echoed":      apiHost(c) + "/rec/download/echo" + query,
		"reset":       apiHost(c) + "/rec/download/reset" + query,
		"foreign":     "https://example.com/rec/download/x" + query,
		"unparseable": "https://zoom.us/rec/%zz" + query,
		"credentials": "https://me:QSECRET@zoom.us/rec/x" + query,
	}
	for name, raw := range calls {
		t.Run(name, func(t *testing.T) {
			_, _, err := c.Download(context.Background(), raw, 100)
			if err == nil {
				t.Fatal("no error")
			}
			for _, secret := range []string{"tok1", "QSECRET", "KEEPME", "access_token"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q shows %q", err, secret)
				}
			}
		})
	}
}
