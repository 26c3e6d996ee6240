// Browser tests of the graph page (/explore) and the playground (/), in
// Debian's Chromium driven by playwright-core, against a running vetgraph:
//
//   VETGRAPH_URL=http://127.0.0.1:18080 node --test web/test/
//
// scripts/test.sh starts the server and runs this. Any request to a host other
// than this machine is refused and fails the run: the pages work offline.
// Screenshots go to test-artifacts/ (VETGRAPH_ARTIFACTS), which git ignores.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const base = (process.env.VETGRAPH_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
const artifacts = process.env.VETGRAPH_ARTIFACTS || join(root, 'test-artifacts');
const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// Chromium must not reach for the internet: this network is closed, and the
// pages must not need it anyway.
const chromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// Every quote must be verbatim in a source document.
const sourceTexts = readdirSync(join(root, 'data/sources')).map((d) =>
  readFileSync(join(root, 'data/sources', d, 'text.txt'), 'utf8'));

const isLocal = (u) => ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) || u.hostname.startsWith('127.');

let userDataDir;
let context;
const offHost = [];
const pageErrors = [];

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  userDataDir = mkdtempSync(join(tmpdir(), 'vetgraph-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: chromiumArgs,
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  context.setDefaultTimeout(45_000);
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.protocol === 'data:' || u.protocol === 'blob:' || isLocal(u)) return route.continue();
    offHost.push(u.href);
    return route.abort('blockedbyclient');
  });
});

after(async () => {
  await context?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

function watch(page) {
  page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(`${page.url()}: console: ${m.text()}`);
  });
  return page;
}

