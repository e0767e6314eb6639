import { defineConfig } from 'vitest/config';

// Unit tests (test/shared) and Node tests of the Session, worker and CLI (test/electron), of
// renderer stores (test/renderer), and of the packaging configuration and icons (test/build).
// End-to-end tests are Playwright's (test/e2e); benchmarks are `npm run bench` (test/bench).
export default defineConfig({
  test: {
    include: [
      'test/shared/**/*.test.ts',
      'test/electron/**/*.test.ts',
      'test/renderer/**/*.test.ts',
      'test/build/**/*.test.ts',
    ],
    environment: 'node',
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
