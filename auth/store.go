package auth

import (
	"context"
	"errors"
	"time"

	"golang.org/x/oauth2"
)

// A user connection is one Zoom user's authorization of a user-managed
// OAuth app (authorization code with PKCE): a refresh token that renews
// access tokens acting as that user. Connections are named, so that one
// server can act as several users, each agent as the user its policy names.

// DefaultConnection is the name of the connection `zoom-mcp login` makes
// when no --connection is given.
const DefaultConnection = "default"

// StoredToken is what a token store keeps of one connection.
type StoredToken struct {
	AccessToken  string    `json:"access_token"`
	RefreshToken string    `json:"refresh_token"`
	TokenType    string    `json:"token_type,omitempty"`
	Expiry       time.Time `json:"expiry"`
	// Scopes are the scopes Zoom granted with the latest token.
	Scopes []string `json:"scopes,omitempty"`
	// The user who authorized the app, as GET /users/me answered at login.
	UserID    string `json:"user_id,omitempty"`
	Email     string `json:"email,omitempty"`
	AccountID string `json:"account_id,omitempty"`
	// ClientID is the OAuth app the tokens belong to: a token of another
	// app is not used (the operator changed ZOOM_CLIENT_ID).
	ClientID string    `json:"client_id,omitempty"`
	Saved    time.Time `json:"saved"`
}

// OAuth2 returns the access token as an oauth2.Token, with its scopes as
// the "scope" extra, as GrantedScopes reads them.
func (t *StoredToken) OAuth2() *oauth2.Token {
	tok := &oauth2.Token{AccessToken: t.AccessToken, TokenType: t.TokenType, RefreshToken: t.RefreshToken, Expiry: t.Expiry}
	return tok.WithExtra(map[string]any{"scope": joinScopes(t.Scopes)})
}

func joinScopes(s []string) string {
	out := ""
	for i, v := range s {
		if i > 0 {
			out += " "
		}
		out += v
	}
	return out
}

// TokenStore keeps the tokens of user connections. The file store is the
// default; a shared store (Redis) lets replicas use one connection.
//
// Implementations are safe for concurrent use. Save replaces the whole
// entry atomically: a reader sees the old entry or the new one, never a
// mix, and a crash during Save leaves the old one.
type TokenStore interface {
	// Load returns the connection's token, or an error wrapping
	// ErrNotConnected when there is none.
	Load(ctx context.Context, connection string) (*StoredToken, error)
	Save(ctx context.Context, connection string, tok *StoredToken) error
	// Delete removes the connection's token; deleting a missing one is
	// not an error.
	Delete(ctx context.Context, connection string) error
	// List returns the names of the stored connections, sorted.
	List(ctx context.Context) ([]string, error)
}

// ErrNotConnected is wrapped by errors about a connection with no stored
// token: nobody has logged in for it yet, or it was logged out.
var ErrNotConnected = errors.New("not connected to Zoom")

// ErrLoginRequired is wrapped by errors that only a new login can clear:
// Zoom refused the stored refresh token (revoked, expired, or already
// used), or the stored token is of another OAuth app.
var ErrLoginRequired = errors.New("run zoom-mcp login again")

// RefreshLocker is implemented by stores that can serialize the renewal of
// a connection's token across processes. UserTokenSource holds the lock
// from re-reading the stored token to saving the renewed one, so that two
// processes never spend the same (rotating) refresh token. LockRefresh
// waits until the lock is free or ctx ends; unlock must be called once.
type RefreshLocker interface {
	LockRefresh(ctx context.Context, connection string) (unlock func(), err error)
}
