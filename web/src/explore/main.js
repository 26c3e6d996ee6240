// The graph page at /explore: search, expand neighbourhoods, filter by
// relationship type, explain the path between two entities with quotes, in
// Chinese or English. Cytoscape.js draws; everything else is plain DOM.
import cytoscape from 'cytoscape';

import * as api from './api.js';
import { KINDS, t } from './i18n.js';
import './style.css';

const $ = (sel) => document.querySelector(sel);

const state = {
  lang: initialLang(), // 'zh' | 'en'
  vocabulary: [], // [{type, zh, en}]
  enabled: new Set(), // relationship types shown and followed
  pinned: new Set(), // node ids the user asked for: never hidden by the filter
  expanded: new Set(),
  selected: null,
  details: new Map(), // id -> entity details
  pathEnds: { from: null, to: null }, // {id, zh, en, kind}
  explanation: null, // last explain() answer
  busy: 0,
};

function initialLang() {
  const q = new URLSearchParams(location.search).get('lang');
  const saved = q || localStorage.getItem('vetgraph:lang');
  return saved && saved.toLowerCase() === 'en' ? 'en' : 'zh';
}

const apiLang = () => state.lang.toUpperCase();
const pick = (o) => (state.lang === 'zh' ? o.zh : o.en) || o.zh || o.en || '';
const other = (o) => (state.lang === 'zh' ? o.en : o.zh) || '';
const kindName = (k) => (KINDS[k] ? KINDS[k][state.lang] : k);
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

// The status line under the graph; `message` is a function of the language
// so that it follows a switch.
let statusMessage = null;
function setStatus(message, kind = 'info') {
  statusMessage = message ? { message, kind } : null;
  renderStatus();
}

function renderStatus() {
  const s = $('#status');
  const text = statusMessage ? statusMessage.message(state.lang) : '';
  s.textContent = text;
  s.dataset.kind = statusMessage?.kind || 'info';
  s.hidden = !text;
}

async function busy(promise) {
  state.busy++;
  document.body.dataset.busy = String(state.busy);
  try {
    return await promise;
  } finally {
    state.busy--;
    document.body.dataset.busy = String(state.busy);
  }
}

// ---- the graph ----------------------------------------------------------

const FONT = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", system-ui, sans-serif';

const cy = cytoscape({
  container: $('#cy'),
  minZoom: 0.2,
  maxZoom: 3,
  wheelSensitivity: 0.3,
  boxSelectionEnabled: false,
  style: [
    {
      selector: 'node',
      style: {
        'background-color': 'data(color)',
        label: 'data(label)',
        width: 'mapData(degree, 1, 30, 20, 48)',
        height: 'mapData(degree, 1, 30, 20, 48)',
        'font-family': FONT,
        'font-size': 12,
        color: '#1f2933',
        'text-valign': 'bottom',
        'text-halign': 'center',
        'text-margin-y': 4,
        'text-wrap': 'wrap',
        'text-max-width': 130,
        'text-background-color': '#ffffff',
        'text-background-opacity': 0.85,
        'text-background-padding': 2,
        'text-background-shape': 'roundrectangle',
        'border-width': 2,
        'border-color': '#ffffff',
        'min-zoomed-font-size': 6,
      },
    },
    { selector: 'node.expanded', style: { 'border-color': '#334e68', 'border-width': 2.5 } },
    { selector: 'node:selected', style: { 'border-color': '#102a43', 'border-width': 4, 'font-weight': 'bold' } },
    { selector: 'node.end', style: { 'border-color': '#d64545', 'border-width': 4, 'border-style': 'double' } },
    {
      selector: 'edge',
      style: {
        width: 1.5,
        'line-color': '#b8c2cc',
        'target-arrow-color': '#b8c2cc',
        'target-arrow-shape': 'triangle',
        'arrow-scale': 0.9,
        'curve-style': 'bezier',
        label: 'data(label)',
        'font-family': FONT,
        'font-size': 10,
        color: '#52606d',
        'text-rotation': 'autorotate',
        'text-background-color': '#ffffff',
        'text-background-opacity': 0.85,
        'text-background-padding': 1,
        'min-zoomed-font-size': 8,
      },
    },
    { selector: 'edge.hover', style: { width: 3.5, 'line-color': '#334e68', 'target-arrow-color': '#334e68', color: '#102a43', 'z-index': 10 } },
    { selector: 'edge.on-path', style: { width: 4, 'line-color': '#d64545', 'target-arrow-color': '#d64545', color: '#9b1c1c', 'font-size': 12, 'font-weight': 'bold', 'z-index': 9 } },
    { selector: 'node.on-path', style: { 'border-color': '#d64545', 'border-width': 4, 'font-size': 14, 'font-weight': 'bold' } },
    { selector: '.faded', style: { opacity: 0.18 } },
    { selector: '.filtered', style: { display: 'none' } },
  ],
});

