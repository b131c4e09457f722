package events

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/zoommcp/zoom-mcp/internal/redistest"
)

func ev(id, typ, meeting string) Event {
	return Event{ID: id, Type: typ, MeetingID: meeting, Toolset: ToolsetOf(typ), Source: "webhook",
		Time: time.UnixMilli(1700000000000).UTC(), Received: time.UnixMilli(1700000000500).UTC(),
		Payload: []byte(`{"object":{"id":"` + meeting + `"}}`)}
}

type opener func(t *testing.T) Store

func storeImpls(t *testing.T) map[string]opener {
	return map[string]opener{
		"file": func(t *testing.T) Store {
			s, err := OpenFile(filepath.Join(t.TempDir(), "events.jsonl"), 100)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		},
		"redis": func(t *testing.T) Store {
			srv := redistest.Start(t)
			s, err := NewRedisStore(srv.Client(t), RedisOptions{Max: 100, Block: 200 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		},
	}
}

func TestStores(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		run  func(t *testing.T, s Store)
	}{
		{"append, dedupe, seq", func(t *testing.T, s Store) {
			for i, c := range []struct {
				id     string
				stored bool
			}{{"a", true}, {"b", true}, {"a", false}, {"c", true}, {"b", false}} {
				stored, err := s.Append(ctx, ev(c.id, "meeting.started", "1"))
				if err != nil || stored != c.stored {
					t.Fatalf("append %d (%s): %v %v, want stored=%v", i, c.id, stored, err, c.stored)
				}
			}
			if last, err := s.Last(ctx); err != nil || last != 3 {
				t.Fatalf("Last = %d %v, want 3", last, err)
			}
			got, err := s.Recent(ctx, Filter{}, 10)
			if err != nil || len(got) != 3 {
				t.Fatalf("Recent: %d %v", len(got), err)
			}
			for i, e := range got {
				if e.Seq != int64(i+1) || e.ID != string(rune('a'+i)) {
					t.Errorf("event %d: seq %d id %s", i, e.Seq, e.ID)
				}
			}
			want := ev("a", "meeting.started", "1")
			if g := got[0]; g.Type != want.Type || g.MeetingID != "1" || !g.Time.Equal(want.Time) ||
				!g.Received.Equal(want.Received) || string(g.Payload) != string(want.Payload) || g.Toolset != "meetings" {
				t.Errorf("round trip: %+v", g)
			}
		}},
		{"recent filters and limits", func(t *testing.T, s Store) {
			for i := 0; i < 10; i++ {
				typ := "meeting.started"
				if i%2 == 1 {
					typ = "recording.completed"
				}
				s.Append(ctx, ev(fmt.Sprint(i), typ, fmt.Sprint(i%3)))
			}
			got, _ := s.Recent(ctx, Filter{Types: []string{"recording.completed"}}, 3)
			if len(got) != 3 || got[0].ID != "5" || got[2].ID != "9" {
				t.Errorf("types, limit: %v", ids(got))
			}
			got, _ = s.Recent(ctx, Filter{MeetingID: "0"}, 10)
			if len(got) != 4 {
				t.Errorf("meeting 0: %v", ids(got))
			}
			got, _ = s.Recent(ctx, Filter{After: 8}, 10)
			if len(got) != 2 || got[0].Seq != 9 {
				t.Errorf("after 8: %v", ids(got))
			}
			got, _ = s.Recent(ctx, Filter{Toolsets: func(ts string) bool { return ts == "recordings" }}, 10)
			if len(got) != 5 {
				t.Errorf("toolset recordings: %v", ids(got))
			}
		}},
		{"wait for a stored event after a cursor", func(t *testing.T, s Store) {
			s.Append(ctx, ev("x", "meeting.started", "1"))
			s.Append(ctx, ev("y", "meeting.ended", "1"))
			c, cancel := context.WithTimeout(ctx, 2*time.Second)
			defer cancel()
			e, err := s.Wait(c, Filter{After: 1})
			if err != nil || e.ID != "y" {
				t.Fatalf("Wait = %+v %v", e, err)
			}
		}},
		{"wait for a new matching event", func(t *testing.T, s Store) {
			s.Append(ctx, ev("old", "meeting.ended", "9"))
			got := make(chan Event, 1)
			c, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			go func() {
				e, err := s.Wait(c, Filter{Types: []string{"meeting.ended"}, MeetingID: "9"})
				if err != nil {
					t.Error(err)
				}
				got <- e
			}()
			time.Sleep(100 * time.Millisecond)
			s.Append(ctx, ev("other type", "meeting.started", "9"))
			s.Append(ctx, ev("other meeting", "meeting.ended", "8"))
			s.Append(ctx, ev("this", "meeting.ended", "9"))
			if e := <-got; e.ID != "this" || e.Seq != 4 {
				t.Errorf("woke with %+v", e)
			}
		}},
		{"wait ends with ctx, promptly", func(t *testing.T, s Store) {
			c, cancel := context.WithCancel(ctx)
			done := make(chan error, 1)
			go func() { _, err := s.Wait(c, Filter{}); done <- err }()
			time.Sleep(50 * time.Millisecond)
			start := time.Now()
			cancel()
			select {
			case err := <-done:
				if !errors.Is(err, context.Canceled) {
					t.Errorf("err %v", err)
				}
				if d := time.Since(start); d > 100*time.Millisecond {
					t.Errorf("Wait took %v to see the cancellation", d)
				}
			case <-time.After(3 * time.Second):
				t.Fatal("Wait did not end")
			}
		}},
		{"concurrent appends: unique seqs, all acknowledged kept", func(t *testing.T, s Store) {
			var wg sync.WaitGroup
			for w := 0; w < 8; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					for i := 0; i < 10; i++ {
						// every event twice: one of each pair is stored
						for r := 0; r < 2; r++ {
							if _, err := s.Append(ctx, ev(fmt.Sprint(w, "-", i), "meeting.started", "1")); err != nil {
								t.Error(err)
							}
						}
					}
				}(w)
			}
			wg.Wait()
			got, _ := s.Recent(ctx, Filter{}, 100)
			if len(got) != 80 {
				t.Fatalf("%d events, want 80", len(got))
			}
			for i, e := range got {
				if e.Seq != int64(i+1) {
					t.Fatalf("seq %d at %d", e.Seq, i)
				}
			}
		}},
		{"closed", func(t *testing.T, s Store) {
			c, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			done := make(chan error, 1)
			go func() { _, err := s.Wait(c, Filter{}); done <- err }()
			time.Sleep(50 * time.Millisecond)
			s.Close()
			if err := <-done; !errors.Is(err, ErrClosed) {
				t.Errorf("waiter: %v", err)
			}
			if _, err := s.Append(ctx, ev("z", "meeting.started", "1")); !errors.Is(err, ErrClosed) {
				t.Errorf("Append after Close: %v", err)
			}
			if _, err := s.Recent(ctx, Filter{}, 1); !errors.Is(err, ErrClosed) {
				t.Errorf("Recent after Close: %v", err)
			}
		}},
	}
	for name, open := range storeImpls(t) {
		t.Run(name, func(t *testing.T) {
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) { tc.run(t, open(t)) })
			}
		})
	}
}

