import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const alias = [
  { find: /^guanxi$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
  { find: /^guanxi\/(.*)$/, replacement: fileURLToPath(new URL('./src/$1/index.ts', import.meta.url)) },
];

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/browser/**', 'test/e2e/**'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        resolve: { alias },
        test: {
          // Real headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core.
          name: 'browser',
          include: ['test/browser/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
