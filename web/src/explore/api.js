// The graph page speaks only the public GraphQL API: POST JSON to /graphql.
// Names and labels are asked for in both languages at once (aliases), so
// switching language needs no new request except for sentences (explain).
// A curator's API key, once pasted, is kept for the browser tab
// (sessionStorage) and sent with every request as a bearer token.

const endpoint = document.querySelector('meta[name="vetgraph-graphql"]')?.content || '/graphql';

// Paths are looked for up to this many hops (the API's default).
export const MAX_HOPS = 4;
// Neighbours asked for per expansion (the API allows 1–200).
export const NEIGHBOURS = 100;

const KEY_STORE = 'vetgraph:apiKey';
// The key when the browser refuses storage (the tab keeps it while open).
let memoryKey = '';

export class APIError extends Error {
  // code: the API's extensions.code, or NETWORK / HTTP for a failure before
  // GraphQL answered; status: the HTTP status (0 when none).
  constructor(message, code, status = 0) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

// apiKey is the curator's key, or '' when none was given.
export function apiKey() {
  try {
    return sessionStorage.getItem(KEY_STORE) || memoryKey;
  } catch {
    return memoryKey;
  }
}

// setAPIKey keeps key for the tab ('' forgets it).
export function setAPIKey(key) {
  memoryKey = key || '';
  try {
    if (key) sessionStorage.setItem(KEY_STORE, key);
    else sessionStorage.removeItem(KEY_STORE);
  } catch {
    // storage refused (private mode): the key lives as long as the page
  }
}
// gql POSTs a query; it returns its data, or throws an APIError with the
// first error's extensions.code (NETWORK, UNAVAILABLE, RATE_LIMITED or HTTP
// when GraphQL did not answer). key overrides the curator's key.
export async function gql(query, variables = {}, { signal, key } = {}) {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  const k = key ?? apiKey();
  if (k) headers.Authorization = `Bearer ${k}`;
  let res;
  try {
    res = await fetch(endpoint, { method: 'POST', headers, body: JSON.stringify({ query, variables }), signal });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new APIError(err.message, 'NETWORK');
  }
  let body;
  try {
    body = await res.json();
  } catch {
    const code = res.status === 429 ? 'RATE_LIMITED' : res.status >= 500 ? 'UNAVAILABLE' : 'HTTP';
    throw new APIError(`HTTP ${res.status}`, code, res.status);
  }
  if (body.errors?.length) {
    const first = body.errors[0];
    throw new APIError(body.errors.map((e) => e.message).join('; '), first.extensions?.code || 'HTTP', res.status);
  }
  if (!res.ok) throw new APIError(`HTTP ${res.status}`, res.status >= 500 ? 'UNAVAILABLE' : 'HTTP', res.status);
  return body.data;
}

const DATE = '{ value start end }';
const NODE = `fragment N on GraphNode { id kind zh: name(lang: ZH) en: name(lang: EN) degree }`;
const EDGE = `fragment E on GraphEdge {
  id type from to
  zh: label(lang: ZH) en: label(lang: EN)
  detailZh: detail(lang: ZH) detailEn: detail(lang: EN)
  at ${DATE} since ${DATE} until ${DATE}
  evidence { quote document { id title } }
}`;

export function relationTypes() {
  return gql(`{ relationTypes { type zh: label(lang: ZH) en: label(lang: EN) } }`)
    .then((d) => d.relationTypes);
}

// years gives the years relations are dated in, ascending (numbers).
export function years() {
  return gql(`{ relationCounts(groupBy: YEAR) { key count } }`)
    .then((d) => d.relationCounts.map((g) => Number(g.key)).filter((y) => Number.isInteger(y)).sort((a, b) => a - b));
}

export function search(text, signal) {
  return gql(`query Search($text: String!) {
    search(text: $text, first: 12) {
      matched match
      entity { id kind zh: name(lang: ZH) en: name(lang: EN) }
    }
  }`, { text }, { signal }).then((d) => d.search);
}

export function neighborhood(id, types, asOf) {
  return gql(`query Neighborhood($id: ID!, $types: [RelationType!], $asOf: String, $limit: Int) {
    neighborhood(id: $id, depth: 1, types: $types, limit: $limit, asOf: $asOf) {
      nodes { ...N distance }
      edges { ...E }
      more { nodeId type count }
      truncated
    }
  }
  ${NODE}
  ${EDGE}`, { id, types, asOf, limit: NEIGHBOURS }).then((d) => d.neighborhood, (err) => {
    // An id no entity has (merged away, deleted, mistyped in a link): null,
    // which the page reports and leaves out of the view.
    if (err instanceof APIError && err.code === 'NOT_FOUND') return null;
    throw err;
  });
}

export function explain(from, to, lang, types) {
  return gql(`query Explain($from: ID!, $to: ID!, $lang: Lang, $types: [RelationType!], $maxHops: Int) {
    explain(from: $from, to: $to, lang: $lang, maxHops: $maxHops, types: $types) {
      text
      path { length nodes { ...N } edges { ...E } }
      steps { sentence quote document { title } edge { id } }
    }
  }
  ${NODE}
  ${EDGE}`, { from, to, lang, types, maxHops: MAX_HOPS }).then((d) => d.explain);
}

export function shortestPath(from, to, types, asOf) {
  return gql(`query ShortestPath($from: ID!, $to: ID!, $types: [RelationType!], $maxHops: Int, $asOf: String) {
    shortestPath(from: $from, to: $to, types: $types, maxHops: $maxHops, asOf: $asOf) { length nodes { ...N } edges { ...E } }
  }
  ${NODE}
  ${EDGE}`, { from, to, types, asOf, maxHops: MAX_HOPS }).then((d) => d.shortestPath);
}

export function entity(id) {
  return gql(`query Entity($id: ID!) {
    entity(id: $id) {
      id kind nameZh nameEn aliases
      descZh: description(lang: ZH) descEn: description(lang: EN)
      facts { id zh: text(lang: ZH) en: text(lang: EN) labelZh: label(lang: ZH) labelEn: label(lang: EN) }
    }
  }`, { id }).then((d) => d.entity);
}

// history gives an entity's change log (oldest first, up to 50 entries) and
// what curators retracted of it.
export function history(id) {
  return gql(`query History($id: ID!) {
    entity(id: $id) {
      id
      history(first: 50) { edges { node { id at actor role operation summary reason } } }
      retracted { at by reason relation { id type zh: label(lang: ZH) en: label(lang: EN) other { id zh: name(lang: ZH) en: name(lang: EN) } } fact { id } }
    }
  }`, { id }).then((d) => d.entity);
}

// retract hides a relation from every read, keeping it with the reason
// (curator). idempotencyKey makes a retried request write once.
export function retract(id, reason, idempotencyKey) {
  return gql(`mutation Retract($id: ID!, $reason: String!, $key: String) {
    retract(id: $id, reason: $reason, idempotencyKey: $key) { retraction { at by reason } replayed }
  }`, { id, reason, key: idempotencyKey }).then((d) => d.retract);
}

// checkKey asks the API whether it knows key: an unknown, revoked or
// malformed key is refused (UNAUTHENTICATED).
export function checkKey(key) {
  return gql(`{ stats { entities } }`, {}, { key });
}