func ids(es []Event) []string {
	var out []string
	for _, e := range es {
		out = append(out, fmt.Sprintf("%d:%s", e.Seq, e.ID))
	}
	return out
}

func TestFileStoreRestart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "events.jsonl")
	s, err := OpenFile(path, 10)
	if err != nil {
		t.Fatal(err)
	}
	var acked []string
	for i := 0; i < 25; i++ { // past 2×max: compacted once
		id := fmt.Sprint("e", i)
		if stored, err := s.Append(ctx, ev(id, "meeting.started", "1")); err != nil || !stored {
			t.Fatal(stored, err)
		}
		acked = append(acked, id)
	}
	s.Close()
	// A crash in the middle of an append leaves a torn line.
	f, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	f.WriteString(`{"id":"torn","seq":26,"type":"meeting.sta`)
	f.Close()

	s, err = OpenFile(path, 10)
	if err != nil {
		t.Fatalf("reopen with a torn line: %v", err)
	}
	defer s.Close()
	got, _ := s.Recent(ctx, Filter{}, 100)
	if len(got) < 10 || len(got) > 20 {
		t.Fatalf("%d events kept, want 10..20", len(got))
	}
	for i, e := range got { // the newest acknowledged ones, all of them
		if want := acked[len(acked)-len(got)+i]; e.ID != want {
			t.Errorf("event %d: %s, want %s", i, e.ID, want)
		}
	}
	if last, _ := s.Last(ctx); last != 25 {
		t.Errorf("Last = %d, want 25", last)
	}
	if stored, _ := s.Append(ctx, ev("e24", "meeting.started", "1")); stored {
		t.Error("a duplicate of an event stored before the restart was stored again")
	}
	if stored, err := s.Append(ctx, ev("new", "meeting.started", "1")); !stored || err != nil {
		t.Fatal(stored, err)
	}
	s.Close()
	s2, err := OpenFile(path, 10)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if got, _ := s2.Recent(ctx, Filter{}, 1); len(got) != 1 || got[0].ID != "new" || got[0].Seq != 26 {
		t.Errorf("after the torn line: %v", ids(got))
	}
}

func TestFileStoreCorrupt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.jsonl")
	os.WriteFile(path, []byte("{\"id\":\"a\",\"seq\":1}\nnot json\n{\"id\":\"b\",\"seq\":2}\n"), 0o600)
	if _, err := OpenFile(path, 10); err == nil {
		t.Error("a corrupt line in the middle went unnoticed")
	}
}

func TestRedisReplicas(t *testing.T) {
	ctx := context.Background()
	srv := redistest.Start(t)
	a, err := NewRedisStore(srv.Client(t), RedisOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := NewRedisStore(srv.Client(t), RedisOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	c, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	got := make(chan Event, 1)
	go func() {
		e, err := b.Wait(c, Filter{Types: []string{"recording.completed"}})
		if err != nil {
			t.Error(err)
		}
		got <- e
	}()
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	if stored, err := a.Append(ctx, ev("r1", "recording.completed", "5")); !stored || err != nil {
		t.Fatal(stored, err)
	}
	e := <-got
	if e.ID != "r1" || e.Seq != 1 {
		t.Fatalf("replica b woke with %+v", e)
	}
	t.Logf("replica to replica: %v", time.Since(start))
	// A retry reaching the other replica is a duplicate.
	if stored, err := b.Append(ctx, ev("r1", "recording.completed", "5")); stored || err != nil {
		t.Errorf("duplicate via b: %v %v", stored, err)
	}
	// A store opened later resumes the sequence and reads what came before
	// it from the stream.
	a.Append(ctx, ev("r2", "meeting.started", "6"))
	c2, err := NewRedisStore(srv.Client(t), RedisOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if last, _ := c2.Last(ctx); last != 2 {
		t.Errorf("Last on a new replica = %d", last)
	}
	if e, err := c2.Wait(c, Filter{After: 1}); err != nil || e.ID != "r2" {
		t.Errorf("Wait after 1 on a new replica: %+v %v", e, err)
	}
}