function nodeData(n) {
  return {
    id: n.id,
    kind: n.kind,
    zh: n.zh,
    en: n.en,
    color: kindColor(n.kind),
    label: pick(n),
    degree: n.degree ?? 1,
  };
}

// addNode adds or updates a node; a new one starts near `near` (a position).
function addNode(n, near) {
  const existing = cy.getElementById(n.id);
  if (existing.nonempty()) {
    const upd = { zh: n.zh, en: n.en, label: pick(n) };
    if (n.degree !== undefined) upd.degree = n.degree;
    if (n.kind) Object.assign(upd, { kind: n.kind, color: kindColor(n.kind) });
    existing.data(upd);
    return existing;
  }
  // New nodes start on a spiral around `near` (deterministic, so the same
  // steps give the same picture); the layout then spreads them out.
  const c = near || viewportCentre();
  const i = cy.nodes().length;
  const angle = i * 2.39996; // the golden angle
  const r = near ? 60 + 6 * (i % 20) : 0;
  const pos = { x: c.x + r * Math.cos(angle), y: c.y + r * Math.sin(angle) };
  return cy.add({ group: 'nodes', data: nodeData(n), position: pos });
}

function addEdge(e) {
  if (cy.getElementById(e.id).nonempty()) return;
  if (cy.getElementById(e.from).empty() || cy.getElementById(e.to).empty()) return;
  cy.add({
    group: 'edges',
    data: {
      id: e.id,
      source: e.from,
      target: e.to,
      type: e.type,
      zh: e.zh,
      en: e.en,
      label: pick(e),
      detailZh: e.detailZh,
      detailEn: e.detailEn,
      when: when(e),
      quote: e.evidence?.quote || '',
      doc: e.evidence?.document?.title || '',
    },
  });
}

function when(e) {
  if (e.at) return e.at.value;
  if (e.since || e.until) return `${e.since?.value ?? ''}–${e.until?.value ?? ''}`;
  return '';
}

function viewportCentre() {
  const ext = cy.extent();
  return { x: (ext.x1 + ext.x2) / 2, y: (ext.y1 + ext.y2) / 2 };
}

let layoutRun = null;
function relayout({ fit = true, eles, padding = 50 } = {}) {
  if (layoutRun) layoutRun.stop();
  const visible = cy.elements().not('.filtered');
  if (visible.empty()) return;
  layoutRun = visible.layout({
    name: 'cose',
    animate: visible.nodes().length < 150 ? 'end' : false,
    animationDuration: 450,
    randomize: false,
    fit: false,
    padding: 40,
    nodeDimensionsIncludeLabels: true,
    nodeRepulsion: () => 12000,
    idealEdgeLength: () => 110,
    edgeElasticity: () => 80,
    nestingFactor: 1,
    gravity: 0.6,
    numIter: 1200,
    componentSpacing: 100,
  });
  document.body.dataset.layout = 'running';
  const done = () => {
    document.body.dataset.layout = 'done';
  };
  layoutRun.one('layoutstop', () => {
    if (!fit) return done();
    cy.animate({ fit: { eles: eles && eles.nonempty() ? eles : visible, padding }, duration: 300, complete: done });
  });
  layoutRun.run();
}

function typesArg() {
  // null (all types) unless the filter narrows them
  return state.enabled.size === state.vocabulary.length ? null : [...state.enabled];
}

