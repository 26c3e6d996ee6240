// Browser tests of the graph page (/explore) and the playground (/), in
// Debian's Chromium driven by playwright-core, against a running vetgraph:
//
//   NEO4J_URI=bolt://127.0.0.1:7687 VETGRAPH_URL=http://127.0.0.1:18080 node --test web/test/
//
// scripts/test.sh starts the server and runs this. NEO4J_URI names the Neo4j
// that server reads: the tests add a generated 300-entity graph and API keys
// to it (web/testkit/fixture.mjs) and take them out again afterwards. Any
// request to a host other than this machine is refused and fails the run:
// the pages work offline. Screenshots go to test-artifacts/
// (VETGRAPH_ARTIFACTS), which git ignores.
//
// The describe blocks follow issue 13: what users of Neo4j Bloom and Browser
// missed (readability at hundreds of nodes, loading feedback, correct counts,
// sharing, time, filtering, undo, touch, distinct labels, the playground on a
// phone), then what was built for it (layout, URL state, export, timeline,
// feedback, touch and keyboard, curators).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  artifacts, base, close, gql, idle, launch, newContext, offHost, openExplore, pageErrors, parseCSV,
  pickFromSearch, requireSetup, root, shown, sourceTexts, watch,
} from '../testkit/browser.mjs';
import {
  ALLIANCES, allianceId, createKey, loadGraph300, memberId, MEMBERS, revokeKey, unloadGraph300, vetgraph,
} from '../testkit/fixture.mjs';

// Without a Neo4j, a server or Chromium, the file fails at once with what to
// set and how, on the first line of the output.
await requireSetup();

const tmp = mkdtempSync(join(tmpdir(), 'vetgraph-browser-'));
let bin;
let g300;
const keys = {};

before(async () => {
  bin = vetgraph(root, tmp);
  g300 = loadGraph300(root, bin);
  keys.curator = createKey(root, bin, 'browser test curator', 'curator');
  keys.reader = createKey(root, bin, 'browser test reader', 'reader');
  await launch();
});

after(async () => {
  await close();
  try {
    for (const k of Object.values(keys)) revokeKey(root, bin, k.id);
    if (g300) unloadGraph300(root, bin);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

const view300 = `?x=${Array.from({ length: ALLIANCES }, (_, i) => allianceId(i)).join(',')}&lang=zh`;

async function degreeOf(id) {
  const d = await gql('query($id: ID!) { neighborhood(id: $id, limit: 1) { nodes { id degree } } }', { id });
  return d.neighborhood.nodes.find((n) => n.id === id).degree;
}

// A range input moved as a person drags it: input events, then change.
async function setRange(page, selector, value) {
  await page.locator(selector).evaluate((input, v) => {
    input.value = String(v);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }, value);
}

// clickableNode finds a node not yet expanded (of at least minDegree
// relations) that a click would hit: on the graph, under no panel, clear of
// other nodes.
async function clickableNode(page, minDegree = 1) {
  const found = await page.evaluate((min) => {
    const { cy } = window.vetgraphExplore;
    const box = cy.container().getBoundingClientRect();
    const n = cy.nodes().filter((x) => {
      if (x.hasClass('expanded') || !x.visible() || (x.data('degree') ?? 0) < min) return false;
      const p = x.renderedPosition();
      if (p.x < 20 || p.y < 20 || p.x > cy.width() - 20 || p.y > cy.height() - 20) return false;
      if (!document.elementFromPoint(box.left + p.x, box.top + p.y)?.closest('#cy')) return false;
      return cy.nodes().every((o) => o.same(x) || Math.hypot(o.renderedPosition().x - p.x, o.renderedPosition().y - p.y) > o.renderedWidth() / 2 + 4);
    }).first();
    if (n.empty()) return null;
    const p = n.renderedPosition();
    return { id: n.id(), name: n.data('label'), x: box.left + p.x, y: box.top + p.y };
  }, minDegree);
  assert.ok(found, 'a node to click');
  return found;
}

async function download(page, what) {
  await page.click('#export');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`[data-export="${what}"]`)]);
  const file = join(tmp, `${Date.now()}-${dl.suggestedFilename()}`);
  await dl.saveAs(file);
  return { name: dl.suggestedFilename(), data: readFileSync(file) };
}

// The accessible name a screen reader would give a control.
const accessibleNames = (page, selector) => page.evaluate((sel) => [...document.querySelectorAll(sel)]
  .filter((e) => e.offsetParent !== null || e.getClientRects().length > 0)
  .map((e) => {
    const by = e.getAttribute('aria-labelledby');
    const label = e.id && document.querySelector(`label[for="${e.id}"]`);
    return {
      id: e.id, tag: e.tagName.toLowerCase(),
      name: (e.getAttribute('aria-label') || (by && document.getElementById(by)?.textContent)
        || label?.textContent || e.closest('label')?.textContent || e.textContent || e.getAttribute('title') || '').trim(),
    };
  }), selector);

