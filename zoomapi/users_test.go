package zoomapi

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
)

func TestUsersService(t *testing.T) {
	runAPICases(t, []apiCase{
		{
			name: "List",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return wrap(c.Users.List(ctx, &ListUsersOptions{Status: UserPending, RoleID: "2", IncludeFields: "host_key", ListOptions: ListOptions{PageSize: 5000}}))
			},
			method: "GET", path: "/users",
			query: q("status", "pending", "role_id", "2", "include_fields", "host_key", "page_size", "2000"),
			reply: `{"page_count":1,"page_number":1,"page_size":2000,"total_records":1,"next_page_token":"",
				"users":[{"id":"KDcuGIm1QgePTO8WbOqwIQ","email":"jchill@example.com","type":2,"pmi":6589310093,"status":"pending","host_key":"299492849",
				"created_at":"2018-10-31T04:32:37Z","last_login_time":"","timezone":"Asia/Shanghai","dept":"Developers","verified":1}]}`,
			want: &UserList{Page: Page{PageSize: 2000, TotalRecords: 1}, PageCount: 1, PageNumber: 1, Users: []User{{
				ID: "KDcuGIm1QgePTO8WbOqwIQ", Email: "jchill@example.com", Type: 2, PMI: 6589310093, Status: "pending", HostKey: "299492849",
				CreatedAt: tm("2018-10-31T04:32:37Z"), Timezone: "Asia/Shanghai", Dept: "Developers", Verified: 1,
			}}},
		},
		{
			name: "List/nil options",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return wrap(c.Users.List(ctx, nil))
			},
			method: "GET", path: "/users", reply: `{"users":[]}`, want: &UserList{Users: []User{}},
		},
		{
			name: "Get",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return wrap(c.Users.Get(ctx, "jchill@example.com", &GetUserOptions{LoginType: Ptr(0), EncryptedEmail: true}))
			},
			method: "GET", path: "/users/jchill@example.com", query: q("login_type", "0", "encrypted_email", "true"),
			reply: `{"id":"z","email":"jchill@example.com","role_name":"Admin","type":1,"last_login_time":"2021-05-05T20:40:30Z","phone_numbers":[{"code":"+1","number":"800000000","label":"Mobile","verified":true}]}`,
			want: &User{ID: "z", Email: "jchill@example.com", RoleName: "Admin", Type: 1, LastLoginTime: tm("2021-05-05T20:40:30Z"),
				PhoneNumbers: []Phone{{Code: "+1", Number: "800000000", Label: "Mobile", Verified: true}}},
		},
		{
			name: "Get/me",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return wrap(c.Users.Get(ctx, "me", nil))
			},
			method: "GET", path: "/users/me", reply: `{"id":"me1"}`, want: &User{ID: "me1"},
		},
		{
			name: "Create",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return wrap(c.Users.Create(ctx, &UserCreateRequest{Action: UserActionCreate, UserInfo: UserInfo{Email: "new@example.com", Type: UserTypeBasic, FirstName: "New"}}))
			},
			method: "POST", path: "/users",
			body:   `{"action":"create","user_info":{"email":"new@example.com","type":1,"first_name":"New"}}`,
			status: 201, reply: `{"id":"KDcu","email":"new@example.com","first_name":"New","type":1}`,
			want: &UserCreated{ID: "KDcu", Email: "new@example.com", FirstName: "New", Type: 1},
		},
	})
}

func TestUsersCreateArguments(t *testing.T) {
	c, mux, _ := setup(t)
	reqs := recordAll(mux, 201, `{}`)
	for _, tt := range []struct {
		name string
		req  *UserCreateRequest
		arg  string
	}{
		{"nil", nil, "user_info.email"},
		{"no email", &UserCreateRequest{Action: "create", UserInfo: UserInfo{Type: 1}}, "user_info.email"},
		{"bad action", &UserCreateRequest{Action: "add", UserInfo: UserInfo{Email: "a@example.com", Type: 1}}, "action"},
		{"no type", &UserCreateRequest{Action: "create", UserInfo: UserInfo{Email: "a@example.com"}}, "user_info.type"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := c.Users.Create(context.Background(), tt.req)
			var ae *ArgumentError
			if !errors.As(err, &ae) || ae.Arg != tt.arg {
				t.Fatalf("err = %v, want ArgumentError for %s", err, tt.arg)
			}
		})
	}
	if _, _, err := c.Users.List(context.Background(), &ListUsersOptions{ListOptions: ListOptions{PageSize: -3}}); err == nil {
		t.Error("negative page size accepted")
	}
	if len(*reqs) != 0 {
		t.Errorf("%d requests sent for invalid arguments", len(*reqs))
	}
}

func FuzzDecodeUser(f *testing.F) {
	f.Add([]byte(`{"id":"z","pmi":3542471135,"last_login_time":"2021-05-05T20:40:30Z","login_types":[101],"custom_attributes":[{"key":"k"}]}`))
	f.Add([]byte(`{"users":[{"id":"z","created_at":""}],"page_size":30}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var u User
		if json.Unmarshal(data, &u) == nil {
			if _, err := json.Marshal(&u); err != nil {
				t.Fatal(err)
			}
		}
		var l UserList
		_ = json.Unmarshal(data, &l)
	})
}
