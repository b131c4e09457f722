package auth

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestUserSecretsNeverInErrors: across the failure cases, no error shows
// the client secret, an access or refresh token, or an authorization code,
// even when Zoom (or a store) echoes them back.
func TestUserSecretsNeverInErrors(t *testing.T) {
	ctx := context.Background()
	fz := newFakeZoom(t)
	var errs []error
	refresh := func(cfg UserConfig, store TokenStore, setup func(f *fakeZoom)) {
		fz.set(func(f *fakeZoom) { f.status, f.body, f.meStatus, f.meBody = 0, "", 0, "" })
		st := fz.stored(-time.Minute)
		if es, ok := store.(*echoStore); ok {
			save(t, es.TokenStore, "jane", st)
		} else {
			save(t, store, "jane", st)
		}
		if setup != nil {
			fz.set(setup)
		}
		s := newUserSource(t, cfg, store, "jane")
		_, err := s.Token(ctx)
		errs = append(errs, err)
	}
	cfg := fz.config()
	// Zoom refuses the refresh token and echoes it.
	refresh(cfg, tempStore(t), func(f *fakeZoom) { f.refresh = map[string]bool{} })
	// An outage page echoing the request.
	refresh(cfg, tempStore(t), func(f *fakeZoom) {
		f.status, f.body = 502, `<html>bad gateway: refresh {refresh_token} with {secret}</html>`
	})
	refresh(cfg, tempStore(t), func(f *fakeZoom) {
		f.status, f.body = 400, `{"error":"invalid_request","reason":"bad {refresh_token} {secret}"}`
	})
	// A wrong client secret, echoed by Zoom.
	wrong := cfg
	wrong.ClientSecret = "wrong-secret-5e9d"
	refresh(wrong, tempStore(t), nil)
	// A store whose error echoes the token it could not save.
	refresh(cfg, &echoStore{TokenStore: tempStore(t)}, nil)

	// Login: the exchange fails with an echo, /users/me fails with an echo.
	login := func(setup func(f *fakeZoom)) {
		fz.set(func(f *fakeZoom) { f.status, f.body, f.meStatus, f.meBody = 0, "", 0, "" })
		fz.set(setup)
		_, err := Login(ctx, loginOpts(fz, tempStore(t), newBrowser(), nil))
		errs = append(errs, err)
	}
	login(func(f *fakeZoom) {
		f.status, f.body = 400, `{"error":"invalid_grant","reason":"code {code} for {secret}"}`
	})
	login(func(f *fakeZoom) { f.status, f.body = 500, `code={code}&client_secret={secret}` })
	login(func(f *fakeZoom) { f.meStatus, f.meBody = 401, `{"code":124,"message":"bad {auth}"}` })
	login(func(f *fakeZoom) { f.meStatus, f.meBody = 502, `<html>{auth}</html>` })
	login(func(f *fakeZoom) { f.deny = true })
	fz.set(func(f *fakeZoom) { f.deny = false })
	// Revoke: Zoom echoes the token.
	errs = append(errs, Revoke(ctx, cfg, "RT-secret-unknown-77"))
	errs = append(errs, Revoke(ctx, wrong, "RT-secret-unknown-78"))

	fz.mu.Lock()
	secrets := append([]string{userSecret, wrong.ClientSecret, "RT-secret-unknown-77", "RT-secret-unknown-78"}, fz.issued...)
	fz.mu.Unlock()
	for i, err := range errs {
		if err == nil {
			t.Errorf("case %d: no error", i)
			continue
		}
		msg := err.Error()
		for _, s := range secrets {
			if strings.Contains(msg, s) {
				t.Errorf("case %d: error shows %q: %s", i, s, msg)
			}
		}
		// Wrapped errors too.
		for e := errors.Unwrap(err); e != nil; e = errors.Unwrap(e) {
			for _, s := range secrets {
				if strings.Contains(e.Error(), s) {
					t.Errorf("case %d: wrapped error shows %q", i, s)
				}
			}
		}
	}
	if testing.Verbose() {
		for i, err := range errs {
			t.Logf("case %d: %v", i, err)
		}
	}
}

type echoStore struct{ TokenStore }

func (s *echoStore) Save(ctx context.Context, conn string, tok *StoredToken) error {
	return errors.New("cannot write " + tok.AccessToken + " / " + tok.RefreshToken)
}