describe('a graph of 300 entities at 1440×900', () => {
  let context;
  let page;

  before(async () => {
    context = await newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    page = await openExplore(context, view300);
  });
  after(() => context.close());

  it('shows all 300, laid out by fCoSE to fill the view', async () => {
    const s = await shown(page);
    assert.equal(s.nodes.length, ALLIANCES + MEMBERS);
    const fill = await page.evaluate(() => {
      const { cy } = window.vetgraphExplore;
      const bb = cy.nodes().renderedBoundingBox({ includeLabels: false });
      return { w: bb.w / cy.width(), h: bb.h / cy.height(), fcose: !!cy.extension('layout', 'fcose'), x1: bb.x1, x2: bb.x2, cw: cy.width() };
    });
    assert.ok(fill.fcose, 'the fCoSE layout is registered');
    assert.ok(fill.w > 0.6 || fill.h > 0.6, `the graph fills the view (${JSON.stringify(fill)})`);
    assert.ok(fill.x1 >= 0 && fill.x2 <= fill.cw, `nothing cut off at the sides (${JSON.stringify(fill)})`);
  });

  it('draws legible names at the default zoom, hubs first, none covering another', async () => {
    const labels = await page.evaluate(() => {
      const { cy } = window.vetgraphExplore;
      const zoom = cy.zoom();
      const named = cy.nodes('.lbl');
      const boxes = named.map((n) => n.renderedBoundingBox({ includeNodes: false, includeEdges: false, includeLabels: true }));
      let overlaps = 0;
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i];
          const b = boxes[j];
          const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
          const h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
          if (w > 2 && h > 2) overlaps++;
        }
      }
      return {
        zoom,
        count: named.length,
        minPx: Math.min(...named.map((n) => parseFloat(n.style('font-size')) * zoom)),
        hubsNamed: cy.nodes().filter((n) => n.id().includes('alliance')).every((n) => n.hasClass('lbl')),
        overlaps,
      };
    });
    assert.ok(labels.count >= 40, `at least 40 names drawn (${labels.count})`);
    assert.ok(labels.minPx >= 11.5, `every name drawn at 11.5 px or more on screen (${labels.minPx.toFixed(1)} px at zoom ${labels.zoom.toFixed(2)})`);
    assert.ok(labels.hubsNamed, 'every alliance (a hub) is named');
    assert.equal(labels.overlaps, 0, 'no name covers another');
    await page.mouse.move(2, 2);
    await page.screenshot({ path: join(artifacts, 'explore-300.png') });
  });

  it('sizes nodes by their number of relations', async () => {
    const size = await page.evaluate(() => {
      const { cy } = window.vetgraphExplore;
      const hub = cy.nodes().max((n) => n.data('degree')).ele;
      const leaf = cy.nodes().min((n) => n.data('degree')).ele;
      return { hub: hub.width(), leaf: leaf.width() };
    });
    assert.ok(size.hub > 2 * size.leaf, `hub ${size.hub} vs leaf ${size.leaf}`);
  });

  it('zooms by a quarter per wheel notch, and names more nodes when zoomed in', async () => {
    const box = await page.locator('#cy').boundingBox();
    const before = await page.evaluate(() => ({ zoom: window.vetgraphExplore.cy.zoom(), named: Number(document.querySelector('#cy').dataset.labels) }));
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 3; i++) await page.mouse.wheel(0, -100);
    await idle(page);
    const zoom = await page.evaluate(() => window.vetgraphExplore.cy.zoom());
    assert.ok(zoom / before.zoom > 1.8, `three notches zoom ${before.zoom.toFixed(3)} → ${zoom.toFixed(3)}`);
    // named share of the nodes on screen grows as the zoom makes room
    const share = () => page.evaluate(() => {
      const { cy } = window.vetgraphExplore;
      const on = cy.nodes().filter((n) => {
        const p = n.renderedPosition();
        return p.x > 0 && p.y > 0 && p.x < cy.width() && p.y < cy.height();
      });
      return on.filter((n) => n.hasClass('lbl')).length / on.length;
    });
    const at2 = await share();
    for (let i = 0; i < 3; i++) await page.click('#zoom-in');
    await idle(page);
    const at4 = await share();
    // (+ stops at the page's maximum zoom, 4, so − is measured from where + got to.)
    const zoomed = await page.evaluate(() => window.vetgraphExplore.cy.zoom());
    assert.ok(Math.abs(zoomed - Math.min(4, zoom * 1.4 ** 3)) / zoomed < 0.01, `+ zooms in by 1.4 up to 4 (${zoom} → ${zoomed})`);
    // (The layout starts from random positions, and names that would
    // cover another stay hidden, so the share varies between runs: 0.88 to
    // 1.0 seen at this zoom; at the default zoom about half.)
    assert.ok(at4 > at2 && at4 >= 0.75, `named share on screen ${at2.toFixed(2)} → ${at4.toFixed(2)}`);
    await page.click('#zoom-out');
    await idle(page);
    const out = await page.evaluate(() => window.vetgraphExplore.cy.zoom());
    assert.ok(Math.abs(out - zoomed / 1.4) / out < 0.01, `− zooms out by 1.4 (${zoomed} → ${out})`);
    await page.click('#fit');
    await idle(page);
    const fitted = await page.evaluate(() => window.vetgraphExplore.cy.zoom());
    assert.ok(Math.abs(fitted - before.zoom) / before.zoom < 0.05, `fit returns to the whole graph (${fitted} vs ${before.zoom})`);
  });

  it('exports the nodes shown as CSV, one row each', async () => {
    const s = await shown(page);
    const { name, data } = await download(page, 'nodes');
    assert.match(name, /^vetgraph-.*-nodes\.csv$/);
    const rows = parseCSV(data.toString('utf8'));
    assert.deepEqual(rows[0], ['id', 'kind', 'nameZh', 'nameEn', 'degree', 'expanded']);
    assert.equal(rows.length - 1, s.nodes.length);
    assert.deepEqual(rows.slice(1).map((r) => r[0]).sort(), s.nodes);
  });

  it('copies a link that reopens the same 300-node view', async () => {
    await page.click('#export');
    await page.click('[data-export="link"]');
    const url = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(url, page.url());
    const other = await newContext({ viewport: { width: 1920, height: 1080 } });
    try {
      const copy = await openExplore(other, url.slice(`${base}/explore`.length));
      assert.deepEqual(await shown(copy), await shown(page));
      await copy.mouse.move(2, 2);
      await copy.screenshot({ path: join(artifacts, 'explore-1920.png') });
    } finally {
      await other.close();
    }
  });
});

