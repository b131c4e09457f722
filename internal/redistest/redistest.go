// Package redistest starts a real redis-server for tests: on a free
// loopback port, with no persistence, stopped when the test ends.
//
// Where redis-server is not installed the test is skipped with a message,
// except under CI (CI set), where it fails: .ci/run installs it.
package redistest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Server is a running redis-server.
type Server struct {
	Addr string // host:port
}

// URL is the server's redis:// URL, for --redis.
func (s *Server) URL() string { return "redis://" + s.Addr + "/0" }

// Client returns a new client of the server, closed when the test ends.
func (s *Server) Client(t testing.TB) *redis.Client {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: s.Addr})
	t.Cleanup(func() { c.Close() })
	return c
}

// Start starts a redis-server for t.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("redis-server is not installed (.ci/run installs it): %v", err)
		}
		t.Skip("redis-server is not installed; apt-get install redis-server to run this test")
	}
	port := freePort(t)
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", t.TempDir(), "--loglevel", "warning")
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("starting redis-server: %v", err)
	}
	t.Cleanup(func() { cancel(); _ = cmd.Wait() })
	s := &Server{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port))}
	c := redis.NewClient(&redis.Options{Addr: s.Addr})
	defer c.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		pctx, pcancel := context.WithTimeout(context.Background(), time.Second)
		err := c.Ping(pctx).Err()
		pcancel()
		if err == nil {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("redis-server on %s did not answer: %v", s.Addr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(fmt.Errorf("finding a free port: %w", err))
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
