// The graph page at /explore: search, expand neighbourhoods, filter by
// relationship type and time, explain the path between two entities with
// quotes, export, in Chinese or English; curators also read the change
// history and retract relationships.
//
// What is shown is a view (view.js): expanded entities, removed ones,
// filters, path ends, time, language. Every action makes a new view; the
// graph is drawn from it (draw), the URL follows it (a link reopens it;
// back/forward walk through views) and Ctrl-Z goes back to the one before.
import * as api from './api.js';
import { createGraph, loadLayout, nodeSize, ZOOM_STEP } from './graph.js';
import { KINDS, t } from './i18n.js';
import { describeTime, inTime } from './time.js';
import { copyView, emptyView, parseView, sameView, viewQuery } from './view.js';
import './style.css';

const $ = (sel) => document.querySelector(sel);
const WAIT_MS = 150; // waits longer than this show a loading state

function savedLang() {
  try {
    return (localStorage.getItem('vetgraph:lang') || 'zh').toLowerCase() === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

const state = {
  view: emptyView(savedLang()), // what the graph shows now
  want: null, // the view being drawn (null when none): actions build on it
  vocabulary: [], // [{type, zh, en}]
  years: [], // years relations are dated in
  edges: new Map(), // edge id -> the API's edge (for quotes, export)
  details: new Map(), // id -> entity details
  history: new Map(), // id -> history and retractions (curators)
  positions: new Map(), // node id -> last position, so nodes come back where they were
  path: null, // {ex, error, none}: the path of the view's ends
  undo: [],
  redo: [],
  busy: 0,
  playing: false,
  dragging: false, // a time slider is being moved
};
const lang = () => state.view.lang;
const current = () => state.want || state.view;

const pick = (o) => (lang() === 'zh' ? o.zh : o.en) || o.zh || o.en || '';
const other = (o) => (lang() === 'zh' ? o.en : o.zh) || '';
const kindName = (k) => (KINDS[k] ? KINDS[k][lang()] : k || '');
const kindColor = (k) => KINDS[k]?.color || '#7b8794';

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') node.className = v;
    else if (k === 'style') Object.assign(node.style, v);
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) node.append(c);
  return node;
}

function announce(text) {
  const a = $('#announce');
  a.textContent = '';
  setTimeout(() => { a.textContent = text; }, 30);
}

// ---- feedback: status, errors, waits --------------------------------------

// The status line; `message` is a function of the language so that it
// follows a switch; actions are buttons beside it ({label, run}).
let statusMessage = null;
function setStatus(message, kind = 'info', actions = []) {
  statusMessage = message ? { message, kind, actions } : null;
  renderStatus();
}

function renderStatus() {
  const s = $('#status');
  if (!statusMessage || waits.size) {
    s.hidden = true;
    s.replaceChildren();
    return;
  }
  s.dataset.kind = statusMessage.kind;
  s.replaceChildren(
    el('span', { class: 'msg' }, statusMessage.message(lang())),
    ...statusMessage.actions.map((a) => el('button', { type: 'button', class: 'status-action', onclick: a.run }, a.label(lang()))),
  );
  s.hidden = false;
}

// errorText says what went wrong and what to do about it.
function errorText(err, l) {
  switch (err?.code) {
    case 'NETWORK': return t('errNetwork', l);
    case 'RATE_LIMITED': return t('errRate', l);
    case 'UNAVAILABLE': return t('errUnavailable', l);
    case 'UNAUTHENTICATED': return t('errUnauth', l);
    case 'FORBIDDEN': return t('errForbidden', l);
    default: return t('errOther', l, { msg: err?.message || String(err) });
  }
}

function showError(prefix, err, retry) {
  const actions = [];
  if (retry) actions.push({ label: (l) => t('retry', l), run: () => { setStatus(null); retry(); } });
  if (err?.code === 'UNAUTHENTICATED' && api.apiKey()) actions.push({ label: (l) => t('curatorSignOut', l), run: signOut });
  setStatus((l) => (prefix ? t(prefix, l) : '') + errorText(err, l), 'error', actions);
}

// waiting marks a wait: after WAIT_MS it shows `message` (a function of the
// language) in the loading line and the progress bar, and `node` pulses.
// Returns the function that ends the wait.
const waits = new Map();
let waitSeq = 0;
function waiting(message, { node } = {}) {
  const id = ++waitSeq;
  state.busy++;
  document.body.dataset.busy = String(state.busy);
  const timer = setTimeout(() => {
    waits.set(id, message);
    if (node) cy.getElementById(node).addClass('loading');
    renderWaits();
  }, WAIT_MS);
  return () => {
    clearTimeout(timer);
    waits.delete(id);
    if (node) cy.getElementById(node).removeClass('loading');
    state.busy--;
    document.body.dataset.busy = String(state.busy);
    renderWaits();
  };
}

function renderWaits() {
  const on = waits.size > 0;
  $('#progress').hidden = !on;
  $('#main').setAttribute('aria-busy', String(on));
  const line = $('#loading');
  if (on) {
    const last = [...waits.values()].at(-1);
    line.textContent = last(lang());
  }
  line.hidden = !on;
  renderStatus();
}

// ---- the graph ----------------------------------------------------------

const graph = createGraph($('#cy'));
const { cy } = graph;

function nodeData(n) {
  const degree = n.degree ?? null;
  return {
    id: n.id,
    kind: n.kind,
    zh: n.zh,
    en: n.en,
    color: kindColor(n.kind),
    label: pick(n),
    degree,
    deg: degree ?? 1,
    size: nodeSize(degree ?? 1),
  };
}

function edgeData(e) {
  return {
    id: e.id, source: e.from, target: e.to, type: e.type, zh: e.zh, en: e.en, label: pick(e),
  };
}

function viewportCentre() {
  const ext = cy.extent();
  return { x: (ext.x1 + ext.x2) / 2, y: (ext.y1 + ext.y2) / 2 };
}

// Where a new node starts: where it last was, else on a spiral around a
// neighbour already drawn (the golden angle spreads them), else the centre.
function startPosition(id, anchors, i) {
  const known = state.positions.get(id);
  if (known) return { ...known };
  const anchor = anchors.map((a) => cy.getElementById(a)).find((a) => a.nonempty());
  const c = anchor ? anchor.position() : viewportCentre();
  const angle = i * 2.39996;
  const r = 50 + 7 * Math.sqrt(i + 1) * 6;
  return { x: c.x + r * Math.cos(angle), y: c.y + r * Math.sin(angle) };
}

// Neighbourhoods are asked for with the ticked types (so that the limit is
// spent on them); with none ticked, nothing is shown but the expanded
// entities, which the answer for all types names.
const typesKey = (v) => (v.types?.length ? v.types.join(',') : '*');
const typesArg = (v) => (v.types?.length ? v.types : null);

// Answers are kept: back, forward, undo and the timeline ask nothing twice.
const cache = new Map();
function cached(key, load) {
  if (!cache.has(key)) {
    cache.set(key, load().catch((err) => {
      cache.delete(key);
      throw err;
    }));
  }
  return cache.get(key);
}
const isCached = (key) => cache.has(key);
const nbKey = (id, v) => `nb|${id}|${typesKey(v)}|${v.asOf || ''}`;
const neighbourhood = (id, v) => cached(nbKey(id, v), () => api.neighborhood(id, typesArg(v), v.asOf));

// The path between the view's ends: explain (the server's sentences),
// else shortestPath with the page's own sentences. With asOf, only
// shortestPath can take the date.
const pathKey = (v) => `path|${v.from}|${v.to}|${typesKey(v)}|${v.asOf || ''}|${v.asOf ? '' : v.lang}`;
function findPath(v) {
  return cached(pathKey(v), async () => {
    if (v.types && v.types.length === 0) return { none: true };
    if (!v.asOf) {
      try {
        const ex = await api.explain(v.from, v.to, v.lang.toUpperCase(), typesArg(v));
        return ex ? { ex } : { none: true };
      } catch (err) {
        if (err.code === 'NETWORK' || err.code === 'UNAUTHENTICATED') throw err;
      }
    }
    const path = await api.shortestPath(v.from, v.to, typesArg(v), v.asOf);
    return path ? { ex: { path, steps: null } } : { none: true };
  });
}