describe('the seed graph: search, expand, paths, filters, language', () => {
  let context;
  let page;

  before(async () => {
    context = await newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    page = await openExplore(context);
  });
  after(() => context.close());

  it('opens empty, with examples to try, the legend, the types and a link to the playground', async () => {
    assert.ok(await page.locator('#empty').isVisible());
    assert.deepEqual(await page.locator('#empty .example').allInnerTexts(), ['鲁班', 'CQVIE', '孔敬']);
    const legend = await page.locator('#legend').innerText();
    for (const kind of ['院校', '国家', '企业', '联盟', '项目']) assert.match(legend, new RegExp(kind));
    assert.ok(await page.locator('#type-filter input[type=checkbox]').count() >= 10, 'relationship types listed');
    assert.equal(await page.locator('a[href="/"]').count(), 1);
    await page.click('#empty .example >> text=鲁班');
    await page.locator('#results li[role=option]').first().waitFor();
    assert.match(await page.locator('#results').innerText(), /鲁班/);
  });

  it('shows the relation count of an entity picked from search once its neighbourhood is in', async () => {
    const name = await pickFromSearch(page, 'CQVIE', '重庆工程职业技术学院');
    assert.equal(name, '重庆工程职业技术学院');
    const degree = await degreeOf('cqvie');
    assert.ok(degree > 20);
    assert.match(await page.locator('#details-sub').innerText(), new RegExp(`${degree} 条关系`));
    assert.match(await page.locator('#status').innerText(), /已展开 重庆工程职业技术学院：\d+ 个相邻节点/);
    assert.match(page.url(), /[?&]x=cqvie(&|$)/);
    assert.match(page.url(), /[?&]sel=cqvie(&|$)/);
    // its relationships in view, each with its quote, in the panel
    const items = page.locator('#details-relations li[data-edge]');
    assert.ok(await items.count() >= 10);
    const q = await items.first().locator('q').innerText();
    assert.ok(sourceTexts.some((t) => t.includes(q)), `quote in the panel is verbatim: ${q}`);
  });

  it('expands a neighbour when it is clicked; back and forward walk the views', async () => {
    const before = await shown(page);
    const { id: target, x, y } = await clickableNode(page, 3);
    await page.mouse.click(x, y);
    await page.waitForFunction((id) => window.vetgraphExplore.view().expanded.includes(id), target);
    await idle(page);
    const after = await shown(page);
    assert.ok(after.nodes.length > before.nodes.length, 'neighbours added');
    assert.match(page.url(), new RegExp(`x=cqvie,${target}`));
    await page.goBack();
    await page.waitForFunction((id) => !window.vetgraphExplore.view().expanded.includes(id), target);
    await idle(page);
    assert.deepEqual((await shown(page)).nodes, before.nodes);
    await page.goForward();
    await page.waitForFunction((id) => window.vetgraphExplore.view().expanded.includes(id), target);
    await idle(page);
    assert.deepEqual((await shown(page)).nodes, after.nodes);
  });

  it('finds the path from 泰国孔敬大学孔子学院 to 重庆工程职业技术学院, hop by hop with quotes', async () => {
    await pickFromSearch(page, '孔敬', '泰国孔敬大学孔子学院');
    await page.click('#set-start');
    await idle(page);
    await pickFromSearch(page, '重庆工程职业技术学院', '重庆工程职业技术学院');
    await page.click('#set-end');
    await page.locator('#path-steps li').first().waitFor();
    await idle(page);
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
    assert.equal(await page.locator('#path-steps').getAttribute('data-source'), 'explain');
    assert.match(page.url(), /from=khon-kaen-university-confucius-institute&to=cqvie/);
    await page.mouse.move(2, 2);
    await page.screenshot({ path: join(artifacts, 'explore.png') });
  });

  it('shows an edge’s quote on hover, and keeps it on a click', async () => {
    // a point of a path line that no node or name covers: the pointer is on it when the line lights up
    const candidates = await page.evaluate(() => {
      const { cy } = window.vetgraphExplore;
      const box = cy.container().getBoundingClientRect();
      return cy.edges('.on-path').map((e) => {
        const s = e.sourceEndpoint();
        const t = e.targetEndpoint();
        const pan = cy.pan();
        const z = cy.zoom();
        return [0.5, 0.4, 0.6, 0.3, 0.7].map((f) => ({
          id: e.id(), x: box.left + pan.x + z * (s.x + f * (t.x - s.x)), y: box.top + pan.y + z * (s.y + f * (t.y - s.y)),
        }));
      }).flat();
    });
    let p = null;
    for (const c of candidates) {
      await page.mouse.move(c.x, c.y);
      if (await page.evaluate((id) => window.vetgraphExplore.cy.getElementById(id).hasClass('hover'), c.id)) {
        p = c;
        break;
      }
    }
    assert.ok(p, 'a point on a path line');
    const tip = page.locator('#tip');
    await tip.waitFor({ state: 'visible' });
    const tipText = await tip.innerText();
    const q = tipText.match(/「(.+)」/s)[1];
    assert.ok(sourceTexts.some((t) => t.includes(q)), 'the tooltip shows the quote');
    await page.screenshot({ path: join(artifacts, 'explore-hover.png') });
    await page.mouse.click(p.x, p.y);
    const card = page.locator('#edge-card');
    await card.waitFor({ state: 'visible' });
    assert.ok((await card.innerText()).includes(q), 'the card keeps the quote');
    await page.mouse.move(2, 2);
    assert.ok(await card.isVisible(), 'the card stays when the pointer leaves');
    await page.keyboard.press('Escape');
    await card.waitFor({ state: 'hidden' });
  });

  it('filters by relationship type and fits the view to what is left', async () => {
    const all = (await shown(page)).edges.length;
    // zoomed in far: most of the graph is off screen
    for (let i = 0; i < 5; i++) await page.click('#zoom-in');
    await page.click('#clear-path');
    await idle(page);
    const allNoPath = (await shown(page)).edges.length;
    await page.click('#types-none');
    await idle(page);
    assert.equal((await shown(page)).edges.length, 0);
    assert.ok(await page.locator('#nothing').isVisible(), 'says why nothing is shown');
    assert.match(page.url(), /types=&/);
    await page.locator('#type-filter input[data-type="CO_FOUNDED"]').check();
    await idle(page);
    const some = await shown(page);
    assert.ok(some.edges.length > 0 && some.edges.length < allNoPath, `${some.edges.length} of ${allNoPath}`);
    const inside = await page.evaluate(() => {
      const { cy } = window.vetgraphExplore;
      return cy.nodes().filter((n) => n.visible()).every((n) => {
        const p = n.renderedPosition();
        return p.x >= 0 && p.y >= 0 && p.x <= cy.width() && p.y <= cy.height();
      });
    });
    assert.ok(inside, 'every node shown is in view after filtering');
    assert.match(page.url(), /types=CO_FOUNDED/);
    await page.click('#types-all');
    await idle(page);
    assert.ok((await shown(page)).edges.length >= allNoPath);
    assert.ok(all >= allNoPath);
  });

  it('gives every button a name of its own, in both languages', async () => {
    for (const lang of ['ZH', 'EN']) {
      await page.click(`.lang button[data-lang="${lang}"]`);
      await idle(page);
      await page.click('#export');
      // (the relationships listed in the panel are content, not controls' labels)
      const names = (await accessibleNames(page, 'button:not(.link):not(.step-link)')).map((b) => b.name);
      await page.keyboard.press('Escape');
      assert.ok(names.every((n) => n), `every button is named (${lang})`);
      const dup = names.filter((n, i) => names.indexOf(n) !== i);
      assert.deepEqual(dup, [], `button names repeat (${lang})`);
    }
    assert.equal(await page.locator('#clear-path').innerText(), 'Clear path');
    assert.equal(await page.locator('#clear-graph').innerText(), 'Clear graph');
    await page.click('.lang button[data-lang="ZH"]');
    await idle(page);
  });

  it('switches to English: names, labels and the explanation', async () => {
    await pickFromSearch(page, '孔敬', '泰国孔敬大学孔子学院');
    await page.click('#set-start');
    await idle(page);
    await pickFromSearch(page, '重庆工程职业技术学院', '重庆工程职业技术学院');
    await page.click('#set-end');
    await page.locator('#path-steps li').first().waitFor();
    await page.click('.lang button[data-lang="EN"]');
    await page.waitForFunction(() => document.querySelector('#path-steps')?.innerText.includes('Chongqing Vocational Institute of Engineering'));
    await idle(page);
    const labels = await page.evaluate(() => window.vetgraphExplore.nodeLabels());
    assert.ok(labels.includes('Chongqing Vocational Institute of Engineering'), `English labels: ${labels}`);
    assert.match(await page.locator('#path-status').innerText(), /hop/);
    assert.match(await page.locator('#legend').innerText(), /School/);
    assert.match(page.url(), /lang=en/);
    await page.screenshot({ path: join(artifacts, 'explore-en.png') });
    await page.click('.lang button[data-lang="ZH"]');
    await page.waitForFunction(() => document.querySelector('#path-steps')?.innerText.includes('重庆工程职业技术学院'));
    await idle(page);
  });

  it('copies a link that reopens the same view: entities, path, filter, selection, language', async () => {
    await page.locator('#type-filter input[data-type="LOCATED_IN"]').uncheck();
    await idle(page);
    await page.click('#export');
    await page.click('[data-export="link"]');
    const url = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(url, /from=.*&to=.*&sel=.*&lang=zh/);
    const other = await newContext();
    try {
      const copy = await openExplore(other, url.slice(`${base}/explore`.length));
      const [a, b] = [await shown(copy), await shown(page)];
      assert.deepEqual(a.view, b.view);
      assert.deepEqual(a.nodes, b.nodes);
      assert.deepEqual(a.edges, b.edges);
      assert.deepEqual(await copy.evaluate(() => window.vetgraphExplore.pathNodeIds().sort()),
        await page.evaluate(() => window.vetgraphExplore.pathNodeIds().sort()));
      assert.equal(await copy.locator('#details-name').innerText(), await page.locator('#details-name').innerText());
    } finally {
      await other.close();
    }
    await page.click('#types-all');
    await idle(page);
  });

  it('keeps named views in this browser, to reopen later', async () => {
    await page.fill('#view-name', '孔敬到重庆工程');
    await page.click('#save-view-button');
    assert.match(await page.locator('#status').innerText(), /已保存视图“孔敬到重庆工程”/);
    const saved = await shown(page);
    const later = await openExplore(context); // the same browser, another tab
    try {
      const link = later.locator('#saved-views a', { hasText: '孔敬到重庆工程' });
      await link.click();
      await later.waitForSelector('body[data-ready="true"]');
      await later.waitForFunction(() => window.vetgraphExplore.view().from);
      await idle(later);
      assert.deepEqual(await shown(later), saved);
      await later.click('#saved-views button[aria-label="删除视图：孔敬到重庆工程"]');
      assert.equal(await later.locator('#saved-views a').count(), 0);
    } finally {
      await later.close();
    }
  });

  it('exports the view as PNG, SVG, CSV of relationships with quotes and sources, and JSON', async () => {
    const s = await shown(page);
    const png = await download(page, 'png');
    assert.deepEqual([...png.data.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');
    const width = png.data.readUInt32BE(16);
    const cyWidth = await page.evaluate(() => window.vetgraphExplore.cy.width());
    assert.equal(width, Math.round(cyWidth * 2), 'twice the view’s width');

    const svg = (await download(page, 'svg')).data.toString('utf8');
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      return { error: !!doc.querySelector('parsererror'), nodes: doc.querySelectorAll('g.nodes > g').length, text: doc.documentElement.textContent };
    }, svg);
    assert.ok(!parsed.error, 'the SVG parses');
    assert.equal(parsed.nodes, s.nodes.length, 'one node group per node shown');
    assert.match(parsed.text, /重庆工程职业技术学院/, 'names stay text');

    const rows = parseCSV((await download(page, 'edges')).data.toString('utf8'));
    const head = rows[0];
    assert.deepEqual(head.slice(0, 4), ['id', 'type', 'from', 'to']);
    assert.equal(rows.length - 1, s.edges.length);
    const qi = head.indexOf('quote');
    const ti = head.indexOf('documentTitle');
    for (const r of rows.slice(1)) {
      assert.ok(sourceTexts.some((t) => t.includes(r[qi])), `quote verbatim: ${r[qi]}`);
      assert.ok(r[ti].length > 0, 'source named');
    }

    const json = JSON.parse((await download(page, 'json')).data.toString('utf8'));
    assert.equal(json.nodes.length, s.nodes.length);
    assert.equal(json.edges.length, s.edges.length);
    assert.equal(json.url, page.url());
    assert.ok(json.edges.every((e) => e.evidence.quote && e.evidence.document.title));
  });

  it('removes a node with the nodes linked only to it, and Ctrl-Z brings them back', async () => {
    await page.click('#clear-graph');
    await idle(page);
    await pickFromSearch(page, '鲁班', '坦桑尼亚鲁班工坊');
    await pickFromSearch(page, 'CQVIE', '重庆工程职业技术学院');
    const before = await shown(page);
    await page.click('#remove-node');
    await idle(page);
    const afterRemove = await shown(page);
    assert.ok(!afterRemove.nodes.includes('cqvie'));
    const gone = before.nodes.length - afterRemove.nodes.length - 1;
    assert.ok(gone > 0, 'its orphans went with it');
    assert.match(await page.locator('#status').innerText(), new RegExp(`已移除 重庆工程职业技术学院 和 ${gone} 个只与它相连的节点`));
    assert.ok(await page.locator('#status button', { hasText: '撤销移除' }).isVisible(), 'offers undo');
    await page.keyboard.press('Control+z');
    await page.waitForFunction(() => window.vetgraphExplore.view().expanded.includes('cqvie'));
    await idle(page);
    assert.deepEqual((await shown(page)).nodes, before.nodes);
    await page.click('#redo');
    await idle(page);
    assert.deepEqual((await shown(page)).nodes, afterRemove.nodes);
    await page.click('#undo');
    await idle(page);
  });

  it('wraps an English name at spaces only and a Chinese one anywhere, in the drawing and in the SVG', async () => {
    // The lines Cytoscape drew each name shown in: its renderer's scratch
    // data (Cytoscape 3.34, pinned; no public call gives them), without the
    // zero-width spaces it puts between characters to wrap anywhere.
    const drawn = () => page.evaluate(async () => {
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))); // drawn
      const { cy } = window.vetgraphExplore;
      return cy.nodes('.lbl').map((n) => ({
        id: n.id(), label: n.data('label'), wrap: n.pstyle('text-overflow-wrap').value,
        lines: (n._private.rscratch.labelWrapCachedText ?? '').split('\n').map((l) => l.replace(/\u200b/g, '').trim()),
      }));
    });
    const svgLines = async () => {
      const svg = (await download(page, 'svg')).data.toString('utf8');
      return page.evaluate((text) => {
        const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
        return Object.fromEntries([...doc.querySelectorAll('g.nodes > g')]
          .map((g) => [g.getAttribute('data-id'), [...g.querySelectorAll('tspan')].map((t) => t.textContent)]));
      }, svg);
    };
    await pickFromSearch(page, 'CQVIE', '重庆工程职业技术学院');
    for (const lang of ['EN', 'ZH']) {
      await page.click(`.lang button[data-lang="${lang}"]`);
      await page.waitForFunction((l) => window.vetgraphExplore.view().lang === l.toLowerCase(), lang);
      await idle(page);
      const names = await drawn();
      const exported = await svgLines();
      const cqvie = names.find((n) => n.id === 'cqvie');
      assert.ok(cqvie, `the selected node's name is drawn (${lang})`);
      if (lang === 'EN') {
        assert.equal(cqvie.label, 'Chongqing Vocational Institute of Engineering');
        assert.ok(cqvie.lines.length > 1, `the name wraps: ${JSON.stringify(cqvie.lines)}`);
      } else {
        assert.equal(cqvie.label, '重庆工程职业技术学院');
      }
      for (const n of names) {
        const spaced = /\s/.test(n.label.trim());
        assert.equal(n.lines.join(spaced ? ' ' : ''), n.label, `drawn whole, ${spaced ? 'in whole words' : 'in order'}: ${JSON.stringify(n.lines)}`);
        assert.equal(n.wrap, spaced ? 'whitespace' : 'anywhere', n.label);
        assert.deepEqual(exported[n.id], n.lines, `the SVG wraps ${n.label} as the drawing does`);
      }
    }
  });
});

