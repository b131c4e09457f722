package audit

import (
	"bytes"
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestVerifyCommand(t *testing.T) {
	good := writeLog(t, 4)
	bad := writeLog(t, 3)
	data, err := os.ReadFile(bad)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, bytes.Replace(data, []byte(`"decision":"denied"`), []byte(`"decision":"allowed"`), 1), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		args    []string
		wantOut string
		wantErr string
	}{
		{"intact", []string{good}, good + ": 4 records, chain intact\n", ""},
		{"tampered", []string{good, bad}, good + ": 4 records, chain intact\n" + bad + ":2: the hash does not match the record: the line was edited\n", "1 of 2 audit logs"},
		{"missing", []string{good + ".nope"}, "", "no such file"},
		{"no file", nil, "", "no file given"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := VerifyCommand(tc.args, &out, &errOut)
			if out.String() != tc.wantOut {
				t.Errorf("stdout:\n%s\nwant:\n%s", out.String(), tc.wantOut)
			}
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("err = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

func TestTail(t *testing.T) {
	path := writeLog(t, 4)
	recs := readAll(t, path)
	line := func(r Record) string { return r.Time.Format(time.RFC3339) + "  " + r.Text + "\n" }
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-n", "2", path}, line(recs[2]) + line(recs[3])},
		{[]string{path}, line(recs[0]) + line(recs[1]) + line(recs[2]) + line(recs[3])},
		{[]string{"-n", "0", path}, ""},
	} {
		var out, errOut bytes.Buffer
		if err := TailCommand(context.Background(), tc.args, &out, &errOut); err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		if out.String() != tc.want {
			t.Errorf("%v:\n%s\nwant:\n%s", tc.args, out.String(), tc.want)
		}
	}
	var out, errOut bytes.Buffer
	if err := TailCommand(context.Background(), []string{"-n", "-1", path}, &out, &errOut); err == nil {
		t.Error("-n -1 accepted")
	}
}

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitFor polls until cond holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestTailFollow(t *testing.T) {
	path := writeLog(t, 2)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var out, errOut syncBuffer
	done := make(chan error, 1)
	go func() { done <- TailCommand(ctx, []string{"-f", "-n", "1", path}, &out, &errOut) }()
	waitFor(t, "the last record", func() bool { return strings.Count(out.String(), "\n") == 1 })

	// A record appended in two parts, as a slow write might land: the
	// partial line waits for its end.
	var rec bytes.Buffer
	l := New(&rec, Options{})
	r := sample(0)
	r.Text = "ops ended meeting 9: allowed by meetings=full"
	if err := l.Write(r); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	half := rec.Len() / 2
	if _, err := f.Write(rec.Bytes()[:half]); err != nil {
		t.Fatal(err)
	}
	time.Sleep(3 * pollEvery)
	if strings.Count(out.String(), "\n") != 1 || errOut.String() != "" {
		t.Fatalf("a partial line was printed: %q %q", out.String(), errOut.String())
	}
	if _, err := f.Write(rec.Bytes()[half:]); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the appended record", func() bool {
		return strings.Contains(out.String(), "  ops ended meeting 9: allowed by meetings=full\n")
	})

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("TailCommand = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("TailCommand did not end with its context")
	}
	if errOut.String() != "" {
		t.Errorf("stderr: %s", errOut.String())
	}
}
