package tools

// Argument types shared by several tools. Descriptions sit beside the
// fields; every byte of them is read by the model on each tools/list, so
// they are short.

// pageArgs selects a page of a list.
type pageArgs struct {
	PageSize      int    `json:"page_size,omitempty" jsonschema:"minimum=1,maximum=300,default=30"`
	NextPageToken string `json:"next_page_token,omitempty"`
}

// pageOut is the paging part of a list result.
type pageOut struct {
	TotalRecords  int    `json:"total_records" jsonschema_description:"Items in the whole list."`
	NextPageToken string `json:"next_page_token,omitempty" jsonschema_description:"Pass to get the next page; expires in 15 minutes. Absent on the last page."`
}