describe('waiting, failing and nothing to show', () => {
  let context;
  let page;

  before(async () => {
    context = await newContext();
    page = await openExplore(context, '?x=cqvie&sel=cqvie', { failingRequests: true });
  });
  after(() => context.close());

  const slow = (ms) => page.route('**/graphql', async (route) => {
    await new Promise((r) => setTimeout(r, ms));
    await route.fallback();
  });

  it('shows a pending search at once', async () => {
    await slow(1500);
    await page.locator('#search').pressSequentially('鲁班', { delay: 20 });
    await page.locator('#results li.loading').waitFor({ timeout: 1400 });
    assert.match(await page.locator('#results').innerText(), /正在搜索/);
    await page.locator('#results li[role=option]').first().waitFor();
    await page.unroute('**/graphql');
    await page.keyboard.press('Escape');
  });

  it('shows a pending expansion in place of the last status', async () => {
    const first = await clickableNode(page);
    await page.mouse.click(first.x, first.y);
    await page.waitForFunction((id) => window.vetgraphExplore.view().expanded.includes(id), first.id);
    await idle(page);
    assert.match(await page.locator('#status').innerText(), new RegExp(`已展开 ${first.name}`));
    await slow(2000);
    const { id: target, name, x, y } = await clickableNode(page);
    await page.mouse.click(x, y);
    await page.locator('#loading').waitFor({ state: 'visible', timeout: 1500 });
    assert.equal(await page.locator('#loading').innerText(), `正在展开 ${name}…`);
    assert.ok(await page.locator('#progress').isVisible(), 'the progress bar runs');
    assert.ok(!(await page.locator('#status').isVisible()), 'the last status is not shown meanwhile');
    assert.ok(await page.evaluate((id) => window.vetgraphExplore.cy.getElementById(id).hasClass('loading'), target), 'the node marks the wait');
    await page.waitForFunction((id) => window.vetgraphExplore.view().expanded.includes(id), target, { timeout: 15_000 });
    await idle(page);
    assert.ok(!(await page.locator('#loading').isVisible()));
    assert.match(await page.locator('#status').innerText(), new RegExp(`已展开 ${name}`));
    await page.unroute('**/graphql');
  });

  it('says what went wrong and what to do, and retries', async () => {
    await page.route('**/graphql', (route) => route.fulfill({ status: 503, contentType: 'text/plain', body: 'upstream unavailable' }));
    const { id: target, x, y } = await clickableNode(page);
    await page.mouse.click(x, y);
    const status = page.locator('#status[data-kind="error"]');
    await status.waitFor();
    assert.match(await status.innerText(), /数据库暂时不可用。稍后重试。/);
    await page.unroute('**/graphql');
    await page.route('**/graphql', (route) => route.abort('connectionrefused'));
    await status.locator('button', { hasText: '重试' }).click();
    await page.waitForFunction(() => /连不上服务器/.test(document.querySelector('#status')?.innerText || ''));
    assert.ok(!(await page.evaluate((id) => window.vetgraphExplore.view().expanded.includes(id), target)), 'a failed expansion changes nothing');
    await page.unroute('**/graphql');
    await page.locator('#status button', { hasText: '重试' }).click();
    await page.waitForFunction((id) => window.vetgraphExplore.view().expanded.includes(id), target);
    await idle(page);
    assert.match(page.url(), new RegExp(target));
  });

  it('says so when a search finds nothing', async () => {
    await page.locator('#search').fill('');
    await page.locator('#search').pressSequentially('qqzzxxyy', { delay: 10 });
    await page.locator('#results li.message:not(.loading)').waitFor();
    assert.match(await page.locator('#results').innerText(), /没有匹配的名称。试试简称、英文名、缩写或拼音。/);
    await page.keyboard.press('Escape');
  });

  it('says so when a link names an entity that is not there', async () => {
    const other = await openExplore(context, '?x=no-such-entity,cqvie');
    assert.match(await other.locator('#status').innerText(), /没有 id 为 no-such-entity 的实体/);
    assert.ok((await shown(other)).nodes.includes('cqvie'));
    assert.doesNotMatch(other.url(), /no-such-entity/);
    await other.close();
  });
});

