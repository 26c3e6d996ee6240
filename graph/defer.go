package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
)

// Incremental delivery (@defer), per the GraphQL incremental-delivery
// proposal as gqlgen implements it (the 2022-08-24 format that Apollo
// Client and GraphiQL read):
//
//   - A POST that accepts multipart/mixed gets a multipart/mixed answer:
//     a first part with everything not deferred, then one part per
//     deferred fragment as it completes ({"incremental": [{"data", "path",
//     "label"}], "hasNext"}). gqlgen's executor puts null where a deferred
//     field would be in the part that holds its object; the proposal says
//     such a field is absent there, and a null would break a non-null field
//     (Entity.facts: [Fact!]!), so deferredKeys removes those keys from
//     each part before it is written.
//   - Any other request (application/json, GET) gets one answer with the
//     deferred fields in place, as if @defer were not there: the proposal
//     leaves deferring to the server, and a client that cannot read parts
//     must not get a half answer (gqlgen's POST transport sent the first
//     part alone, with "hasNext": true and nulls).

// multipartTransport is gqlgen's multipart/mixed transport with the
// deferred fields removed from the part that holds their object, written
// through any middleware that can flush (http.ResponseController).
type multipartTransport struct{ inner transport.MultipartMixed }

var _ graphql.Transport = multipartTransport{}

func (t multipartTransport) Supports(r *http.Request) bool { return t.inner.Supports(r) }

func (t multipartTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	fw := &flushWriter{ResponseWriter: w, connection: w.Header().Get("Connection")}
	t.inner.Do(fw, r, deferStripper{exec})
}

// flushWriter lets gqlgen's multipart transport flush through middleware
// writers that do not implement http.Flusher themselves but unwrap to one
// that does, and keeps a "Connection: close" set before it (a server
// shutting down) that the transport would replace by keep-alive.
type flushWriter struct {
	http.ResponseWriter
	connection string
}

func (w *flushWriter) Flush() { _ = http.NewResponseController(w.ResponseWriter).Flush() }

