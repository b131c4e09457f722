package zoomapi

import (
	"context"
	"iter"
)

// UsersService handles the user endpoints.
type UsersService service

// User types.
const (
	UserTypeBasic    = 1
	UserTypeLicensed = 2
	UserTypeUnassign = 4  // without a Meetings license
	UserTypeNone     = 99 // can only be set with ssoCreate
)

// User statuses.
const (
	UserActive   = "active"
	UserInactive = "inactive"
	UserPending  = "pending"
)

// User is a Zoom user. List returns a subset of the fields Get returns
// (no role_name, for one).
type User struct {
	ID                 string            `json:"id,omitempty"`
	Email              string            `json:"email,omitempty"`
	FirstName          string            `json:"first_name,omitempty"`
	LastName           string            `json:"last_name,omitempty"`
	DisplayName        string            `json:"display_name,omitempty"`
	Type               int               `json:"type,omitempty"`   // see the UserType constants
	Status             string            `json:"status,omitempty"` // active, inactive or pending
	RoleName           string            `json:"role_name,omitempty"`
	RoleID             string            `json:"role_id,omitempty"`
	PMI                int64             `json:"pmi,omitempty"`
	UsePMI             bool              `json:"use_pmi,omitempty"`
	PersonalMeetingURL string            `json:"personal_meeting_url,omitempty"`
	VanityURL          string            `json:"vanity_url,omitempty"`
	Timezone           string            `json:"timezone,omitempty"`
	Language           string            `json:"language,omitempty"`
	Dept               string            `json:"dept,omitempty"`
	JobTitle           string            `json:"job_title,omitempty"`
	Company            string            `json:"company,omitempty"`
	Location           string            `json:"location,omitempty"`
	Manager            string            `json:"manager,omitempty"`
	CostCenter         string            `json:"cost_center,omitempty"`
	PhoneNumber        string            `json:"phone_number,omitempty"` // deprecated by Zoom: use PhoneNumbers
	PhoneCountry       string            `json:"phone_country,omitempty"`
	PhoneNumbers       []Phone           `json:"phone_numbers,omitempty"`
	Verified           int               `json:"verified,omitempty"` // 1 if the email is verified
	CreatedAt          Time              `json:"created_at,omitzero"`
	UserCreatedAt      Time              `json:"user_created_at,omitzero"`
	LastLoginTime      Time              `json:"last_login_time,omitzero"`
	LastClientVersion  string            `json:"last_client_version,omitempty"`
	PicURL             string            `json:"pic_url,omitempty"`
	HostKey            string            `json:"host_key,omitempty"` // List with include_fields=host_key only
	EmployeeUniqueID   string            `json:"employee_unique_id,omitempty"`
	AccountID          string            `json:"account_id,omitempty"`
	AccountNumber      int64             `json:"account_number,omitempty"`
	Cluster            string            `json:"cluster,omitempty"`
	GroupIDs           []string          `json:"group_ids,omitempty"`
	IMGroupIDs         []string          `json:"im_group_ids,omitempty"`
	LoginTypes         []int             `json:"login_types,omitempty"`
	PlanUnitedType     string            `json:"plan_united_type,omitempty"`
	CustomAttributes   []CustomAttribute `json:"custom_attributes,omitempty"`
}

// Phone is one of a user's phone numbers.
type Phone struct {
	Code     string `json:"code,omitempty"` // country code, such as "+1"
	Country  string `json:"country,omitempty"`
	Label    string `json:"label,omitempty"` // Mobile, Office, Home or Fax
	Number   string `json:"number,omitempty"`
	Verified bool   `json:"verified,omitempty"`
}

// CustomAttribute is a custom attribute of a user.
type CustomAttribute struct {
	Key   string `json:"key,omitempty"`
	Name  string `json:"name,omitempty"`
	Value string `json:"value,omitempty"`
}

// UserList is a page of List.
type UserList struct {
	Page
	PageCount  int    `json:"page_count,omitempty"`
	PageNumber int    `json:"page_number,omitempty"`
	Users      []User `json:"users"`
}

// MaxUsersPageSize is the largest page List users accepts.
const MaxUsersPageSize = 2000

// ListUsersOptions filters List.
type ListUsersOptions struct {
	Status string `url:"status,omitempty"` // active (the default), inactive or pending
	RoleID string `url:"role_id,omitempty"`
	// IncludeFields adds custom_attributes or host_key to each user.
	IncludeFields string `url:"include_fields,omitempty"`
	License       string `url:"license,omitempty"`
	// PageSize for users is 1 to 2000 (larger values are clamped).
	ListOptions
}

