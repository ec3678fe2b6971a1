import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/**
 * Writes a brotli (.br) and a gzip (.gz) copy beside each text file of the build, compressed once at the
 * strongest setting, so the platform sends them without compressing on every request.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'yiwang-precompress',
    apply: 'build',
    configResolved(config) { outDir = path.resolve(config.root, config.build.outDir); },
    async closeBundle() {
      const files = (await fs.readdir(outDir, { recursive: true })).filter((f) => /\.(js|mjs|css|html|svg|json|txt)$/.test(f));
      await Promise.all(files.map(async (file) => {
        const full = path.join(outDir, file);
        const bytes = await fs.readFile(full);
        if (bytes.length < 1024) return;
        await fs.writeFile(`${full}.br`, await brotli(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }));
        await fs.writeFile(`${full}.gz`, await gzip(bytes, { level: 9 }));
      }));
    },
  };
}

// The console is served by the platform's own process from web/dist; during `vite` development the API
// calls go to a running platform (YIWANG_API, the default port otherwise).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react(), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: Object.fromEntries(['/api', '/docs', '/openapi.json', '/open311', '/hub', '/credentials'].map((prefix) =>
      [prefix, process.env.YIWANG_API ?? 'http://127.0.0.1:3000'])),
  },
});
