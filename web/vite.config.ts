import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

/** Writes a .gz next to every text asset so the server can send it pre-compressed (@fastify/static preCompressed). */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'vigil-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const walk = (dir: string): void => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
          const file = path.join(dir, entry.name);
          if (entry.isDirectory()) walk(file);
          else if (/\.(js|mjs|css|svg|json)$/.test(entry.name)) fs.writeFileSync(`${file}.gz`, zlib.gzipSync(fs.readFileSync(file), { level: 9 }));
        }
      };
      if (fs.existsSync(path.join(outDir, 'static'))) walk(path.join(outDir, 'static'));
    },
  };
}

// The web application: built into web/dist and served by the Vigil process (src/web). `npm start` builds it
// when its sources are newer than the build; `npm run dev:web` serves it with hot reload against a running Vigil.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [precompress()],
  build: {
    outDir: 'dist',
    assetsDir: 'static',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    sourcemap: false,
  },
  server: {
    proxy: { '/api': { target: process.env.VIGIL_URL ?? 'http://127.0.0.1:8080', changeOrigin: false } },
  },
});