describe('the timeline', () => {
  let context;
  let page;
  let years;

  before(async () => {
    context = await newContext();
    page = await openExplore(context, '?x=cqvie&sel=cqvie');
    years = (await gql('{ relationCounts(groupBy: YEAR) { key } }')).relationCounts.map((g) => Number(g.key)).filter(Number.isInteger).sort();
  });
  after(() => context.close());

  it('spans the years the data covers', async () => {
    assert.ok(await page.locator('#timeline').isVisible());
    assert.equal(await page.locator('#year').getAttribute('min'), String(years[0]));
    assert.equal(await page.locator('#year').getAttribute('max'), String(years.at(-1)));
    assert.equal(await page.locator('#time-out').innerText(), `${years[0]}–${years.at(-1)}`);
  });

  it('shows the graph as it stood in a year, as the API does', async () => {
    const all = await shown(page);
    await page.selectOption('#time-mode', 'asOf');
    await idle(page);
    await setRange(page, '#year', 2018);
    await page.waitForFunction(() => window.vetgraphExplore.view().asOf === '2018');
    await idle(page);
    const s = await shown(page);
    const api = await gql('{ neighborhood(id: "cqvie", asOf: "2018", limit: 100) { edges { id } } }');
    assert.deepEqual(s.edges, api.neighborhood.edges.map((e) => e.id).sort());
    assert.ok(s.edges.length < all.edges.length, 'later relations are not shown');
    assert.match(page.url(), /asOf=2018/);
    assert.match(await page.locator('#time-out').innerText(), /截至 2018 年的图谱/);
  });

  it('shows a window of years: the relations whose time overlaps it, as the API does', async () => {
    await page.selectOption('#time-mode', 'window');
    await idle(page);
    await setRange(page, '#year-from', 2018);
    await idle(page);
    await setRange(page, '#year-to', 2019);
    await page.waitForFunction(() => window.vetgraphExplore.view().timeTo === '2019' && window.vetgraphExplore.view().timeFrom === '2018');
    await idle(page);
    const s = await shown(page);
    const api = await gql('{ entity(id: "cqvie") { relations(timeFrom: "2018", timeTo: "2019", first: 100) { edges { node { id } } } } }');
    const incident = await page.evaluate(() => window.vetgraphExplore.cy.getElementById('cqvie').connectedEdges().filter((e) => e.visible()).map((e) => e.id()).sort());
    assert.deepEqual(incident, api.entity.relations.edges.map((e) => e.node.id).sort());
    assert.ok(s.edges.length > 0);
    assert.match(page.url(), /timeFrom=2018&timeTo=2019/);
  });

  it('plays the years forward', async () => {
    const seen = [];
    await page.click('#play');
    assert.equal(await page.locator('#play').getAttribute('aria-pressed'), 'true');
    while (await page.evaluate(() => document.body.dataset.playing === 'true')) {
      const v = await page.evaluate(() => window.vetgraphExplore.view().asOf);
      if (v && seen.at(-1) !== v) seen.push(v);
      await page.waitForTimeout(100);
    }
    await idle(page);
    const nums = seen.map(Number);
    assert.ok(nums.length >= 3, `years shown: ${seen}`);
    assert.deepEqual(nums, [...nums].sort((a, b) => a - b), 'in order');
    assert.equal(await page.evaluate(() => window.vetgraphExplore.view().asOf), String(years.at(-1)));
    assert.match(page.url(), new RegExp(`asOf=${years.at(-1)}`));
    // the playback is one step back in the history and one undo
    await page.goBack();
    await page.waitForFunction(() => window.vetgraphExplore.view().timeFrom === '2018' && !window.vetgraphExplore.view().asOf);
    await idle(page);
    await page.goForward();
    await page.waitForFunction((y) => window.vetgraphExplore.view().asOf === y, String(years.at(-1)));
    await idle(page);
    await page.keyboard.press('Control+z');
    await page.waitForFunction(() => window.vetgraphExplore.view().timeTo === '2019' && !window.vetgraphExplore.view().asOf);
    await idle(page);
    await page.selectOption('#time-mode', 'all');
    await idle(page);
  });
});

