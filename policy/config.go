package policy

// Config is the access policy file given with --config (YAML). Its JSON
// Schema, generated from these structs (go generate ./policy), is published
// as policy/config.schema.json.
type Config struct {
	// Agents are the AI agents that may call the server, each with its own
	// API key and grant. An agent not listed has no access at all.
	Agents []AgentConfig `json:"agents" yaml:"agents" jsonschema_description:"The agents that may call the server. Anything not granted here is denied."`
	Audit  AuditConfig   `json:"audit,omitempty" yaml:"audit,omitempty" jsonschema_description:"Where and how every decision is recorded."`
}

// AgentConfig is one agent: who it is and what it may do.
type AgentConfig struct {
	Name string `json:"name" yaml:"name" jsonschema:"required,pattern=^[A-Za-z0-9][A-Za-z0-9._-]{0\\,63}$" jsonschema_description:"Shown in logs and the audit log."`
	// KeySHA256 is the hex SHA-256 of the agent's API key; the key itself
	// is never stored. Agents of stdio (--agent) need none.
	KeySHA256 string `json:"key_sha256,omitempty" yaml:"key_sha256,omitempty" jsonschema:"pattern=^[0-9a-fA-F]{64}$" jsonschema_description:"Hex SHA-256 of the agent's API key (zoom-mcp agent add prints it). Needed to call over HTTP."`
	// Access grants off, read or full per toolset; a toolset not named is off.
	Access map[string]Level `json:"access,omitempty" yaml:"access,omitempty" jsonschema_description:"off, read or full per toolset: meetings, meeting_registrants, webinars, users, recordings, reports. A toolset not named is off."`
	Limits Limits           `json:"limits,omitempty" yaml:"limits,omitempty" jsonschema_description:"Narrowing within the granted toolsets, checked on the decoded arguments."`
	// Confirm lists the tools whose calls a person must accept first (MCP
	// elicitation); "destructive" stands for every tool that deletes,
	// ends or changes.
	Confirm []string `json:"confirm,omitempty" yaml:"confirm,omitempty" jsonschema_description:"Tools a person must confirm through MCP elicitation before they run; destructive names every destructive tool."`
	Results Results  `json:"results,omitempty" yaml:"results,omitempty" jsonschema_description:"What results show this agent."`
	// Zoom names the Zoom connection the agent acts as: "s2s" (the
	// Server-to-Server app) or a user connection made with
	// `zoom-mcp login --connection NAME`. Empty: the server's default.
	Zoom string `json:"zoom,omitempty" yaml:"zoom,omitempty" jsonschema:"pattern=^[A-Za-z0-9][A-Za-z0-9._-]{0\\,63}$" jsonschema_description:"The Zoom connection it acts as: s2s (the Server-to-Server app) or a user connection (zoom-mcp login --connection NAME). Default: the server's."`
}

// Level is an access level for a toolset.
type Level string

// The access levels.
const (
	Off  Level = "off"  // no tool of the toolset
	Read Level = "read" // its read-only tools
	Full Level = "full" // all its tools
)

// Limits narrow an agent's grant.
type Limits struct {
	// Users are the Zoom users the agent may act for or on: user IDs,
	// emails, or "me" (the Zoom identity the server acts as). Empty: any.
	Users []string `json:"users,omitempty" yaml:"users,omitempty" jsonschema_description:"Zoom users it may act for or on: IDs, emails, or me. Empty: any."`
	// Meetings and Webinars are the IDs the agent may act on, or "own" for
	// those its own calls created. Empty: any.
	Meetings []string `json:"meetings,omitempty" yaml:"meetings,omitempty" jsonschema_description:"Meeting IDs it may act on, or own (those its own calls created). Empty: any."`
	Webinars []string `json:"webinars,omitempty" yaml:"webinars,omitempty" jsonschema_description:"Webinar IDs it may act on, or own. Empty: any."`
	// RegistrantActions are the registrant status actions allowed
	// (approve, deny, cancel). Empty: all.
	RegistrantActions []string `json:"registrant_actions,omitempty" yaml:"registrant_actions,omitempty" jsonschema:"uniqueItems=true" jsonschema_description:"Registrant status actions it may take: approve, deny, cancel. Empty: all."`
	// MaxPageSize caps page_size; 0: Zoom's own cap.
	MaxPageSize int `json:"max_page_size,omitempty" yaml:"max_page_size,omitempty" jsonschema:"minimum=1,maximum=300" jsonschema_description:"Largest page_size it may ask for."`
	// MaxReportDays caps the from-to range of report calls; 0: no cap.
	MaxReportDays int `json:"max_report_days,omitempty" yaml:"max_report_days,omitempty" jsonschema:"minimum=1,maximum=366" jsonschema_description:"Longest from..to range, in days, of a report call."`
	// DailyWrites caps the meeting and webinar creates and updates a day
	// (UTC): the agent's share of Zoom's 100 per user a day. 0: no cap.
	DailyWrites int `json:"daily_writes,omitempty" yaml:"daily_writes,omitempty" jsonschema:"minimum=1,maximum=100" jsonschema_description:"Meeting and webinar creates and updates a day (UTC); its share of Zoom's 100 per user a day."`
}

// Results is result hygiene for an agent.
type Results struct {
	// MaskEmails masks registrant, participant and user emails
	// (j***@example.com).
	MaskEmails bool `json:"mask_emails,omitempty" yaml:"mask_emails,omitempty" jsonschema_description:"Mask emails in results (j***@example.com)."`
	// WithholdPasscodes removes meeting passcodes, and the pwd parameter of
	// join links, from results.
	WithholdPasscodes bool `json:"withhold_passcodes,omitempty" yaml:"withhold_passcodes,omitempty" jsonschema_description:"Remove meeting passcodes and the passcode in join links from results."`
}

// AuditConfig configures the audit log.
type AuditConfig struct {
	Path string `json:"path,omitempty" yaml:"path,omitempty" jsonschema_description:"JSON Lines file, one hash-chained record per decision. --audit-log overrides it."`
	// ShowEmails writes emails unmasked; they are masked by default.
	ShowEmails bool `json:"show_emails,omitempty" yaml:"show_emails,omitempty" jsonschema_description:"Write emails unmasked (masked by default)."`
}
