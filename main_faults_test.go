package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zoommcp/zoom-mcp/internal/redistest"
	"github.com/zoommcp/zoom-mcp/pipeline"
	"github.com/zoommcp/zoom-mcp/policy"
	"github.com/zoommcp/zoom-mcp/zoomapi"
	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

// faultsSabotageEnv, when set, breaks the run on purpose, to show that the
// test catches it: "call-timeout" runs the servers with --call-timeout 1s,
// so that a 429's retry (Retry-After: 1) cannot fit in a call; "post-429"
// makes the proxy forward a create in the storm and then answer it 429, as
// if Zoom had applied it and still said "try again".
const faultsSabotageEnv = "ZOOM_MCP_TEST_FAULTS_SABOTAGE"

// The fault proxy's script, from the moment the load starts.
const (
	stormFrom = 1 * time.Second // the 429 storm: 30% of API requests
	stormTo   = 3 * time.Second
	revokeAt  = 2 * time.Second // the token in use then answers 124 from then on
	loadFor   = 5 * time.Second // agents start no new call after this
	// max429PerRequest bounds the 429s one request (method, path, body)
	// gets, well within the client's 5 retries, so that the run does not
	// depend on luck.
	max429PerRequest = 2
)

const (
	rateLimited429 = `{"code":429,"message":"You have reached the maximum per-second rate limit for this API. Try again later."}`
	invalidToken   = `{"code":124,"message":"Invalid access token."}`
)

// faultProxy stands between the replicas and the simulator: it forwards
// every request, except that from start on it answers a 429 storm and
// 124s to a revoked token itself, without forwarding them, so that the
// simulator records exactly what Zoom would have applied.
type faultProxy struct {
	rp       *httputil.ReverseProxy
	post429  bool         // sabotage: forward a create, then answer 429
	started  atomic.Int64 // unix ns when the load started; 0: not yet
	tokenReq atomic.Int64 // token requests forwarded

	mu        sync.Mutex
	inStorm   int            // API requests that arrived in the storm window
	n429      int            // 429s answered
	n429Post  int            // of them to creates (applied first under post-429)
	per429    map[string]int // 429s per request key
	revoked   string         // the access token answered 124
	n124      int            // 124s answered
	forwarded int            // API requests forwarded
	// creates counts, per topic, the creates forwarded to the simulator,
	// and applied those it answered 201.
	creates, applied map[string]int
}

type proxyKey struct{}

// proxyNote is what ServeHTTP tells ModifyResponse about a forwarded
// request.
type proxyNote struct {
	topic     string // of a create, else ""
	answer429 bool   // sabotage: replace the simulator's answer with a 429
}

func newFaultProxy(target string, post429 bool) *faultProxy {
	u, err := url.Parse(target)
	if err != nil {
		panic(err)
	}
	p := &faultProxy{post429: post429, per429: map[string]int{},
		creates: map[string]int{}, applied: map[string]int{}}
	p.rp = &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) { r.SetURL(u); r.Out.Host = r.In.Host },
		ModifyResponse: func(res *http.Response) error {
			note, _ := res.Request.Context().Value(proxyKey{}).(*proxyNote)
			if note == nil || note.topic == "" {
				return nil
			}
			p.mu.Lock()
			if res.StatusCode == http.StatusCreated {
				p.applied[note.topic]++
			}
			p.mu.Unlock()
			if note.answer429 {
				_ = res.Body.Close()
				res.StatusCode, res.Status = http.StatusTooManyRequests, "429 Too Many Requests"
				res.Header = http.Header{}
				setRateLimitHeaders(res.Header)
				res.Body = io.NopCloser(strings.NewReader(rateLimited429))
				res.ContentLength = int64(len(rateLimited429))
			}
			return nil
		},
	}
	return p
}

func setRateLimitHeaders(h http.Header) {
	h.Set("Content-Type", "application/json;charset=UTF-8")
	h.Set("X-RateLimit-Category", "Light")
	h.Set("X-RateLimit-Type", "QPS")
	h.Set("Retry-After", "1")
}

func (p *faultProxy) start() { p.started.Store(time.Now().UnixNano()) }

