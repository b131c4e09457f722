package tools

import (
	"context"

	"github.com/zoommcp/zoom-mcp/zoomapi"
)

func userTools() []Tool {
	return []Tool{ListUsers(), GetUser(), CreateUser()}
}

type listUsersIn struct {
	Status string `json:"status,omitempty" jsonschema:"enum=active,enum=inactive,enum=pending,default=active" jsonschema_description:"User status."`
	RoleID string `json:"role_id,omitempty" jsonschema_description:"Only users with this role."`
	pageArgs
}

type userListOut struct {
	Users []userRowOut `json:"users"`
	pageOut
}

// ListUsers lists the account's users.
func ListUsers() Tool {
	return newTool(spec{
		name: "list_users", title: "List users", op: zoomapi.OpListUsers, effect: reads,
		description: "List the account's users (active by default). Use to find user IDs and emails. Admin apps only.",
	}, func(ctx context.Context, c *zoomapi.Client, in listUsersIn) (*userListOut, error) {
		l, _, err := c.Users.List(ctx, &zoomapi.ListUsersOptions{Status: in.Status, RoleID: in.RoleID, ListOptions: in.pageArgs.options()})
		if err != nil {
			return nil, err
		}
		out := &userListOut{Users: make([]userRowOut, 0, len(l.Users)), pageOut: pageOf(l.Page)}
		for _, u := range l.Users {
			out.Users = append(out.Users, userRowFromClient(u))
		}
		return out, nil
	})
}

type getUserIn struct {
	UserID string `json:"user_id,omitempty" jsonschema:"default=me" jsonschema_description:"User ID, email, or me."`
}

// GetUser returns one user.
func GetUser() Tool {
	return newTool(spec{
		name: "get_user", title: "Get user", op: zoomapi.OpGetUser, effect: reads,
		description: "Get a user's profile: name, type, role, timezone, personal meeting ID.",
	}, func(ctx context.Context, c *zoomapi.Client, in getUserIn) (*userOut, error) {
		u, _, err := c.Users.Get(ctx, userOrMe(in.UserID), nil)
		if err != nil {
			return nil, err
		}
		out := userFromClient(*u)
		return &out, nil
	})
}

type createUserIn struct {
	Email     string `json:"email" jsonschema:"required,format=email,maxLength=128"`
	Type      int    `json:"type" jsonschema:"required,enum=1,enum=2,enum=4" jsonschema_description:"1 basic, 2 licensed, 4 unassigned."`
	FirstName string `json:"first_name,omitempty" jsonschema:"maxLength=64"`
	LastName  string `json:"last_name,omitempty" jsonschema:"maxLength=64"`
	Action    string `json:"action,omitempty" jsonschema:"enum=create,enum=autoCreate,enum=custCreate,enum=ssoCreate,default=create" jsonschema_description:"create emails the user an invitation."`
}

// CreateUser adds a user to the account.
func CreateUser() Tool {
	return newTool(spec{
		name: "create_user", title: "Create user", op: zoomapi.OpCreateUser, effect: creates,
		description: "Add a user to the Zoom account; by default Zoom emails them an invitation. Admin apps only.",
	}, func(ctx context.Context, c *zoomapi.Client, in createUserIn) (*userOut, error) {
		action := in.Action
		if action == "" {
			action = zoomapi.UserActionCreate
		}
		u, _, err := c.Users.Create(ctx, &zoomapi.UserCreateRequest{Action: action, UserInfo: zoomapi.UserInfo{
			Email: in.Email, Type: in.Type, FirstName: in.FirstName, LastName: in.LastName,
		}})
		if err != nil {
			return nil, err
		}
		return &userOut{ID: u.ID, Email: u.Email, FirstName: u.FirstName, LastName: u.LastName, Type: u.Type, Status: "pending"}, nil
	})
}