describe('touch, keyboard and screen readers', () => {
  it('reads an edge’s quote with a tap on a phone (390×844)', async () => {
    const context = await newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    try {
      const page = await openExplore(context, '?x=cqvie&sel=cqvie');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `no sideways scrolling (${width} px)`);
      const target = await page.evaluate(() => {
        const { cy } = window.vetgraphExplore;
        const box = cy.container().getBoundingClientRect();
        const free = (p) => cy.nodes().every((n) => {
          const q = n.renderedPosition();
          return Math.hypot(q.x - p.x, q.y - p.y) > n.renderedWidth() / 2 + 14;
        });
        const e = cy.edges().filter((x) => {
          const m = x.renderedMidpoint();
          if (m.x < 20 || m.y < 100 || m.x > cy.width() - 20 || m.y > cy.height() - 20 || !free(m)) return false;
          return document.elementFromPoint(box.left + m.x, box.top + m.y)?.closest('#cy');
        }).first();
        const m = e.renderedMidpoint();
        return { id: e.id(), x: box.left + m.x, y: box.top + m.y };
      });
      assert.ok(target.id, 'an edge to tap');
      await page.touchscreen.tap(target.x, target.y);
      const card = page.locator('#edge-card');
      await card.waitFor({ state: 'visible' });
      const q = (await card.locator('.quote').innerText()).replace(/^「|」$/g, '');
      assert.ok(sourceTexts.some((t) => t.includes(q)), 'the quote of the tapped edge');
      assert.equal(await card.getAttribute('data-edge'), target.id);
      await page.screenshot({ path: join(artifacts, 'explore-390.png') });
      const toolbar = await page.locator('.toolbar button:visible').evaluateAll((bs) => bs.map((b) => b.getBoundingClientRect()).map((r) => [r.left, r.right]));
      assert.ok(toolbar.every(([l, r]) => l >= 0 && r <= 390), 'every toolbar button on screen');
    } finally {
      await context.close();
    }
  });

  it('walks the graph with the keyboard: arrows, Enter, Delete, Ctrl-Z', async () => {
    const context = await newContext();
    try {
      const page = await openExplore(context, '?x=cqvie');
      await page.focus('#search');
      let tabs = 0;
      while (await page.evaluate(() => document.activeElement?.id) !== 'cy' && tabs < 40) {
        await page.keyboard.press('Tab');
        tabs++;
      }
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'cy', 'Tab reaches the graph');
      assert.match(await page.locator('#cy').getAttribute('aria-label'), /图谱：\d+ 个节点，\d+ 条关系/);
      assert.equal(await page.locator('#cy').getAttribute('role'), 'application');
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction(() => window.vetgraphExplore.view().sel);
      await idle(page);
      const first = await page.evaluate(() => window.vetgraphExplore.view().sel);
      await page.waitForFunction(() => document.querySelector('#announce').textContent.length > 0);
      await page.keyboard.press('ArrowLeft');
      await page.waitForFunction((f) => window.vetgraphExplore.view().sel !== f, first);
      await idle(page);
      const sel = await page.evaluate(() => window.vetgraphExplore.view().sel);
      const expandedBefore = (await page.evaluate(() => window.vetgraphExplore.view().expanded)).includes(sel);
      if (!expandedBefore) {
        await page.keyboard.press('Enter');
        await page.waitForFunction((id) => window.vetgraphExplore.view().expanded.includes(id), sel);
        await idle(page);
      }
      const before = await shown(page);
      await page.keyboard.press('Delete');
      await page.waitForFunction((id) => !window.vetgraphExplore.shownNodeIds().includes(id), sel);
      await idle(page);
      await page.keyboard.press('Control+z');
      await page.waitForFunction((id) => window.vetgraphExplore.shownNodeIds().includes(id), sel);
      await idle(page);
      assert.deepEqual((await shown(page)).nodes, before.nodes);
      await page.keyboard.press('Escape');
      await page.waitForFunction(() => !window.vetgraphExplore.view().sel);
    } finally {
      await context.close();
    }
  });

  it('names every control for a screen reader, and marks the live regions', async () => {
    const context = await newContext();
    try {
      const page = await openExplore(context, '?x=cqvie&sel=cqvie');
      const controls = await accessibleNames(page, 'button, input, select, a[href], [tabindex="0"]');
      const unnamed = controls.filter((c) => !c.name);
      assert.deepEqual(unnamed, [], 'controls without a name');
      for (const id of ['status', 'loading', 'path-status', 'announce']) {
        assert.equal(await page.locator(`#${id}`).getAttribute('aria-live'), 'polite', `#${id} is live`);
      }
      assert.equal(await page.locator('#search').getAttribute('role'), 'combobox');
      assert.equal(await page.locator('.toolbar').getAttribute('role'), 'toolbar');
    } finally {
      await context.close();
    }
  });

  it('shows the page at 1440×900 with a path and its quotes', async () => {
    const context = await newContext();
    try {
      const page = await openExplore(context, '?x=cqvie,khon-kaen-university-confucius-institute&from=khon-kaen-university-confucius-institute&to=cqvie&sel=cqvie&lang=zh');
      await page.locator('#path-steps li').first().waitFor();
      await page.mouse.move(2, 2);
      await page.screenshot({ path: join(artifacts, 'explore-1440.png') });
    } finally {
      await context.close();
    }
  });
});

