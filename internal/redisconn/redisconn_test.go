package redisconn

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/zoommcp/zoom-mcp/internal/redistest"
)

// closedPort is a loopback address where nothing listens.
func closedPort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestOpen(t *testing.T) {
	srv := redistest.Start(t)
	down := closedPort(t)
	const pw = "s3cr3t-pw"
	for _, tt := range []struct {
		name     string
		url      string
		wantErr  bool
		mention  string // the error names this
		sentinel error
	}{
		{name: "ok", url: srv.URL()},
		{name: "ok with db and timeouts", url: "redis://" + srv.Addr + "/2?dial_timeout=1s"},
		{name: "down", url: "redis://:" + pw + "@" + down + "/0", wantErr: true, mention: down, sentinel: ErrUnreachable},
		{name: "wrong password", url: "redis://user:" + pw + "@" + srv.Addr + "/0", wantErr: true, mention: srv.Addr, sentinel: ErrUnreachable},
		{name: "bad scheme", url: "http://u:" + pw + "@example.com:6379/0", wantErr: true, mention: "example.com:6379"},
		{name: "bad db", url: "redis://u:" + pw + "@example.com/notanumber", wantErr: true, mention: "example.com:6379"},
		{name: "unparsable", url: "redis://u:" + pw + "@exa mple.com:x/0", wantErr: true, mention: "not valid"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			c, err := Open(t.Context(), tt.url)
			if took := time.Since(start); took > PingTimeout+time.Second {
				t.Errorf("Open took %v", took)
			}
			if !tt.wantErr {
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				if c.Options().ReadTimeout != ReadTimeout || c.Options().WriteTimeout != WriteTimeout || !c.Options().ContextTimeoutEnabled {
					t.Errorf("options %+v", c.Options())
				}
				if err := c.Set(t.Context(), "k", "v", 0).Err(); err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				c.Close()
				t.Fatal("Open succeeded")
			}
			msg := err.Error()
			if strings.Contains(msg, pw) {
				t.Errorf("error %q holds the password", msg)
			}
			if !strings.Contains(msg, tt.mention) {
				t.Errorf("error %q does not mention %q", msg, tt.mention)
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Errorf("error %q is not %v", msg, tt.sentinel)
			}
		})
	}
}

func TestOpenHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Open(ctx, "redis://"+closedPort(t)); err == nil {
		t.Fatal("Open with a cancelled context succeeded")
	}
}

func TestHost(t *testing.T) {
	for in, want := range map[string]string{
		"redis://u:pw@h.example:6380/1": "h.example:6380",
		"rediss://h.example":            "h.example:6379",
		"redis://[::1]:7000":            "[::1]:7000",
		"unix:///run/redis.sock":        "/run/redis.sock",
		"redis://u:p w@h:x":             "(unparsable URL)",
	} {
		if got := Host(in); got != want {
			t.Errorf("Host(%q) = %q, want %q", in, got, want)
		}
	}
}
