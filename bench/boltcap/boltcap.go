// Package boltcap is a Bolt proxy that records the Cypher a client sends.
//
// The benchmark points a second instance of each target (vetgraph, the peer,
// the floor) at the proxy, sends each query once, and reads back every RUN
// message (query text and parameters) in between; the harness then PROFILEs
// those statements to count Neo4j's db hits per request. The proxy forwards
// bytes unchanged in both directions and only reads the client's side: the
// handshake (including the 5.7+ manifest negotiation), then chunked PackStream
// messages.
package boltcap

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"sync"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"
)

// Statement is one RUN message.
type Statement struct {
	Query  string
	Params map[string]any
	// Unsupported is set when a parameter holds a PackStream structure the
	// decoder does not know (the statement cannot be re-run faithfully).
	Unsupported bool
}

// Proxy forwards Bolt connections from Addr to a Neo4j server.
type Proxy struct {
	ln     net.Listener
	target string

	mu    sync.Mutex
	stmts []Statement
	errs  []error
}

// Listen starts a proxy on a free loopback port forwarding to target (host:port).
func Listen(target string) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{ln: ln, target: target}
	go p.serve()
	return p, nil
}

// Addr is the proxy's host:port.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Close stops accepting connections.
func (p *Proxy) Close() error { return p.ln.Close() }

// Take returns the statements recorded since the last Take and forgets them.
func (p *Proxy) Take() ([]Statement, []error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s, e := p.stmts, p.errs
	p.stmts, p.errs = nil, nil
	return s, e
}

func (p *Proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		go p.handle(c)
	}
}

func (p *Proxy) fail(err error) {
	p.mu.Lock()
	p.errs = append(p.errs, err)
	p.mu.Unlock()
}

func (p *Proxy) handle(client net.Conn) {
	defer client.Close()
	server, err := net.DialTimeout("tcp", p.target, 5*time.Second)
	if err != nil {
		p.fail(err)
		return
	}
	defer server.Close()
	cr := bufio.NewReader(client)
	sr := bufio.NewReader(server)
	if err := handshake(cr, sr, client, server); err != nil {
		p.fail(fmt.Errorf("handshake: %w", err))
		return
	}
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(client, sr); client.Close(); done <- struct{}{} }()
	go func() {
		// readMessages ends with the connection: io.EOF or net.ErrClosed
		// when it closed cleanly.
		if err := p.readMessages(io.TeeReader(cr, server)); !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
			p.fail(err)
		}
		_, _ = io.Copy(server, cr)
		server.Close()
		done <- struct{}{}
	}()
	<-done
	<-done
}

// handshake relays the Bolt handshake: 4 magic bytes and 4 proposed versions
// from the client, the chosen version from the server; for the manifest
// negotiation (server answers 0x000001FF) also the server's version list and
// capabilities and the client's choice.
func handshake(cr, sr *bufio.Reader, client, server net.Conn) error {
	hello := make([]byte, 20)
	if _, err := io.ReadFull(cr, hello); err != nil {
		return err
	}
	if _, err := server.Write(hello); err != nil {
		return err
	}
	reply := make([]byte, 4)
	if _, err := io.ReadFull(sr, reply); err != nil {
		return err
	}
	if _, err := client.Write(reply); err != nil {
		return err
	}
	if binary.BigEndian.Uint32(reply) != 0x000001FF {
		return nil
	}
	// manifest v1: varint count, count × 4-byte versions, varint capabilities
	var buf []byte
	n, raw, err := readVarint(sr)
	if err != nil {
		return err
	}
	buf = append(buf, raw...)
	vs := make([]byte, 4*n)
	if _, err := io.ReadFull(sr, vs); err != nil {
		return err
	}
	buf = append(buf, vs...)
	_, raw, err = readVarint(sr)
	if err != nil {
		return err
	}
	buf = append(buf, raw...)
	if _, err := client.Write(buf); err != nil {
		return err
	}
	choice := make([]byte, 4)
	if _, err := io.ReadFull(cr, choice); err != nil {
		return err
	}
	_, raw, err = readVarint(cr)
	if err != nil {
		return err
	}
	_, err = server.Write(append(choice, raw...))
	return err
}