// since is how long ago the load started, or -1 before.
func (p *faultProxy) since() time.Duration {
	s := p.started.Load()
	if s == 0 {
		return -1
	}
	return time.Duration(time.Now().UnixNano() - s)
}

func (p *faultProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.URL.Path, "/v2/") {
		if strings.HasPrefix(r.URL.Path, "/oauth/token") {
			p.tokenReq.Add(1)
		}
		p.rp.ServeHTTP(w, r)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	note := &proxyNote{}
	isCreate := r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/v2/users/") && strings.HasSuffix(r.URL.Path, "/meetings")
	if isCreate {
		var m struct {
			Topic string `json:"topic"`
		}
		_ = json.Unmarshal(body, &m)
		note.topic = m.Topic
	}
	key := r.Method + " " + r.URL.RequestURI() + " " + string(body)
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	at := p.since()

	p.mu.Lock()
	// Zoom checks the token before its rate limit.
	if at >= revokeAt && p.revoked == "" && token != "" {
		p.revoked = token
	}
	if p.revoked != "" && token == p.revoked {
		p.n124++
		p.mu.Unlock()
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, invalidToken)
		return
	}
	storm := false
	if at >= stormFrom && at < stormTo {
		k := p.inStorm
		p.inStorm++
		if k%10 == 0 || k%10 == 3 || k%10 == 6 {
			storm = p.per429[key] < max429PerRequest
		}
	}
	if storm {
		p.n429++
		p.per429[key]++
		if isCreate {
			p.n429Post++
		}
	}
	if storm && !(p.post429 && isCreate) {
		p.mu.Unlock()
		setRateLimitHeaders(w.Header())
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = io.WriteString(w, rateLimited429)
		return
	}
	note.answer429 = storm
	p.forwarded++
	if isCreate {
		p.creates[note.topic]++
	}
	p.mu.Unlock()
	p.rp.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), proxyKey{}, note)))
}

// faultAgentCall is one tool call an agent made, and what it was told.
type faultAgentCall struct {
	agent, replica int
	tool, topic    string
	ok             bool
	meeting        int64  // the meeting a create made
	kind           string // the error's kind, if not ok
	result         string
	took           time.Duration
}

