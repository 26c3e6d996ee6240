// The graph page speaks only the public GraphQL API: POST JSON to /graphql.
// Names and labels are asked for in both languages at once (aliases), so
// switching language needs no new request except for sentences (explain).

const endpoint = document.querySelector('meta[name="vetgraph-graphql"]')?.content || '/graphql';

// Paths are looked for up to this many hops (the API's default).
export const MAX_HOPS = 4;

export class APIError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

export async function gql(query, variables = {}, signal) {
  let res;
  try {
    res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ query, variables }),
      signal,
    });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new APIError(`network: ${err.message}`, 'NETWORK');
  }
  let body;
  try {
    body = await res.json();
  } catch {
    throw new APIError(`HTTP ${res.status}`, 'HTTP');
  }
  if (body.errors?.length) {
    const first = body.errors[0];
    throw new APIError(body.errors.map((e) => e.message).join('; '), first.extensions?.code);
  }
  return body.data;
}

const NODE = `fragment N on GraphNode { id kind zh: name(lang: ZH) en: name(lang: EN) degree }`;
const EDGE = `fragment E on GraphEdge {
  id type from to
  zh: label(lang: ZH) en: label(lang: EN)
  detailZh: detail(lang: ZH) detailEn: detail(lang: EN)
  at { value } since { value } until { value }
  evidence { quote document { id title } }
}`;

export function relationTypes() {
  return gql(`{ relationTypes { type zh: label(lang: ZH) en: label(lang: EN) } }`)
    .then((d) => d.relationTypes);
}

export function search(text, signal) {
  return gql(`query Search($text: String!) {
    search(text: $text, first: 12) {
      matched match
      entity { id kind zh: name(lang: ZH) en: name(lang: EN) }
    }
  }`, { text }, signal).then((d) => d.search);
}

export function neighborhood(id, types) {
  return gql(`query Neighborhood($id: ID!, $types: [RelationType!]) {
    neighborhood(id: $id, depth: 1, types: $types, limit: 60) {
      nodes { ...N distance }
      edges { ...E }
      more { nodeId type count }
      truncated
    }
  }
  ${NODE}
  ${EDGE}`, { id, types }).then((d) => d.neighborhood);
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

export function shortestPath(from, to, types) {
  return gql(`query ShortestPath($from: ID!, $to: ID!, $types: [RelationType!], $maxHops: Int) {
    shortestPath(from: $from, to: $to, types: $types, maxHops: $maxHops) { length nodes { ...N } edges { ...E } }
  }
  ${NODE}
  ${EDGE}`, { from, to, types, maxHops: MAX_HOPS }).then((d) => d.shortestPath);
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