describe('curators', () => {
  let context;
  let page;
  const member = memberId(1); // a school of the generated graph, member of alliance 2
  const reason = `browser test ${new Date().toISOString()}: a generated relation`;
  let edge;

  before(async () => {
    context = await newContext();
    page = await openExplore(context, `?x=${member}&sel=${member}`, { failingRequests: true });
    edge = await page.evaluate((id) => window.vetgraphExplore.cy.getElementById(id).connectedEdges('[type = "MEMBER_OF"]').first().id(), member);
    assert.ok(edge);
  });
  after(() => context.close());

  async function signIn(key) {
    await page.click('#curator');
    await page.locator('#signin').waitFor();
    await page.fill('#signin-key', key);
    await page.click('#signin-submit');
  }

  async function openCard(id) {
    await page.evaluate((e) => document.querySelector(`#details-relations li[data-edge="${e}"] button`)?.click(), id);
    await page.locator('#edge-card').waitFor({ state: 'visible' });
  }

  it('is read-only until a curator signs in; a wrong key is refused', async () => {
    await openCard(edge);
    assert.equal(await page.locator('#retract-open').count(), 0, 'no retraction for readers');
    await page.keyboard.press('Escape');
    await signIn('vg_nosuchkey_abcdefghijklmnopqrstuvwxyz');
    await page.locator('#signin-error').waitFor();
    assert.match(await page.locator('#signin-error').innerText(), /密钥未被接受/);
    await page.click('#signin-cancel');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('vetgraph:apiKey')), null);
  });

  it('tells a reader key it may not retract', async () => {
    await signIn(keys.reader.key);
    await page.waitForFunction(() => document.body.dataset.curator === 'true');
    await openCard(edge);
    await page.click('#retract-open');
    await page.fill('#retract-reason', 'test with a reader key');
    await page.click('#retract-confirm');
    await page.locator('#retract-error').waitFor({ state: 'visible' });
    assert.match(await page.locator('#retract-error').innerText(), /这个密钥的角色不能做这件事/);
    await page.keyboard.press('Escape');
    await page.click('#curator'); // sign out
    await page.waitForFunction(() => document.body.dataset.curator === 'false');
  });

  it('shows a signed-in curator the history, and retracts with a reason', async () => {
    const auth = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/graphql')) auth.push(r.headers().authorization || '');
    });
    await signIn(keys.curator.key);
    await page.waitForFunction(() => document.body.dataset.curator === 'true');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('vetgraph:apiKey')), keys.curator.key);
    await page.locator('#curator-panel').waitFor({ state: 'visible' });
    await page.locator('#history[data-state="done"]').waitFor({ state: 'attached' });

    await openCard(edge);
    await page.click('#retract-open');
    await page.click('#retract-confirm'); // no reason yet
    assert.match(await page.locator('#retract-error').innerText(), /请写明撤回理由/);
    await page.fill('#retract-reason', reason);
    await page.click('#retract-confirm');
    await page.waitForFunction((id) => !window.vetgraphExplore.cy.getElementById(id).length, edge);
    await idle(page);
    assert.ok((await page.locator('#status').innerText()).includes(`（理由：${reason}）`), 'the status says what was retracted and why');
    await page.waitForFunction((r) => document.querySelector('#history').innerText.includes(r), reason);
    const entry = (await page.locator('#history li').allInnerTexts()).find((x) => x.includes(reason));
    assert.match(entry, /browser test curator \(curator\) · retract/);
    assert.ok((await page.locator('#retracted').innerText()).includes(reason));
    assert.ok(auth.length > 0 && auth.every((a) => a === `Bearer ${keys.curator.key}`), 'every request carries the key');

    // the API agrees: hidden from reads, kept with why
    const api = await gql('query($id: ID!) { entity(id: $id) { retracted { reason relation { id } } } neighborhood(id: $id) { edges { id } } }', { id: member });
    assert.ok(api.entity.retracted.some((r) => r.relation?.id === edge && r.reason === reason));
    assert.ok(!api.neighborhood.edges.some((e) => e.id === edge));
  });

  it('forgets the key on sign-out', async () => {
    await page.click('#curator');
    await page.waitForFunction(() => document.body.dataset.curator === 'false');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('vetgraph:apiKey')), null);
    assert.ok(await page.locator('#curator-panel').isHidden());
  });
});

