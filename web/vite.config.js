// Builds the two pages the vetgraph binary serves: the graph page (/explore)
// and the offline GraphiQL playground (/). Output goes to dist/, which is
// committed and embedded into the Go binary (embed.go), so `go build` needs no
// Node. VETGRAPH_WEB_OUT builds elsewhere (check-build.mjs compares the two).
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const outDir = process.env.VETGRAPH_WEB_OUT || resolve(here, 'dist');

// precompress writes each compressible asset of at least 1 KiB compressed
// beside it, name.br (brotli, quality 11) and name.gz (gzip, level 9), when
// that saves at least a tenth: the server sends them to clients that accept
// them (web.go), so nothing is compressed per request. Node's zlib does it;
// the gzip header carries no time and names Unix as its system, so the
// bytes do not depend on when the build ran.
function precompress() {
  return {
    name: 'vetgraph-precompress',
    apply: 'build',
    closeBundle() {
      const dir = join(outDir, 'assets');
      for (const name of readdirSync(dir).sort()) {
        if (!/\.(js|css|ttf|svg|json|wasm)$/.test(name)) continue;
        const file = join(dir, name);
        if (statSync(file).size < 1024) continue;
        const src = readFileSync(file);
        const br = brotliCompressSync(src, {
          params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: src.length },
        });
        const gz = gzipSync(src, { level: 9 });
        gz[9] = 3; // OS: Unix, wherever it was built
        if (br.length <= src.length * 0.9) writeFileSync(`${file}.br`, br);
        if (gz.length <= src.length * 0.9) writeFileSync(`${file}.gz`, gz);
      }
    },
  };
}

export default defineConfig({
  root: resolve(here, 'src'),
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir,
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    // GraphiQL's editor (Monaco) is large; that is expected.
    chunkSizeWarningLimit: 4096,
    rolldownOptions: {
      // framer-motion (a GraphiQL dependency) marks modules "use client",
      // which means nothing in a plain browser bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
      input: {
        explore: resolve(here, 'src/explore.html'),
        playground: resolve(here, 'src/playground.html'),
      },
    },
  },
  worker: { format: 'es' },
  plugins: [precompress()],
});
