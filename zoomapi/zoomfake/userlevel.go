package zoomfake

import (
	"strconv"
	"strings"
)

// A token of the user-managed OAuth app acts for one user: the one who
// authorized the app. Where such a token reaches an endpoint only through
// a user-level scope (it holds none of the endpoint's ":admin" or
// ":master" scopes, granular or classic), the request may concern that
// user alone:
//
//   - "me" in a path names the token's user (for a Server-to-Server
//     token, the account owner, as before);
//   - a path userId (ID or email) of another user is refused;
//   - a meeting, webinar, past instance or recording (path meetingId or
//     webinarId) hosted by another user is refused;
//   - an account-wide endpoint with no user-level granular scope at all
//     (List users, Create users), reached through a classic scope such
//     as user:read, is refused.
//
// The refusal is errNoPermission. A token that holds one of the
// endpoint's admin scopes, and every Server-to-Server token, reaches the
// whole account as before.

// errNoPermission is the answer to a user-level token that reaches
// another user's data: HTTP 400 with Zoom's code 200, "No permission.".
// Zoom documents code 200 as the answer of many endpoints to a caller
// without the right to the resource; that a user-level app reaching
// another user gets exactly this body could not be confirmed from Zoom's
// documents or forums (searched), so it is the simulator's choice.
func errNoPermission() *apiError {
	return badRequest(codeNoPermission, "No permission.")
}

// isAdminScope reports whether scope is account-level: a granular scope
// ending in ":admin" or ":master", or a classic one ending in ":admin"
// (meeting:read:admin).
func isAdminScope(scope string) bool {
	return strings.HasSuffix(scope, ":admin") || strings.HasSuffix(scope, ":master")
}

// DefaultUserScopes returns the user-level scopes among scopes: those a
// user-managed app is granted by default (see Options.UserScopes). Granular
// and classic scopes ending in ":admin", and ":master" scopes (a master
// account's, never a user's), are left out; classic user scopes such as
// meeting:read stay.
func DefaultUserScopes(scopes []string) []string {
	out := []string{}
	for _, sc := range scopes {
		if !isAdminScope(sc) {
			out = append(out, sc)
		}
	}
	return out
}

// SeedUserEmails returns the emails of two active, ordinary (role Member)
// users of the seeded account, besides its owner, for tests that log two
// different users in to the user-managed app (GET /oauth/authorize's user
// parameter): Carla Member (licensed, hosts SeedDesignReviewMeetingID)
// and Dan Basic (basic).
func SeedUserEmails() [2]string {
	return [2]string{SeedMemberEmail, SeedBasicEmail}
}

// userLevel reports whether c is authorized only as its token's user: a
// token of the user-managed app without any admin scope of the endpoint.
func (s *Server) userLevel(c *call) bool {
	if c == nil || c.grant == nil || c.grant.user == "" {
		return false
	}
	for _, sc := range c.ep.Scopes() {
		if isAdminScope(sc) && hasScope(c.grant.scopes, sc) {
			return false
		}
	}
	return true
}

func hasScope(scopes []string, scope string) bool {
	for _, sc := range scopes {
		if sc == scope {
			return true
		}
	}
	return false
}

// me is the user "me" names in c: the user a user-managed app's token
// acts for, else (Server-to-Server) the account owner.
func (s *Server) me(c *call) *user {
	if c != nil && c.grant != nil && c.grant.user != "" {
		return s.usersByID[c.grant.user]
	}
	if len(s.users) > 0 {
		return s.users[0]
	}
	return nil
}

// userFor resolves a user reference of request c: "me", a user ID or an
// email. It is the one place "me" is resolved. A user-level request
// naming another user is answered errNoPermission.
func (s *Server) userFor(c *call, ref string) (*user, *apiError) {
	var u *user
	if ref == "me" {
		if u = s.me(c); u == nil {
			return nil, errUserNotFound(ref)
		}
	} else {
		var e *apiError
		if u, e = s.userLookup(ref); e != nil {
			return nil, e
		}
	}
	if s.userLevel(c) && u.ID != c.grant.user {
		return nil, errNoPermission()
	}
	return u, nil
}

// restrictToUser refuses a user-level request that concerns another user,
// before its handler runs. A reference to nothing is left to the handler,
// which answers its 404.
func (s *Server) restrictToUser(c *call) *apiError {
	if !s.userLevel(c) {
		return nil
	}
	if !hasUserLevelScope(c.ep.GranularScopes) {
		return errNoPermission()
	}
	if c.r.PathValue("userId") != "" {
		if _, e := s.userFor(c, pathID(c, "userId")); e != nil && e.Code == codeNoPermission {
			return e
		}
	}
	for _, name := range []string{"meetingId", "webinarId"} {
		if c.r.PathValue(name) == "" {
			continue
		}
		if host := s.hostOfRef(pathID(c, name)); host != "" && host != c.grant.user {
			return errNoPermission()
		}
	}
	return nil
}

// hasUserLevelScope reports whether one of an endpoint's granular scopes
// is user-level, that is whether the endpoint serves a user's own data.
func hasUserLevelScope(granular []string) bool {
	for _, sc := range granular {
		if !isAdminScope(sc) {
			return true
		}
	}
	return false
}

// hostOfRef is the host's user ID of the meeting, webinar or past
// instance ref names (an ID or an instance UUID), or "" when there is none.
func (s *Server) hostOfRef(ref string) string {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		if m := s.meetings[id]; m != nil {
			return m.HostID
		}
		if w := s.webinars[id]; w != nil {
			return w.HostID
		}
		if in := s.lastInstance(id, nil); in != nil {
			return in.HostID
		}
		return ""
	}
	if in := s.pastByID[ref]; in != nil {
		return in.HostID
	}
	for _, m := range s.meetings {
		if m.UUID == ref {
			return m.HostID
		}
	}
	for _, w := range s.webinars {
		if w.UUID == ref {
			return w.HostID
		}
	}
	return ""
}

// mayDownload reports whether grant g may download a file of instance in:
// a user-level token only its own user's recordings, unless it holds an
// admin recording scope.
func mayDownload(g *grant, in *instance) bool {
	if g.user == "" || in.HostID == g.user {
		return true
	}
	for _, sc := range g.scopes {
		if isAdminScope(sc) && (strings.HasPrefix(sc, "cloud_recording:") || strings.HasPrefix(sc, "recording:")) {
			return true
		}
	}
	return false
}
