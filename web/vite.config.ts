import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

// The console is served by the platform's own process from web/dist; during `vite` development the API
// calls go to a running platform (YIWANG_API, the default port otherwise).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
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
