package web

import (
	"net/url"
	"strings"
	"testing"
)

// TestLocalPath runs known open-redirect bypasses through the one check:
// each must come out as a path on this site.
func TestLocalPath(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"plain path", "/k/taman-kota?view=list#s3", "/k/taman-kota?view=list#s3"},
		{"trailing slash kept", "/akun/", "/akun/"},
		{"empty", "", "/"},
		{"protocol relative", "//evil.example", "/"},
		{"tab after slash", "/\t/evil.example", "/"},
		{"newline after slash", "/\n/evil.example", "/"},
		{"carriage return", "/\r/evil.example", "/"},
		{"backslash", "/\\evil.example", "/"},
		{"backslash first", "\\/evil.example", "/"},
		{"two backslashes", "\\\\evil.example", "/"},
		{"encoded tab stays a path", "/%09/evil.example", "/%09/evil.example"},
		{"encoded slash stays a path", "/%2F/evil.example", "/%2F/evil.example"},
		{"scheme without slashes", "https:evil.example", "/"},
		{"scheme", "https://evil.example/", "/"},
		{"javascript", "javascript:alert(1)", "/"},
		{"leading space", " //evil.example", "/"},
		{"leading control", "\x01//evil.example", "/"},
		{"dot segment to double slash", "/.//evil.example", "/evil.example"},
		{"dot dot", "/a/../..//evil.example", "/evil.example"},
		{"relative", "evil.example", "/"},
		{"userinfo lookalike is a path", "/@evil.example", "/@evil.example"},
		{"nul byte", "/\x00/x", "/"},
		{"too long", "/" + strings.Repeat("a", maxNextLen), "/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := localPath(tc.in); got != tc.want {
				t.Errorf("localPath(%q) = %q, want %q", tc.in, got, tc.want)
			}
			assertSameOrigin(t, tc.in, localPath(tc.in))
		})
	}
}

// assertSameOrigin resolves out the way a browser resolves a Location
// header against this site and fails when it lands on another origin.
func assertSameOrigin(t *testing.T, in, out string) {
	t.Helper()
	base, _ := url.Parse("https://rembug.example/k/x")
	ref, err := url.Parse(browserNormal(out))
	if err != nil {
		t.Fatalf("localPath(%q) = %q: not a URL: %v", in, out, err)
	}
	got := base.ResolveReference(ref)
	if got.Scheme != "https" || got.Host != "rembug.example" || !strings.HasPrefix(out, "/") || strings.HasPrefix(out, "//") ||
		strings.ContainsAny(out, "\t\r\n\\") {
		t.Fatalf("localPath(%q) = %q resolves to %s", in, out, got)
	}
}

// FuzzLocalPath checks that no input leaves the site once a browser has
// normalised and resolved localPath's result.
func FuzzLocalPath(f *testing.F) {
	for _, s := range []string{"/k/x", "//evil", "/\t/evil", "/\\evil", "https:evil", "/%09/evil", "/./..//evil", "/a?b#c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := localPath(in)
		assertSameOrigin(t, in, out)
		if again := localPath(out); again != out {
			t.Fatalf("localPath not stable: %q -> %q -> %q", in, out, again)
		}
	})
}
