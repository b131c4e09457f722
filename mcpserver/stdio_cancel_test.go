package mcpserver

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/zoommcp/zoom-mcp/internal/inproc"
	"github.com/zoommcp/zoom-mcp/pipeline"
	"github.com/zoommcp/zoom-mcp/tools"
	"github.com/zoommcp/zoom-mcp/zoomapi"
	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

// TestCancelledWhileQueued: a create_meeting cancelled while it waits in
// mcp-go's stdio queue (every worker busy) never reaches Zoom.
func TestCancelledWhileQueued(t *testing.T) {
	sim := zoomfake.New(zoomfake.Options{NoRateLimit: true})
	release := make(chan struct{})
	blocking := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/v2/meetings/") {
			<-release
		}
		sim.ServeHTTP(w, r)
	})
	c, _, err := zoomapi.NewS2SClient(zoomapi.Config{
		APIBaseURL: "http://sim.invalid/v2", OAuthBaseURL: "http://sim.invalid",
		AccountID: zoomfake.DefaultAccountID, ClientID: zoomfake.DefaultClientID, ClientSecret: zoomfake.DefaultClientSecret,
	}, inproc.Client(blocking), zoomapi.WithoutPacing())
	if err != nil {
		t.Fatal(err)
	}
	srv := New(Options{Tools: tools.All(), Pipeline: &pipeline.Pipeline{Client: pipeline.Static(c)}})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- ServeStdio(ctx, srv, pipeline.Agent{Name: "local"}, inR, outW, discardLogger())
		outW.Close()
	}()
	answers := make(chan string, 64)
	go func() {
		sc := bufio.NewScanner(outR)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			answers <- sc.Text()
		}
		close(answers)
	}()
	send := func(s string) {
		if _, err := fmt.Fprintln(inW, s); err != nil {
			t.Fatal(err)
		}
	}
	send(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`)
	<-answers
	send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	// Occupy every worker (mcp-go has 5) with a get_meeting that blocks.
	for i := range 8 {
		send(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"get_meeting","arguments":{"meeting_id":%d}}}`, 10+i, zoomfake.SeedRegistrationMeetingID))
	}
	send(`{"jsonrpc":"2.0","id":"create-1","method":"tools/call","params":{"name":"create_meeting","arguments":{"topic":"cancel me"}}}`)
	send(`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"create-1","reason":"changed my mind"}}`)
	time.Sleep(100 * time.Millisecond) // let the filter pass both lines on
	close(release)
	for n := 0; n < 9; {
		select {
		case _, ok := <-answers:
			if !ok {
				t.Fatal("output closed early")
			}
			n++
		case <-time.After(10 * time.Second):
			t.Fatalf("only %d answers", n)
		}
	}
	if n := sim.RequestsFor(zoomapi.OpCreateMeeting); n != 0 {
		t.Errorf("the cancelled create_meeting reached Zoom %d times", n)
	}
	inW.Close()
	<-done
}
