package zoomspec

import "testing"

func TestEndpoint(t *testing.T) {
	e := Endpoint(t, "meetingCreate")
	if e["method"] != "POST" || e["path"] != "/users/{userId}/meetings" {
		t.Fatalf("meetingCreate: %v %v", e["method"], e["path"])
	}
	if op := Operation(t, "meetingCreate"); op["requestBody"] == nil {
		t.Fatal("meetingCreate has no request body")
	}
}

func TestFindEnv(t *testing.T) {
	t.Setenv(EnvDir, t.TempDir())
	if _, ok := Find(); !ok {
		t.Fatal("ZOOM_SPEC_DIR not honoured")
	}
}