async function expand(id) {
  const centre = cy.getElementById(id);
  const near = centre.nonempty() ? centre.position() : viewportCentre();
  let sub;
  try {
    sub = await busy(api.neighborhood(id, typesArg()));
  } catch (err) {
    setStatus((l) => t('loadFailed', l) + err.message, 'error');
    return;
  }
  if (!sub) {
    setStatus((l) => t('loadFailed', l) + id, 'error');
    return;
  }
  cy.batch(() => {
    for (const n of sub.nodes) addNode(n, near);
    for (const e of sub.edges) addEdge(e);
  });
  state.expanded.add(id);
  state.pinned.add(id);
  cy.getElementById(id).addClass('expanded');
  const more = sub.more.filter((m) => m.nodeId === id).reduce((a, m) => a + m.count, 0);
  const data = cy.getElementById(id).data();
  const n = sub.nodes.filter((x) => x.id !== id).length;
  setStatus((l) => {
    let msg = t('expanded', l, { name: (l === 'zh' ? data.zh : data.en) || data.zh, n });
    if (more > 0) msg += ' · ' + t('more', l, { n: more });
    else if (sub.truncated) msg += t('truncated', l);
    return msg;
  });
  afterGraphChange();
  relayout({ eles: cy.getElementById(id).closedNeighborhood() });
}

function afterGraphChange() {
  applyFilter();
  renderLegend();
  renderTypeFilter();
  $('#empty').hidden = cy.nodes().nonempty();
}

function applyFilter() {
  cy.batch(() => {
    cy.edges().forEach((e) => {
      e.toggleClass('filtered', !state.enabled.has(e.data('type')));
    });
    cy.nodes().forEach((n) => {
      const edges = n.connectedEdges();
      const hide = !state.pinned.has(n.id()) && !n.hasClass('on-path') && edges.nonempty() && edges.every((e) => e.hasClass('filtered'));
      n.toggleClass('filtered', hide);
    });
  });
}

function relabel() {
  cy.batch(() => {
    cy.elements().forEach((x) => x.data('label', pick(x.data())));
  });
}

// ---- legend and type filter ----------------------------------------------

function renderLegend() {
  const counts = {};
  cy.nodes().not('.filtered').forEach((n) => {
    counts[n.data('kind')] = (counts[n.data('kind')] || 0) + 1;
  });
  const legend = $('#legend');
  legend.replaceChildren(
    ...Object.keys(KINDS).map((k) =>
      el('span', { class: counts[k] ? 'legend-item' : 'legend-item none', 'data-kind': k },
        el('span', { class: 'dot', style: { background: kindColor(k) } }),
        kindName(k),
        counts[k] ? el('span', { class: 'count' }, String(counts[k])) : null)),
  );
}

function renderTypeFilter() {
  const counts = {};
  cy.edges().forEach((e) => {
    counts[e.data('type')] = (counts[e.data('type')] || 0) + 1;
  });
  const list = $('#type-filter');
  list.replaceChildren(
    ...state.vocabulary.map((v) => {
      const box = el('input', { type: 'checkbox', value: v.type, 'data-type': v.type });
      box.checked = state.enabled.has(v.type);
      box.addEventListener('change', () => {
        if (box.checked) state.enabled.add(v.type);
        else state.enabled.delete(v.type);
        applyFilter();
        renderLegend();
      });
      return el('li', {},
        el('label', { title: v.type }, box, el('span', { class: 'type-name' }, pick(v)),
          counts[v.type] ? el('span', { class: 'count' }, String(counts[v.type])) : null));
    }),
  );
}

function setAllTypes(on) {
  state.enabled = new Set(on ? state.vocabulary.map((v) => v.type) : []);
  applyFilter();
  renderLegend();
  renderTypeFilter();
}

// ---- details of the selected node ----------------------------------------

async function select(id) {
  state.selected = id;
  cy.$(':selected').unselect();
  const node = cy.getElementById(id);
  node.select();
  renderDetails();
  if (!state.details.has(id)) {
    try {
      const d = await busy(api.entity(id));
      if (d) state.details.set(id, d);
    } catch (err) {
      setStatus((l) => t('loadFailed', l) + err.message, 'error');
    }
    if (state.selected === id) renderDetails();
  }
}