func readVarint(r *bufio.Reader) (uint64, []byte, error) {
	var v uint64
	var raw []byte
	for shift := 0; shift < 64; shift += 7 {
		b, err := r.ReadByte()
		if err != nil {
			return 0, raw, err
		}
		raw = append(raw, b)
		v |= uint64(b&0x7f) << shift
		if b&0x80 == 0 {
			return v, raw, nil
		}
	}
	return 0, raw, errors.New("varint too long")
}

// readMessages reads chunked messages from r and records RUN messages.
func (p *Proxy) readMessages(r io.Reader) error {
	var msg []byte
	hdr := make([]byte, 2)
	for {
		if _, err := io.ReadFull(r, hdr); err != nil {
			return err
		}
		n := int(binary.BigEndian.Uint16(hdr))
		if n == 0 {
			if len(msg) > 0 {
				p.message(msg)
			}
			msg = msg[:0]
			continue
		}
		chunk := make([]byte, n)
		if _, err := io.ReadFull(r, chunk); err != nil {
			return err
		}
		msg = append(msg, chunk...)
	}
}

func (p *Proxy) message(b []byte) {
	d := &decoder{b: b}
	v, err := d.value()
	if err != nil {
		p.fail(fmt.Errorf("decode message: %w", err))
		return
	}
	s, ok := v.(structure)
	if !ok || s.tag != 0x10 || len(s.fields) < 2 { // RUN
		return
	}
	q, _ := s.fields[0].(string)
	params, _ := s.fields[1].(map[string]any)
	st := Statement{Query: q, Params: map[string]any{}}
	for k, v := range params {
		cv, ok := convert(v)
		if !ok {
			st.Unsupported = true
		}
		st.Params[k] = cv
	}
	p.mu.Lock()
	p.stmts = append(p.stmts, st)
	p.mu.Unlock()
}

type structure struct {
	tag    byte
	fields []any
}

// convert turns decoded structures the driver can send back (dates and
// date-times) into driver values; it reports false for anything else.
func convert(v any) (any, bool) {
	switch x := v.(type) {
	case structure:
		if x.tag == 'D' && len(x.fields) == 1 {
			days, _ := x.fields[0].(int64)
			return dbtype.Date(time.Unix(days*86400, 0).UTC()), true
		}
		// Bolt 5 DateTime: UTC seconds, nanoseconds, offset seconds (the
		// write path's timestamps).
		if x.tag == 'I' && len(x.fields) == 3 {
			sec, _ := x.fields[0].(int64)
			nsec, _ := x.fields[1].(int64)
			off, _ := x.fields[2].(int64)
			return time.Unix(sec, nsec).In(time.FixedZone("", int(off))), true
		}
		// Bolt 5 DateTime with a zone id.
		if x.tag == 'i' && len(x.fields) == 3 {
			sec, _ := x.fields[0].(int64)
			nsec, _ := x.fields[1].(int64)
			name, _ := x.fields[2].(string)
			loc, err := time.LoadLocation(name)
			if err != nil {
				return nil, false
			}
			return time.Unix(sec, nsec).In(loc), true
		}
		return nil, false
	case []any:
		ok := true
		out := make([]any, len(x))
		for i, e := range x {
			var eok bool
			out[i], eok = convert(e)
			ok = ok && eok
		}
		return out, ok
	case map[string]any:
		ok := true
		out := make(map[string]any, len(x))
		for k, e := range x {
			var eok bool
			out[k], eok = convert(e)
			ok = ok && eok
		}
		return out, ok
	}
	return v, true
}

type decoder struct {
	b []byte
	i int
}

var errShort = errors.New("packstream: message too short")

func (d *decoder) take(n int) ([]byte, error) {
	if d.i+n > len(d.b) {
		return nil, errShort
	}
	s := d.b[d.i : d.i+n]
	d.i += n
	return s, nil
}

