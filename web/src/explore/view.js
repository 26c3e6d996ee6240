// The view: everything that decides what the graph page shows, kept in the
// URL so that a copied link reopens the same view and back/forward walk
// through the views. The graph on screen is drawn from it (see main.js).
//
//   /explore?x=cqvie,tanzania-luban-workshop   expanded entities, in the order expanded
//           &rm=chongqing                      entities removed from the view
//           &types=BUILT,MEMBER_OF             only these relationship types (absent: all; empty: none)
//           &from=a&to=b                       the ends of the path shown
//           &sel=cqvie                         the selected entity
//           &asOf=2019                         the graph as it stood then (YYYY[-MM[-DD]])
//           &timeFrom=2015&timeTo=2020         only relations whose time overlaps the window
//           &lang=en                           the language (zh or en; absent: the reader's last choice)
//
// `?focus=id` (the page's first form) opens with that entity expanded and
// selected. Ids are entity ids (lower-kebab-case); unknown parameters are
// ignored, malformed times dropped.
import { isPartialDate } from './time.js';

// emptyView is the view of a fresh page.
export function emptyView(lang = 'zh') {
  return {
    expanded: [], removed: [], types: null, from: null, to: null, sel: null,
    asOf: null, timeFrom: null, timeTo: null, lang,
  };
}

const list = (s) => (s ? s.split(',').map((x) => decodeURIComponent(x).trim()).filter(Boolean) : []);
const uniq = (xs) => [...new Set(xs)];

// parseView reads a view from a query string (location.search). lang is
// used when the query names none.
export function parseView(search, lang = 'zh') {
  const q = new URLSearchParams(search);
  const v = emptyView(lang);
  const raw = (k) => {
    // URLSearchParams decodes; ids were encoded one by one, so read the raw form.
    const m = new RegExp(`(?:^|[?&])${k}=([^&]*)`).exec(search);
    return m ? m[1] : null;
  };
  v.expanded = uniq(list(raw('x')));
  const focus = q.get('focus');
  if (focus && !v.expanded.includes(focus)) v.expanded.push(focus);
  v.removed = uniq(list(raw('rm'))).filter((id) => !v.expanded.includes(id));
  if (q.has('types')) v.types = uniq(list(raw('types')).filter((t) => /^[A-Z][A-Z0-9_]*$/.test(t))).sort();
  v.from = q.get('from') || null;
  v.to = q.get('to') || null;
  v.sel = q.get('sel') || focus || null;
  for (const k of ['asOf', 'timeFrom', 'timeTo']) {
    const s = q.get(k);
    if (isPartialDate(s)) v[k] = s;
  }
  if (v.asOf) v.timeFrom = v.timeTo = null; // one time setting at a time
  const l = (q.get('lang') || '').toLowerCase();
  if (l === 'en' || l === 'zh') v.lang = l;
  return v;
}

// viewQuery writes a view as a query string, in a fixed order so that equal
// views give equal URLs. The language is always written: a link opens in the
// language it was copied in, whatever the reader chose before.
export function viewQuery(v) {
  const parts = [];
  const ids = (xs) => xs.map(encodeURIComponent).join(',');
  if (v.expanded.length) parts.push(`x=${ids(v.expanded)}`);
  if (v.removed.length) parts.push(`rm=${ids(v.removed)}`);
  if (v.types) parts.push(`types=${ids([...v.types].sort())}`);
  if (v.from) parts.push(`from=${encodeURIComponent(v.from)}`);
  if (v.to) parts.push(`to=${encodeURIComponent(v.to)}`);
  if (v.sel) parts.push(`sel=${encodeURIComponent(v.sel)}`);
  if (v.asOf) parts.push(`asOf=${v.asOf}`);
  if (v.timeFrom) parts.push(`timeFrom=${v.timeFrom}`);
  if (v.timeTo) parts.push(`timeTo=${v.timeTo}`);
  parts.push(`lang=${v.lang}`);
  return `?${parts.join('&')}`;
}

// sameView tells whether two views show the same thing.
export function sameView(a, b) {
  return viewQuery(a) === viewQuery(b);
}

// copyView returns a copy that can be changed without touching v.
export function copyView(v) {
  return { ...v, expanded: [...v.expanded], removed: [...v.removed], types: v.types ? [...v.types] : null };
}
