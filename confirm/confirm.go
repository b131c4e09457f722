// Package confirm asks a person to accept a call before it runs, through
// MCP elicitation (form mode). The call is answered with a request for
// input (MCP multi round-trip, protocol 2026-07-28); mcp-go turns that
// into the elicitation/create request older clients understand. The
// person's answer only counts for the exact call it was asked about: the
// request state is signed over the agent, the tool and the decoded
// arguments, expires, and is good for one use.
package confirm

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/zoommcp/zoom-mcp/pipeline"
)

// inputID names the confirmation among a call's input requests.
const inputID = "confirm"

// field is the form's one field: a yes/no the person must tick.
const field = "confirm"

// ttl bounds how long a question stays valid.
const ttl = 10 * time.Minute

// Asker decides which calls need a person's confirmation.
type Asker interface {
	NeedsConfirmation(agent string, t pipeline.Tool, destructive bool) bool
}

// Confirmer is the confirmation middleware's state.
type Confirmer struct {
	need        Asker
	destructive func(tool string) bool
	key         func() []byte
	now         func() time.Time
	nonces      NonceStore
}

// NonceStore remembers the confirmations answered, so that each is used
// once. Replicas behind a load balancer share one (Redis), with the key.
type NonceStore interface {
	// Use marks nonce used until it expires, and reports whether it was
	// unused.
	Use(ctx context.Context, nonce string, expires time.Time) (bool, error)
}

// Options configures NewWith.
type Options struct {
	// Key signs the confirmation state; replicas must share it. Empty: a
	// random key of this process.
	Key []byte
	// Nonces, if set, replaces the in-memory store of used confirmations.
	Nonces NonceStore
}

// New returns a Confirmer; destructive reports whether a tool is
// destructive (for confirm: [destructive]).
func New(need Asker, destructive func(tool string) bool) *Confirmer {
	return NewWith(need, destructive, Options{})
}

// NewWith is New with a shared key and nonce store.
func NewWith(need Asker, destructive func(tool string) bool, opts Options) *Confirmer {
	// A random key is drawn at the first confirmation, not at start-up,
	// where the first crypto/rand read (seeding the DRBG) cost 0.15 ms.
	key := sync.OnceValue(func() []byte {
		if len(opts.Key) > 0 {
			return opts.Key
		}
		k := make([]byte, 32)
		if _, err := rand.Read(k); err != nil {
			panic(err)
		}
		return k
	})
	nonces := opts.Nonces
	if nonces == nil {
		nonces = &memNonces{used: map[string]time.Time{}, now: time.Now}
	}
	return &Confirmer{need: need, destructive: destructive, key: key, now: time.Now, nonces: nonces}
}

// memNonces is the in-memory NonceStore.
type memNonces struct {
	mu   sync.Mutex
	used map[string]time.Time // nonces answered, until they expire
	now  func() time.Time
}

func (m *memNonces) Use(_ context.Context, nonce string, expires time.Time) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	for n, exp := range m.used {
		if now.After(exp) {
			delete(m.used, n)
		}
	}
	if _, seen := m.used[nonce]; seen {
		return false, nil
	}
	m.used[nonce] = expires
	return true, nil
}

// Middleware returns the pipeline middleware.
func (cf *Confirmer) Middleware() pipeline.Middleware {
	return func(next pipeline.Handler) pipeline.Handler {
		return func(ctx context.Context, c *pipeline.Call) pipeline.Outcome {
			if c.Invalid != nil || c.DryRun || !cf.need.NeedsConfirmation(c.Agent.Name, c.Tool, cf.destructive(c.Tool.Name)) {
				return next(ctx, c)
			}
			digest, err := callDigest(c)
			if err != nil {
				return pipeline.Outcome{Err: err}
			}
			if answer := server.ElicitationResponse(c.Input.InputResponses, inputID); answer != nil {
				if err := cf.verify(ctx, c.Input.RequestState, digest); err != nil {
					return declined("The confirmation did not match this call ("+err.Error()+"), so it was not made. Call the tool again to be asked anew.", "confirm")
				}
				if answer.Action != mcp.ElicitationResponseActionAccept || !accepted(answer.Content) {
					return declined(fmt.Sprintf("A person declined this call (%s), so nothing was sent to Zoom. Do not retry it unless they ask.", answerWord(answer)), "confirm")
				}
				o := next(ctx, c)
				if o.Decision == pipeline.Allowed {
					o.Decision = pipeline.Confirmed
				}
				return o
			}
			if !canElicit(ctx) {
				return declined("This call needs a person's confirmation, and this MCP client cannot ask one (it does not support elicitation), so the call was not made. Use a client that supports elicitation, or ask an operator to remove the tool from this agent's confirm list.", "confirm")
			}
			state, err := cf.sign(digest)
			if err != nil {
				return pipeline.Outcome{Err: err}
			}
			params := mcp.ElicitationParams{
				Mode:    mcp.ElicitationModeForm,
				Message: Question(c),
				RequestedSchema: map[string]any{
					"type": "object",
					"properties": map[string]any{
						field: map[string]any{"type": "boolean", "title": "Allow this call", "description": "Tick to let the agent make this change in Zoom.", "default": false},
					},
					"required": []string{field},
				},
			}
			res := server.NewInputRequestBuilder(state).Elicit(inputID, params).ToolResult()
			return pipeline.Outcome{Decision: pipeline.Pending, Result: res}
		}
	}
}