describe('playground /', () => {
  it('opens with the example queries, links to the graph page and runs a query', async () => {
    const context = await newContext();
    try {
      const page = watch(await context.newPage());
      await page.goto(`${base}/`);
      await page.locator('.graphiql-container').waitFor();
      assert.ok(await page.locator('.graphiql-tab').count() >= 3, 'example tabs');
      await page.locator('.graphiql-query-editor .view-lines').first().waitFor();
      assert.match(await page.locator('.graphiql-query-editor').innerText(), /重庆工业职业技术学院/);
      assert.equal(await page.locator('a[href="/explore"]').count(), 1);
      await page.locator('.graphiql-execute-button').click();
      await page.waitForFunction(() => document.querySelector('.graphiql-response')?.innerText.includes('成渝地区双城经济圈职业教育协同发展联盟'));
      const answer = await page.locator('.graphiql-response').innerText();
      assert.match(answer, /重庆市教委/);
      assert.match(answer, /重庆工业职业技术学院当选为第一届轮值理事长单位/);
      await page.screenshot({ path: join(artifacts, 'playground.png') });
    } finally {
      await context.close();
    }
  });

  it('is usable on a phone (390×844): the query above the answer', async () => {
    const context = await newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    try {
      const page = watch(await context.newPage());
      await page.goto(`${base}/`);
      await page.locator('.graphiql-query-editor .view-lines').first().waitFor();
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390, 'no sideways scrolling');
      const editor = await page.locator('.graphiql-editors').boundingBox();
      const response = await page.locator('.graphiql-response').boundingBox();
      assert.ok(editor.width >= 300 && response.width >= 300, `editor ${editor.width} px, answer ${response.width} px wide`);
      assert.ok(response.y >= editor.y + editor.height - 1, 'the answer below the query');
      await page.locator('.graphiql-execute-button').tap();
      // (the answer wraps at this width: read it without line breaks)
      await page.waitForFunction(() => (document.querySelector('.graphiql-response')?.innerText || '').replace(/\s+/g, '').includes('联盟职业教育发展研究院'));
      assert.ok(await page.locator('a[href="/explore"]').isVisible(), 'the graph page is a tap away');
      await page.screenshot({ path: join(artifacts, 'playground-390.png') });
    } finally {
      await context.close();
    }
  });
});

describe('offline and compressed', () => {
  it('serves the page’s scripts compressed to a browser that accepts it', async () => {
    const context = await newContext();
    try {
      const page = await context.newPage();
      const encodings = new Map();
      page.on('response', (r) => {
        if (/\/assets\/.*\.(js|css)$/.test(r.url())) encodings.set(r.url(), r.headers()['content-encoding'] || '');
      });
      await page.goto(`${base}/explore`);
      await page.waitForSelector('body[data-ready="true"]');
      assert.ok(encodings.size >= 2);
      for (const [u, e] of encodings) assert.ok(['gzip', 'br'].includes(e), `${u}: Content-Encoding ${e || 'none'}`);
    } finally {
      await context.close();
    }
  });
  it('asked no host but this machine', () => {
    assert.deepEqual(offHost, []);
  });
  it('raised no script error', () => {
    assert.deepEqual(pageErrors, []);
  });
});