let drawSeq = 0;

// draw fetches what view v needs (answers already had are not asked again),
// then makes the graph on screen show v. layout: 'auto' (arrange new nodes;
// from scratch when most are new), 'none' (keep every position), 'full'.
// fit: elements to fit afterwards ('visible' for everything). Resolves to
// the drawn view's neighbourhood answers, or null when it failed (shown) or
// a later draw took its place.
async function draw(v, { layout = 'auto', fit = null, wait = null, retry = null } = {}) {
  const seq = ++drawSeq;
  state.want = v;
  const missing = v.expanded.filter((id) => !isCached(nbKey(id, v)));
  const needPath = !!(v.from && v.to && v.from !== v.to);
  if (needPath && !isCached(pathKey(v))) showPathSearching();
  const end = waiting(wait || (missing.length > 1 ? (l) => t('loadingView', l, { n: missing.length }) : (l) => t('loading', l)),
    { node: missing.length === 1 ? missing[0] : null });
  let subs;
  let path = null;
  try {
    const pathP = needPath ? findPath(v).catch((error) => ({ error })) : Promise.resolve(null);
    subs = await Promise.all(v.expanded.map((id) => neighbourhood(id, v).then((s) => ({ id, s }))));
    path = await pathP;
  } catch (err) {
    end();
    if (seq !== drawSeq) return null;
    state.want = null;
    showError('loadFailed', err, retry || (() => draw(v, { layout, fit, wait })));
    return null;
  }
  end();
  if (seq !== drawSeq) return null;
  state.want = null;

  // An id that is no entity (merged, deleted, mistyped) leaves the view.
  const gone = subs.filter((x) => !x.s).map((x) => x.id);
  if (gone.length) {
    v = copyView(v);
    v.expanded = v.expanded.filter((id) => !gone.includes(id));
    if (gone.includes(v.sel)) v.sel = null;
    subs = subs.filter((x) => x.s);
    setStatus((l) => gone.map((id) => t('notFound', l, { id })).join(' '), 'error');
  }
  apply(v, subs, path, { layout, fit });
  return subs;
}

// apply makes the graph show view v from the answers.
function apply(v, subs, path, { layout, fit }) {
  const prevLang = state.view.lang;
  state.view = v;
  state.path = path;
  const nodes = new Map();
  const edges = new Map();
  const addNode = (n) => {
    const had = nodes.get(n.id);
    nodes.set(n.id, had ? { ...had, ...n, degree: n.degree ?? had.degree } : n);
  };
  for (const { s } of subs) {
    for (const n of s.nodes) addNode(n);
    for (const e of s.edges) edges.set(e.id, e);
  }
  const onPath = new Set();
  if (path?.ex) {
    for (const n of path.ex.path.nodes) { addNode(n); onPath.add(n.id); }
    for (const e of path.ex.path.edges) { edges.set(e.id, e); onPath.add(e.id); }
  }
  for (const id of v.removed) if (!onPath.has(id)) nodes.delete(id);
  for (const [id, e] of edges) if (!nodes.has(e.from) || !nodes.has(e.to)) edges.delete(id);
  // A node stays only while something holds it: an expansion, the path, or
  // a relationship to a node that stays.
  const held = new Set([...v.expanded, ...onPath]);
  const linked = new Set();
  for (const e of edges.values()) { linked.add(e.from); linked.add(e.to); }
  for (const id of [...nodes.keys()]) if (!held.has(id) && !linked.has(id)) nodes.delete(id);

  const adjacent = new Map();
  for (const e of edges.values()) {
    if (!adjacent.has(e.from)) adjacent.set(e.from, []);
    if (!adjacent.has(e.to)) adjacent.set(e.to, []);
    adjacent.get(e.from).push(e.to);
    adjacent.get(e.to).push(e.from);
  }

  let added = 0;
  const before = cy.nodes().length;
  cy.batch(() => {
    cy.edges().forEach((e) => { if (!edges.has(e.id())) e.remove(); });
    cy.nodes().forEach((n) => {
      if (!nodes.has(n.id())) {
        state.positions.set(n.id(), { ...n.position() });
        n.remove();
      }
    });
    let i = 0;
    for (const n of nodes.values()) {
      const existing = cy.getElementById(n.id);
      if (existing.nonempty()) {
        existing.data(nodeData({ ...existing.data(), ...n, degree: n.degree ?? existing.data('degree') }));
      } else {
        cy.add({ group: 'nodes', data: nodeData(n), position: startPosition(n.id, adjacent.get(n.id) || [], i++) });
        added++;
      }
    }
    for (const e of edges.values()) {
      state.edges.set(e.id, e);
      if (cy.getElementById(e.id).empty()) cy.add({ group: 'edges', data: edgeData(e), selectable: false });
    }
    cy.nodes().forEach((n) => n.toggleClass('expanded', v.expanded.includes(n.id())));
    cy.elements().forEach((x) => {
      x.toggleClass('on-path', onPath.has(x.id()));
      x.toggleClass('faded', onPath.size > 0 && !onPath.has(x.id()));
    });
    cy.nodes('.end').removeClass('end');
    if (v.from) cy.getElementById(v.from).addClass('end');
    if (v.to) cy.getElementById(v.to).addClass('end');
    if (prevLang !== v.lang) cy.elements().forEach((x) => x.data('label', pick(x.data())));
  });
  applyFilter();
  syncSelection();

  // Arrange and fit.
  let arrange = layout;
  if (layout === 'auto') arrange = added === 0 ? 'none' : before === 0 ? 'full' : 'incremental';
  const fitTarget = () => {
    if (fit === 'visible') return null;
    if (fit === 'path') return cy.elements('.on-path');
    if (typeof fit === 'string') {
      const n = cy.getElementById(fit);
      return n.nonempty() ? n.closedNeighborhood().filter((x) => x.visible()) : null;
    }
    return undefined;
  };
  const afterLayout = () => {
    const target = fitTarget();
    if (target !== undefined) return graph.fitTo(target, { padding: fit === 'path' ? 80 : 40 });
    graph.placeLabels();
    return Promise.resolve();
  };
  document.body.dataset.layout = 'running';
  const done = arrange === 'none'
    ? afterLayout()
    : graph.layout({ incremental: arrange === 'incremental' }).then(afterLayout);
  done.then(() => {
    cy.nodes().forEach((n) => state.positions.set(n.id(), { ...n.position() }));
    document.body.dataset.layout = 'done';
  });
  renderAll();
}

// applyFilter hides the relationships of unticked types or outside the
// time setting, and the nodes left with none shown (except expanded
// nodes, path ends and the selected one). The path is always shown.
function applyFilter() {
  const v = state.view;
  const types = v.types ? new Set(v.types) : null;
  cy.batch(() => {
    cy.edges().forEach((e) => {
      const raw = state.edges.get(e.id());
      const hide = !e.hasClass('on-path') && ((types && !types.has(e.data('type'))) || (raw && !inTime(raw, v)));
      e.toggleClass('filtered', !!hide);
    });
    const pinned = new Set([...v.expanded, v.from, v.to, v.sel].filter(Boolean));
    cy.nodes().forEach((n) => {
      const es = n.connectedEdges();
      const hide = !pinned.has(n.id()) && !n.hasClass('on-path') && es.nonempty() && es.every((e) => e.hasClass('filtered'));
      n.toggleClass('filtered', hide);
    });
  });
}

function syncSelection() {
  const sel = state.view.sel;
  cy.nodes(':selected').forEach((n) => { if (n.id() !== sel) n.unselect(); });
  if (sel) {
    const n = cy.getElementById(sel);
    if (n.nonempty() && !n.selected()) n.select();
  }
}

function renderAll() {
  renderLegend();
  renderTypeFilter();
  renderDetails();
  renderPath();
  renderEmpty();
  renderHistoryButtons();
  renderTimeline();
  renderSavedViews();
  const shown = cy.nodes().filter((n) => n.visible()).length;
  const rels = cy.edges().filter((e) => e.visible()).length;
  $('#cy').setAttribute('aria-label', t('graphLabel', lang(), { n: shown, m: rels }));
}

// ---- views: history, undo -------------------------------------------------

function viewURL(v) {
  return `${location.pathname}${viewQuery(v)}`;
}