func declined(msg, rule string) pipeline.Outcome {
	return pipeline.Outcome{Decision: pipeline.Declined, Rule: rule, Error: &pipeline.ErrorInfo{Kind: pipeline.KindDeclined, Rule: rule, Message: msg}}
}

func accepted(content any) bool {
	m, ok := content.(map[string]any)
	if !ok {
		return false
	}
	switch v := m[field].(type) {
	case bool:
		return v
	case string:
		return strings.EqualFold(v, "true")
	}
	return false
}

func answerWord(a *mcp.ElicitationResult) string {
	switch a.Action {
	case mcp.ElicitationResponseActionAccept:
		return "the box was not ticked"
	case mcp.ElicitationResponseActionDecline:
		return "declined"
	case mcp.ElicitationResponseActionCancel:
		return "cancelled"
	}
	return string(a.Action)
}

// canElicit reports whether the client declared elicitation: per request
// from protocol 2026-07-28, at initialize before.
func canElicit(ctx context.Context) bool {
	if info := server.RequestProtocolInfoFromContext(ctx); info != nil && info.Modern {
		return info.ClientCapabilities != nil && info.ClientCapabilities.Elicitation != nil
	}
	session := server.ClientSessionFromContext(ctx)
	info, ok := session.(server.SessionWithClientInfo)
	_, elicits := session.(server.SessionWithElicitation)
	return ok && elicits && info.GetClientCapabilities().Elicitation != nil
}

// Question is the sentence a person sees: who asks to do what, to which
// Zoom objects, with which arguments.
func Question(c *pipeline.Call) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Agent %q asks to %s", c.Agent.Name, strings.ToLower(c.Tool.Title))
	var objs []string
	for _, m := range c.Targets.Meetings {
		objs = append(objs, "meeting "+m)
	}
	for _, w := range c.Targets.Webinars {
		objs = append(objs, "webinar "+w)
	}
	for _, u := range c.Targets.Users {
		objs = append(objs, "user "+u)
	}
	if len(objs) > 0 {
		b.WriteString(" (" + strings.Join(objs, ", ") + ")")
	}
	if args, err := json.Marshal(c.Args); err == nil && string(args) != "{}" && len(args) < 600 {
		b.WriteString(" with " + string(args))
	}
	b.WriteString(" in Zoom. Allow it?")
	return b.String()
}

// callDigest identifies a call: agent, tool and decoded arguments.
func callDigest(c *pipeline.Call) (string, error) {
	args, err := json.Marshal(c.Args)
	if err != nil {
		return "", fmt.Errorf("confirm: encoding arguments: %w", err)
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00", c.Agent.Name, c.Tool.Name)
	h.Write(args)
	return hex.EncodeToString(h.Sum(nil)), nil
}

type state struct {
	Digest string `json:"d"`
	Nonce  string `json:"n"`
	Exp    int64  `json:"e"`
}

func (cf *Confirmer) sign(digest string) (string, error) {
	nonce := make([]byte, 12)
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	payload, _ := json.Marshal(state{Digest: digest, Nonce: hex.EncodeToString(nonce), Exp: cf.now().Add(ttl).Unix()})
	enc := base64.RawURLEncoding.EncodeToString(payload)
	return enc + "." + cf.mac(enc), nil
}

func (cf *Confirmer) mac(s string) string {
	m := hmac.New(sha256.New, cf.key())
	m.Write([]byte(s))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// verify checks that a request state was issued by this server for this
// very call, is not expired and was not used before; it then marks it
// used.
func (cf *Confirmer) verify(ctx context.Context, raw, digest string) error {
	enc, sig, ok := strings.Cut(raw, ".")
	if !ok || !hmac.Equal([]byte(sig), []byte(cf.mac(enc))) {
		return fmt.Errorf("no valid confirmation state")
	}
	payload, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil {
		return fmt.Errorf("no valid confirmation state")
	}
	var st state
	if err := json.Unmarshal(payload, &st); err != nil {
		return fmt.Errorf("no valid confirmation state")
	}
	now := cf.now()
	if now.Unix() > st.Exp {
		return fmt.Errorf("the confirmation expired")
	}
	if !hmac.Equal([]byte(st.Digest), []byte(digest)) {
		return fmt.Errorf("the arguments changed after the person was asked")
	}
	fresh, err := cf.nonces.Use(ctx, st.Nonce, time.Unix(st.Exp, 0))
	switch {
	case err != nil:
		return fmt.Errorf("whether the confirmation was used before cannot be checked now (%v)", err)
	case !fresh:
		return fmt.Errorf("the confirmation was already used")
	}
	return nil
}