function renderDetails() {
  const panel = $('#details-panel');
  const node = state.selected ? cy.getElementById(state.selected) : null;
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
  sub.push(t('degree', state.lang, { n: d.degree }));
  $('#details-sub').textContent = sub.join(' · ');
  const desc = full ? (state.lang === 'zh' ? full.descZh : full.descEn) : '';
  let descText = desc || '';
  if (full?.aliases?.length) descText += `${descText ? ' ' : ''}(${t('aliases', state.lang)}: ${full.aliases.join(', ')})`;
  $('#details-desc').textContent = descText;
  $('#details-facts').replaceChildren(
    ...(full?.facts || []).map((f) =>
      el('li', {}, el('strong', {}, state.lang === 'zh' ? f.zh : f.en), ' ', state.lang === 'zh' ? f.labelZh : f.labelEn)),
  );
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
  let found;
  try {
    found = await busy(api.search(text, searchAbort.signal));
  } catch (err) {
    if (err.name === 'AbortError') return;
    showResults([], t('searchFailed', state.lang) + err.message);
    return;
  }
  if ($('#search').value.trim() !== text) return; // typed on meanwhile
  showResults(found);
}

function showResults(found, message) {
  hits = found;
  active = found.length ? 0 : -1;
  const ul = $('#results');
  if (!found.length) {
    ul.replaceChildren(el('li', { class: 'message' }, message || t('noResults', state.lang)));
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
        el('span', { class: 'dot', style: { background: kindColor(e.kind) } }),
        el('span', { class: 'hit-name' }, name),
        el('span', { class: 'hit-extra' }, extra.join(' · ')));
      }),
    );
  }
  ul.hidden = false;
  $('#search').setAttribute('aria-expanded', 'true');
}

function setActive(i) {
  active = i;
  for (const li of $('#results').querySelectorAll('li[role=option]')) {
    li.setAttribute('aria-selected', li.id === `hit-${i}` ? 'true' : 'false');
  }
  $('#search').setAttribute('aria-activedescendant', i >= 0 ? `hit-${i}` : '');
}

function closeResults() {
  $('#results').hidden = true;
  $('#search').setAttribute('aria-expanded', 'false');
}