// go draws view v and makes it the page's: in the URL (a new history entry
// when push), and undoable (Ctrl-Z returns to the view before).
async function go(v, { push = true, undoable = true, ...opts } = {}) {
  const prev = state.view;
  const drawn = await draw(v, { retry: () => go(v, { push, undoable, ...opts }), ...opts });
  if (!drawn) return null;
  const now = state.view;
  if (undoable && !sameView(prev, now)) {
    state.undo.push(prev);
    if (state.undo.length > 100) state.undo.shift();
    state.redo = [];
  }
  const url = viewURL(now);
  if (url !== `${location.pathname}${location.search}`) {
    if (push && !sameView(prev, now)) history.pushState(null, '', url);
    else history.replaceState(null, '', url);
  }
  renderHistoryButtons();
  return drawn;
}

async function undo() {
  const prev = state.undo.pop();
  if (!prev) return;
  stopPlayback();
  const cur = state.view;
  const ok = await draw(prev, { layout: 'auto' });
  if (!ok) {
    state.undo.push(prev);
    return;
  }
  state.redo.push(cur);
  history.pushState(null, '', viewURL(state.view));
  setStatus((l) => t('undone', l));
  renderHistoryButtons();
}

async function redo() {
  const next = state.redo.pop();
  if (!next) return;
  const cur = state.view;
  const ok = await draw(next, { layout: 'auto' });
  if (!ok) {
    state.redo.push(next);
    return;
  }
  state.undo.push(cur);
  history.pushState(null, '', viewURL(state.view));
  renderHistoryButtons();
}

function renderHistoryButtons() {
  $('#undo').disabled = state.undo.length === 0;
  $('#redo').disabled = state.redo.length === 0;
}

window.addEventListener('popstate', async () => {
  stopPlayback();
  const v = parseView(location.search, lang());
  if (v.lang !== lang()) applyLang(v.lang);
  await draw(v, { layout: 'auto', fit: 'visible' });
});

// ---- actions ----------------------------------------------------------------

function edit(fn) {
  const v = copyView(current());
  fn(v);
  return v;
}

async function expand(id) {
  const v = edit((x) => {
    if (!x.expanded.includes(id)) x.expanded.push(id);
    x.removed = x.removed.filter((r) => r !== id);
    x.sel = id;
  });
  const name = () => {
    const d = cy.getElementById(id);
    return d.nonempty() ? pick(d.data()) : id;
  };
  const label = name();
  const subs = await go(v, { fit: id, wait: (l) => t('loadingExpand', l, { name: label }) });
  if (!subs) return;
  const sub = subs.find((x) => x.id === id)?.s;
  if (!sub) return;
  const more = sub.more.filter((m) => m.nodeId === id).reduce((a, m) => a + m.count, 0);
  const n = sub.nodes.filter((x) => x.id !== id).length;
  const nm = name();
  setStatus((l) => {
    if (n === 0) return t('expandedNone', l, { name: nm });
    let msg = t('expanded', l, { name: nm, n });
    if (more > 0) msg += ` · ${t('more', l, { n: more })}`;
    else if (sub.truncated) msg += t('truncated', l);
    return msg;
  });
  loadDetails(id);
}

async function select(id) {
  if (current().sel === id) return;
  const v = edit((x) => { x.sel = id; });
  await go(v, { push: false, undoable: false, layout: 'none' });
  const n = cy.getElementById(id);
  if (n.nonempty()) {
    const d = n.data();
    announce([pick(d), kindName(d.kind), d.degree === null ? '' : t('degree', lang(), { n: d.degree }),
      n.hasClass('expanded') ? '' : t('enterExpands', lang())].filter(Boolean).join(', '));
  }
  loadDetails(id);
}

async function removeNode(id) {
  const node = cy.getElementById(id);
  const name = node.nonempty() ? pick(node.data()) : id;
  const before = new Set(cy.nodes().map((n) => n.id()));
  const v = edit((x) => {
    x.expanded = x.expanded.filter((e) => e !== id);
    if (!x.removed.includes(id)) x.removed.push(id);
    if (x.sel === id) x.sel = null;
    if (x.from === id) x.from = null;
    if (x.to === id) x.to = null;
  });
  closeEdgeCard();
  if (!(await go(v, { layout: 'none' }))) return;
  const after = new Set(cy.nodes().map((n) => n.id()));
  const orphans = [...before].filter((x) => x !== id && !after.has(x)).length;
  setStatus((l) => (orphans ? t('removedOrphans', l, { name, n: orphans }) : t('removed', l, { name })), 'info',
    [{ label: (l) => t('undoRemove', l), run: undo }]);
  announce(orphans ? t('removedOrphans', lang(), { name, n: orphans }) : t('removed', lang(), { name }));
}

async function setEnd(which) {
  const id = current().sel;
  if (!id) return;
  const v = edit((x) => { x[which] = id; });
  await go(v, { fit: v.from && v.to ? 'path' : null });
}

async function clearPath() {
  const v = edit((x) => { x.from = null; x.to = null; });
  await go(v, { layout: 'none' });
}

async function setTypes(types) {
  const v = edit((x) => { x.types = types && types.length === state.vocabulary.length ? null : types; });
  await go(v, { fit: 'visible' });
}

async function clearGraph() {
  stopPlayback();
  const v = emptyView(lang());
  closeEdgeCard();
  await go(v, { layout: 'none' });
  setStatus(null);
}

// ---- legend and type filter ----------------------------------------------

function renderLegend() {
  const counts = {};
  cy.nodes().filter((n) => n.visible()).forEach((n) => {
    counts[n.data('kind')] = (counts[n.data('kind')] || 0) + 1;
  });
  $('#legend').replaceChildren(
    ...Object.keys(KINDS).map((k) =>
      el('span', { class: counts[k] ? 'legend-item' : 'legend-item none', 'data-kind': k },
        el('span', { class: 'dot', style: { background: kindColor(k) }, 'aria-hidden': 'true' }),
        kindName(k),
        counts[k] ? el('span', { class: 'count' }, String(counts[k])) : null)),
  );
}

function renderTypeFilter() {
  const counts = {};
  cy.edges().forEach((e) => {
    counts[e.data('type')] = (counts[e.data('type')] || 0) + 1;
  });
  const enabled = state.view.types ? new Set(state.view.types) : null;
  $('#type-filter').replaceChildren(
    ...state.vocabulary.map((v) => {
      const box = el('input', { type: 'checkbox', value: v.type, 'data-type': v.type });
      box.checked = !enabled || enabled.has(v.type);
      box.addEventListener('change', () => {
        const now = new Set(current().types || state.vocabulary.map((x) => x.type));
        if (box.checked) now.add(v.type);
        else now.delete(v.type);
        setTypes([...now].sort());
      });
      return el('li', {},
        el('label', { title: v.type }, box, el('span', { class: 'type-name' }, pick(v)),
          counts[v.type] ? el('span', { class: 'count' }, String(counts[v.type])) : null));
    }),
  );
}

// ---- details of the selected node ----------------------------------------

async function loadDetails(id) {
  if (!state.details.has(id)) {
    const end = waiting((l) => t('loadingDetails', l));
    try {
      const d = await api.entity(id);
      if (d) state.details.set(id, d);
    } catch (err) {
      showError('loadFailed', err, () => loadDetails(id));
    } finally {
      end();
    }
  }
  if (state.view.sel === id) renderDetails();
  if (curatorMode()) loadHistory(id);
}

const RELATIONS_SHOWN = 12;
let showAllRelations = false;

