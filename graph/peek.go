package graph

import (
	"bufio"
	"net/http"
	"strconv"
)

// peek returns the first non-space bytes of the request body without
// consuming them.
func peek(r *http.Request) string {
	br := bufio.NewReaderSize(r.Body, 64)
	b, _ := br.Peek(64)
	r.Body = readCloser{br, r.Body}
	return string(b)
}

type readCloser struct {
	*bufio.Reader
	c interface{ Close() error }
}

func (rc readCloser) Close() error { return rc.c.Close() }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
