// vite.config.ts — builds the UI into hashed files under /assets/ that the
// server embeds (cmake/web.cmake passes --outDir). No inline script or
// style is emitted, so the strict CSP (src/server/ui.h) holds.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    target: 'es2022',
    assetsDir: 'assets',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: false,
  },
});