let detailsFor = null;
function renderDetails() {
  const panel = $('#details-panel');
  const id = state.view.sel;
  if (id !== detailsFor) {
    detailsFor = id;
    showAllRelations = false;
  }
  const node = id ? cy.getElementById(id) : null;
  if (!node || node.empty()) {
    panel.hidden = true;
    return;
  }
  panel.hidden = false;
  const d = node.data();
  const full = state.details.get(d.id);
  $('#details-dot').style.background = kindColor(d.kind);
  $('#details-name').textContent = pick(d);
  const sub = [kindName(d.kind)];
  if (other(d) && other(d) !== pick(d)) sub.push(other(d));
  sub.push(d.degree === null || d.degree === undefined ? t('degreeUnknown', lang()) : t('degree', lang(), { n: d.degree }));
  $('#details-sub').textContent = sub.join(' · ');
  const desc = full ? (lang() === 'zh' ? full.descZh : full.descEn) : '';
  let descText = desc || '';
  if (full?.aliases?.length) descText += `${descText ? ' ' : ''}(${t('aliases', lang())}: ${full.aliases.join(', ')})`;
  $('#details-desc').textContent = descText;
  $('#details-facts').replaceChildren(
    ...(full?.facts || []).map((f) =>
      el('li', {}, el('strong', {}, lang() === 'zh' ? f.zh : f.en), ' ', lang() === 'zh' ? f.labelZh : f.labelEn)),
  );
  $('#expand-node').disabled = node.hasClass('expanded');
  $('#set-start').setAttribute('aria-pressed', String(state.view.from === d.id));
  $('#set-end').setAttribute('aria-pressed', String(state.view.to === d.id));

  // Its relationships in view, each with its quote: readable without a
  // mouse (touch, keyboard, screen readers).
  const es = node.connectedEdges().filter((e) => e.visible()).toArray()
    .sort((a, b) => (a.data('type') < b.data('type') ? -1 : a.data('type') > b.data('type') ? 1 : (a.id() < b.id() ? -1 : 1)));
  const list = $('#details-relations');
  if (!es.length) {
    list.replaceChildren(el('li', { class: 'muted' }, t('noRelationsInView', lang())));
  } else {
    const shown = showAllRelations ? es : es.slice(0, RELATIONS_SHOWN);
    list.replaceChildren(
      ...shown.map((e) => {
        const raw = state.edges.get(e.id());
        const out = e.source().id() === d.id;
        const o = out ? e.target() : e.source();
        const sentence = out ? `${pick(d)} — ${pick(e.data())} → ${pick(o.data())}` : `${pick(o.data())} — ${pick(e.data())} → ${pick(d)}`;
        return el('li', { 'data-edge': e.id() },
          el('button', { type: 'button', class: 'link', onclick: () => openEdgeCard(e.id(), null, true) }, sentence),
          raw?.evidence ? el('q', { class: 'quote-inline' }, raw.evidence.quote) : null);
      }),
    );
    if (es.length > RELATIONS_SHOWN && !showAllRelations) {
      list.append(el('li', {}, el('button', { type: 'button', class: 'link', onclick: () => { showAllRelations = true; renderDetails(); } },
        t('showAllRelations', lang(), { n: es.length }))));
    }
  }
  renderCuratorPanel();
}

// ---- search --------------------------------------------------------------

let searchTimer = 0;
let searchAbort = null;
let hits = [];
let active = -1;

function onSearchInput() {
  clearTimeout(searchTimer);
  const text = $('#search').value.trim();
  if (!text) {
    closeResults();
    return;
  }
  searchTimer = setTimeout(() => runSearch(text), 160);
}

async function runSearch(text) {
  if (searchAbort) searchAbort.abort();
  searchAbort = new AbortController();
  const slow = setTimeout(() => {
    const ul = $('#results');
    ul.setAttribute('aria-busy', 'true');
    ul.replaceChildren(el('li', { class: 'message loading', role: 'status' }, t('loadingSearch', lang())));
    ul.hidden = false;
    $('#search').setAttribute('aria-expanded', 'true');
  }, WAIT_MS);
  const end = waiting((l) => t('loadingSearch', l));
  let found;
  try {
    found = await api.search(text, searchAbort.signal);
  } catch (err) {
    if (err.name === 'AbortError') return;
    showResults([], t('searchFailed', lang()) + errorText(err, lang()), () => runSearch(text));
    return;
  } finally {
    clearTimeout(slow);
    end();
    $('#results').removeAttribute('aria-busy');
  }
  if ($('#search').value.trim() !== text) return; // typed on meanwhile
  showResults(found);
}

function showResults(found, message, retry) {
  hits = found;
  active = found.length ? 0 : -1;
  const ul = $('#results');
  if (!found.length) {
    ul.replaceChildren(el('li', { class: `message${message ? ' error' : ''}` }, message || t('noResults', lang()),
      retry ? el('button', { type: 'button', class: 'status-action', onmousedown: (ev) => { ev.preventDefault(); retry(); } }, t('retry', lang())) : null));
  } else {
    ul.replaceChildren(
      ...found.map((h, i) => {
        const e = h.entity;
        const name = pick(e);
        const extra = [kindName(e.kind)];
        if (other(e) && other(e) !== name) extra.push(other(e));
        if (h.matched && h.matched !== e.zh && h.matched !== e.en) extra.push(`“${h.matched}”`);
        return el('li', {
          role: 'option', id: `hit-${i}`, 'data-id': e.id, 'aria-selected': i === active ? 'true' : 'false',
          onmousedown: (ev) => {
            ev.preventDefault();
            choose(i);
          },
          onmousemove: () => setActive(i),
        },
        el('span', { class: 'dot', style: { background: kindColor(e.kind) }, 'aria-hidden': 'true' }),
        el('span', { class: 'hit-name' }, name),
        el('span', { class: 'hit-extra' }, extra.join(' · ')));
      }),
    );
  }
  ul.hidden = false;
  $('#search').setAttribute('aria-expanded', 'true');
  setActive(active);
}

function setActive(i) {
  active = i;
  for (const li of $('#results').querySelectorAll('li[role=option]')) {
    li.setAttribute('aria-selected', li.id === `hit-${i}` ? 'true' : 'false');
  }
  if (i >= 0) $('#search').setAttribute('aria-activedescendant', `hit-${i}`);
  else $('#search').removeAttribute('aria-activedescendant');
}

function closeResults() {
  $('#results').hidden = true;
  $('#search').setAttribute('aria-expanded', 'false');
  $('#search').removeAttribute('aria-activedescendant');
}

async function choose(i) {
  const h = hits[i];
  if (!h) return;
  closeResults();
  const e = h.entity;
  if (current().expanded.includes(e.id) && cy.getElementById(e.id).nonempty()) {
    await select(e.id);
    graph.fitTo(cy.getElementById(e.id).closedNeighborhood().filter((x) => x.visible()));
    return;
  }
  // Shown at once with what the hit knows; the neighbourhood follows.
  const name = pick(e);
  const v = edit((x) => {
    if (!x.expanded.includes(e.id)) x.expanded.push(e.id);
    x.removed = x.removed.filter((r) => r !== e.id);
    x.sel = e.id;
  });
  const subs = await go(v, { fit: e.id, wait: (l) => t('loadingExpand', l, { name }) });
  if (!subs) return;
  const sub = subs.find((x) => x.id === e.id)?.s;
  if (sub) {
    const n = sub.nodes.filter((x) => x.id !== e.id).length;
    const more = sub.more.filter((m) => m.nodeId === e.id).reduce((a, m) => a + m.count, 0);
    const nm = pick(cy.getElementById(e.id).data());
    setStatus((l) => {
      if (n === 0) return t('expandedNone', l, { name: nm });
      let msg = t('expanded', l, { name: nm, n });
      if (more > 0) msg += ` · ${t('more', l, { n: more })}`;
      return msg;
    });
  }
  loadDetails(e.id);
}

function onSearchKey(ev) {
  if ($('#results').hidden) return;
  if (ev.key === 'ArrowDown') {
    ev.preventDefault();
    setActive(Math.min(active + 1, hits.length - 1));
  } else if (ev.key === 'ArrowUp') {
    ev.preventDefault();
    setActive(Math.max(active - 1, 0));
  } else if (ev.key === 'Enter') {
    ev.preventDefault();
    if (active >= 0) choose(active);
  } else if (ev.key === 'Escape') {
    closeResults();
  }
}

// ---- paths ---------------------------------------------------------------

function showPathSearching() {
  const status = $('#path-status');
  status.dataset.kind = 'info';
  status.replaceChildren(t('searching', lang()));
  $('#path-steps').replaceChildren();
}