func (d *decoder) size(n int) (int, error) {
	s, err := d.take(n)
	if err != nil {
		return 0, err
	}
	switch n {
	case 1:
		return int(s[0]), nil
	case 2:
		return int(binary.BigEndian.Uint16(s)), nil
	default:
		return int(binary.BigEndian.Uint32(s)), nil
	}
}

func (d *decoder) value() (any, error) {
	mb, err := d.take(1)
	if err != nil {
		return nil, err
	}
	m := mb[0]
	switch {
	case m < 0x80:
		return int64(m), nil
	case m >= 0xF0:
		return int64(int8(m)), nil
	case m >= 0x80 && m <= 0x8F:
		return d.str(int(m & 0x0F))
	case m >= 0x90 && m <= 0x9F:
		return d.list(int(m & 0x0F))
	case m >= 0xA0 && m <= 0xAF:
		return d.dict(int(m & 0x0F))
	case m >= 0xB0 && m <= 0xBF:
		return d.structure(int(m & 0x0F))
	}
	switch m {
	case 0xC0:
		return nil, nil
	case 0xC2:
		return false, nil
	case 0xC3:
		return true, nil
	case 0xC1:
		s, err := d.take(8)
		if err != nil {
			return nil, err
		}
		return math.Float64frombits(binary.BigEndian.Uint64(s)), nil
	case 0xC8, 0xC9, 0xCA, 0xCB:
		n := map[byte]int{0xC8: 1, 0xC9: 2, 0xCA: 4, 0xCB: 8}[m]
		s, err := d.take(n)
		if err != nil {
			return nil, err
		}
		switch n {
		case 1:
			return int64(int8(s[0])), nil
		case 2:
			return int64(int16(binary.BigEndian.Uint16(s))), nil
		case 4:
			return int64(int32(binary.BigEndian.Uint32(s))), nil
		default:
			return int64(binary.BigEndian.Uint64(s)), nil
		}
	case 0xCC, 0xCD, 0xCE:
		n, err := d.size(map[byte]int{0xCC: 1, 0xCD: 2, 0xCE: 4}[m])
		if err != nil {
			return nil, err
		}
		s, err := d.take(n)
		return append([]byte(nil), s...), err
	case 0xD0, 0xD1, 0xD2:
		n, err := d.size(map[byte]int{0xD0: 1, 0xD1: 2, 0xD2: 4}[m])
		if err != nil {
			return nil, err
		}
		return d.str(n)
	case 0xD4, 0xD5, 0xD6:
		n, err := d.size(map[byte]int{0xD4: 1, 0xD5: 2, 0xD6: 4}[m])
		if err != nil {
			return nil, err
		}
		return d.list(n)
	case 0xD8, 0xD9, 0xDA:
		n, err := d.size(map[byte]int{0xD8: 1, 0xD9: 2, 0xDA: 4}[m])
		if err != nil {
			return nil, err
		}
		return d.dict(n)
	}
	return nil, fmt.Errorf("packstream: unknown marker 0x%02X", m)
}

func (d *decoder) str(n int) (any, error) {
	s, err := d.take(n)
	if err != nil {
		return nil, err
	}
	return string(s), nil
}

func (d *decoder) list(n int) (any, error) {
	out := make([]any, n)
	for i := range out {
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func (d *decoder) dict(n int) (any, error) {
	out := make(map[string]any, n)
	for i := 0; i < n; i++ {
		k, err := d.value()
		if err != nil {
			return nil, err
		}
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		ks, _ := k.(string)
		out[ks] = v
	}
	return out, nil
}

func (d *decoder) structure(n int) (any, error) {
	tag, err := d.take(1)
	if err != nil {
		return nil, err
	}
	s := structure{tag: tag[0], fields: make([]any, n)}
	for i := range s.fields {
		if s.fields[i], err = d.value(); err != nil {
			return nil, err
		}
	}
	return s, nil
}
