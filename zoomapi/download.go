package zoomapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// DownloadError is a download the client refused: a URL that is not on
// one of Zoom's hosts (nothing was sent), a redirect away from them (not
// followed), an answer that is a web page instead of the file, or a file
// larger than the cap. Reason says which, without the URL's query.
type DownloadError struct {
	Host   string // the host refused, for a URL or a redirect that is not Zoom's
	Limit  int64  // the cap in bytes, for a file larger than it; else 0
	Reason string
}

func (e *DownloadError) Error() string { return "zoom download: " + e.Reason }

// downloadEndpoint stands for Download in errors and in the trace. It has
// no rate-limit label: a file download is not a REST API call, and is not
// paced (a 429 is still waited out like any other).
var downloadEndpoint = Endpoint{ID: "download", Method: http.MethodGet, Summary: "Download a file"}

// Download fetches a file Zoom serves to the app's token, such as the
// download_url of a recording file or of a transcript (GetTranscript), and
// returns at most maxBytes of it: a larger file is a *DownloadError.
//
// The access token goes in the Authorization header, never in the URL: a
// token-like query parameter of rawURL (access_token, ...) is removed. The
// URL must be https on zoom.us, zoomgov.com or a subdomain of either, or
// on the host of the API base URL (with its scheme, so that the simulator
// works); any other is a *DownloadError and nothing is sent. Redirects are
// followed only to such hosts. Errors never carry the URL's query or the
// token; the Response's Request does hold the final URL, query included.
//
// Download is a read: it is retried like one, renews a refused token like
// any call, is sent under WithDryRun, and is recorded in the context's
// Trace with the URL's path.
func (c *Client) Download(ctx context.Context, rawURL string, maxBytes int64) ([]byte, *Response, error) {
	if maxBytes <= 0 {
		return nil, nil, &ArgumentError{Arg: "maxBytes", Reason: "must be positive"}
	}
	u, err := url.Parse(rawURL)
	if err != nil || !u.IsAbs() || u.Host == "" || u.Opaque != "" {
		// The parse error would quote the URL, query and all.
		return nil, nil, &ArgumentError{Arg: "url", Reason: "must be an absolute https URL"}
	}
	if !c.downloadHost(u) {
		return nil, nil, &DownloadError{Host: u.Host, Reason: fmt.Sprintf(
			"%s://%s is not one of Zoom's hosts (https on zoom.us or zoomgov.com, or the API's host): not sent", u.Scheme, u.Host)}
	}
	if u.User != nil {
		return nil, nil, &DownloadError{Host: u.Host, Reason: "the URL carries credentials: not sent"}
	}
	var secrets []string
	u.RawQuery, secrets = stripTokens(u.RawQuery)
	if u.RawQuery != "" {
		// What is left may be a signature or a passcode: keep it out of
		// errors too, should the answer quote it.
		secrets = append(secrets, u.RawQuery)
	}
	u.Fragment, u.RawFragment = "", ""
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	var data []byte
	r := &request{ep: downloadEndpoint, url: u.String(), path: path, accept: "*/*",
		http: c.downloadClient(), secrets: secrets,
		read: func(ctx context.Context, hr *http.Response, secrets []string) error {
			var err error
			data, err = readFile(ctx, hr, maxBytes, secrets)
			return err
		}}
	resp, err := c.run(ctx, r)
	if err != nil {
		return nil, resp, err
	}
	return data, resp, nil
}

// downloadHost reports whether Download may send the token to u: https on
// Zoom's domains, or the API base URL's scheme and host (port included).
func (c *Client) downloadHost(u *url.URL) bool {
	if u.Scheme == c.baseURL.Scheme && sameHost(u, c.baseURL) {
		return true
	}
	if u.Scheme != "https" {
		return false
	}
	h := strings.ToLower(u.Hostname())
	for _, d := range []string{"zoom.us", "zoomgov.com"} {
		if h == d || strings.HasSuffix(h, "."+d) {
			return true
		}
	}
	return false
}

// sameHost compares host names (case-insensitively) and ports, a missing
// port being the scheme's default.
func sameHost(a, b *url.URL) bool {
	port := func(u *url.URL) string {
		if p := u.Port(); p != "" {
			return p
		}
		if u.Scheme == "http" {
			return "80"
		}
		return "443"
	}
	return strings.EqualFold(a.Hostname(), b.Hostname()) && port(a) == port(b)
}

// downloadClient is the client's HTTP client, following redirects only to
// hosts Download may send the token to. (net/http itself drops the
// Authorization header on a redirect to another domain.)
func (c *Client) downloadClient() *http.Client {
	hc := *c.http
	next := c.http.CheckRedirect
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if !c.downloadHost(req.URL) || req.URL.User != nil {
			return &DownloadError{Host: req.URL.Host, Reason: fmt.Sprintf(
				"Zoom redirected the download to %s://%s, which is not one of Zoom's hosts: not followed", req.URL.Scheme, req.URL.Host)}
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	return &hc
}

// stripTokens removes the token-like parameters from a raw query, keeping
// the others exactly as they were (a signed URL must stay intact), and
// returns the removed values, raw and decoded, to scrub from errors.
func stripTokens(rawQuery string) (kept string, values []string) {
	if rawQuery == "" {
		return "", nil
	}
	var keep []string
	for part := range strings.SplitSeq(rawQuery, "&") {
		k, v, _ := strings.Cut(part, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			key = k
		}
		if !tokenParam(key) {
			if part != "" {
				keep = append(keep, part)
			}
			continue
		}
		if v != "" {
			values = append(values, v)
			if dv, err := url.QueryUnescape(v); err == nil && dv != v {
				values = append(values, dv)
			}
		}
	}
	return strings.Join(keep, "&"), values
}

// tokenParam reports query parameters that carry a credential:
// access_token, download_access_token, token, jwt, zak, and the like.
func tokenParam(key string) bool {
	k := strings.ToLower(key)
	return k == "token" || k == "jwt" || k == "zak" || strings.HasSuffix(k, "_token") || strings.HasSuffix(k, "accesstoken")
}

// readFile reads a 2xx answer of Download: at most maxBytes of a file.
func readFile(ctx context.Context, hr *http.Response, maxBytes int64, secrets []string) ([]byte, error) {
	tooLarge := &DownloadError{Limit: maxBytes, Reason: fmt.Sprintf("the file is larger than %d bytes: not read", maxBytes)}
	if hr.ContentLength > maxBytes {
		return nil, tooLarge
	}
	// A recording file is never a web page: this is a sign-in or passcode
	// page, served with 200 when the token may not read the file.
	if ct, _, _ := mime.ParseMediaType(hr.Header.Get("Content-Type")); ct == "text/html" {
		return nil, &DownloadError{Reason: "Zoom answered with a web page instead of the file: the token may not read this file, or it needs a passcode"}
	}
	limit := maxBytes
	if limit < math.MaxInt64 {
		limit++
	}
	data, err := io.ReadAll(io.LimitReader(hr.Body, limit))
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, ctxErr
		}
		return nil, &DecodeError{Endpoint: downloadEndpoint.ID, StatusCode: hr.StatusCode,
			Reason: "file cut short: " + Scrub(err.Error(), secrets...), transient: true}
	}
	if int64(len(data)) > maxBytes {
		return nil, tooLarge
	}
	return data, nil
}
