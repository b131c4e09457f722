package events

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zoommcp/zoom-mcp/internal/redistest"
)

func benchServer(b *testing.B, s Store) (*httptest.Server, *http.Client) {
	h := NewWebhook(testSecret, s, WebhookOptions{Logger: slog.New(slog.DiscardHandler)})
	mux := http.NewServeMux()
	mux.Handle("POST /zoom/webhook", h)
	srv := httptest.NewServer(mux)
	b.Cleanup(srv.Close)
	c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	return srv, c
}

func post(b *testing.B, c *http.Client, url string, i int64) {
	body := strings.Replace(startedBody, "1699999999000", strconv.FormatInt(1699999999000+i, 10), 1)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, _ := http.NewRequest(http.MethodPost, url+"/zoom/webhook", strings.NewReader(body))
	req.Header.Set("x-zm-request-timestamp", ts)
	req.Header.Set("x-zm-signature", zoomSign(testSecret, ts, []byte(body)))
	resp, err := c.Do(req)
	if err != nil {
		b.Error(err)
		return
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		b.Errorf("status %d", resp.StatusCode)
	}
}

// BenchmarkIntakeToWaiter: a waiter blocked in Wait, a signed delivery
// POSTed over loopback; the time from the POST to the waiter's wakeup.
func BenchmarkIntakeToWaiter(b *testing.B) {
	for _, kind := range []string{"file", "redis"} {
		b.Run(kind, func(b *testing.B) {
			var s Store
			if kind == "file" {
				fs, err := OpenFile(filepath.Join(b.TempDir(), "e.jsonl"), 1000)
				if err != nil {
					b.Fatal(err)
				}
				s = fs
			} else {
				s = openBenchRedis(b)
			}
			defer s.Close()
			srv, c := benchServer(b, s)
			var lat []time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				woke := make(chan time.Time, 1)
				ready := make(chan struct{})
				go func() {
					ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
					defer cancel()
					last, _ := s.Last(ctx)
					close(ready)
					if _, err := s.Wait(ctx, Filter{After: last}); err != nil {
						b.Error(err)
					}
					woke <- time.Now()
				}()
				<-ready
				start := time.Now()
				post(b, c, srv.URL, int64(i))
				lat = append(lat, (<-woke).Sub(start))
			}
			b.StopTimer()
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}

// BenchmarkThroughputFile: verified and stored deliveries per second, 64
// concurrent senders over loopback HTTP, file store fsyncing each batch.
func BenchmarkThroughputFile(b *testing.B) {
	fs, err := OpenFile(filepath.Join(b.TempDir(), "e.jsonl"), 1000)
	if err != nil {
		b.Fatal(err)
	}
	defer fs.Close()
	srv, c := benchServer(b, fs)
	var n atomic.Int64
	b.SetParallelism(32) // × GOMAXPROCS senders
	start := time.Now()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			post(b, c, srv.URL, n.Add(1))
		}
	})
	el := time.Since(start)
	b.ReportMetric(float64(b.N)/el.Seconds(), "deliveries/s")
	if last, _ := fs.Last(context.Background()); last != int64(b.N) {
		b.Errorf("stored %d of %d", last, b.N)
	}
}

func openBenchRedis(b *testing.B) Store {
	srv := redistest.Start(b)
	s, err := NewRedisStore(srv.Client(b), RedisOptions{})
	if err != nil {
		b.Fatal(err)
	}
	return s
}