func (w *flushWriter) WriteHeader(code int) {
	if w.connection != "" {
		w.Header().Set("Connection", w.connection)
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *flushWriter) Write(b []byte) (int, error) {
	if w.connection != "" {
		w.Header().Set("Connection", w.connection)
	}
	return w.ResponseWriter.Write(b)
}

func (w *flushWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// inlineTransport answers a request through inner (POST or GET JSON) with
// every deferred part merged into the first: one complete answer.
type inlineTransport struct{ inner graphql.Transport }

var _ graphql.Transport = inlineTransport{}

func (t inlineTransport) Supports(r *http.Request) bool { return t.inner.Supports(r) }

func (t inlineTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	t.inner.Do(w, r, deferMerger{exec})
}

// deferMerger is an executor whose first response holds every deferred
// part, merged at its path; there is no second response.
type deferMerger struct{ graphql.GraphExecutor }

func (e deferMerger) DispatchOperation(ctx context.Context, oc *graphql.OperationContext) (graphql.ResponseHandler, context.Context) {
	next, ctx := e.GraphExecutor.DispatchOperation(ctx, oc)
	done := false
	return func(ctx context.Context) *graphql.Response {
		if done {
			return nil
		}
		done = true
		first := next(ctx)
		if first == nil || first.HasNext == nil {
			return first
		}
		var parts []*graphql.Response
		for {
			p := next(ctx)
			if p == nil {
				break
			}
			parts = append(parts, p)
		}
		return mergeDeferred(first, parts)
	}, ctx
}

// mergeDeferred puts each deferred part's data into first's at the part's
// path (shorter paths first: a part nested in another is applied after
// it), appends the parts' errors, and drops hasNext. A part whose data is
// null (a non-null field of it failed) makes its object null.
func mergeDeferred(first *graphql.Response, parts []*graphql.Response) *graphql.Response {
	slices.SortStableFunc(parts, func(a, b *graphql.Response) int { return len(a.Path) - len(b.Path) })
	data := first.Data
	for _, p := range parts {
		first.Errors = append(first.Errors, p.Errors...)
		var fields []jsonMember
		failed := bytes.Equal(bytes.TrimSpace(p.Data), []byte("null"))
		if !failed {
			var err error
			if fields, err = jsonObject(p.Data); err != nil {
				continue
			}
		}
		if merged, err := editAt(data, p.Path, func(obj []jsonMember, isNull bool) ([]jsonMember, bool) {
			if failed {
				return nil, true // a non-null field of the part failed: its object is null
			}
			for _, f := range fields {
				if i := slices.IndexFunc(obj, func(m jsonMember) bool { return m.key == f.key }); i >= 0 {
					obj[i].value = f.value
				} else {
					obj = append(obj, f)
				}
			}
			return obj, isNull
		}); err == nil {
			data = merged
		}
	}
	first.Data, first.HasNext = data, nil
	return first
}

// deferStripper is an executor whose responses lack the keys of deferred
// fields in the objects they hold (see deferredKeys).
type deferStripper struct{ graphql.GraphExecutor }

func (e deferStripper) DispatchOperation(ctx context.Context, oc *graphql.OperationContext) (graphql.ResponseHandler, context.Context) {
	if !usesDefer(oc.Doc) {
		return e.GraphExecutor.DispatchOperation(ctx, oc)
	}
	keys := &deferredKeys{byPath: map[string]deferredAt{}}
	next, ctx := e.GraphExecutor.DispatchOperation(context.WithValue(ctx, deferredKeysKey{}, keys), oc)
	return func(ctx context.Context) *graphql.Response {
		r := next(ctx)
		if r != nil && r.HasNext != nil {
			r.Data = keys.strip(r.Data, r.Path)
		}
		return r
	}, ctx
}

type deferredKeysKey struct{}

// deferredKeys records, for each object of the answer that has deferred
// fields, their response keys (recorded by deferTracker as the object is
// resolved, before any part that holds it is written).
type deferredKeys struct {
	mu     sync.Mutex
	byPath map[string]deferredAt
}

type deferredAt struct {
	path ast.Path
	keys []string
}

func (d *deferredKeys) add(path ast.Path, keys []string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	k := path.String()
	at := d.byPath[k]
	at.path = slices.Clone(path)
	for _, key := range keys {
		if !slices.Contains(at.keys, key) {
			at.keys = append(at.keys, key)
		}
	}
	d.byPath[k] = at
}

// strip removes from data, a part at path base, the deferred keys of the
// objects below base (a part's own object keeps its keys: they are what
// it delivers).
func (d *deferredKeys) strip(data json.RawMessage, base ast.Path) json.RawMessage {
	d.mu.Lock()
	ats := make([]deferredAt, 0, len(d.byPath))
	for _, at := range d.byPath {
		ats = append(ats, at)
	}
	d.mu.Unlock()
	for _, at := range ats {
		if len(at.path) < len(base) || (len(base) > 0 && len(at.path) == len(base)) || !slices.Equal(at.path[:len(base)], base) {
			continue
		}
		out, err := editAt(data, at.path[len(base):], func(obj []jsonMember, isNull bool) ([]jsonMember, bool) {
			return slices.DeleteFunc(obj, func(m jsonMember) bool { return slices.Contains(at.keys, m.key) }), isNull
		})
		if err == nil {
			data = out
		}
	}
	return data
}

// deferTracker records the deferred fields of each object as it is
// resolved (into the request's deferredKeys, only when the multipart
// transport asked for it): gqlgen's own field collection for the object's
// type tells which of its fields are deferred.
type deferTracker struct {
	mu     sync.Mutex
	schema *ast.Schema
}

var _ interface {
	graphql.HandlerExtension
	graphql.FieldInterceptor
} = &deferTracker{}

func (*deferTracker) ExtensionName() string { return "DeferTracker" }
func (t *deferTracker) Validate(s graphql.ExecutableSchema) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.schema = s.Schema()
	return nil
}

func (t *deferTracker) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	res, err := next(ctx)
	keys, ok := ctx.Value(deferredKeysKey{}).(*deferredKeys)
	if !ok || err != nil || res == nil {
		return res, err
	}
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil || len(fc.Field.Selections) == 0 {
		return res, err
	}
	t.record(graphql.GetOperationContext(ctx), keys, fc.Path(), fc.Field.Selections, reflect.ValueOf(res))
	return res, err
}

