package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestFileStoreRoundTripAndModes(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "cfg", "zoom-mcp")
	path := filepath.Join(dir, "tokens.json")
	s := NewFileStore(path)

	if _, err := s.Load(ctx, "jane"); !errors.Is(err, ErrNotConnected) {
		t.Fatalf("Load of a missing file = %v, want ErrNotConnected", err)
	}
	if names, err := s.List(ctx); err != nil || len(names) != 0 {
		t.Fatalf("List of a missing file = %v, %v", names, err)
	}
	if err := s.Delete(ctx, "nobody"); err != nil {
		t.Fatalf("Delete of a missing entry = %v", err)
	}

	exp := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	jane := &StoredToken{AccessToken: "a1", RefreshToken: "r1", Expiry: exp, Scopes: []string{"x", "y"}, Email: "jane@example.com", ClientID: "c"}
	save(t, s, "jane", jane)
	save(t, s, "bob", &StoredToken{AccessToken: "a2", RefreshToken: "r2"})

	if runtime.GOOS != "windows" {
		for p, want := range map[string]os.FileMode{path: 0o600, dir: 0o700, path + ".lock": 0o600} {
			fi, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode().Perm(); got != want {
				t.Errorf("%s: mode %o, want %o", p, got, want)
			}
		}
	}
	got, err := s.Load(ctx, "jane")
	if err != nil || got.RefreshToken != "r1" || !got.Expiry.Equal(exp) || got.Email != "jane@example.com" || len(got.Scopes) != 2 {
		t.Fatalf("Load = %+v, %v", got, err)
	}
	// Another store on the same file sees the same content.
	names, err := NewFileStore(path).List(ctx)
	if err != nil || strings.Join(names, ",") != "bob,jane" {
		t.Fatalf("List = %v, %v", names, err)
	}
	if err := s.Delete(ctx, "jane"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(ctx, "jane"); !errors.Is(err, ErrNotConnected) {
		t.Fatalf("Load after Delete = %v", err)
	}
	if _, err := s.Load(ctx, "bob"); err != nil {
		t.Fatalf("Delete removed another entry: %v", err)
	}
	// The saved token is a copy: changing the caller's does not change the store.
	jane.RefreshToken = "changed"
	save(t, s, "jane", jane)
	jane.RefreshToken = "changed again"
	if got, _ := s.Load(ctx, "jane"); got.RefreshToken != "changed" {
		t.Fatal("Save kept a reference to the caller's token")
	}
}

func TestFileStoreWidensNoExistingMode(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix modes")
	}
	path := filepath.Join(t.TempDir(), "tokens.json")
	if err := os.WriteFile(path, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	save(t, NewFileStore(path), "jane", &StoredToken{RefreshToken: "r"})
	fi, _ := os.Stat(path)
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %o after Save, want 600", fi.Mode().Perm())
	}
}

func TestFileStoreCorruptFile(t *testing.T) {
	ctx := context.Background()
	for _, content := range []string{"{\"jane\": {\"access_token\": \"AT-secret-1\", ", "", "[1,2]"} {
		path := filepath.Join(t.TempDir(), "tokens.json")
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		s := NewFileStore(path)
		_, err := s.Load(ctx, "jane")
		want := "run zoom-mcp login again, or delete " + path
		if !errors.Is(err, ErrCorruptTokenFile) || !strings.Contains(err.Error(), want) || errors.Is(err, ErrNotConnected) {
			t.Fatalf("Load(%q) = %v, want ErrCorruptTokenFile and %q", content, err, want)
		}
		if strings.Contains(err.Error(), "AT-secret-1") {
			t.Fatalf("error shows the file's content: %v", err)
		}
		if _, err := s.List(ctx); !errors.Is(err, ErrCorruptTokenFile) {
			t.Fatalf("List = %v", err)
		}
		if b, _ := os.ReadFile(path); string(b) != content {
			t.Fatal("Load changed the corrupt file")
		}
		// A new login repairs the file, keeping a copy of the corrupt one.
		save(t, s, "jane", &StoredToken{RefreshToken: "r"})
		if _, err := s.Load(ctx, "jane"); err != nil {
			t.Fatal(err)
		}
		if b, err := os.ReadFile(path + ".corrupt"); err != nil || string(b) != content {
			t.Fatalf("corrupt copy: %q, %v", b, err)
		}
	}
}

