package zoomapi

import (
	"context"
	"iter"
)

// Page sizes Zoom accepts.
const (
	DefaultPageSize = 30
	MaxPageSize     = 300
)

// ListOptions selects a page of a list. The next_page_token Zoom returns
// expires after 15 minutes.
type ListOptions struct {
	// PageSize is 1 to 300; 0 means Zoom's default of 30, and larger values
	// are clamped to 300 as Zoom does.
	PageSize      int    `url:"page_size,omitempty"`
	NextPageToken string `url:"next_page_token,omitempty"`
}

// normalize clamps the page size and rejects negative ones.
func (o *ListOptions) normalize() error {
	if o == nil {
		return nil
	}
	if o.PageSize < 0 {
		return &ArgumentError{Arg: "page_size", Reason: "must be between 1 and 300"}
	}
	if o.PageSize > MaxPageSize {
		o.PageSize = MaxPageSize
	}
	return nil
}

// Page is the paging envelope of Zoom list responses.
type Page struct {
	PageSize      int    `json:"page_size,omitempty"`
	TotalRecords  int    `json:"total_records,omitempty"`
	NextPageToken string `json:"next_page_token,omitempty"`
}

// All iterates over every item of a paged list, fetching pages as needed.
// fetch is called with "" for the first page and Zoom's next_page_token for
// the following ones; iteration stops at the first error, which is yielded.
func All[T any](ctx context.Context, fetch func(ctx context.Context, pageToken string) (items []T, next string, err error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		token := ""
		for {
			items, next, err := fetch(ctx, token)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if next == "" || next == token {
				return
			}
			token = next
		}
	}
}