// record adds the deferred keys of the object v (or of each object of the
// list v) at path, selected by sel.
func (t *deferTracker) record(oc *graphql.OperationContext, keys *deferredKeys, path ast.Path, sel ast.SelectionSet, v reflect.Value) {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	if v.Kind() == reflect.Slice {
		for i := range v.Len() {
			t.record(oc, keys, append(slices.Clone(path), ast.PathIndex(i)), sel, v.Index(i))
		}
		return
	}
	t.mu.Lock()
	def := t.schema.Types[v.Type().Name()] // the models are named as their GraphQL types
	t.mu.Unlock()
	if def == nil || def.Kind != ast.Object {
		return
	}
	satisfies := append([]string{def.Name}, def.Interfaces...)
	var deferred []string
	for _, f := range graphql.CollectFields(oc, sel, satisfies) {
		if f.IsDeferred() {
			deferred = append(deferred, f.Alias)
		}
	}
	if len(deferred) > 0 {
		keys.add(path, deferred)
	}
}

// jsonMember is one member of a JSON object, its value as written.
type jsonMember struct {
	key   string
	value json.RawMessage
}

// jsonObject reads a JSON object's members in order.
func jsonObject(raw json.RawMessage) ([]jsonMember, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("not a JSON object")
	}
	var out []jsonMember
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		out = append(out, jsonMember{key: key, value: v})
	}
	return out, nil
}

func writeObject(obj []jsonMember) json.RawMessage {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range obj {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(m.key)
		b.Write(k)
		b.WriteByte(':')
		b.Write(m.value)
	}
	b.WriteByte('}')
	return b.Bytes()
}

// editAt applies edit to the object at path in raw (keys and list
// indexes), keeping every other byte's order; edit returns the new members,
// or null to make the object null. A path that leads nowhere (a null on
// the way) is an error, and raw is unchanged.
func editAt(raw json.RawMessage, path ast.Path, edit func(obj []jsonMember, isNull bool) ([]jsonMember, bool)) (json.RawMessage, error) {
	if len(path) == 0 {
		obj, err := jsonObject(raw)
		if err != nil {
			return raw, err
		}
		out, null := edit(obj, false)
		if null {
			return json.RawMessage("null"), nil
		}
		return writeObject(out), nil
	}
	switch step := path[0].(type) {
	case ast.PathName:
		obj, err := jsonObject(raw)
		if err != nil {
			return raw, err
		}
		i := slices.IndexFunc(obj, func(m jsonMember) bool { return m.key == string(step) })
		if i < 0 {
			return raw, fmt.Errorf("no member %s", step)
		}
		v, err := editAt(obj[i].value, path[1:], edit)
		if err != nil {
			return raw, err
		}
		obj[i].value = v
		return writeObject(obj), nil
	case ast.PathIndex:
		var list []json.RawMessage
		if err := json.Unmarshal(raw, &list); err != nil || int(step) >= len(list) || step < 0 {
			return raw, fmt.Errorf("no element %d", step)
		}
		v, err := editAt(list[step], path[1:], edit)
		if err != nil {
			return raw, err
		}
		list[step] = v
		var b bytes.Buffer
		b.WriteByte('[')
		for i, x := range list {
			if i > 0 {
				b.WriteByte(',')
			}
			b.Write(x)
		}
		b.WriteByte(']')
		return b.Bytes(), nil
	}
	return raw, fmt.Errorf("bad path %s", strings.TrimSpace(path.String()))
}

// usesDefer reports whether a document holds an @defer (on a fragment
// spread or an inline fragment, anywhere).
func usesDefer(doc *ast.QueryDocument) bool {
	if doc == nil {
		return false
	}
	var walk func(set ast.SelectionSet) bool
	walk = func(set ast.SelectionSet) bool {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				if walk(s.SelectionSet) {
					return true
				}
			case *ast.InlineFragment:
				if s.Directives.ForName("defer") != nil || walk(s.SelectionSet) {
					return true
				}
			case *ast.FragmentSpread:
				if s.Directives.ForName("defer") != nil {
					return true
				}
			}
		}
		return false
	}
	for _, op := range doc.Operations {
		if walk(op.SelectionSet) {
			return true
		}
	}
	for _, f := range doc.Fragments {
		if walk(f.SelectionSet) {
			return true
		}
	}
	return false
}
