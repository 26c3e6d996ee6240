// The GraphQL playground at /: GraphiQL with its editor and workers bundled
// from npm, so it works with no internet. Opens with the example queries.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './style.css';

import { GraphiQL } from 'graphiql';
import { createElement as h } from 'react';
import { createRoot } from 'react-dom/client';

import { examples } from './examples.js';

const endpoint = document.querySelector('meta[name="vetgraph-graphql"]')?.content || '/graphql';

// POST JSON to the API; headers typed in GraphiQL's header editor are sent too.
async function fetcher(params, opts) {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...(opts?.headers || {}) },
    body: JSON.stringify(params),
  });
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return { errors: [{ message: `HTTP ${res.status}: ${text.slice(0, 300)}` }] };
  }
}

// GraphiQL keeps its tabs in localStorage; a namespace keeps vetgraph's apart
// from any other GraphiQL on the same origin.
const prefix = 'vetgraph:';
const storage = {
  getItem: (k) => localStorage.getItem(prefix + k),
  setItem: (k, v) => localStorage.setItem(prefix + k, v),
  removeItem: (k) => localStorage.removeItem(prefix + k),
  clear: () => {
    for (const k of Object.keys(localStorage)) if (k.startsWith(prefix)) localStorage.removeItem(k);
  },
  get length() {
    return Object.keys(localStorage).filter((k) => k.startsWith(prefix)).length;
  },
};

// GraphiQL finds its logo slot by element type, so this is an element, not a component.
const logo = h(GraphiQL.Logo, null,
  h('span', { className: 'vg-logo' },
    h('strong', null, 'vetgraph'),
    h('a', { href: '/explore', className: 'vg-explore-link', title: 'The graph page: search, expand, find paths' }, 'Graph page →')));

const root = document.getElementById('graphiql');
root.classList.remove('vg-loading');
root.textContent = '';
createRoot(root).render(
  h(GraphiQL, {
    fetcher,
    storage,
    defaultTabs: examples.map(({ query, variables }) => ({ query, variables })),
    defaultEditorToolsVisibility: false,
    shouldPersistHeaders: false,
  }, logo),
);
