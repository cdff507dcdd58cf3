import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: keep a couple of files at a time so servers and Chromium do not starve.
    maxWorkers: 2,
  },
});
