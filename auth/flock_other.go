//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package auth

import "context"

// lockFile does nothing where flock is not available: writers are then
// serialized only within the process (FileStore's mutex).
func lockFile(ctx context.Context, path string) (unlock func(), err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return func() {}, nil
}