// TestFileStoreCrashBeforeRename: a failure between writing the temporary
// file and renaming it leaves the old file whole and no temporary file.
func TestFileStoreCrashBeforeRename(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "tokens.json")
	s := NewFileStore(path)
	save(t, s, "jane", &StoredToken{RefreshToken: "old"})
	before, _ := os.ReadFile(path)

	var tmpMode os.FileMode
	s.beforeRename = func(tmp string) error {
		fi, err := os.Stat(tmp)
		if err != nil {
			return err
		}
		tmpMode = fi.Mode().Perm()
		if filepath.Dir(tmp) != dir {
			t.Errorf("temporary file %s not in %s", tmp, dir)
		}
		return errors.New("simulated crash")
	}
	if err := s.Save(ctx, "jane", &StoredToken{RefreshToken: "new"}); err == nil {
		t.Fatal("Save succeeded")
	}
	if runtime.GOOS != "windows" && tmpMode != 0o600 {
		t.Fatalf("temporary file mode %o, want 600", tmpMode)
	}
	after, _ := os.ReadFile(path)
	if string(after) != string(before) {
		t.Fatalf("file changed: %s", after)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Fatalf("temporary file %s left behind", e.Name())
		}
	}
}

// TestFileStoreReadersNeverSeePartialFile: while writers replace the file,
// every read of it is complete JSON.
func TestFileStoreReadersNeverSeePartialFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tokens.json")
	s := NewFileStore(path)
	big := strings.Repeat("x", 16<<10)
	save(t, s, "jane", &StoredToken{AccessToken: big})

	var stop atomic.Bool
	var reads atomic.Int64
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				b, err := os.ReadFile(path)
				if err != nil {
					t.Errorf("read: %v", err)
					return
				}
				if !json.Valid(b) {
					t.Errorf("a reader saw a partial file (%d bytes)", len(b))
					return
				}
				reads.Add(1)
			}
		}()
	}
	for i := range 40 {
		if err := s.Save(ctx, "jane", &StoredToken{AccessToken: big, RefreshToken: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	stop.Store(true)
	wg.Wait()
	if reads.Load() == 0 {
		t.Fatal("no reads")
	}
}

// TestFileStoreConcurrentSaves: goroutines saving through two stores on
// the same file (as two processes would) lose no entry.
func TestFileStoreConcurrentSaves(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tokens.json")
	stores := []*FileStore{NewFileStore(path), NewFileStore(path)}
	var wg sync.WaitGroup
	const n = 20
	for i := range n {
		for j, s := range stores {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := s.Save(ctx, fmt.Sprintf("c%d-%d", j, i), &StoredToken{RefreshToken: "r"}); err != nil {
					t.Error(err)
				}
			}()
		}
	}
	wg.Wait()
	names, err := stores[0].List(ctx)
	if err != nil || len(names) != 2*n {
		t.Fatalf("List = %d names, %v; want %d", len(names), err, 2*n)
	}
}

func TestFileStoreRefreshLock(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no flock")
	}
	path := filepath.Join(t.TempDir(), "tokens.json")
	a, b := NewFileStore(path), NewFileStore(path)
	unlock, err := a.LockRefresh(context.Background(), "jane")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := b.LockRefresh(ctx, "jane"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second LockRefresh = %v, want to wait", err)
	}
	unlock()
	unlock2, err := b.LockRefresh(context.Background(), "jane")
	if err != nil {
		t.Fatal(err)
	}
	unlock2()
}

func TestDefaultTokenFile(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", "/tmp/xdg")
	t.Setenv("HOME", "/tmp/home")
	p, err := DefaultTokenFile()
	if err != nil {
		t.Fatal(err)
	}
	dir, _ := os.UserConfigDir()
	if p != filepath.Join(dir, "zoom-mcp", "tokens.json") {
		t.Fatal(p)
	}
}
