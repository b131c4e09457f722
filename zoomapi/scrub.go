package zoomapi

import "github.com/zoommcp/zoom-mcp/auth"

// Scrub returns s with each of secrets, and anything that looks like a
// credential ("Bearer <token>", "Basic <base64>", a JWT "eyJ...",
// access_token=...), replaced with "[redacted]". The client applies it to
// all of Zoom's text it keeps in an error; the tool layer and logs can apply
// it to anything else that came from outside. It is auth.Scrub, which the
// token source uses for its own errors.
func Scrub(s string, secrets ...string) string { return auth.Scrub(s, secrets...) }
