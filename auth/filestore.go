package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

// FileStore is a TokenStore in one JSON file mapping connection names to
// their tokens. The file is mode 0600 in a directory created 0700 if
// missing; it is replaced atomically (a temporary 0600 file in the same
// directory, synced, then renamed over it), so readers see the old content
// or the new, never part of it. Writers are serialized within the process
// by a mutex and, on Linux, macOS and the BSDs, across processes by an
// advisory lock (flock) on the sibling file PATH.lock.
//
// A file that is not valid JSON is reported by Load and List with an error
// naming it; Save keeps a copy of it at PATH.corrupt before replacing it.
type FileStore struct {
	path string
	mu   sync.Mutex

	// beforeRename, if set, runs after the temporary file is written and
	// synced and before it is renamed (tests: a crash at that point).
	beforeRename func(tmp string) error
}

// NewFileStore returns the store kept in the file at path. It does no I/O.
func NewFileStore(path string) *FileStore { return &FileStore{path: path} }

// Path is the token file.
func (s *FileStore) Path() string { return s.path }

// DefaultTokenFile is where `zoom-mcp login` keeps tokens:
// <user config dir>/zoom-mcp/tokens.json.
func DefaultTokenFile() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding the token file: %w", err)
	}
	return filepath.Join(dir, "zoom-mcp", "tokens.json"), nil
}

// ErrCorruptTokenFile is wrapped by the error about a token file that
// cannot be read as JSON.
var ErrCorruptTokenFile = errors.New("token file is corrupt")

// read returns the file's connections; a missing file is empty.
func (s *FileStore) read() (map[string]*StoredToken, error) {
	b, err := os.ReadFile(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]*StoredToken{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading token file: %w", err)
	}
	m := map[string]*StoredToken{}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, s.corrupt("it is empty")
	}
	if err := json.Unmarshal(b, &m); err != nil {
		// The JSON error names an offset or a type, never the content.
		return nil, s.corrupt(err.Error())
	}
	for name, t := range m {
		if t == nil {
			delete(m, name)
		}
	}
	return m, nil
}

func (s *FileStore) corrupt(why string) error {
	return fmt.Errorf("%w: %s cannot be read (%s); run zoom-mcp login again, or delete %s", ErrCorruptTokenFile, s.path, why, s.path)
}

// Load returns the connection's token, or an error wrapping
// ErrNotConnected.
func (s *FileStore) Load(ctx context.Context, connection string) (*StoredToken, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m, err := s.read()
	if err != nil {
		return nil, err
	}
	t, ok := m[connection]
	if !ok {
		return nil, fmt.Errorf("%w: no token for connection %q in %s", ErrNotConnected, connection, s.path)
	}
	return t, nil
}

// List returns the stored connection names, sorted; none if the file does
// not exist.
func (s *FileStore) List(ctx context.Context) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m, err := s.read()
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	slices.Sort(names)
	return names, nil
}

// Save stores tok as the connection's token, keeping the others.
func (s *FileStore) Save(ctx context.Context, connection string, tok *StoredToken) error {
	if tok == nil {
		return errors.New("auth: FileStore.Save of a nil token")
	}
	return s.update(ctx, func(m map[string]*StoredToken) bool {
		c := *tok
		m[connection] = &c
		return true
	})
}

// Delete removes the connection's token; a missing one is not an error.
func (s *FileStore) Delete(ctx context.Context, connection string) error {
	return s.update(ctx, func(m map[string]*StoredToken) bool {
		if _, ok := m[connection]; !ok {
			return false
		}
		delete(m, connection)
		return true
	})
}

// update applies change to the file's content under both locks and writes
// the result if change reports a change.
func (s *FileStore) update(ctx context.Context, change func(map[string]*StoredToken) bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	dir := filepath.Dir(s.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating token directory: %w", err)
	}
	unlock, err := lockFile(ctx, s.path+".lock")
	if err != nil {
		return fmt.Errorf("locking token file: %w", err)
	}
	defer unlock()
	m, err := s.read()
	if errors.Is(err, ErrCorruptTokenFile) {
		// Its entries are lost anyway: keep a copy for inspection, and let
		// a new login repair the file.
		if err := copyFile(s.path, s.path+".corrupt"); err != nil {
			return fmt.Errorf("keeping a copy of the corrupt token file: %w", err)
		}
		m = map[string]*StoredToken{}
	} else if err != nil {
		return err
	}
	if !change(m) {
		return nil
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding tokens: %w", err)
	}
	return s.writeAtomic(dir, append(b, '\n'))
}

// writeAtomic replaces the file with b.
func (s *FileStore) writeAtomic(dir string, b []byte) (err error) {
	f, err := os.CreateTemp(dir, "."+filepath.Base(s.path)+".*.tmp") // mode 0600
	if err != nil {
		return fmt.Errorf("writing token file: %w", err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if err = f.Chmod(0o600); err != nil {
		return fmt.Errorf("writing token file: %w", err)
	}
	if _, err = f.Write(b); err != nil {
		return fmt.Errorf("writing token file: %w", err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("writing token file: %w", err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("writing token file: %w", err)
	}
	if s.beforeRename != nil {
		if err = s.beforeRename(tmp); err != nil {
			return err
		}
	}
	if err = os.Rename(tmp, s.path); err != nil {
		return fmt.Errorf("writing token file: %w", err)
	}
	syncDir(dir)
	return nil
}

// LockRefresh implements RefreshLocker with an advisory lock on the
// sibling file PATH.refresh.lock (one for all connections).
func (s *FileStore) LockRefresh(ctx context.Context, connection string) (func(), error) {
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return nil, fmt.Errorf("creating token directory: %w", err)
	}
	unlock, err := lockFile(ctx, s.path+".refresh.lock")
	if err != nil {
		return nil, fmt.Errorf("locking token file for renewal: %w", err)
	}
	return unlock, nil
}

// copyFile copies src to dst (mode 0600), replacing dst.
func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o600)
}

// syncDir makes a rename in dir durable, where the OS allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}

// lockPoll is how often a busy lock is retried.
const lockPoll = 10 * time.Millisecond
