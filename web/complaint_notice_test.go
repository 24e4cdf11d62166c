package web

import (
	"strings"
	"testing"
)

// The citizen's messages link to the complaint's page on the site's public
// URL, in both languages, and a merge links to the complaint it went into.
func TestComplaintNoticeLinksAbsolute(t *testing.T) {
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{msgs: c, baseURL: "https://rembug.contoh.test"}
	for _, lang := range languages {
		for _, kind := range []string{"complaint.ask", "complaint.answer", "complaint.reject", "complaint.forward", "complaint.auto_close"} {
			_, body := s.complaintNotice(kind, map[string]any{"number": "ADU-2026-000007", "text": "x", "reason": "y"}, lang)
			if !strings.Contains(body, "https://rembug.contoh.test/pengaduan/ADU-2026-000007") {
				t.Errorf("%s %s: %q", lang, kind, body)
			}
		}
		_, body := s.complaintNotice("complaint.merge", map[string]any{"number": "ADU-2026-000007", "into": "ADU-2026-000003"}, lang)
		if !strings.Contains(body, "https://rembug.contoh.test/pengaduan/ADU-2026-000003") {
			t.Errorf("%s merge: %q", lang, body)
		}
		_, body = s.complaintNotice("complaint.receive", map[string]any{"number": "ADU-2026-000007", "secret": "abc123"}, lang)
		if !strings.Contains(body, "ADU-2026-000007") || !strings.Contains(body, "abc123") {
			t.Errorf("%s receipt: %q", lang, body)
		}
	}
}
