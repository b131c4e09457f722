// Package httpserve runs an HTTP server until its context ends, then shuts
// it down gracefully. The MCP server and the standalone simulator share it.
package httpserve

import (
	"context"
	"errors"
	"log"
	"net"
	"net/http"
	"time"
)

// ShutdownTimeout bounds how long in-flight requests may finish.
const ShutdownTimeout = 5 * time.Second

// Serve listens on addr and serves h until ctx ends. ready, if not nil, is
// called with the bound address (useful with port 0). errorLog may be nil.
func Serve(ctx context.Context, addr string, h http.Handler, errorLog *log.Logger, ready func(net.Addr)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ErrorLog: errorLog}
	if ready != nil {
		ready(ln.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ShutdownTimeout)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			return err
		}
		if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}