// List returns a page of the account's users. It needs an admin scope.
//
// Zoom API: GET /users
func (s *UsersService) List(ctx context.Context, opts *ListUsersOptions) (*UserList, *Response, error) {
	if opts != nil {
		// Users accept larger pages than the other lists.
		if opts.PageSize < 0 {
			return nil, nil, &ArgumentError{Arg: "page_size", Reason: "must be between 1 and 2000"}
		}
		opts.PageSize = min(opts.PageSize, MaxUsersPageSize)
	}
	return doJSON[UserList](ctx, s.client, call{op: OpListUsers, query: opts})
}

// ListAll iterates over all of the account's users.
//
// Zoom API: GET /users
func (s *UsersService) ListAll(ctx context.Context, opts *ListUsersOptions) iter.Seq2[User, error] {
	o := copyOpts(opts)
	return All(ctx, func(ctx context.Context, token string) ([]User, string, error) {
		o.NextPageToken = token
		l, _, err := s.List(ctx, o)
		if err != nil {
			return nil, "", err
		}
		return l.Users, l.NextPageToken, nil
	})
}

// GetUserOptions selects how Get finds the user.
type GetUserOptions struct {
	// LoginType is the user's login method (0 Facebook, 1 Google, 99 API,
	// 100 Zoom, 101 SSO, ...); nil leaves it out.
	LoginType        *int `url:"login_type,omitempty"`
	EncryptedEmail   bool `url:"encrypted_email,omitempty"`
	SearchByUniqueID bool `url:"search_by_unique_id,omitempty"` // userID is an employee unique ID
}

// Get returns a user. userID is a user ID, an email, or "me".
//
// Zoom API: GET /users/{userId}
func (s *UsersService) Get(ctx context.Context, userID string, opts *GetUserOptions) (*User, *Response, error) {
	return doJSON[User](ctx, s.client, call{op: OpGetUser, path: []string{PathEscape(userID)}, query: opts})
}

// User create actions.
const (
	UserActionCreate     = "create"     // the user gets an email to confirm
	UserActionAutoCreate = "autoCreate" // for enterprise accounts with managed domains
	UserActionCustCreate = "custCreate" // for API partners; the user cannot log in
	UserActionSSOCreate  = "ssoCreate"  // for accounts with SSO
)

// UserCreateRequest is the body of Create.
type UserCreateRequest struct {
	Action   string   `json:"action"` // create, autoCreate, custCreate or ssoCreate
	UserInfo UserInfo `json:"user_info"`
}

// UserInfo describes the user to create.
type UserInfo struct {
	Email          string       `json:"email"`
	Type           int          `json:"type"` // see the UserType constants
	FirstName      string       `json:"first_name,omitempty"`
	LastName       string       `json:"last_name,omitempty"`
	DisplayName    string       `json:"display_name,omitempty"`
	Password       string       `json:"password,omitempty"` // autoCreate only
	PlanUnitedType string       `json:"plan_united_type,omitempty"`
	DivisionIDs    []string     `json:"division_ids,omitempty"`
	Feature        *UserFeature `json:"feature,omitempty"`
}

// UserFeature is the feature block of UserInfo.
type UserFeature struct {
	ZoomPhone   *bool `json:"zoom_phone,omitempty"`
	ZoomOneType int   `json:"zoom_one_type,omitempty"`
}

// UserCreated is the answer to Create.
type UserCreated struct {
	ID        string `json:"id,omitempty"`
	Email     string `json:"email,omitempty"`
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
	Type      int    `json:"type,omitempty"`
}

// Create adds a user to the account. It needs an admin scope.
//
// Zoom API: POST /users
func (s *UsersService) Create(ctx context.Context, req *UserCreateRequest) (*UserCreated, *Response, error) {
	switch {
	case req == nil || req.UserInfo.Email == "":
		return nil, nil, &ArgumentError{Arg: "user_info.email", Reason: "is required"}
	case req.Action != UserActionCreate && req.Action != UserActionAutoCreate &&
		req.Action != UserActionCustCreate && req.Action != UserActionSSOCreate:
		return nil, nil, &ArgumentError{Arg: "action", Reason: "must be create, autoCreate, custCreate or ssoCreate"}
	case req.UserInfo.Type == 0:
		return nil, nil, &ArgumentError{Arg: "user_info.type", Reason: "is required (1 basic, 2 licensed, 4 unassigned, 99 none)"}
	}
	return doJSON[UserCreated](ctx, s.client, call{op: OpCreateUser, body: req})
}