function renderPath() {
  const v = state.view;
  // A path found comes first in the panels; otherwise the selected entity.
  const sidebar = $('.sidebar');
  const first = v.from && v.to ? $('#path-panel') : $('#details-panel');
  if (sidebar.firstElementChild !== first) sidebar.prepend(first);
  for (const which of ['from', 'to']) {
    const dd = $(`#path-${which}`);
    const id = v[which];
    if (!id) {
      dd.className = 'end empty';
      dd.textContent = t('pickHint', lang());
      continue;
    }
    const n = cy.getElementById(id);
    const d = n.nonempty() ? n.data() : { id, zh: id, en: id };
    dd.className = 'end';
    dd.replaceChildren(el('span', { class: 'dot', style: { background: kindColor(d.kind) }, 'aria-hidden': 'true' }), pick(d));
  }
  $('#find-path').disabled = !(v.from && v.to && v.from !== v.to);
  const status = $('#path-status');
  const steps = $('#path-steps');
  const p = state.path;
  if (!v.from || !v.to || !p) {
    status.replaceChildren();
    steps.replaceChildren();
    delete steps.dataset.source;
    return;
  }
  if (p.error) {
    status.dataset.kind = 'error';
    status.replaceChildren(t('pathFailed', lang()) + errorText(p.error, lang()),
      el('button', { type: 'button', class: 'status-action', onclick: () => draw(state.view, { fit: 'path' }) }, t('retry', lang())));
    steps.replaceChildren();
    return;
  }
  if (p.none) {
    status.dataset.kind = 'error';
    status.replaceChildren(t('noPath', lang(), { n: api.MAX_HOPS }));
    steps.replaceChildren();
    return;
  }
  const ex = p.ex;
  status.dataset.kind = 'ok';
  status.replaceChildren(t('pathFound', lang(), { n: ex.path.length }));
  if (v.timeFrom || v.timeTo) status.append(el('span', { class: 'muted' }, ` ${t('pathIgnoresWindow', lang())}`));
  const list = ex.steps || stepsFromPath(ex.path);
  steps.dataset.source = ex.steps ? 'explain' : 'path';
  steps.replaceChildren(
    ...list.map((s) =>
      el('li', {
        'data-edge': s.edge.id,
        onmouseenter: () => cy.getElementById(s.edge.id).addClass('hover'),
        onmouseleave: () => cy.getElementById(s.edge.id).removeClass('hover'),
      },
      el('button', {
        type: 'button', class: 'step-link',
        onclick: () => graph.fitTo(cy.getElementById(s.edge.id).connectedNodes(), { padding: 120 }),
      }, s.sentence),
      el('blockquote', { class: 'quote' }, `「${s.quote}」`),
      el('p', { class: 'source' }, `${t('source', lang())}: ${s.document.title}`))),
  );
}

// Hops told from a path's edges: "start label end (time)", with the quote.
function stepsFromPath(path) {
  const names = new Map(path.nodes.map((n) => [n.id, pick(n)]));
  return path.edges.map((e) => {
    const time = describeTime(e, lang());
    return {
      sentence: `${names.get(e.from)} ${pick(e)} ${names.get(e.to)}${time ? ` (${time})` : ''}`,
      quote: e.evidence.quote,
      document: e.evidence.document,
      edge: { id: e.id },
    };
  });
}

// ---- empty states ------------------------------------------------------------

function renderEmpty() {
  const none = cy.nodes().empty();
  $('#empty').hidden = !none;
  const allHidden = !none && cy.nodes().every((n) => !n.visible() || n.connectedEdges().nonempty())
    && cy.edges().nonempty() && cy.edges().every((e) => !e.visible());
  $('#nothing').hidden = !allHidden;
}

// ---- tooltips and the edge card ---------------------------------------------

function edgeContent(id, { withActions }) {
  const e = cy.getElementById(id);
  const raw = state.edges.get(id);
  if (e.empty() || !raw) return null;
  const src = e.source().data();
  const dst = e.target().data();
  const detail = lang() === 'zh' ? raw.detailZh : raw.detailEn;
  const meta = [describeTime(raw, lang()), detail].filter(Boolean).join(' · ');
  const parts = [
    el('div', { class: 'tip-title', id: withActions ? 'edge-card-title' : null }, `${pick(src)} — ${pick(raw)} → ${pick(dst)}`),
    meta ? el('div', { class: 'tip-meta' }, meta) : null,
    el('blockquote', { class: 'quote' }, `「${raw.evidence.quote}」`),
    el('div', { class: 'tip-src' }, `${t('source', lang())}: ${raw.evidence.document.title}`),
  ];
  if (withActions) {
    const buttons = el('div', { class: 'buttons' });
    if (curatorMode()) buttons.append(el('button', { type: 'button', class: 'danger', id: 'retract-open', onclick: () => openRetract(id) }, t('retract', lang())));
    buttons.append(el('button', { type: 'button', id: 'edge-card-close', onclick: closeEdgeCard }, t('close', lang())));
    parts.push(buttons, el('div', { id: 'retract-slot' }));
  }
  return parts.filter(Boolean);
}

function showTip(target, pos) {
  if (!$('#edge-card').hidden) return;
  const tip = $('#tip');
  const d = target.data();
  if (target.isEdge()) {
    const parts = edgeContent(target.id(), { withActions: false });
    if (!parts) return;
    tip.replaceChildren(...parts);
  } else {
    tip.replaceChildren(
      el('div', { class: 'tip-title' }, pick(d)),
      el('div', { class: 'tip-meta' }, [kindName(d.kind), other(d), d.degree === null ? '' : t('degree', lang(), { n: d.degree })].filter(Boolean).join(' · ')),
    );
  }
  tip.hidden = false;
  place(tip, pos);
}

function place(box, pos) {
  const wrap = $('.canvas-wrap').getBoundingClientRect();
  if (wrap.width < 560) {
    // a phone: across the bottom of the graph
    box.style.left = '8px';
    box.style.right = '8px';
    box.style.top = 'auto';
    box.style.bottom = '64px';
    return;
  }
  box.style.right = 'auto';
  box.style.bottom = 'auto';
  const x = Math.min(pos.x + 14, wrap.width - box.offsetWidth - 8);
  const y = pos.y + 14 + box.offsetHeight > wrap.height - 56 ? pos.y - box.offsetHeight - 10 : pos.y + 14;
  box.style.left = `${Math.max(8, x)}px`;
  box.style.top = `${Math.max(8, y)}px`;
}

function hideTip() {
  $('#tip').hidden = true;
}

let cardEdge = null;
let cardReturnFocus = null;
// openEdgeCard shows an edge's quote until closed: for a tap (touch), a
// click, or a relationship picked in the details panel (focus moves in).
function openEdgeCard(id, pos, focus = false) {
  const e = cy.getElementById(id);
  const parts = edgeContent(id, { withActions: true });
  if (!parts) return;
  hideTip();
  cy.edges('.picked').removeClass('picked');
  e.addClass('picked');
  cardEdge = id;
  const card = $('#edge-card');
  card.replaceChildren(...parts);
  card.dataset.edge = id;
  card.hidden = false;
  let at = pos;
  if (!at) {
    const m = e.renderedMidpoint();
    at = { x: m.x, y: m.y };
    if (m.x < 0 || m.y < 0 || m.x > cy.width() || m.y > cy.height()) graph.fitTo(e.connectedNodes(), { padding: 120 });
  }
  place(card, at);
  if (focus) {
    cardReturnFocus = document.activeElement;
    $('#edge-card-close').focus();
  }
}

function closeEdgeCard() {
  const card = $('#edge-card');
  if (card.hidden) return;
  card.hidden = true;
  card.replaceChildren();
  if (cardEdge) cy.getElementById(cardEdge).removeClass('picked');
  cardEdge = null;
  if (cardReturnFocus && document.contains(cardReturnFocus)) cardReturnFocus.focus();
  cardReturnFocus = null;
}

cy.on('mouseover', 'edge', (ev) => {
  ev.target.addClass('hover');
  showTip(ev.target, ev.renderedPosition);
});
cy.on('mouseout', 'edge', (ev) => {
  ev.target.removeClass('hover');
  hideTip();
});
cy.on('mouseover', 'node', (ev) => showTip(ev.target, ev.renderedPosition));
cy.on('mouseout', 'node', hideTip);
$('#cy').addEventListener('mouseleave', () => {
  cy.edges('.hover').removeClass('hover');
  hideTip();
});
cy.on('tap', 'node', async (ev) => {
  const id = ev.target.id();
  hideTip();
  closeEdgeCard();
  if (current().expanded.includes(id)) await select(id);
  else await expand(id);
});
cy.on('tap', 'edge', (ev) => openEdgeCard(ev.target.id(), ev.renderedPosition));
cy.on('tap', (ev) => {
  if (ev.target !== cy) return;
  closeEdgeCard();
  if (current().sel) {
    const v = edit((x) => { x.sel = null; });
    go(v, { push: false, undoable: false, layout: 'none' });
  }
});
cy.on('dragfree', 'node', (ev) => state.positions.set(ev.target.id(), { ...ev.target.position() }));

