package zoomfake

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Page sizes: Zoom's default, and the maximum of most list endpoints (the
// user list allows more, see maxUserPageSize).
const (
	defaultPageSize = 30
	maxPageSize     = 300
	maxUserPageSize = 2000
	// pageTokenTTL is how long a next_page_token stays valid.
	pageTokenTTL = 15 * time.Minute
)

// pageCursor is what a next_page_token stands for: where the next page
// starts in the result of one query.
type pageCursor struct {
	query   string
	offset  int
	expires time.Time
}

// page is the page a list request asks for.
type page struct {
	size   int
	offset int
	query  string // the query the page belongs to
}

// pageOf reads page_size, next_page_token and page_number from a list
// request. page_size defaults to 30 when absent, zero or negative, and is
// clamped to max when larger, as Zoom does; anything not an integer is a
// validation error. A next_page_token is valid only for the query it came
// from (same path and filters; page_size may change) and for 15 minutes.
// page_number, Zoom's older paging, is honoured without a token.
func (s *Server) pageOf(c *call, max int) (page, *apiError) {
	q := c.r.URL.Query()
	p := page{size: defaultPageSize, query: queryKey(c)}
	if v := q.Get("page_size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return p, invalidFields("page_size")
		}
		if n > 0 {
			p.size = min(n, max)
		}
	}
	if tok := q.Get("next_page_token"); tok != "" {
		cur, ok := s.pages[tok]
		if !ok || cur.query != p.query || !c.now.Before(cur.expires) {
			return p, errBadPageToken()
		}
		p.offset = cur.offset
		return p, nil
	}
	if v := q.Get("page_number"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return p, invalidFields("page_number")
		}
		if n > 1 {
			// Past the last page is an empty page; keep the offset from
			// overflowing on absurd page numbers.
			p.offset = int(min(int64(n-1), maxPageOffset/int64(p.size))) * p.size
		}
	}
	return p, nil
}

// maxPageOffset bounds the offset a page number can ask for: far past any
// list the simulator holds.
const maxPageOffset = 1 << 30

// queryKey identifies a list query: its operation, path and every query
// parameter but the paging ones.
func queryKey(c *call) string {
	q := c.r.URL.Query()
	keys := make([]string, 0, len(q))
	for k := range q {
		switch k {
		case "page_size", "next_page_token", "page_number":
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(c.ep.ID + " " + c.r.URL.EscapedPath())
	for _, k := range keys {
		b.WriteString("&" + url.QueryEscape(k) + "=" + url.QueryEscape(strings.Join(q[k], ",")))
	}
	return b.String()
}

// pageInfo is the paging part of a list response.
type pageInfo struct {
	start, end    int // the slice of the result on this page
	nextPageToken string
	pageCount     int
	pageNumber    int
}

// cut places p over a result of total items and, when more follow, issues
// the next_page_token.
func (s *Server) cut(c *call, p page, total int) pageInfo {
	start := min(p.offset, total)
	end := min(start+p.size, total)
	info := pageInfo{
		start:      start,
		end:        end,
		pageCount:  (total + p.size - 1) / p.size,
		pageNumber: start/p.size + 1,
	}
	if end < total {
		for tok, cur := range s.pages {
			if !c.now.Before(cur.expires) {
				delete(s.pages, tok)
			}
		}
		info.nextPageToken = randomToken()[:32]
		s.pages[info.nextPageToken] = pageCursor{query: p.query, offset: end, expires: c.now.Add(pageTokenTTL)}
	}
	return info
}
