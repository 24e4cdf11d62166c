package web

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// ParseTrustedProxies reads a comma-separated list of addresses and CIDR
// prefixes ("10.0.0.0/24, 127.0.0.1") naming the load balancers whose
// X-Forwarded-For header rembug believes (Config.TrustedProxies). An
// empty string is no proxy; an entry that is neither an address nor a
// prefix is an error naming it.
func ParseTrustedProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: want an address or a prefix such as 10.0.0.0/24", f)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// trusts reports whether addr is one of the trusted proxies.
func trusts(proxies []netip.Prefix, addr netip.Addr) bool {
	addr = addr.Unmap()
	for _, p := range proxies {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// forwardedClient returns r with RemoteAddr set to the client a trusted
// proxy names in X-Forwarded-For, so that clientIP, the logs and every
// per-address limit see the person and not the load balancer. The header
// is read from the right (the entry the nearest proxy appended) and
// entries added by trusted proxies are skipped; the first other address
// is the client (the rule of MDN's X-Forwarded-For page: left-most
// entries can be forged by the client). A request whose peer is not a
// trusted proxy, or whose header holds no usable address, is returned as
// it came.
func forwardedClient(r *http.Request, proxies []netip.Prefix) *http.Request {
	if len(proxies) == 0 {
		return r
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !trusts(proxies, peer) {
		return r
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return r // a malformed hop: nothing left of it can be believed
		}
		if trusts(proxies, a) {
			continue
		}
		r2 := *r
		r2.RemoteAddr = net.JoinHostPort(a.Unmap().String(), "0")
		return &r2
	}
	return r
}
