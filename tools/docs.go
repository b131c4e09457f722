package tools

import (
	"fmt"
	"strings"
)

// MarkdownTable renders the tool list for the README: one row per tool,
// grouped by toolset, with the Zoom endpoint it calls and whether it is
// read-only.
func MarkdownTable(tools []Tool) string {
	var b strings.Builder
	b.WriteString("| toolset | tool | what it does | Zoom endpoint | read-only |\n|---|---|---|---|---|\n")
	for _, t := range tools {
		ro := ""
		if t.ReadOnly() {
			ro = "yes"
		}
		fmt.Fprintf(&b, "| %s | `%s` | %s | `%s %s` | %s |\n", t.Toolset, t.Name(),
			strings.ReplaceAll(t.Definition.Description, "|", `\|`), t.Endpoint.Method, t.Endpoint.Path, ro)
	}
	return b.String()
}

// ScopesTable renders, per toolset, the granular scopes a Zoom app needs for
// each tool: user-level and account-wide (:admin).
func ScopesTable(tools []Tool) string {
	var b strings.Builder
	b.WriteString("| toolset | tool | user-level scope | account-wide scope |\n|---|---|---|---|\n")
	for _, t := range tools {
		user, admin := t.Endpoint.UserScopes(), t.Endpoint.AdminScopes()
		fmt.Fprintf(&b, "| %s | `%s` | %s | %s |\n", t.Toolset, t.Name(), codeList(user), codeList(admin))
	}
	return b.String()
}

func codeList(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return "`" + strings.Join(s, "`, `") + "`"
}

// ToolsetNames returns the toolset names in display order.
func ToolsetNames() []string {
	out := make([]string, len(toolsets))
	for i, ts := range toolsets {
		out[i] = string(ts.Name)
	}
	return out
}
