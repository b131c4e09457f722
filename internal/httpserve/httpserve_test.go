package httpserve

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// start serves h on a loopback port until the test ends.
func start(t *testing.T, h http.Handler, o Options) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	o.Ready = func(a net.Addr) { addrc <- a.String() }
	done := make(chan error, 1)
	go func() { done <- Run(ctx, "127.0.0.1:0", h, o) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	select {
	case a := <-addrc:
		return a
	case err := <-done:
		t.Fatalf("Run: %v", err)
		return ""
	}
}

func health(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "ok") }

// TestSlowClients: more slow clients than the connection limit, each
// sending its headers byte by byte, neither keep a health check waiting
// for long nor stay open past the header timeout.
func TestSlowClients(t *testing.T) {
	const (
		limit      = 4
		slow       = limit + 4
		hdrTimeout = 200 * time.Millisecond
		bound      = 5 * time.Second // no slow client trickles longer than this
	)
	addr := start(t, http.HandlerFunc(health), Options{MaxConnections: limit, ReadHeaderTimeout: hdrTimeout})

	type result struct {
		open time.Duration
		err  error
	}
	results := make(chan result, slow)
	began := time.Now()
	for range slow {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		go func() {
			// Trickle a header that never ends, one byte every 10 ms.
			start := time.Now()
			msg := "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + strings.Repeat("a", 1000)
			for i := 0; i < len(msg) && time.Since(start) < bound; i++ {
				if _, err := c.Write([]byte{msg[i]}); err != nil {
					break
				}
				time.Sleep(10 * time.Millisecond)
			}
		}()
		go func() {
			// The server closes the connection: reading ends with EOF (or
			// a reset), not with our own deadline.
			c.SetReadDeadline(time.Now().Add(bound))
			_, err := io.Copy(io.Discard, c)
			results <- result{time.Since(began), err}
		}()
	}
	time.Sleep(50 * time.Millisecond) // let the slow ones take every slot

	hc := &http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	t0 := time.Now()
	resp, err := hc.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatalf("/healthz with %d slow clients holding %d connections: %v", slow, limit, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz: %d", resp.StatusCode)
	}
	t.Logf("/healthz answered in %v", time.Since(t0).Round(time.Millisecond))

	for range slow {
		r := <-results
		if errors.Is(r.err, os.ErrDeadlineExceeded) {
			t.Fatalf("a slow client was still open after %v", bound)
		}
		if r.open < hdrTimeout {
			t.Errorf("a slow client was closed after %v, before the header timeout %v", r.open, hdrTimeout)
		}
	}
}

// TestMaxConnections: past the limit, a connection waits until another
// closes.
func TestMaxConnections(t *testing.T) {
	var inside atomic.Int32
	release := make(chan struct{})
	addr := start(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		inside.Add(1)
		<-release
	}), Options{MaxConnections: 2})
	hc := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	errc := make(chan error, 3)
	for range 3 {
		go func() {
			resp, err := hc.Get("http://" + addr + "/")
			if err == nil {
				resp.Body.Close()
			}
			errc <- err
		}()
	}
	deadline := time.Now().Add(2 * time.Second)
	for inside.Load() < 2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	if n := inside.Load(); n != 2 {
		t.Errorf("%d requests in the handler at once, want the limit 2", n)
	}
	close(release)
	for range 3 {
		if err := <-errc; err != nil {
			t.Error(err)
		}
	}
	if n := inside.Load(); n != 3 {
		t.Errorf("%d requests served, want 3", n)
	}
}

// TestStreamOutlivesReadTimeout: a response streamed for longer than every
// read timeout is not cut: there is no write timeout, and the read
// deadline ends with the request body.
func TestStreamOutlivesReadTimeout(t *testing.T) {
	const events = 6
	addr := start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/event-stream")
		for i := range events {
			fmt.Fprintf(w, "data: %d\n\n", i)
			w.(http.Flusher).Flush()
			time.Sleep(60 * time.Millisecond)
		}
	}), Options{ReadHeaderTimeout: 100 * time.Millisecond, ReadTimeout: 150 * time.Millisecond, IdleTimeout: 150 * time.Millisecond})
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		req, _ := http.NewRequest(method, "http://"+addr+"/", strings.NewReader(`{"jsonrpc":"2.0"}`))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "data: ") {
				n++
			}
		}
		resp.Body.Close()
		if n != events || sc.Err() != nil {
			t.Errorf("%s: %d events of %d, %v", method, n, events, sc.Err())
		}
	}
}

// TestIdleTimeout: a keep-alive connection with no request is closed.
func TestIdleTimeout(t *testing.T) {
	const idle = 150 * time.Millisecond
	addr := start(t, http.HandlerFunc(health), Options{IdleTimeout: idle})
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprint(c, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	t0 := time.Now()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, err = br.ReadByte()
	if !errors.Is(err, io.EOF) {
		t.Fatalf("idle connection: %v, want EOF", err)
	}
	if d := time.Since(t0); d < idle/2 || d > 2*time.Second {
		t.Errorf("idle connection closed after %v, want about %v", d, idle)
	}
}

// TestShutdownCutsStuckRequests: a request that would run forever (a
// stream, a tool call waiting on a person) does not hold up the shutdown
// past ShutdownTimeout: its connection is closed, which ends its context,
// and Run returns nil, the clean exit of Ctrl-C.
func TestShutdownCutsStuckRequests(t *testing.T) {
	started, ended := make(chan struct{}), make(chan struct{})
	onShutdown := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		close(started)
		<-r.Context().Done()
		close(ended)
	})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	o := Options{
		ShutdownTimeout: 100 * time.Millisecond,
		ErrorLog:        log.New(io.Discard, "", 0),
		OnShutdown:      func() { close(onShutdown) },
		Ready:           func(a net.Addr) { addrc <- a.String() },
	}
	go func() { done <- Run(ctx, "127.0.0.1:0", h, o) }()
	res, err := http.Get("http://" + <-addrc + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	<-started
	t0 := time.Now()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v, want nil", err)
		}
	case <-time.After(1500 * time.Millisecond):
		t.Fatal("Run still running 1.5 s after its context ended")
	}
	if d := time.Since(t0); d > time.Second {
		t.Errorf("shutdown took %v", d)
	}
	select {
	case <-ended:
	case <-time.After(time.Second):
		t.Error("the stuck request's context did not end")
	}
	select {
	case <-onShutdown:
	case <-time.After(time.Second):
		t.Error("OnShutdown did not run")
	}
	if _, err := io.ReadAll(res.Body); err == nil {
		t.Error("the stuck response ended cleanly; want its connection cut")
	}
}
