// Builds the two pages the vetgraph binary serves: the graph page (/explore)
// and the offline GraphiQL playground (/). Output goes to dist/, which is
// committed and embedded into the Go binary (embed.go), so `go build` needs no
// Node. VETGRAPH_WEB_OUT builds elsewhere (check-build.mjs compares the two).
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: resolve(here, 'src'),
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: process.env.VETGRAPH_WEB_OUT || resolve(here, 'dist'),
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
});
