package auth

import "encoding/json"

// zoomReason extracts Zoom's "reason" (or "error_description") from an OAuth
// error body.
func zoomReason(body []byte) string {
	var v struct {
		Reason      string `json:"reason"`
		Description string `json:"error_description"`
	}
	if json.Unmarshal(body, &v) != nil {
		return ""
	}
	if v.Reason != "" {
		return v.Reason
	}
	return v.Description
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