async function choose(i) {
  const h = hits[i];
  if (!h) return;
  closeResults();
  const e = h.entity;
  const node = addNode(e);
  state.pinned.add(e.id);
  afterGraphChange();
  if (state.expanded.has(e.id)) {
    cy.animate({ center: { eles: node }, duration: 300 });
    await select(e.id);
  } else {
    await Promise.all([select(e.id), expand(e.id)]);
  }
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

function setEnd(which) {
  if (!state.selected) return;
  const d = cy.getElementById(state.selected).data();
  state.pathEnds[which] = { id: d.id, zh: d.zh, en: d.en, kind: d.kind };
  state.pinned.add(d.id);
  renderEnds();
  if (state.pathEnds.from && state.pathEnds.to) findPath();
}

function renderEnds() {
  cy.nodes('.end').removeClass('end');
  for (const which of ['from', 'to']) {
    const dd = $(`#path-${which}`);
    const end = state.pathEnds[which];
    if (!end) {
      dd.className = 'end empty';
      dd.textContent = t('pickHint', state.lang);
      continue;
    }
    dd.className = 'end';
    dd.replaceChildren(el('span', { class: 'dot', style: { background: kindColor(end.kind) } }), pick(end));
    cy.getElementById(end.id).addClass('end');
  }
  const { from, to } = state.pathEnds;
  $('#find-path').disabled = !(from && to && from.id !== to.id);
}

async function findPath() {
  const { from, to } = state.pathEnds;
  if (!from || !to || from.id === to.id) return;
  const status = $('#path-status');
  status.dataset.kind = 'info';
  status.textContent = t('searching', state.lang);
  $('#path-steps').replaceChildren();
  let ex;
  try {
    ex = await busy(api.explain(from.id, to.id, apiLang(), typesArg()));
  } catch (err) {
    // Without the server's sentences, the path's own labels and quotes
    // still explain each hop.
    try {
      const path = await busy(api.shortestPath(from.id, to.id, typesArg()));
      ex = path && { path, steps: null };
    } catch {
      status.dataset.kind = 'error';
      status.textContent = t('pathFailed', state.lang) + err.message;
      return;
    }
  }
  state.explanation = ex || null;
  if (!ex) {
    clearPathHighlight();
    status.dataset.kind = 'error';
    status.textContent = t('noPath', state.lang, { n: api.MAX_HOPS });
    return;
  }
  showPath(ex);
}

function showPath(ex) {
  const anchor = cy.getElementById(ex.path.nodes[0].id);
  const near = anchor.nonempty() ? anchor.position() : viewportCentre();
  cy.batch(() => {
    for (const n of ex.path.nodes) addNode(n, near);
    for (const e of ex.path.edges) addEdge(e);
  });
  const ids = new Set([...ex.path.nodes.map((n) => n.id), ...ex.path.edges.map((e) => e.id)]);
  cy.batch(() => {
    cy.elements().removeClass('on-path faded');
    cy.elements().forEach((x) => x.addClass(ids.has(x.id()) ? 'on-path' : 'faded'));
  });
  renderEnds();
  afterGraphChange();
  renderSteps(ex);
  // The path fills the view; its neighbours show around it, faded.
  relayout({ eles: cy.elements('.on-path'), padding: 90 });
}

function renderSteps(ex) {
  const status = $('#path-status');
  status.dataset.kind = 'ok';
  status.textContent = t('pathFound', state.lang, { n: ex.path.length });
  const steps = ex.steps || stepsFromPath(ex.path);
  $('#path-steps').dataset.source = ex.steps ? 'explain' : 'path';
  $('#path-steps').replaceChildren(
    ...steps.map((s) =>
      el('li', {
        'data-edge': s.edge.id,
        onmouseenter: () => cy.getElementById(s.edge.id).addClass('hover'),
        onmouseleave: () => cy.getElementById(s.edge.id).removeClass('hover'),
        onclick: () => cy.animate({ fit: { eles: cy.getElementById(s.edge.id).connectedNodes(), padding: 120 }, duration: 300 }),
      },
      el('p', { class: 'sentence' }, s.sentence),
      el('blockquote', { class: 'quote' }, `「${s.quote}」`),
      el('p', { class: 'source' }, `${t('source', state.lang)}: ${s.document.title}`))),
  );
}

// Hops told from a path's edges: "start label end (time)", with the quote.
function stepsFromPath(path) {
  const names = new Map(path.nodes.map((n) => [n.id, pick(n)]));
  return path.edges.map((e) => {
    const time = when(e);
    return {
      sentence: `${names.get(e.from)} ${pick(e)} ${names.get(e.to)}${time ? ` (${time})` : ''}`,
      quote: e.evidence.quote,
      document: e.evidence.document,
      edge: { id: e.id },
    };
  });
}

function clearPathHighlight() {
  cy.elements().removeClass('on-path faded');
}

function clearPath() {
  state.pathEnds = { from: null, to: null };
  state.explanation = null;
  clearPathHighlight();
  renderEnds();
  $('#path-status').textContent = '';
  $('#path-steps').replaceChildren();
  applyFilter();
}

// ---- tooltips --------------------------------------------------------------

function showTip(target, pos) {
  const tip = $('#tip');
  const d = target.data();
  if (target.isEdge()) {
    const src = cy.getElementById(d.source).data();
    const dst = cy.getElementById(d.target).data();
    const detail = state.lang === 'zh' ? d.detailZh : d.detailEn;
    const meta = [d.when, detail].filter(Boolean).join(' · ');
    tip.replaceChildren(
      el('div', { class: 'tip-title' }, `${pick(src)} — ${pick(d)} → ${pick(dst)}`),
      meta ? el('div', { class: 'tip-meta' }, meta) : null,
      el('blockquote', { class: 'quote' }, `「${d.quote}」`),
      el('div', { class: 'tip-src' }, `${t('source', state.lang)}: ${d.doc}`),
    );
  } else {
    tip.replaceChildren(
      el('div', { class: 'tip-title' }, pick(d)),
      el('div', { class: 'tip-meta' }, [kindName(d.kind), other(d), t('degree', state.lang, { n: d.degree })].filter(Boolean).join(' · ')),
    );
  }
  tip.hidden = false;
  const box = $('.canvas-wrap').getBoundingClientRect();
  const x = Math.min(pos.x + 14, box.width - tip.offsetWidth - 8);
  const y = pos.y + 14 + tip.offsetHeight > box.height ? pos.y - tip.offsetHeight - 10 : pos.y + 14;
  tip.style.left = `${Math.max(8, x)}px`;
  tip.style.top = `${Math.max(8, y)}px`;
}

function hideTip() {
  $('#tip').hidden = true;
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
  await Promise.all([select(id), state.expanded.has(id) ? null : expand(id)]);
});
cy.on('tap', (ev) => {
  if (ev.target === cy) {
    state.selected = null;
    renderDetails();
  }
});

