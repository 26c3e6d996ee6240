// Checks that dist/ (committed, embedded into the Go binary) is exactly what a
// fresh build of src/ makes: builds into a temporary folder and compares file
// names and bytes. Compressed forms (name.br, name.gz) are compared by what
// they decompress to, which must be their file's bytes: compressors of other
// versions or processors may choose other bytes for the same content. Run
// after `npm ci`: `npm run check-build`.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

const here = fileURLToPath(new URL('.', import.meta.url));
const committed = join(here, 'dist');
const fresh = mkdtempSync(join(tmpdir(), 'vetgraph-web-'));

function files(dir) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

process.env.VETGRAPH_WEB_OUT = fresh;
const { build } = await import('vite');
await build({ configFile: join(here, 'vite.config.js'), logLevel: 'error' });

const a = new Set(files(committed));
const b = new Set(files(fresh));
const problems = [];
for (const f of a) if (!b.has(f)) problems.push(`dist/${f}: committed, but a fresh build does not make it`);
for (const f of b) if (!a.has(f)) problems.push(`dist/${f}: made by a fresh build, but not committed`);
const content = (dir, f) => {
  const raw = readFileSync(join(dir, f));
  if (f.endsWith('.br')) return brotliDecompressSync(raw);
  if (f.endsWith('.gz')) return gunzipSync(raw);
  return raw;
};
for (const f of a) {
  if (!b.has(f)) continue;
  let same;
  try {
    same = content(committed, f).equals(content(fresh, f));
    if (same && /\.(br|gz)$/.test(f)) same = content(committed, f).equals(readFileSync(join(fresh, f.slice(0, -3))));
  } catch (err) {
    problems.push(`dist/${f}: does not decompress: ${err.message}`);
    continue;
  }
  if (!same) problems.push(`dist/${f}: differs from a fresh build`);
}
rmSync(fresh, { recursive: true, force: true });
if (problems.length) {
  console.error(problems.join('\n'));
  console.error('web/dist is stale: run `cd web && npm ci && npm run build` and commit web/dist');
  process.exit(1);
}
console.log(`web/dist matches a fresh build (${a.size} files)`);