// ---- keyboard -----------------------------------------------------------------

const typing = (t_) => t_ && (t_.matches?.('input, textarea, select, [contenteditable="true"]') || t_.closest?.('dialog'));

// The node in direction (dx, dy) from the selected one: the nearest within a
// 90° cone that way; with none selected, the first by relations.
function nodeToward(dx, dy) {
  const shown = cy.nodes().filter((n) => n.visible());
  if (shown.empty()) return null;
  const sel = state.view.sel ? cy.getElementById(state.view.sel) : null;
  if (!sel || sel.empty() || !sel.visible()) return shown.sort((a, b) => b.data('deg') - a.data('deg')).first();
  const p = sel.position();
  let best = null;
  let bestScore = Infinity;
  shown.forEach((n) => {
    if (n.same(sel)) return;
    const q = n.position();
    const vx = q.x - p.x;
    const vy = q.y - p.y;
    const along = vx * dx + vy * dy;
    const across = Math.abs(vx * dy - vy * dx);
    if (along <= 0 || across > along) return;
    const score = along + 2 * across;
    if (score < bestScore) {
      bestScore = score;
      best = n;
    }
  });
  return best;
}

$('#cy').addEventListener('keydown', (ev) => {
  const dirs = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1] };
  if (dirs[ev.key]) {
    ev.preventDefault();
    const n = nodeToward(...dirs[ev.key]);
    if (!n) return;
    select(n.id()).then(() => {
      const r = n.renderedPosition();
      if (r.x < 30 || r.y < 30 || r.x > cy.width() - 30 || r.y > cy.height() - 30) cy.animate({ center: { eles: n }, duration: 200 });
    });
    return;
  }
  if (ev.key === 'Enter' || ev.key === ' ') {
    ev.preventDefault();
    const id = state.view.sel;
    if (id && !current().expanded.includes(id)) expand(id);
    return;
  }
  if (ev.key === '+' || ev.key === '=') { ev.preventDefault(); graph.zoomBy(ZOOM_STEP); return; }
  if (ev.key === '-' || ev.key === '_') { ev.preventDefault(); graph.zoomBy(1 / ZOOM_STEP); return; }
  if (ev.key === '0') { ev.preventDefault(); graph.fitTo(null, { maxZoom: 2 }); return; }
  if (ev.key === 'Escape') {
    closeEdgeCard();
    if (current().sel) go(edit((x) => { x.sel = null; }), { push: false, undoable: false, layout: 'none' });
  }
});

document.addEventListener('keydown', (ev) => {
  if (typing(ev.target)) return;
  const mod = ev.ctrlKey || ev.metaKey;
  if (mod && !ev.altKey && (ev.key === 'z' || ev.key === 'Z')) {
    ev.preventDefault();
    if (ev.shiftKey) redo();
    else undo();
    return;
  }
  if (mod && !ev.altKey && (ev.key === 'y' || ev.key === 'Y')) {
    ev.preventDefault();
    redo();
    return;
  }
  if ((ev.key === 'Delete' || ev.key === 'Backspace') && !mod) {
    const id = state.view.sel;
    if (id && (ev.target === document.body || ev.target === $('#cy') || ev.target.closest?.('#details-panel'))) {
      ev.preventDefault();
      removeNode(id);
    }
    return;
  }
  if (ev.key === 'Escape') {
    closeEdgeCard();
    closeMenu();
  }
});

// ---- language ----------------------------------------------------------------

function applyLang(l) {
  state.view = { ...state.view, lang: l };
  try {
    localStorage.setItem('vetgraph:lang', l);
  } catch { /* not kept */ }
  document.documentElement.lang = l;
  for (const b of document.querySelectorAll('.lang button')) {
    b.setAttribute('aria-pressed', String(b.dataset.lang.toLowerCase() === l));
  }
  for (const n of document.querySelectorAll('[data-i18n]')) n.textContent = t(n.dataset.i18n, l);
  for (const n of document.querySelectorAll('[data-i18n-placeholder]')) n.placeholder = t(n.dataset.i18nPlaceholder, l);
  for (const n of document.querySelectorAll('[data-i18n-aria]')) n.setAttribute('aria-label', t(n.dataset.i18nAria, l));
  $('#play').textContent = t(state.playing ? 'pause' : 'play', l);
  cy.batch(() => cy.elements().forEach((x) => x.data('label', pick(x.data()))));
  graph.placeLabels();
  renderCuratorButton();
  renderAll();
  renderStatus();
  renderWaits();
  if (cardEdge) openEdgeCard(cardEdge, null);
  if (hits.length && !$('#results').hidden) showResults(hits);
}

async function setLang(l) {
  if (l === lang()) return;
  applyLang(l);
  // Sentences come from the server in one language: ask again.
  await go(edit((x) => { x.lang = l; }), { push: false, undoable: false, layout: 'none' });
}

// ---- timeline ---------------------------------------------------------------------

function timeMode(v) {
  if (v.asOf) return 'asOf';
  if (v.timeFrom || v.timeTo) return 'window';
  return 'all';
}

function renderTimeline() {
  const box = $('#timeline');
  if (!state.years.length) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  const v = state.view;
  const mode = timeMode(v);
  const lo = state.years[0];
  const hi = state.years.at(-1);
  $('#time-mode').value = mode;
  for (const id of ['year', 'year-from', 'year-to']) {
    const input = $(`#${id}`);
    input.min = String(lo);
    input.max = String(hi);
  }
  $('#year-wrap').hidden = mode !== 'asOf';
  $('#from-wrap').hidden = mode !== 'window';
  $('#to-wrap').hidden = mode !== 'window';
  $('#play').hidden = false;
  const year = (s, d) => (s ? Number(s.slice(0, 4)) : d);
  if (!state.dragging) {
    $('#year').value = String(year(v.asOf, hi));
    $('#year-from').value = String(year(v.timeFrom, lo));
    $('#year-to').value = String(year(v.timeTo, hi));
  }
  const out = $('#time-out');
  if (mode === 'asOf') out.textContent = t('asOfShown', lang(), { y: v.asOf });
  else if (mode === 'window') out.textContent = t('windowShown', lang(), { a: v.timeFrom || lo, b: v.timeTo || hi });
  else out.textContent = `${lo}–${hi}`;
  $('#play').textContent = t(state.playing ? 'pause' : 'play', lang());
  $('#play').setAttribute('aria-pressed', String(state.playing));
}

function timeView(mode, a, b) {
  return edit((x) => {
    x.asOf = null;
    x.timeFrom = null;
    x.timeTo = null;
    if (mode === 'asOf') x.asOf = String(a);
    if (mode === 'window') {
      const [f, to] = a <= b ? [a, b] : [b, a];
      x.timeFrom = String(f);
      x.timeTo = String(to);
    }
  });
}

async function setTime(mode, a, b, { push = true } = {}) {
  await go(timeView(mode, a, b), { push, undoable: push, layout: 'auto', fit: push ? 'visible' : null });
}

// startStepping begins a run of time changes that make one step of the
// history (a slider dragged, a playback): the view before it gets its own
// entry, which each change then replaces.
function startStepping() {
  history.pushState(null, '', viewURL(state.view));
  state.undo.push(state.view);
  state.redo = [];
  renderHistoryButtons();
}

