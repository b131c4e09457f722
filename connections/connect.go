package connections

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/zoommcp/zoom-mcp/audit"
	"github.com/zoommcp/zoom-mcp/auth"
)

// Browser sign-in for a user connection over HTTP. An agent whose
// connection is not signed in gets a link (see NotConnectedError.URL) to
// Path+"/?connection=NAME&t=TOKEN". The token is an HMAC of the connection
// and an expiry under a key of this server, so only a person given the
// link by the agent can sign the connection in, for LinkTTL. The page sends
// the browser to Zoom's authorization page (authorization code with PKCE),
// and Zoom back to Path+"/callback", where the code is exchanged and the
// tokens stored.

// LinkTTL is how long a sign-in link stays valid.
const LinkTTL = 30 * time.Minute

// flowTTL is how long a started sign-in waits for Zoom's callback.
const flowTTL = 10 * time.Minute

// Connect serves the sign-in pages.
type Connect struct {
	reg *Registry
	// base is the server's external URL (scheme://host[:port]) and path
	// the pages' path: the Zoom app must list base+path+"/callback" as a
	// redirect URL.
	base, path string
	key        []byte
	logger     *slog.Logger
	now        func() time.Time

	mu      sync.Mutex
	pending map[string]flow // by state
}

type flow struct {
	connection, verifier string
	expires              time.Time
}

// NewConnect returns the sign-in pages of reg, served at path under the
// external URL base. key signs the links; replicas must share it, and
// without one a random key of this process is made.
//
// A sign-in started on one replica must come back to the same one (its
// PKCE verifier is kept in memory for ten minutes); behind a load
// balancer, route /connect/zoom/ to one replica or use sticky sessions
// for it.
func NewConnect(reg *Registry, base, path string, key []byte, logger *slog.Logger) (*Connect, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("public URL %q: want scheme://host[:port]", base)
	}
	if len(key) == 0 {
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Connect{reg: reg, base: strings.TrimRight(base, "/"), path: path, key: key, logger: logger,
		now: reg.opts.Now, pending: map[string]flow{}}, nil
}

// SetBase changes the external URL (once the listener's port is known).
func (c *Connect) SetBase(base string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.base = strings.TrimRight(base, "/")
}

func (c *Connect) baseURL() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.base
}

// RedirectURL is the redirect URL the Zoom app must list.
func (c *Connect) RedirectURL() string { return c.baseURL() + c.path + "/callback" }

// Link returns a signed sign-in link for connection, valid for LinkTTL.
func (c *Connect) Link(connection string) string {
	exp := c.now().Add(LinkTTL).Unix()
	q := url.Values{"connection": {connection}, "t": {c.sign(connection, exp)}}
	return c.baseURL() + c.path + "/?" + q.Encode()
}

func (c *Connect) sign(connection string, exp int64) string {
	m := hmac.New(sha256.New, c.key)
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(exp))
	m.Write(b[:])
	m.Write([]byte(connection))
	return strconv.FormatInt(exp, 36) + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// valid checks a link's token for connection.
func (c *Connect) valid(connection, token string) bool {
	expText, _, ok := strings.Cut(token, ".")
	if !ok {
		return false
	}
	exp, err := strconv.ParseInt(expText, 36, 64)
	if err != nil || c.now().Unix() > exp {
		return false
	}
	return hmac.Equal([]byte(c.sign(connection, exp)), []byte(token))
}

func (c *Connect) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		http.Error(w, "Method not allowed", http.StatusMethodNotAllowed)
		return
	}
	switch strings.TrimPrefix(r.URL.Path, c.path) {
	case "/":
		c.start(w, r)
	case "/callback":
		c.callback(w, r)
	default:
		http.NotFound(w, r)
	}
}

// start checks the link and sends the browser to Zoom.
func (c *Connect) start(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("connection")
	if name == "" || name == S2S || !c.valid(name, r.URL.Query().Get("t")) {
		page(w, http.StatusForbidden, "This sign-in link is not valid, or it has expired.",
			"Ask the agent for a new link (it gives one with every call it cannot make), or run zoom-mcp login on the server.")
		return
	}
	verifier, state := oauth2.GenerateVerifier(), oauth2.GenerateVerifier()
	now := c.now()
	c.mu.Lock()
	for s, f := range c.pending {
		if now.After(f.expires) {
			delete(c.pending, s)
		}
	}
	if len(c.pending) >= 1000 {
		c.mu.Unlock()
		page(w, http.StatusServiceUnavailable, "Too many sign-ins are under way.", "Try again in a few minutes.")
		return
	}
	c.pending[state] = flow{connection: name, verifier: verifier, expires: now.Add(flowTTL)}
	c.mu.Unlock()
	cfg := c.reg.opts.User.OAuth2(c.RedirectURL())
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier)), http.StatusFound)
}

// callback exchanges Zoom's code and stores the connection's tokens.
func (c *Connect) callback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	c.mu.Lock()
	f, ok := c.pending[q.Get("state")]
	delete(c.pending, q.Get("state")) // single use
	c.mu.Unlock()
	if !ok || c.now().After(f.expires) {
		page(w, http.StatusBadRequest, "This sign-in is unknown or has expired.", "Open the link the agent gave again.")
		return
	}
	if e := q.Get("error"); e != "" {
		page(w, http.StatusOK, "The sign-in was not completed ("+e+").", "Nothing was stored. Open the link again to retry.")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
	defer cancel()
	st, err := c.exchange(ctx, f, q.Get("code"))
	if err != nil {
		c.logger.Warn("a browser sign-in failed", "connection", f.connection, "err", err)
		page(w, http.StatusBadGateway, "Zoom did not complete the sign-in.", auth.Scrub(err.Error()))
		return
	}
	if err := c.reg.opts.Store.Save(ctx, f.connection, st); err != nil {
		c.logger.Error("cannot store a connection's tokens", "connection", f.connection, "err", err)
		page(w, http.StatusInternalServerError, "Signed in, but the server could not store the sign-in.", "Tell the operator; the server's log says why.")
		return
	}
	c.reg.forget(f.connection)
	c.logger.Info("a user connection was signed in from a browser", "connection", f.connection, "user", audit.MaskEmail(st.Email))
	page(w, http.StatusOK, "Signed in to Zoom as "+audit.MaskEmail(st.Email)+".",
		fmt.Sprintf("The agents that act as connection %q can use Zoom now. You can close this page.", f.connection))
}

// exchange trades the code for tokens and learns whose they are.
func (c *Connect) exchange(ctx context.Context, f flow, code string) (*auth.StoredToken, error) {
	cfg := c.reg.opts.User
	return auth.CompleteSignIn(ctx, cfg, cfg.OAuth2(c.RedirectURL()), code, f.verifier)
}

// pageHead and pageTail frame a page's title and text, which page
// escapes. A template would do the same, but executing one makes the
// linker keep every exported method of every type in the binary (it
// cannot tell which ones a template calls): 12 MB more, and 7 to 9% more
// of every start.
const (
	pageHead = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>zoom-mcp</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 36em; margin: 4em auto">
<h1 style="font-size: 1.3em">`
	pageMid  = `</h1><p>`
	pageTail = "</p></body></html>\n"
)

func page(w http.ResponseWriter, status int, title, text string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, pageHead+html.EscapeString(title)+pageMid+html.EscapeString(text)+pageTail)
}
