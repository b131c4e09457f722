package inproc

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestClient(t *testing.T) {
	c := Client(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body) // a GET from a client has no body; the handler gets NoBody
		if r.URL.Path == "/boom" {
			panic("boom")
		}
		w.Header().Set("X-Got", r.Method+" "+r.RequestURI+" "+string(body))
		w.WriteHeader(http.StatusTeapot)
	}))
	resp, err := c.Get("http://sandbox.invalid/x?y=1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTeapot || resp.Header.Get("X-Got") != "GET /x?y=1 " {
		t.Errorf("got %d %q", resp.StatusCode, resp.Header.Get("X-Got"))
	}
	resp, err = c.Post("http://sandbox.invalid/boom", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("a panicking handler answered %d, want 500", resp.StatusCode)
	}
}