$('#time-mode').addEventListener('change', () => {
  stopPlayback();
  const mode = $('#time-mode').value;
  const lo = state.years[0];
  const hi = state.years.at(-1);
  if (mode === 'asOf') setTime('asOf', Number($('#year').value) || hi);
  else if (mode === 'window') setTime('window', Number($('#year-from').value) || lo, Number($('#year-to').value) || hi);
  else setTime('all');
});
for (const id of ['year', 'year-from', 'year-to']) {
  const input = $(`#${id}`);
  const now = () => (id === 'year' ? ['asOf', Number($('#year').value)] : ['window', Number($('#year-from').value), Number($('#year-to').value)]);
  input.addEventListener('input', () => {
    stopPlayback();
    if (!state.dragging) startStepping();
    state.dragging = true;
    const [m, a, b] = now();
    setTime(m, a, b, { push: false });
  });
  input.addEventListener('change', async () => {
    const [m, a, b] = now();
    await setTime(m, a, b, { push: false });
    state.dragging = false;
    graph.fitTo(null);
  });
}

let playTimer = 0;
// Playback steps the "as of" year from the first year (or the one shown)
// to the last, one step each 0.9 s after the graph of a year is drawn.
async function play() {
  if (state.playing) {
    stopPlayback();
    return;
  }
  const lo = state.years[0];
  const hi = state.years.at(-1);
  let y = state.view.asOf ? Number(state.view.asOf.slice(0, 4)) : lo;
  if (y >= hi) y = lo;
  state.playing = true;
  document.body.dataset.playing = 'true';
  startStepping();
  renderTimeline();
  const step = async () => {
    if (!state.playing) return;
    await go(timeView('asOf', y), { push: false, layout: 'none', undoable: false });
    announce(t('asOfShown', lang(), { y }));
    if (y >= hi) {
      stopPlayback();
      graph.fitTo(null);
      return;
    }
    y++;
    playTimer = setTimeout(step, 900);
  };
  step();
}

function stopPlayback() {
  if (!state.playing) return;
  state.playing = false;
  clearTimeout(playTimer);
  document.body.dataset.playing = 'false';
  renderTimeline();
}

$('#play').addEventListener('click', play);

// ---- export -------------------------------------------------------------------------

function shownRecords() {
  const nodes = cy.nodes().filter((n) => n.visible()).map((n) => ({ ...n.data(), expanded: n.hasClass('expanded') }));
  const edges = cy.edges().filter((e) => e.visible()).map((e) => state.edges.get(e.id())).filter(Boolean);
  return { nodes, edges };
}

function download(name, type, data) {
  const blob = data instanceof Blob ? data : new Blob([data], { type });
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const stamp = () => new Date().toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');

async function exportAs(what) {
  closeMenu();
  const base = `vetgraph-${stamp()}`;
  const { nodes, edges } = shownRecords();
  if (what === 'link') {
    try {
      await navigator.clipboard.writeText(location.href);
      setStatus((l) => t('linkCopied', l), 'ok');
    } catch {
      window.prompt(t('copyLink', lang()), location.href);
    }
    return;
  }
  if (what === 'png') {
    const blob = await cy.png({ output: 'blob-promise', bg: '#ffffff', full: false, scale: 2 });
    download(`${base}.png`, 'image/png', blob);
  } else if (what === 'svg') {
    const { graphSVG } = await import('./svg.js');
    download(`${base}.svg`, 'image/svg+xml', graphSVG(cy, { title: `vetgraph ${location.href}` }));
  } else {
    const table = await import('./table.js');
    const names = new Map(cy.nodes().map((n) => [n.id(), pick(n.data())]));
    if (what === 'nodes') download(`${base}-nodes.csv`, 'text/csv;charset=utf-8', table.csv(table.NODE_COLUMNS, table.nodeRows(nodes)));
    else if (what === 'edges') download(`${base}-relationships.csv`, 'text/csv;charset=utf-8', table.csv(table.EDGE_COLUMNS, table.edgeRows(edges, names, lang())));
    else if (what === 'json') {
      download(`${base}.json`, 'application/json', table.graphJSON({
        url: location.href, exportedAt: new Date().toISOString(), view: state.view, nodes, edges,
      }));
    }
  }
  const label = $(`[data-export="${what}"]`).textContent;
  setStatus((l) => t('exported', l, { what: label }), 'ok');
}

function closeMenu() {
  const menu = $('#export-menu');
  if (menu.hidden) return;
  menu.hidden = true;
  $('#export').setAttribute('aria-expanded', 'false');
}

$('#export').addEventListener('click', () => {
  const menu = $('#export-menu');
  const open = menu.hidden;
  menu.hidden = !open;
  $('#export').setAttribute('aria-expanded', String(open));
  if (open) menu.querySelector('button').focus();
});
$('#export-menu').addEventListener('keydown', (ev) => {
  const items = [...$('#export-menu').querySelectorAll('button')];
  const i = items.indexOf(document.activeElement);
  if (ev.key === 'ArrowDown') { ev.preventDefault(); items[(i + 1) % items.length].focus(); }
  if (ev.key === 'ArrowUp') { ev.preventDefault(); items[(i - 1 + items.length) % items.length].focus(); }
  if (ev.key === 'Escape') { ev.preventDefault(); closeMenu(); $('#export').focus(); }
});
for (const b of document.querySelectorAll('[data-export]')) b.addEventListener('click', () => exportAs(b.dataset.export));
document.addEventListener('click', (ev) => {
  if (!ev.target.closest('.menu-wrap')) closeMenu();
});

// ---- saved views ---------------------------------------------------------------------

// Saved views are named links kept in this browser (localStorage), newest
// first: [{name, query, at}].
const VIEWS_STORE = 'vetgraph:views';

function savedViews() {
  try {
    const v = JSON.parse(localStorage.getItem(VIEWS_STORE) || '[]');
    return Array.isArray(v) ? v.filter((x) => x && typeof x.name === 'string' && typeof x.query === 'string') : [];
  } catch {
    return [];
  }
}

function storeViews(list) {
  try {
    localStorage.setItem(VIEWS_STORE, JSON.stringify(list));
  } catch { /* not kept */ }
}

function defaultViewName() {
  const v = state.view;
  const names = v.expanded.slice(0, 2).map((id) => {
    const n = cy.getElementById(id);
    return n.nonempty() ? pick(n.data()) : id;
  });
  const more = v.expanded.length > 2 ? ` +${v.expanded.length - 2}` : '';
  return `${names.join(' · ') || 'vetgraph'}${more}${v.asOf ? ` (${v.asOf})` : ''}`;
}

function renderSavedViews() {
  const list = savedViews();
  $('#view-name').placeholder = defaultViewName();
  $('#saved-views').replaceChildren(...(list.length ? list.map((x, i) => el('li', {},
    el('a', { href: `${location.pathname}${x.query}` }, x.name),
    el('button', {
      type: 'button', class: 'icon-small', 'aria-label': t('deleteView', lang(), { name: x.name }), title: t('deleteView', lang(), { name: x.name }),
      onclick: () => {
        storeViews(savedViews().filter((_, j) => j !== i));
        renderSavedViews();
      },
    }, '×')))
    : [el('li', { class: 'muted' }, t('noSavedViews', lang()))]));
}

$('#save-view').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const name = $('#view-name').value.trim() || defaultViewName();
  const query = viewQuery(state.view);
  storeViews([{ name, query, at: new Date().toISOString() }, ...savedViews().filter((x) => x.name !== name)].slice(0, 50));
  $('#view-name').value = '';
  renderSavedViews();
  setStatus((l) => t('viewSaved', l, { name }), 'ok');
});
window.addEventListener('storage', (ev) => {
  if (ev.key === VIEWS_STORE) renderSavedViews();
});

// ---- curators ------------------------------------------------------------------------

const curatorMode = () => !!api.apiKey();

function renderCuratorButton() {
  const b = $('#curator');
  const on = curatorMode();
  b.textContent = t(on ? 'curatorSignOut' : 'curatorSignIn', lang());
  b.classList.toggle('on', on);
  b.setAttribute('aria-haspopup', on ? 'false' : 'dialog');
  document.body.dataset.curator = String(on);
}

