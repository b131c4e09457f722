package zoomfake

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestConcurrency(t *testing.T) {
	e := newEnv(t, Options{NoRateLimit: true, NoUserDailyLimit: true})
	const workers, each = 8, 25
	var wg sync.WaitGroup
	errs := make(chan string, workers*each*3)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				rec := e.do("POST", "/users/me/meetings", map[string]any{"topic": fmt.Sprintf("w%d-%d", w, i)})
				if rec.Code != 201 {
					errs <- rec.Body.String()
				}
				if rec := e.do("GET", "/users/me/meetings?page_size=300", nil); rec.Code != 200 {
					errs <- rec.Body.String()
				}
				if rec := e.do("POST", fmt.Sprintf("/meetings/%d/registrants", SeedRegistrationMeetingID),
					map[string]any{"email": fmt.Sprintf("r%d-%d@example.com", w, i), "first_name": "R"}); rec.Code != 201 {
					errs <- rec.Body.String()
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	got := num(e.call("GET", "/users/me/meetings", nil, 200)["total_records"])
	// The owner's other meetings: registration, recurring, team sync, and
	// the two transcript meetings.
	if want := int64(workers*each) + SeedUpcomingMeetings + 5; got != want {
		t.Errorf("%d meetings, want %d", got, want)
	}
	if n := e.s.RequestsFor("meetingCreate"); n != workers*each {
		t.Errorf("RequestsFor(meetingCreate) = %d", n)
	}
}

func TestListenAndServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() { done <- ListenAndServe(ctx, "127.0.0.1:0", Options{}, func(a net.Addr) { addrc <- a }) }()
	var addr net.Addr
	select {
	case addr = <-addrc:
	case err := <-done:
		t.Fatal(err)
	}
	base := "http://" + addr.String()
	req, _ := http.NewRequest("POST", base+"/oauth/token", strings.NewReader(url.Values{
		"grant_type": {"account_credentials"}, "account_id": {DefaultAccountID}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(DefaultClientID, DefaultClientSecret)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("token: %d", res.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no shutdown")
	}
}
