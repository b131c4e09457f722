package zoomfake

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Role IDs of the account: 0 owner, 1 admin, 2 member.
var roleNames = sync.OnceValue(func() map[string]string { return map[string]string{"0": "Owner", "1": "Admin", "2": "Member"} })

func (s *Server) pmiFor(n int64) int64 { return 5_550_000_000 + n*1_111 }

// userSummaryJSON is a user as the list endpoint answers it.
func (s *Server) userSummaryJSON(u *user) map[string]any {
	out := map[string]any{
		"id":               u.ID,
		"email":            u.Email,
		"first_name":       u.FirstName,
		"last_name":        u.LastName,
		"display_name":     u.displayName(),
		"type":             u.Type,
		"pmi":              u.PMI,
		"timezone":         u.Timezone,
		"verified":         int64(1),
		"dept":             u.Dept,
		"created_at":       timeString(u.CreatedAt),
		"user_created_at":  timeString(u.CreatedAt),
		"status":           u.Status,
		"role_id":          u.RoleID,
		"group_ids":        []any{},
		"im_group_ids":     []any{},
		"plan_united_type": "1",
	}
	if u.Status == "pending" {
		out["verified"] = int64(0)
	}
	if !u.LastLogin.IsZero() {
		out["last_login_time"] = timeString(u.LastLogin)
		out["last_client_version"] = "6.4.10.52134(mac)"
	}
	return out
}

// userJSON is a user as the get endpoint answers it.
func (s *Server) userJSON(u *user) map[string]any {
	out := s.userSummaryJSON(u)
	delete(out, "plan_united_type")
	out["role_name"] = roleNames()[u.RoleID]
	out["use_pmi"] = false
	out["personal_meeting_url"] = fmt.Sprintf("%s/j/%d", webBase, u.PMI)
	out["account_id"] = s.opts.AccountID
	out["account_number"] = int64(10_000_000 + len(s.opts.AccountID))
	out["cms_user_id"] = ""
	out["jid"] = strings.ToLower(u.ID) + "@xmpp.zoom.us"
	out["job_title"] = u.JobTitle
	out["language"] = u.Language
	out["location"] = u.Location
	out["login_types"] = []any{int64(100)}
	out["phone_number"] = ""
	out["pic_url"] = ""
	out["cluster"] = "us05"
	return out
}

// listUsers answers GET /users.
func (s *Server) listUsers(c *call) (result, *apiError) {
	q := newQuery(c)
	status := q.oneOf("status", "active", "active", "inactive", "pending")
	q.oneOf("include_fields", "", "custom_attributes", "host_key")
	q.oneOf("license", "", "zoom_workforce_management", "zoom_compliance_management")
	if e := q.err(); e != nil {
		return result{}, e
	}
	role := c.r.URL.Query().Get("role_id")
	p, e := s.pageOf(c, maxUserPageSize)
	if e != nil {
		return result{}, e
	}
	var us []*user
	for _, u := range s.users {
		if u.Status == status && (role == "" || u.RoleID == role) {
			us = append(us, u)
		}
	}
	pi := s.cut(c, p, len(us))
	items := []any{}
	for _, u := range us[pi.start:pi.end] {
		items = append(items, s.userSummaryJSON(u))
	}
	return result{http.StatusOK, map[string]any{
		"page_size":       p.size,
		"page_number":     pi.pageNumber,
		"page_count":      pi.pageCount,
		"total_records":   len(us),
		"next_page_token": pi.nextPageToken,
		"users":           items,
	}}, nil
}

// getUser answers GET /users/{userId}.
func (s *Server) getUser(c *call) (result, *apiError) {
	q := newQuery(c)
	q.boolean("encrypted_email", false)
	q.boolean("search_by_unique_id", false)
	q.oneOf("login_type", "", "0", "1", "11", "21", "23", "24", "27", "97", "98", "99", "100", "101")
	if e := q.err(); e != nil {
		return result{}, e
	}
	ref := pathID(c, "userId")
	u, e := s.userFor(c, ref)
	if e != nil {
		return result{}, notFound(codeUserNotFound, "User does not exist: %s.", ref)
	}
	return result{http.StatusOK, s.userJSON(u)}, nil
}

// createUser answers POST /users. A "create" user is pending, as Zoom
// emails them an invitation to accept; the other actions make an active
// user. An email in use is answered with 1009 (active user) or 1005.
func (s *Server) createUser(c *call) (result, *apiError) {
	body, e := decodeObject(c.body)
	if e != nil {
		return result{}, e
	}
	f := newFields(body)
	f.require("action")
	action, _ := f.oneOf("action", "create", "autoCreate", "custCreate", "ssoCreate")
	f.require("user_info")
	info, ok := f.object("user_info")
	var email, first, last, display string
	var typ int64
	if ok {
		info.require("email")
		info.require("type")
		email, _ = info.str("email", 128)
		if email != "" && !validEmail(email) {
			info.invalid("email")
		}
		first, _ = info.str("first_name", 64)
		last, _ = info.str("last_name", 64)
		display, _ = info.str("display_name", 128)
		typ, _ = info.intOneOf("type", 1, 2, 4, 99)
		if pw, ok := info.str("password", 32); ok && len(pw) < 8 {
			info.invalid("password")
		}
		info.array("division_ids")
		info.object("feature")
		info.str("plan_united_type", 0)
		info.array("license_info_list")
	}
	if e := f.err(); e != nil {
		return result{}, e
	}
	if action == "autoCreate" || action == "custCreate" {
		if !info.has("password") {
			return result{}, badRequest(codeValidation, "Invalid parameter: password")
		}
	}
	for _, u := range s.users {
		if !strings.EqualFold(u.Email, email) {
			continue
		}
		if u.Status == "active" {
			return result{}, badRequest(codeUserExists, "The user %s already holds an active account.", email)
		}
		return result{}, newError(http.StatusConflict, codeEmailUsed, "Email \"%s\" has already been used.", email)
	}
	if display != "" && first == "" && last == "" {
		first = display
	}
	now := c.now.Truncate(time.Second)
	u := &user{
		ID: s.newID("user"), Email: email, FirstName: first, LastName: last, Type: typ,
		RoleID: "2", Status: "active", Timezone: "UTC", Language: "en-US", CreatedAt: now,
	}
	if action == "create" {
		u.Status = "pending"
	}
	u.PMI = s.pmiFor(s.next())
	s.addUser(u)
	return result{http.StatusCreated, map[string]any{
		"id": u.ID, "email": u.Email, "first_name": u.FirstName, "last_name": u.LastName, "type": u.Type,
	}}, nil
}
