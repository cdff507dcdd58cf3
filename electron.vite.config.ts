import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      // The Electron main process and the `paylens` CLI share the engine; both are Node bundles.
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          cli: resolve(__dirname, 'src/cli/index.ts'),
          // The analytics import parses files in a worker thread (src/core/sessions/worker.ts finds it by this name).
          'import-worker': resolve(__dirname, 'src/core/sessions/worker-entry.ts'),
          // Checkpoints of the WAL run on their own thread (src/core/db/checkpointer.ts).
          'checkpoint-worker': resolve(__dirname, 'src/core/db/checkpoint-worker.ts'),
          // Reports for the API run on their own thread (src/core/reports/report-worker.ts).
          'report-worker': resolve(__dirname, 'src/core/reports/worker-entry.ts'),
        },
      },
    },
  },
  preload: {
    build: { rollupOptions: { input: { index: resolve(__dirname, 'src/preload/index.ts') } } },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: { rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } } },
    plugins: [react()],
  },
});