// ---- language ----------------------------------------------------------------

function applyLang() {
  document.documentElement.lang = state.lang;
  for (const b of document.querySelectorAll('.lang button')) {
    b.setAttribute('aria-pressed', String(b.dataset.lang.toLowerCase() === state.lang));
  }
  for (const n of document.querySelectorAll('[data-i18n]')) {
    if (n.classList.contains('end') && !n.classList.contains('empty')) continue;
    n.textContent = t(n.dataset.i18n, state.lang);
  }
  for (const n of document.querySelectorAll('[data-i18n-placeholder]')) {
    n.placeholder = t(n.dataset.i18nPlaceholder, state.lang);
  }
  relabel();
  renderLegend();
  renderTypeFilter();
  renderDetails();
  renderEnds();
  renderStatus();
  if (hits.length && !$('#results').hidden) showResults(hits);
}

async function setLang(lang) {
  if (lang === state.lang) return;
  state.lang = lang;
  localStorage.setItem('vetgraph:lang', lang);
  applyLang();
  // Sentences come from the server in one language: ask again.
  if (state.explanation?.steps) await findPath();
  else if (state.explanation) renderSteps(state.explanation);
}

// ---- wiring --------------------------------------------------------------------

$('#search').addEventListener('input', onSearchInput);
$('#search').addEventListener('keydown', onSearchKey);
$('#search').addEventListener('blur', () => setTimeout(closeResults, 150));
$('#search').addEventListener('focus', () => {
  if (hits.length && $('#search').value.trim()) showResults(hits);
});
for (const b of document.querySelectorAll('.lang button')) {
  b.addEventListener('click', () => setLang(b.dataset.lang.toLowerCase()));
}
$('#set-start').addEventListener('click', () => setEnd('from'));
$('#set-end').addEventListener('click', () => setEnd('to'));
$('#remove-node').addEventListener('click', () => {
  const id = state.selected;
  if (!id) return;
  cy.getElementById(id).remove();
  state.pinned.delete(id);
  state.expanded.delete(id);
  state.selected = null;
  cy.nodes().filter((n) => n.degree(false) === 0 && !state.pinned.has(n.id())).remove();
  renderDetails();
  afterGraphChange();
});
$('#find-path').addEventListener('click', findPath);
$('#clear-path').addEventListener('click', clearPath);
$('#types-all').addEventListener('click', () => setAllTypes(true));
$('#types-none').addEventListener('click', () => setAllTypes(false));
$('#fit').addEventListener('click', () => cy.animate({ fit: { eles: cy.elements().not('.filtered'), padding: 50 }, duration: 300 }));
$('#relayout').addEventListener('click', () => relayout());
$('#clear-graph').addEventListener('click', () => {
  cy.elements().remove();
  state.pinned.clear();
  state.expanded.clear();
  state.selected = null;
  clearPath();
  renderDetails();
  afterGraphChange();
  setStatus(null);
});

// A read-only handle for the browser test and the console.
window.vetgraphExplore = {
  cy,
  nodeLabels: () => cy.nodes().not('.filtered').map((n) => n.data('label')),
  edgeLabels: () => cy.edges().not('.filtered').map((e) => e.data('label')),
  pathNodeIds: () => cy.nodes('.on-path').map((n) => n.id()),
};

async function start() {
  applyLang();
  try {
    state.vocabulary = await busy(api.relationTypes());
  } catch (err) {
    setStatus((l) => t('loadFailed', l) + err.message, 'error');
  }
  state.enabled = new Set(state.vocabulary.map((v) => v.type));
  afterGraphChange();
  const focus = new URLSearchParams(location.search).get('focus');
  if (focus) {
    addNode({ id: focus, kind: '', zh: focus, en: focus });
    state.pinned.add(focus);
    await expand(focus);
    await select(focus);
  }
  document.body.dataset.ready = 'true';
}

start();
