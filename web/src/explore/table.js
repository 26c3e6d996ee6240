// Tables of what the graph page shows, for export: CSV (RFC 4180) and JSON.
// Every edge row carries its quote and source document.

// csvField quotes a field when it holds a comma, a double quote or a line
// break, doubling the quotes inside (RFC 4180). Text is never altered.
export function csvField(v) {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

// csv writes a header and rows (arrays of fields) as CSV with CRLF line
// ends, starting with a UTF-8 byte order mark so that spreadsheet programs
// read Chinese text as UTF-8.
export function csv(header, rows) {
  return `\uFEFF${[header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}

export const NODE_COLUMNS = ['id', 'kind', 'nameZh', 'nameEn', 'degree', 'expanded'];
export const EDGE_COLUMNS = ['id', 'type', 'from', 'to', 'fromName', 'toName', 'label', 'at', 'since', 'until',
  'detail', 'quote', 'documentId', 'documentTitle'];

// nodeRows and edgeRows turn the page's node and edge records (see main.js:
// nodeRecord, edgeRecord) into CSV rows; names and labels in lang.
export function nodeRows(nodes) {
  return nodes.map((n) => [n.id, n.kind, n.zh, n.en, n.degree ?? '', n.expanded ? 'true' : 'false']);
}

export function edgeRows(edges, names, lang) {
  const pick = (zh, en) => (lang === 'zh' ? zh || en : en || zh) || '';
  return edges.map((e) => [
    e.id, e.type, e.from, e.to, names.get(e.from) || '', names.get(e.to) || '', pick(e.zh, e.en),
    e.at?.value || '', e.since?.value || '', e.until?.value || '', pick(e.detailZh, e.detailEn),
    e.evidence?.quote || '', e.evidence?.document?.id || '', e.evidence?.document?.title || '',
  ]);
}

// graphJSON is the view as one JSON document: what was shown, how (the
// view's URL) and when.
export function graphJSON({ url, exportedAt, view, nodes, edges }) {
  return `${JSON.stringify({
    source: 'vetgraph /explore',
    url,
    exportedAt,
    view: {
      types: view.types, asOf: view.asOf, timeFrom: view.timeFrom, timeTo: view.timeTo,
      path: view.from && view.to ? { from: view.from, to: view.to } : null, lang: view.lang,
    },
    nodes: nodes.map((n) => ({ id: n.id, kind: n.kind, nameZh: n.zh, nameEn: n.en, degree: n.degree ?? null, expanded: !!n.expanded })),
    edges: edges.map((e) => ({
      id: e.id, type: e.type, from: e.from, to: e.to,
      label: { zh: e.zh, en: e.en },
      detail: e.detailZh || e.detailEn ? { zh: e.detailZh || null, en: e.detailEn || null } : null,
      at: e.at?.value || null, since: e.since?.value || null, until: e.until?.value || null,
      evidence: e.evidence ? { quote: e.evidence.quote, document: e.evidence.document } : null,
    })),
  }, null, 2)}\n`;
}
