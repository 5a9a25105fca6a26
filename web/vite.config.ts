import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The web UI. `npm start` builds it (server/src/web-build.ts) when its sources changed; during
// UI work, `npm run web:dev` serves it with hot reload and proxies the API to a running server.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    // npm start builds into dist/<hash> itself; a manual `vite build` goes here, out of its way.
    outDir: 'dist/manual',
    target: 'es2022',
    sourcemap: true,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: { '/api': { target: process.env.FIREBREAK_API_URL ?? 'http://localhost:3000', changeOrigin: false } },
  },
});
