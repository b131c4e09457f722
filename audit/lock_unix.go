//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package audit

import (
	"errors"
	"os"
	"syscall"
)

// lock takes an exclusive lock on f, held until f is closed, so that two
// servers never append to one log: their records would fork the chain.
func lock(f *os.File) error {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return errors.New("another zoom-mcp process is writing this audit log; give each server its own")
	}
	return err
}