// TestReplicasUnderFaults runs three replicas on one Redis behind a fault
// proxy in front of the simulator, and 30 agents making creates and reads
// round-robin over them while the proxy answers a 2-second storm of
// per-second 429s and, mid-run, 124 to the token in use. No create reaches
// the simulator twice, no 429 reaches an agent, the 124 costs one token
// request for all replicas, and the run ends in time.
func TestReplicasUnderFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	sabotage := os.Getenv(faultsSabotageEnv)
	rd := redistest.Start(t)
	sim := zoomfake.New(zoomfake.Options{Plan: zoomfake.PlanPro})
	hs := httptest.NewServer(sim)
	t.Cleanup(hs.Close)
	proxy := newFaultProxy(hs.URL, sabotage == "post-429")
	ps := httptest.NewServer(proxy)
	t.Cleanup(ps.Close)

	const agents = 30
	var cfg strings.Builder
	cfg.WriteString("agents:\n")
	keys := make([]string, agents)
	for i := range keys {
		keys[i] = fmt.Sprintf("zmcp_faults_agent_%02d", i)
		fmt.Fprintf(&cfg, "  - name: agent%02d\n    key_sha256: %s\n    access: { meetings: full }\n    limits: { daily_writes: 100 }\n",
			i, policy.HashKey(keys[i]))
	}
	args := []string{"--http", "127.0.0.1:0", "--redis", rd.URL(), "--config", writeFile(t, "policy.yaml", cfg.String())}
	if sabotage == "call-timeout" {
		args = append(args, "--call-timeout", "1s")
	}
	bin := binary(t)
	vars := simulatorVars(ps.URL)
	urls := startReplicas(t, bin, args, vars)
	if n := sim.TokenRequests(); n != 1 {
		t.Errorf("%d token requests for 3 replicas at start, want 1", n)
	}

	// The load: each agent calls create_meeting, get_meeting of it,
	// create_meeting again, then get_meeting of its meetings until loadFor
	// has passed; call j of agent i goes to replica (i+j)%3. Two creates
	// an agent: 60 creates, under Zoom's 100 a day for the user.
	const deadline = 30 * time.Second
	var (
		mu    sync.Mutex
		calls []faultAgentCall
		id    atomic.Int64
	)
	call := func(agent, replica int, tool string, args map[string]any) faultAgentCall {
		c := faultAgentCall{agent: agent, replica: replica, tool: tool}
		c.topic, _ = args["topic"].(string)
		h, m := legacyCall(int(id.Add(1)), tool, args)
		start := time.Now()
		r := post(t, urls[replica], keys[agent], h, m)
		c.took = time.Since(start)
		var tr toolResult
		if r.Status != http.StatusOK || r.Error != nil || json.Unmarshal(r.Result, &tr) != nil {
			c.kind, c.result = "protocol", fmt.Sprintf("status %d, error %+v, result %s", r.Status, r.Error, r.Result)
		} else {
			c.ok, c.result = !tr.IsError, tr.String()
			if tr.IsError {
				c.kind = tr.errorInfo().Kind
			}
			if c.ok && tool == "create_meeting" {
				v, _ := tr.StructuredContent["id"].(float64)
				c.meeting = int64(v)
			}
		}
		mu.Lock()
		calls = append(calls, c)
		mu.Unlock()
		if !c.ok {
			time.Sleep(200 * time.Millisecond) // no hot loop when calls fail fast
		}
		return c
	}
	proxy.start()
	begin := time.Now()
	var wg sync.WaitGroup
	for i := range agents {
		wg.Go(func() {
			var own []int64 // the meetings the agent created
			for j := 0; j < 3 || time.Since(begin) < loadFor; j++ {
				replica := (i + j) % 3
				if j == 0 || j == 2 {
					topic := fmt.Sprintf("faults agent%02d create%d", i, j/2+1)
					c := call(i, replica, "create_meeting", map[string]any{"topic": topic, "start_time": "2030-01-02T10:00:00Z"})
					if c.ok && c.meeting > 0 {
						own = append(own, c.meeting)
					}
					continue
				}
				meeting := int64(zoomfake.SeedRegistrationMeetingID)
				if len(own) > 0 {
					meeting = own[j%len(own)]
				}
				call(i, replica, "get_meeting", map[string]any{"meeting_id": meeting})
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(deadline):
		// (4) The run ends within its deadline. The calls still end
		// (--call-timeout): wait for them, so that none logs after the test.
		t.Errorf("the agents' calls did not end within %v", deadline)
		<-done
	}
	elapsed := time.Since(begin)

	// What the agents were told.
	var (
		okCreates, okGets int
		byKind            = map[string]int{}
		told              = map[string]string{} // topic: ok or the kind
		slowest           time.Duration
	)
	for _, c := range calls {
		slowest = max(slowest, c.took)
		if c.tool == "create_meeting" {
			told[c.topic] = "ok"
			if !c.ok {
				told[c.topic] = c.kind
			}
		}
		switch {
		case c.ok && c.tool == "create_meeting":
			okCreates++
		case c.ok:
			okGets++
		default:
			byKind[c.kind]++
			if byKind[c.kind] <= 5 {
				t.Errorf("agent %d, %s on replica %d (%v): %s", c.agent, c.tool, c.replica+1, c.took.Round(time.Millisecond), c.result)
			}
		}
	}
	// (2) No per-second 429 reaches an agent: every call is retried
	// within its deadline.
	if n := byKind[pipeline.KindRateLimited]; n > 0 {
		t.Errorf("%d calls were told rate_limited during a storm of per-second 429s", n)
	}

	// (1) No create reaches the simulator twice.
	proxy.mu.Lock()
	forwarded, inStorm, n429, n429Post, n124, revoked := proxy.forwarded, proxy.inStorm, proxy.n429, proxy.n429Post, proxy.n124, proxy.revoked != ""
	creates := map[string]int{}
	applied := map[string]int{}
	for k, v := range proxy.creates {
		creates[k] = v
	}
	for k, v := range proxy.applied {
		applied[k] = v
	}
	proxy.mu.Unlock()
	stats := simStats(t, hs.URL)
	var forwardedCreates int
	for topic, n := range creates {
		forwardedCreates += n
		// A create the simulator itself answered 429 was not applied and
		// is rightly sent again; any other repeat is a duplicate.
		if applied[topic] > 1 {
			t.Errorf("create %q was applied %d times (forwarded %d times)", topic, applied[topic], n)
		}
	}
	if n := sim.RequestsFor(zoomapi.OpCreateMeeting); n != int64(forwardedCreates) {
		t.Errorf("the simulator saw %d creates, the proxy forwarded %d", n, forwardedCreates)
	}

	// (3) One token request at start, one for the revoked token, for all
	// three replicas.
	tokens := sim.TokenRequests()
	if !revoked || n124 == 0 {
		t.Errorf("no 124 was answered (revoked %v): the script did not run", revoked)
	} else if tokens != 2 {
		t.Errorf("%d token requests: want 1 at start and 1 after the 124s (%d answered to the revoked token)", tokens, n124)
	}

	// The simulator's own account of the meetings: list them through a
	// client of the simulator itself.
	cl, _, err := zoomapi.NewS2SClient(zoomapi.Config{APIBaseURL: hs.URL + "/v2", OAuthBaseURL: hs.URL, AccountID: zoomfake.DefaultAccountID,
		ClientID: zoomfake.DefaultClientID, ClientSecret: zoomfake.DefaultClientSecret, Plan: zoomapi.PlanUnlimited}, &http.Client{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	exists := map[string]int{}
	for m, err := range cl.Meetings.ListAll(ctx, "me", &zoomapi.ListMeetingsOptions{Type: "scheduled", ListOptions: zoomapi.ListOptions{PageSize: 300}}) {
		if err != nil {
			t.Fatalf("listing the simulator's meetings: %v", err)
		}
		if strings.HasPrefix(m.Topic, "faults ") {
			exists[m.Topic]++
		}
	}
	var unknown int
	topics := make([]string, 0, len(told))
	for topic := range told {
		topics = append(topics, topic)
	}
	sort.Strings(topics)
	for _, topic := range topics {
		switch outcome, n := told[topic], exists[topic]; {
		case outcome == "ok" && n != 1:
			t.Errorf("create %q succeeded but exists %d times", topic, n)
		case outcome == pipeline.KindOutcomeUnknown:
			unknown++
			if n > 1 {
				t.Errorf("create %q (outcome unknown) exists %d times", topic, n)
			}
		case outcome != "ok" && n != 0:
			t.Errorf("create %q was told %s but exists %d times", topic, outcome, n)
		}
	}
	for topic, n := range exists {
		if _, ok := told[topic]; !ok {
			t.Errorf("meeting %q exists %d times but no agent asked for it", topic, n)
		}
	}

	// (4) The run ends within its deadline.
	if limit := loadFor + 15*time.Second; elapsed > limit {
		t.Errorf("the run took %v, more than %v", elapsed, limit)
	}

	t.Logf("%d calls in %v (slowest %v): %d creates ok, %d gets ok, errors by kind %v, %d outcome_unknown",
		len(calls), elapsed.Round(time.Millisecond), slowest.Round(time.Millisecond), okCreates, okGets, byKind, unknown)
	attempts := forwarded + n124 + n429
	if proxy.post429 {
		attempts -= n429Post // forwarded, then answered 429
	}
	t.Logf("proxy: %d API requests for %d calls (%d more attempts than calls): %d forwarded (%d creates), %d of %d in the storm answered 429 (%d to creates), %d answered 124",
		attempts, len(calls), attempts-len(calls), forwarded, forwardedCreates, n429, inStorm, n429Post, n124)
	t.Logf("simulator: %d API requests, %d answered 429 by its own limits %v, %d token requests (%d through the proxy)",
		stats.Requests, stats.RateLimited, stats.RateLimitedBy, tokens, proxy.tokenReq.Load())
	if sabotage != "" {
		t.Logf("sabotaged with %s=%s: this run is meant to fail", faultsSabotageEnv, sabotage)
	}
}
