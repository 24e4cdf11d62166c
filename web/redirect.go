package web

import (
	"net/url"
	"path"
	"strings"
)

// maxNextLen bounds a return path; a longer one falls back to "/".
const maxNextLen = 2048

// localPath returns next as a path on this site, or "/" when a browser could
// take it anywhere else: the one open-redirect check for ?next=, form
// fields and stored return paths. It reads next the way the WHATWG URL
// Standard (https://url.spec.whatwg.org/#concept-basic-url-parser) has
// browsers read a Location header: leading and trailing C0 controls and
// spaces are dropped, TAB, LF and CR are removed anywhere, and a backslash
// counts as a slash. So "/\t/evil.example", "/\\evil" and "\\/evil" are
// "//evil…", a host, and are refused, as are "//evil", "https:evil" and
// "javascript:…". What is left must be an absolute path without scheme or
// host; it is returned re-encoded with its dot segments removed, so
// "/./" + "/evil" cannot become "//evil" later either.
func localPath(next string) string {
	next = browserNormal(next)
	if next == "" || len(next) > maxNextLen || next[0] != '/' || strings.HasPrefix(next, "//") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "/"
	}
	p := u.EscapedPath()
	clean := path.Clean(p)
	if strings.HasSuffix(p, "/") && clean != "/" {
		clean += "/"
	}
	if !strings.HasPrefix(clean, "/") || strings.HasPrefix(clean, "//") {
		return "/"
	}
	out := clean
	if u.RawQuery != "" {
		out += "?" + u.RawQuery
	}
	if u.Fragment != "" {
		out += "#" + u.EscapedFragment()
	}
	return out
}

// browserNormal applies the WHATWG URL parser's first steps to s: strip
// leading and trailing C0 controls and spaces, remove every ASCII tab or
// newline, and read "\" as "/" (as for the http and https schemes).
func browserNormal(s string) string {
	s = strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
	s = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(s)
	return strings.ReplaceAll(s, `\`, "/")
}
