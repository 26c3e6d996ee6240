// Package clientip provides the address of the client an HTTP request comes
// from, for the per-client rate limit and the access log. Behind a reverse
// proxy every connection comes from the proxy; the proxy names the client
// in X-Forwarded-For. That header is any client's to write, so it is read
// only when the connection comes from a proxy the operator trusts
// (VETGRAPH_TRUSTED_PROXIES), and only as far as trusted proxies wrote it.
package clientip

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Proxies are the networks of trusted reverse proxies. The zero value
// trusts none: X-Forwarded-For is never read.
type Proxies []netip.Prefix

// Parse reads a list of CIDR prefixes (10.0.0.0/8, fd00::/8) or single
// addresses (192.0.2.10, taken as /32 or /128).
func Parse(list []string) (Proxies, error) {
	var ps Proxies
	for _, s := range list {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if p, err := netip.ParsePrefix(s); err == nil {
			ps = append(ps, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, fmt.Errorf("%q is neither a CIDR prefix (10.0.0.0/8) nor an IP address", s)
		}
		a = a.Unmap()
		ps = append(ps, netip.PrefixFrom(a, a.BitLen()))
	}
	return ps, nil
}

// Trusts reports whether a is the address of a trusted proxy.
func (ps Proxies) Trusts(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// Addr is the address of the client r comes from: the connection's peer,
// unless the peer is a trusted proxy. Then X-Forwarded-For (all its
// headers, in order) is read from the right, as each proxy appends the
// address it got the request from: the first entry that is not a trusted
// proxy is the client. When every entry is trusted, the leftmost is; an
// entry that is not an address ends the reading at the proxy after it. The
// zero Addr when RemoteAddr holds no address (never over TCP).
func (ps Proxies) Addr(r *http.Request) netip.Addr {
	peer := parse(r.RemoteAddr)
	if !peer.IsValid() || len(ps) == 0 || !ps.Trusts(peer) {
		return peer
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a := parse(strings.TrimSpace(hops[i]))
		if !a.IsValid() {
			return client
		}
		client = a
		if !ps.Trusts(a) {
			return a
		}
	}
	return client
}

// parse reads an address, with or without a port ("192.0.2.1",
// "192.0.2.1:80", "[2001:db8::1]:443", "2001:db8::1").
func parse(s string) netip.Addr {
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap()
	}
	if host, _, err := net.SplitHostPort(s); err == nil {
		if a, err := netip.ParseAddr(host); err == nil {
			return a.Unmap()
		}
	}
	return netip.Addr{}
}
