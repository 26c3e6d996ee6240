// Measures what /explore costs a first visit: first contentful paint (FCP)
// and the JavaScript it ships, in Debian's Chromium driven by playwright-core,
// against a running vetgraph. Not a test (nothing is asserted): numbers for
// docs/explore-page.md.
//
//   VETGRAPH_URL=http://127.0.0.1:8080 node measure.mjs [runs]
//
// Each run is a fresh browser profile (empty cache). Two profiles of the
// network: this machine as it is, and a throttled link (1.6 Mbit/s down,
// 150 ms latency, the CPU slowed 4×), where bytes shipped show in the FCP.
// JS shipped: per script the bytes on the wire (Resource Timing's
// transferSize, so compressed when the server compresses) and decoded.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

const base = (process.env.VETGRAPH_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
const runs = Number(process.argv[2] || 5);
const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const args = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const profiles = {
  local: null,
  throttled: { latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8, cpu: 4 },
};

async function once(profile) {
  const dir = mkdtempSync(join(tmpdir(), 'vetgraph-measure-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath, headless: true, args, viewport: { width: 1440, height: 900 },
  });
  try {
    const page = await context.newPage();
    // When the page says it is ready (body[data-ready]): its script ran and
    // the first API answer (the relationship types) arrived.
    await page.addInitScript(() => {
      new MutationObserver((_, obs) => {
        if (document.body?.dataset.ready === 'true') {
          window.__vgReady = performance.now();
          obs.disconnect();
        }
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'] });
    });
    if (profile) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false, latency: profile.latency,
        downloadThroughput: profile.downloadThroughput, uploadThroughput: profile.uploadThroughput,
      });
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpu });
    }
    await page.goto(`${base}/explore`, { waitUntil: 'load' });
    await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
    return await page.evaluate(() => {
      const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null;
      const scripts = performance.getEntriesByType('resource')
        .filter((r) => /\.m?js(\?|$)/.test(r.name))
        .map((r) => ({ name: r.name.replace(/^.*\//, ''), transfer: r.transferSize, encoded: r.encodedBodySize, decoded: r.decodedBodySize }));
      const nav = performance.getEntriesByType('navigation')[0];
      return { fcp, scripts, load: nav.loadEventEnd, ready: window.__vgReady };
    });
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

for (const [name, profile] of Object.entries(profiles)) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await once(profile));
  const last = results.at(-1);
  const wire = last.scripts.reduce((a, s) => a + s.encoded, 0);
  const decoded = last.scripts.reduce((a, s) => a + s.decoded, 0);
  console.log(`${name}: FCP median ${median(results.map((r) => r.fcp)).toFixed(0)} ms ` +
    `(runs: ${results.map((r) => r.fcp.toFixed(0)).join(', ')}); load median ${median(results.map((r) => r.load)).toFixed(0)} ms; ` +
    `ready median ${median(results.map((r) => r.ready)).toFixed(0)} ms`);
  console.log(`  JS at first visit: ${last.scripts.length} file(s), ${(wire / 1024).toFixed(1)} KiB on the wire, ${(decoded / 1024).toFixed(1)} KiB decoded`);
  for (const s of last.scripts) console.log(`    ${s.name}: ${(s.encoded / 1024).toFixed(1)} KiB wire, ${(s.decoded / 1024).toFixed(1)} KiB decoded`);
}
