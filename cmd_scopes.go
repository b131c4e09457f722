package main

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/zoommcp/zoom-mcp/tools"
	"github.com/zoommcp/zoom-mcp/zoomapi"
)

// runScopes prints the scopes to add to the Zoom app for the tools an
// operator wants to offer: `zoom-mcp scopes [--toolsets ...] [--read-only]
// [--admin]`.
func runScopes(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("zoom-mcp scopes", flag.ContinueOnError)
	fs.SetOutput(stderr)
	toolsets := fs.String("toolsets", "", "comma-separated `toolsets` to offer (default: all): "+groupNames())
	names := fs.String("tools", "", "comma-separated tool `names` to offer (adds up with --toolsets)")
	readOnly := fs.Bool("read-only", false, "only the read-only tools")
	admin := fs.Bool("admin", false, "an admin-managed or Server-to-Server app, whose :admin scopes reach every user of the account (default: a user-managed app, acting as the signed-in user)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: zoom-mcp scopes [--toolsets LIST] [--tools LIST] [--read-only] [--admin]\n\n"+
			"Prints the scopes to add to the Zoom app (Marketplace, the app's Scopes page) for the tools to offer.\n\n")
		fs.PrintDefaults()
	}
	if err := parse(fs, args, stdout, stderr); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (see zoom-mcp scopes --help)", fs.Arg(0))
	}
	selected, err := tools.Select(tools.All(), tools.Filter{ReadOnly: *readOnly, Toolsets: splitList(*toolsets), Tools: splitList(*names)})
	if err != nil {
		return err
	}
	fmt.Fprint(stdout, scopesText(selected, *admin))
	return nil
}

// scopesText lists the granular scopes (one per tool: any one of a tool's
// scopes lets it run) and the classic ones of the same tools, and the tools
// the kind of app cannot run at all.
func scopesText(selected []tools.Tool, admin bool) string {
	var granular, classic, unavailable []string
	add := func(list *[]string, s string) {
		if !slices.Contains(*list, s) {
			*list = append(*list, s)
		}
	}
	for _, t := range selected {
		if t.Local() {
			continue // the server's own tool: no scope
		}
		g, c := appScopes(t.Endpoint, admin)
		if len(g) == 0 {
			unavailable = append(unavailable, t.Name())
			continue
		}
		add(&granular, g[0])
		if len(c) > 0 {
			add(&classic, c[0])
		}
	}
	var b strings.Builder
	kind := "a user-managed app (the tools act as the user who signs in with zoom-mcp login)"
	if admin {
		kind = "an admin-managed or Server-to-Server app (the tools reach every user of the account)"
	}
	zoomTools := 0
	for _, t := range selected {
		if !t.Local() {
			zoomTools++
		}
	}
	fmt.Fprintf(&b, "# Scopes for %d tools, on %s.\n", zoomTools-len(unavailable), kind)
	b.WriteString("# Granular scopes (apps made since 2024):\n")
	for _, s := range granular {
		b.WriteString(s + "\n")
	}
	b.WriteString("# Or, on an app with classic scopes:\n")
	for _, s := range classic {
		b.WriteString(s + "\n")
	}
	if len(unavailable) > 0 {
		fmt.Fprintf(&b, "# Not available on a user-managed app (Zoom has only :admin scopes for them; use --admin and an admin-managed app): %s\n",
			strings.Join(unavailable, ", "))
	}
	return b.String()
}

// appScopes returns an endpoint's granular and classic scopes for a
// user-level app (admin false) or an admin one, most specific first.
func appScopes(e zoomapi.Endpoint, admin bool) (granular, classic []string) {
	isAdmin := func(s string) bool { return strings.HasSuffix(s, ":admin") || strings.HasSuffix(s, ":master") }
	for _, s := range e.GranularScopes {
		if isAdmin(s) == admin && !strings.HasSuffix(s, ":master") {
			granular = append(granular, s)
		}
	}
	for _, s := range e.ClassicScopes {
		if isAdmin(s) == admin {
			classic = append(classic, s)
		}
	}
	return granular, classic
}
