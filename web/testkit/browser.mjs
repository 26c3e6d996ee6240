// Helpers of the browser tests (web/test/): Debian's Chromium driven by
// playwright-core, kept off the network, and the graph page's waits.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

export const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const DEFAULT_URL = 'http://127.0.0.1:8080';
export const base = (process.env.VETGRAPH_URL || DEFAULT_URL).replace(/\/$/, '');
export const artifacts = process.env.VETGRAPH_ARTIFACTS || join(root, 'test-artifacts');
const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// Chromium must not reach for the internet: this network is closed, and the
// pages must not need it anyway.
const chromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// How to run the browser tests, for the message when something they need
// is missing.
const HOW = '`make test` runs them (it starts a Neo4j and a server); by hand, against a running server '
  + '(`make run`: Neo4j on 7687, the server on :8080): '
  + 'NEO4J_URI=bolt://127.0.0.1:7687 VETGRAPH_URL=http://127.0.0.1:8080 node --test web/test/';

// reachable resolves to '' when a TCP connection to host:port opens within
// 5 s, else to why not.
function reachable(host, port) {
  return new Promise((done) => {
    const socket = connect({ host, port });
    socket.setTimeout(5000);
    socket.once('connect', () => { socket.destroy(); done(''); });
    socket.once('timeout', () => { socket.destroy(); done('no answer in 5 s'); });
    socket.once('error', (err) => done(err.code || err.message));
  });
}

// preflight checks what the browser tests need: NEO4J_URI set and its
// server accepting connections, a vetgraph server at base whose /readyz says
// ready (it reads its Neo4j), Chromium. It returns the problems found, each
// a short phrase ([] when everything is there).
export async function preflight() {
  const problems = [];
  const uri = process.env.NEO4J_URI;
  if (!uri) {
    problems.push('NEO4J_URI is not set');
  } else {
    let u;
    try {
      u = new URL(uri);
    } catch {
      problems.push(`NEO4J_URI (${uri}) is not a URI`);
    }
    if (u) {
      const why = await reachable(u.hostname.replace(/^\[|\]$/g, ''), Number(u.port) || 7687);
      if (why) problems.push(`no Neo4j answers at NEO4J_URI ${uri} (${why})`);
    }
  }
  const named = process.env.VETGRAPH_URL ? `VETGRAPH_URL ${base}` : `${base} (VETGRAPH_URL is not set)`;
  try {
    const res = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(10_000) });
    if (res.status !== 200) problems.push(`the vetgraph server at ${named} is not ready: /readyz answers ${res.status} ${(await res.text()).trim()}`);
  } catch (err) {
    problems.push(`no vetgraph server answers at ${named} (${err.cause?.code || err.cause?.message || err.message})`);
  }
  if (!existsSync(executablePath)) problems.push(`no Chromium at ${executablePath} (CHROMIUM_PATH; Debian's package: apt-get install chromium)`);
  return problems;
}

// requireSetup ends the test file with status 1 (a failure, not a skip)
// when preflight finds a problem, saying what to set and how on the first
// line of the output. Call it before any test or hook is declared: node
// --test prints a test file's own output ahead of its results, whereas the
// error of a failing before() hook comes after a list of cancelled tests.
export async function requireSetup() {
  const problems = await preflight();
  if (!problems.length) return;
  process.stderr.write(`browser tests cannot start: ${problems.join('; ')}. ${HOW}\n`
    + '  NEO4J_URI: the Neo4j the server reads (the tests load a generated graph and API keys into it, and take them out after)\n'
    + `  VETGRAPH_URL: the vetgraph server under test (default ${DEFAULT_URL})\n`
    + '  (the unit tests need neither: node --test web/test/unit.test.mjs)\n');
  process.exit(1);
}

// Every quote must be verbatim in a source document.
export const sourceTexts = readdirSync(join(root, 'data/sources')).map((d) =>
  readFileSync(join(root, 'data/sources', d, 'text.txt'), 'utf8'));

const isLocal = (u) => ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) || u.hostname.startsWith('127.');

// Problems seen by every page: requests to other hosts, script errors.
export const offHost = [];
export const pageErrors = [];

let browser;

export async function launch() {
  mkdirSync(artifacts, { recursive: true });
  browser = await chromium.launch({ executablePath, headless: true, args: chromiumArgs });
  return browser;
}

export async function close() {
  await browser?.close();
}

// newContext opens a browser context (its own storage) that refuses every
// request to another host. Options as playwright's; default 1440×900, zh-CN.
export async function newContext(options = {}) {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
    ...options,
  });
  context.setDefaultTimeout(45_000);
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.protocol === 'data:' || u.protocol === 'blob:' || isLocal(u)) return route.fallback();
    offHost.push(u.href);
    return route.abort('blockedbyclient');
  });
  return context;
}

// watch records a page's script errors. With failingRequests, the console
// lines Chromium writes for requests a test makes fail are expected.
export function watch(page, { failingRequests = false } = {}) {
  page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (failingRequests && /Failed to load resource|net::ERR_/.test(m.text())) return;
    pageErrors.push(`${page.url()}: console: ${m.text()}`);
  });
  return page;
}

// openExplore opens /explore (with query) and waits until the page is up
// and has drawn what the URL names.
export async function openExplore(context, query = '', opts = {}) {
  const page = watch(await context.newPage(), opts);
  await page.goto(`${base}/explore${query}`);
  await page.waitForSelector('body[data-ready="true"]');
  await idle(page);
  return page;
}

// idle waits until nothing is asked, drawn, arranged or labelled.
export async function idle(page) {
  await page.waitForFunction(() => window.vetgraphExplore?.idle());
}

// gql asks the API directly (the tests' independent answers).
export async function gql(query, variables = {}, key) {
  const headers = { 'Content-Type': 'application/json' };
  if (key) headers.Authorization = `Bearer ${key}`;
  const res = await fetch(`${base}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = await res.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

// pickFromSearch types text into the search box as a person would and picks
// the hit named name (or the first); it waits until the hit is drawn.
export async function pickFromSearch(page, text, name) {
  const box = page.locator('#search');
  await box.fill('');
  await box.pressSequentially(text, { delay: 30 });
  const hits = page.locator('#results li[role=option]');
  await hits.first().waitFor();
  const hit = name ? hits.filter({ has: page.locator('.hit-name', { hasText: new RegExp(`^${name}$`) }) }).first() : hits.first();
  const hitName = await hit.locator('.hit-name').innerText();
  await hit.click();
  await page.waitForFunction((n) => document.querySelector('#details-name')?.textContent === n, hitName);
  await idle(page);
  return hitName;
}

// screenPoint gives where an element of the graph is on the page.
export async function screenPoint(page, id, { midpoint = false } = {}) {
  return page.evaluate(([i, mid]) => {
    const { cy } = window.vetgraphExplore;
    const e = cy.getElementById(i);
    const p = mid ? e.renderedMidpoint() : e.renderedPosition();
    const box = cy.container().getBoundingClientRect();
    return { x: box.left + p.x, y: box.top + p.y };
  }, [id, midpoint]);
}

export const shown = (page) => page.evaluate(() => ({
  nodes: window.vetgraphExplore.shownNodeIds(),
  edges: window.vetgraphExplore.shownEdgeIds(),
  view: window.vetgraphExplore.view(),
}));

// parseCSV reads RFC 4180 CSV (quoted fields may hold commas, quotes and
// line breaks) into rows of fields.
export function parseCSV(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\r' && s[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; } else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}