describe('graph page /explore', () => {
  let page;
  const labels = () => page.evaluate(() => window.vetgraphExplore.nodeLabels());
  const layoutDone = () => page.waitForFunction(() => document.body.dataset.layout === 'done' && document.body.dataset.busy === '0');

  // Type a name into the search box as a person would and pick the hit whose
  // name is `name` (or the first hit).
  async function pickFromSearch(text, name) {
    const box = page.locator('#search');
    await box.fill('');
    await box.pressSequentially(text, { delay: 40 });
    const hits = page.locator('#results li[role=option]');
    await hits.first().waitFor();
    const hit = name ? hits.filter({ has: page.locator('.hit-name', { hasText: new RegExp(`^${name}$`) }) }).first() : hits.first();
    const hitName = await hit.locator('.hit-name').innerText();
    await hit.click();
    await page.waitForFunction((n) => document.querySelector('#details-name')?.textContent === n, hitName);
    await layoutDone();
    return hitName;
  }

  before(async () => {
    page = watch(await context.newPage());
    await page.goto(`${base}/explore`);
    await page.waitForSelector('body[data-ready="true"]');
  });

  it('shows the legend, the relationship types and a link to the playground', async () => {
    const legend = await page.locator('#legend').innerText();
    for (const kind of ['院校', '国家', '企业', '联盟', '项目']) assert.match(legend, new RegExp(kind));
    assert.ok(await page.locator('#type-filter input[type=checkbox]').count() >= 10, 'relationship types listed');
    assert.equal(await page.locator('a[href="/"]').count(), 1);
  });

  it('searches as you type 鲁班 and expands the hit', async () => {
    const name = await pickFromSearch('鲁班');
    assert.match(name, /鲁班/);
    await page.waitForFunction(() => window.vetgraphExplore.nodeLabels().length > 2);
    const shown = await labels();
    assert.ok(shown.includes(name), `${name} in ${shown}`);
    assert.match(await page.locator('#status').innerText(), /已展开/);
    assert.ok((await page.evaluate(() => window.vetgraphExplore.edgeLabels())).length >= 2, 'edges drawn');
  });

  it('expands a neighbour when it is clicked', async () => {
    const before = (await labels()).length;
    // Click (tap) a node that was not expanded yet, at its place on the canvas.
    const pos = await page.evaluate(() => {
      const { cy } = window.vetgraphExplore;
      const n = cy.nodes().filter((x) => !x.hasClass('expanded')).first();
      const p = n.renderedPosition();
      const box = cy.container().getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y, label: n.data('label') };
    });
    await page.mouse.click(pos.x, pos.y);
    await page.waitForFunction((l) => document.querySelector('#details-name')?.textContent === l, pos.label);
    await page.waitForFunction((l) => document.querySelector('#status')?.textContent.includes(l), pos.label);
    await layoutDone();
    assert.ok((await labels()).length >= before);
  });

  it('finds the path from 泰国孔敬大学孔子学院 to 重庆工程职业技术学院, hop by hop with quotes', async () => {
    await pickFromSearch('孔敬', '泰国孔敬大学孔子学院');
    await page.click('#set-start');
    await pickFromSearch('重庆工程职业技术学院', '重庆工程职业技术学院');
    await page.click('#set-end');
    await page.locator('#path-steps li').first().waitFor();
    await layoutDone();

    const steps = await page.locator('#path-steps li').all();
    assert.ok(steps.length >= 1);
    const text = await page.locator('#path-steps').innerText();
    assert.match(text, /泰国孔敬大学孔子学院/);
    assert.match(text, /重庆工程职业技术学院/);
    for (const step of steps) {
      const q = (await step.locator('.quote').innerText()).replace(/^「|」$/g, '');
      assert.ok(q.length > 4, 'a quote');
      assert.ok(sourceTexts.some((t) => t.includes(q)), `quote is verbatim in a source: ${q}`);
      assert.match(await step.locator('.source').innerText(), /来源/);
    }
    const onPath = await page.evaluate(() => window.vetgraphExplore.pathNodeIds());
    assert.ok(onPath.includes('khon-kaen-university-confucius-institute') && onPath.includes('cqvie'), `path nodes ${onPath}`);
    assert.match(await page.locator('#path-status').innerText(), /路径共 \d+ 步/);
    // the sentences are the server's (explain), not the page's fallback
    assert.equal(await page.locator('#path-steps').getAttribute('data-source'), 'explain');
    await page.mouse.move(5, 5);
    await page.screenshot({ path: join(artifacts, 'explore.png') });
  });

  it('shows an edge’s quote on hover', async () => {
    const pos = await page.evaluate(() => {
      const { cy } = window.vetgraphExplore;
      const e = cy.edges('.on-path').first();
      const p = e.renderedMidpoint();
      const box = cy.container().getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y, quote: e.data('quote') };
    });
    await page.mouse.move(pos.x, pos.y);
    const tip = page.locator('#tip');
    await tip.waitFor({ state: 'visible' });
    assert.ok((await tip.innerText()).includes(pos.quote), 'tooltip shows the quote');
    await page.screenshot({ path: join(artifacts, 'explore-hover.png') });
    await page.mouse.move(5, 5);
  });

  it('filters by relationship type', async () => {
    const all = (await page.evaluate(() => window.vetgraphExplore.edgeLabels())).length;
    await page.click('#types-none');
    assert.equal((await page.evaluate(() => window.vetgraphExplore.edgeLabels())).length, 0);
    await page.locator('#type-filter input[data-type="CO_FOUNDED"]').check();
    const some = (await page.evaluate(() => window.vetgraphExplore.edgeLabels())).length;
    assert.ok(some < all, `${some} < ${all}`);
    await page.click('#types-all');
    assert.equal((await page.evaluate(() => window.vetgraphExplore.edgeLabels())).length, all);
  });

  it('switches to English: names, labels and the explanation', async () => {
    await page.click('.lang button[data-lang="EN"]');
    await page.waitForFunction(() => document.querySelector('#path-steps')?.innerText.includes('Chongqing Vocational Institute of Engineering'));
    const shown = await labels();
    assert.ok(shown.includes('Chongqing Vocational Institute of Engineering'), `English labels: ${shown}`);
    assert.match(await page.locator('#path-status').innerText(), /hop/);
    assert.match(await page.locator('#legend').innerText(), /School/);
    assert.match(await page.locator('#status').innerText(), /Expanded/);
    await page.screenshot({ path: join(artifacts, 'explore-en.png') });
    await page.click('.lang button[data-lang="ZH"]');
    await page.waitForFunction(() => document.querySelector('#path-steps')?.innerText.includes('重庆工程职业技术学院'));
  });
});

describe('playground /', () => {
  let page;

  before(async () => {
    page = watch(await context.newPage());
    await page.goto(`${base}/`);
    await page.locator('.graphiql-container').waitFor();
  });

  it('opens with the example queries and links to the graph page', async () => {
    assert.ok(await page.locator('.graphiql-tab').count() >= 3, 'example tabs');
    await page.locator('.graphiql-query-editor .view-lines').first().waitFor();
    assert.match(await page.locator('.graphiql-query-editor').innerText(), /重庆工业职业技术学院/);
    assert.equal(await page.locator('a[href="/explore"]').count(), 1);
  });

  it('runs a query and shows the answer', async () => {
    await page.locator('.graphiql-execute-button').click();
    await page.waitForFunction(() => document.querySelector('.graphiql-response')?.innerText.includes('成渝地区双城经济圈职业教育协同发展联盟'));
    const answer = await page.locator('.graphiql-response').innerText();
    assert.match(answer, /重庆市教委/);
    assert.match(answer, /重庆工业职业技术学院当选为第一届轮值理事长单位/);
    await page.screenshot({ path: join(artifacts, 'playground.png') });
  });
});

describe('offline', () => {
  it('asked no host but this machine', () => {
    assert.deepEqual(offHost, []);
  });
  it('raised no script error', () => {
    assert.deepEqual(pageErrors, []);
  });
});
