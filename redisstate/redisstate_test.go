package redisstate

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zoommcp/zoom-mcp/internal/redistest"
)

func TestSecretShared(t *testing.T) {
	srv := redistest.Start(t)
	var keys [3][]byte
	var wg sync.WaitGroup
	for i := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k, err := Secret(context.Background(), srv.Client(t))
			if err != nil {
				t.Error(err)
			}
			keys[i] = k
		}()
	}
	wg.Wait()
	for i := range keys {
		if len(keys[i]) != 32 || string(keys[i]) != string(keys[0]) {
			t.Fatalf("replica %d has another key", i)
		}
	}
}

func TestNoncesOnce(t *testing.T) {
	srv := redistest.Start(t)
	var fresh atomic.Int32
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := Nonces{srv.Client(t)}.Use(context.Background(), "n1", time.Now().Add(time.Minute))
			if err != nil {
				t.Error(err)
			}
			if ok {
				fresh.Add(1)
			}
		}()
	}
	wg.Wait()
	if fresh.Load() != 1 {
		t.Errorf("%d of 20 replicas used one confirmation", fresh.Load())
	}
}

func TestUnreachable(t *testing.T) {
	srv := redistest.Start(t)
	c := srv.Client(t)
	c.Close()
	if _, err := (Nonces{c}).Use(context.Background(), "n", time.Now().Add(time.Minute)); err == nil {
		t.Errorf("a closed client used a nonce")
	}
}
