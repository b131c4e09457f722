// Package httpserve runs an HTTP server until its context ends, then shuts
// it down gracefully. The MCP server and the standalone simulator share it.
package httpserve

import (
	"cmp"
	"context"
	"errors"
	"log"
	"net"
	"net/http"
	"sync"
	"time"
)

// ShutdownTimeout bounds how long in-flight requests may finish once the
// context ends; the connections still open after it are closed. It is short
// so that Ctrl-C is answered at once: an MCP request still running then is
// a tool call waiting on Zoom or on a person, which its client retries.
const ShutdownTimeout = 500 * time.Millisecond

// Defaults of Options.
const (
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultReadTimeout       = 30 * time.Second
	DefaultIdleTimeout       = 120 * time.Second
	DefaultMaxConnections    = 512
)

// Options bounds what slow, idle or many clients can hold. Zero values take
// the defaults above.
type Options struct {
	// ReadHeaderTimeout bounds reading a request's headers, counted from
	// the first byte: a client that sends them byte by byte is cut off.
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds reading a whole request, body included. MCP
	// bodies are small JSON-RPC messages, so 30 s is generous. Once the
	// body is read, net/http clears the read deadline, so it does not cut
	// a long response short.
	ReadTimeout time.Duration
	// IdleTimeout closes a keep-alive connection with no request for
	// this long.
	IdleTimeout time.Duration
	// MaxConnections bounds the open connections; more wait in the
	// kernel's accept queue until one closes. Negative: no bound.
	MaxConnections int
	// ErrorLog receives net/http's own errors; nil: the log package's.
	ErrorLog *log.Logger
	// Ready, if not nil, is called with the bound address (useful with
	// port 0).
	Ready func(net.Addr)
	// OnShutdown, if not nil, runs when shutdown begins, e.g. to end
	// long-lived streams that would otherwise hold it up.
	OnShutdown func()
	// ShutdownTimeout bounds the graceful part of the shutdown; zero:
	// ShutdownTimeout.
	ShutdownTimeout time.Duration
}

// Serve listens on addr and serves h with the default Options until ctx
// ends. ready, if not nil, is called with the bound address. errorLog may
// be nil.
func Serve(ctx context.Context, addr string, h http.Handler, errorLog *log.Logger, ready func(net.Addr)) error {
	return Run(ctx, addr, h, Options{ErrorLog: errorLog, Ready: ready})
}

// Run listens on addr and serves h until ctx ends, then shuts down: it
// stops accepting, lets in-flight requests finish for o.ShutdownTimeout,
// closes the connections left, and returns nil. A server that stops for
// another reason returns its error.
func Run(ctx context.Context, addr string, h http.Handler, o Options) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	if n := cmp.Or(o.MaxConnections, DefaultMaxConnections); n > 0 {
		ln = limitListener(ln, n)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: cmp.Or(o.ReadHeaderTimeout, DefaultReadHeaderTimeout),
		ReadTimeout:       cmp.Or(o.ReadTimeout, DefaultReadTimeout),
		IdleTimeout:       cmp.Or(o.IdleTimeout, DefaultIdleTimeout),
		// No WriteTimeout: it is a deadline on the whole response, and
		// would cut the SSE streams of streamable HTTP (a GET that listens
		// for notifications, a POST that waits for a person's answer to a
		// confirmation) at the same fixed age whatever they are doing. A
		// POST's lifetime is bounded by the tool call's deadline instead
		// (--call-timeout), and a stalled reader by TCP.
		ErrorLog: o.ErrorLog,
	}
	if o.OnShutdown != nil {
		srv.RegisterOnShutdown(o.OnShutdown)
	}
	if o.Ready != nil {
		o.Ready(ln.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cmp.Or(o.ShutdownTimeout, ShutdownTimeout))
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			// Requests still running past the deadline: cut them off.
			// Closing their connections cancels their contexts.
			logf := log.Printf
			if o.ErrorLog != nil {
				logf = o.ErrorLog.Printf
			}
			logf("httpserve: closing the connections of requests still running after %v", cmp.Or(o.ShutdownTimeout, ShutdownTimeout))
			srv.Close()
		}
		if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}

// limitListener accepts at most n connections at a time; Accept waits
// while n are open. It is golang.org/x/net/netutil.LimitListener, the
// usual tool for this, in a few lines, so that the module does not need
// x/net for it.
func limitListener(ln net.Listener, n int) net.Listener {
	return &limited{Listener: ln, sem: make(chan struct{}, n), done: make(chan struct{})}
}

type limited struct {
	net.Listener
	sem       chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

func (l *limited) Accept() (net.Conn, error) {
	select {
	case l.sem <- struct{}{}:
	case <-l.done:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.sem
		return nil, err
	}
	return &limitedConn{Conn: c, release: func() { <-l.sem }}, nil
}

func (l *limited) Close() error {
	err := l.Listener.Close()
	l.closeOnce.Do(func() { close(l.done) })
	return err
}

type limitedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