$('#curator').addEventListener('click', () => {
  if (curatorMode()) {
    signOut();
    return;
  }
  $('#signin-error').hidden = true;
  $('#signin-key').value = '';
  $('#signin').showModal();
  $('#signin-key').focus();
});
$('#signin-cancel').addEventListener('click', () => $('#signin').close());
$('#signin-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const key = $('#signin-key').value.trim();
  if (!key) return;
  const err = $('#signin-error');
  const end = waiting((l) => t('loading', l));
  try {
    await api.checkKey(key);
  } catch (e) {
    err.textContent = e.code === 'UNAUTHENTICATED' ? t('keyRejected', lang()) : errorText(e, lang());
    err.hidden = false;
    return;
  } finally {
    end();
  }
  api.setAPIKey(key);
  $('#signin').close();
  renderCuratorButton();
  setStatus((l) => t('signedIn', l), 'ok');
  if (state.view.sel) loadHistory(state.view.sel);
  renderDetails();
});

function signOut() {
  api.setAPIKey('');
  state.history.clear();
  renderCuratorButton();
  renderDetails();
  if (cardEdge) openEdgeCard(cardEdge, null);
  setStatus((l) => t('signedOut', l));
}

async function loadHistory(id, { force = false } = {}) {
  if (!curatorMode()) return;
  if (state.history.has(id) && !force) {
    renderCuratorPanel();
    return;
  }
  const end = waiting((l) => t('loading', l));
  try {
    const h = await api.history(id);
    if (h) state.history.set(id, h);
  } catch (err) {
    showError('loadFailed', err, () => loadHistory(id, { force }));
  } finally {
    end();
  }
  renderCuratorPanel();
}

function renderCuratorPanel() {
  const panel = $('#curator-panel');
  const id = state.view.sel;
  const h = id && state.history.get(id);
  panel.hidden = !curatorMode() || !id;
  if (panel.hidden) return;
  const changes = h ? h.history.edges.map((e) => e.node) : [];
  $('#history').dataset.state = h ? 'done' : 'loading';
  $('#history').replaceChildren(
    ...(h ? (changes.length ? changes.slice().reverse().map((c) => el('li', { 'data-change': c.id },
      el('span', { class: 'when' }, c.at.replace('T', ' ').slice(0, 16)), ' ',
      el('strong', {}, c.actor), ` (${c.role}) · ${c.operation}: ${c.summary}`,
      c.reason ? el('span', { class: 'reason' }, ` — ${c.reason}`) : null))
      : [el('li', { class: 'muted' }, t('historyEmpty', lang()))]) : [el('li', { class: 'muted' }, t('loading', lang()))]),
  );
  $('#retracted').replaceChildren(
    ...(h?.retracted || []).map((r) => el('li', {},
      el('span', { class: 'when' }, r.at.replace('T', ' ').slice(0, 16)), ' ',
      r.relation ? `${pick(r.relation)} ${pick(r.relation.other)}` : r.fact?.id || '',
      ` · ${r.by}: ${r.reason}`)),
  );
}

function openRetract(id) {
  const slot = $('#retract-slot');
  const reason = el('textarea', { id: 'retract-reason', rows: '3', 'aria-required': 'true', 'aria-describedby': 'retract-error' });
  const error = el('p', { id: 'retract-error', class: 'status', 'data-kind': 'error', role: 'alert', hidden: true });
  // One key per form: a retried submit (a dropped connection) writes once.
  const idem = `explore-retract-${id}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const form = el('form', {
    class: 'retract-form',
    onsubmit: async (ev) => {
      ev.preventDefault();
      const why = reason.value.trim();
      if (!why) {
        error.textContent = t('retractNeedsReason', lang());
        error.hidden = false;
        reason.focus();
        return;
      }
      const raw = state.edges.get(id);
      const label = raw ? `${pick(cy.getElementById(raw.from).data() || {})} ${pick(raw)} ${pick(cy.getElementById(raw.to).data() || {})}` : id;
      const end = waiting((l) => t('loading', l));
      try {
        await api.retract(id, why, idem);
      } catch (err) {
        error.textContent = errorText(err, lang());
        error.hidden = false;
        return;
      } finally {
        end();
      }
      // Every answer that held it is stale now.
      for (const k of [...cache.keys()]) cache.delete(k);
      state.history.clear();
      closeEdgeCard();
      await draw(state.view, { layout: 'none' });
      setStatus((l) => t('retracted', l, { label, reason: why }), 'ok');
      if (state.view.sel) loadHistory(state.view.sel, { force: true });
    },
  },
  el('label', { for: 'retract-reason' }, t('retractReason', lang())),
  reason,
  error,
  el('div', { class: 'buttons' },
    el('button', { type: 'submit', class: 'danger', id: 'retract-confirm' }, t('retractConfirm', lang())),
    el('button', { type: 'button', onclick: () => slot.replaceChildren() }, t('retractCancel', lang()))));
  slot.replaceChildren(form);
  reason.focus();
}

// ---- wiring --------------------------------------------------------------------

$('#search').addEventListener('input', onSearchInput);
$('#search').addEventListener('keydown', onSearchKey);
$('#search').addEventListener('blur', () => setTimeout(closeResults, 150));
$('#search').addEventListener('focus', () => {
  if (hits.length && $('#search').value.trim()) showResults(hits);
});
for (const b of document.querySelectorAll('.example')) {
  b.addEventListener('click', () => {
    $('#search').value = b.dataset.q;
    $('#search').focus();
    runSearch(b.dataset.q);
  });
}
for (const b of document.querySelectorAll('.lang button')) {
  b.addEventListener('click', () => setLang(b.dataset.lang.toLowerCase()));
}
$('#expand-node').addEventListener('click', () => state.view.sel && expand(state.view.sel));
$('#set-start').addEventListener('click', () => setEnd('from'));
$('#set-end').addEventListener('click', () => setEnd('to'));
$('#remove-node').addEventListener('click', () => state.view.sel && removeNode(state.view.sel));
$('#find-path').addEventListener('click', () => {
  cache.delete(pathKey(state.view));
  draw(state.view, { fit: 'path' });
});
$('#clear-path').addEventListener('click', clearPath);
$('#types-all').addEventListener('click', () => setTypes(null));
$('#types-none').addEventListener('click', () => setTypes([]));
$('#zoom-in').addEventListener('click', () => graph.zoomBy(ZOOM_STEP));
$('#zoom-out').addEventListener('click', () => graph.zoomBy(1 / ZOOM_STEP));
$('#fit').addEventListener('click', () => graph.fitTo(null, { maxZoom: 2 }));
$('#relayout').addEventListener('click', async () => {
  document.body.dataset.layout = 'running';
  await graph.layout({ incremental: false });
  await graph.fitTo(null);
  cy.nodes().forEach((n) => state.positions.set(n.id(), { ...n.position() }));
  document.body.dataset.layout = 'done';
});
$('#undo').addEventListener('click', undo);
$('#redo').addEventListener('click', redo);
$('#clear-graph').addEventListener('click', clearGraph);

// A read-only handle for the browser test and the console.
window.vetgraphExplore = {
  cy,
  view: () => ({ ...state.view }),
  nodeLabels: () => cy.nodes().filter((n) => n.visible()).map((n) => n.data('label')),
  edgeLabels: () => cy.edges().filter((e) => e.visible()).map((e) => e.data('label')),
  pathNodeIds: () => cy.nodes('.on-path').map((n) => n.id()),
  shownNodeIds: () => cy.nodes().filter((n) => n.visible()).map((n) => n.id()).sort(),
  shownEdgeIds: () => cy.edges().filter((e) => e.visible()).map((e) => e.id()).sort(),
  // nothing asked, drawn or arranged is pending
  idle: () => state.busy === 0 && !state.want && document.body.dataset.layout !== 'running'
    && $('#cy').dataset.layout !== 'running' && $('#cy').dataset.labelsPending !== 'true',
};

async function start() {
  const v = parseView(location.search, savedLang());
  applyLang(v.lang);
  renderCuratorButton();
  renderHistoryButtons();
  const end = waiting((l) => t('loading', l));
  try {
    [state.vocabulary, state.years] = await Promise.all([api.relationTypes(), api.years().catch(() => [])]);
  } catch (err) {
    showError('loadFailed', err, () => location.reload());
  } finally {
    end();
  }
  renderAll();
  loadLayout();
  if (v.expanded.length || v.from || v.to) {
    await draw(v, { layout: 'full', fit: 'visible' });
    history.replaceState(null, '', viewURL(state.view));
    if (state.view.sel) loadDetails(state.view.sel);
  } else {
    state.view = v;
    renderAll();
  }
  document.body.dataset.ready = 'true';
}

start();
