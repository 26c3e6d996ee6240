// Checks that dist/ (committed, embedded into the Go binary) is exactly what a
// fresh build of src/ makes: builds into a temporary folder and compares file
// names and bytes. Run after `npm ci`: `npm run check-build`.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

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
for (const f of a) {
  if (b.has(f) && !readFileSync(join(committed, f)).equals(readFileSync(join(fresh, f)))) {
    problems.push(`dist/${f}: differs from a fresh build`);
  }
}
rmSync(fresh, { recursive: true, force: true });
if (problems.length) {
  console.error(problems.join('\n'));
  console.error('web/dist is stale: run `cd web && npm ci && npm run build` and commit web/dist');
  process.exit(1);
}
console.log(`web/dist matches a fresh build (${a.size} files)`);
