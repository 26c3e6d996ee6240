package clientip

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestAddr(t *testing.T) {
	trusted, err := Parse([]string{"10.0.0.0/8", " 192.0.2.10 ", "fd00::/8"})
	if err != nil {
		t.Fatal(err)
	}
	req := func(remote string, xff ...string) *http.Request {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = remote
		for _, v := range xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		return r
	}
	for _, tc := range []struct {
		name    string
		proxies Proxies
		r       *http.Request
		want    string
	}{
		{"no proxies trusted: the header is ignored", nil, req("198.51.100.7:5000", "203.0.113.1"), "198.51.100.7"},
		{"an untrusted peer's header is ignored", trusted, req("198.51.100.7:5000", "203.0.113.1"), "198.51.100.7"},
		{"a trusted proxy names the client", trusted, req("10.1.2.3:5000", "203.0.113.1"), "203.0.113.1"},
		{"a single trusted address", trusted, req("192.0.2.10:80", "203.0.113.1"), "203.0.113.1"},
		{"a client's forged entry left of the real one is not read", trusted, req("10.1.2.3:5000", "1.1.1.1, 203.0.113.1"), "203.0.113.1"},
		{"through two trusted proxies", trusted, req("10.1.2.3:5000", "203.0.113.1, 10.9.9.9"), "203.0.113.1"},
		{"several headers in order", trusted, req("10.1.2.3:5000", "1.1.1.1", "203.0.113.1, 10.9.9.9"), "203.0.113.1"},
		{"every entry trusted: the leftmost", trusted, req("10.1.2.3:5000", "10.4.4.4, 10.9.9.9"), "10.4.4.4"},
		{"a trusted proxy without the header", trusted, req("10.1.2.3:5000"), "10.1.2.3"},
		{"garbage ends the reading at the last trusted hop", trusted, req("10.1.2.3:5000", "203.0.113.1, nonsense, 10.9.9.9"), "10.9.9.9"},
		{"entries with ports", trusted, req("10.1.2.3:5000", "203.0.113.1:4711"), "203.0.113.1"},
		{"IPv6", trusted, req("[fd00::1]:443", "2001:db8::5"), "2001:db8::5"},
		{"IPv4-mapped IPv6 peer", trusted, req("[::ffff:10.1.2.3]:443", "203.0.113.1"), "203.0.113.1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.proxies.Addr(tc.r).String(); got != tc.want {
				t.Errorf("Addr = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestParse(t *testing.T) {
	if _, err := Parse([]string{"10.0.0.0/33"}); err == nil {
		t.Error("10.0.0.0/33 accepted")
	}
	if _, err := Parse([]string{"proxy.example"}); err == nil {
		t.Error("a host name accepted")
	}
	if ps, err := Parse([]string{"", "10.0.0.1/8"}); err != nil || len(ps) != 1 || ps[0].String() != "10.0.0.0/8" {
		t.Errorf("Parse = %v, %v", ps, err)
	}
}
