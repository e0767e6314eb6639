/**
 * End-to-end tests of the real renderer in Debian's Chromium, through the local bridge (the
 * same Session the desktop app uses). The Electron-window specs need the Electron runtime and skip,
 * saying why, where it is absent. Run after `npm run build` (the `test` script does).
 */
import { defineConfig } from '@playwright/test';

/** Another checkout's tests can run beside these on another port (LOGSIEVE_E2E_PORT). */
export const BRIDGE_PORT = Number(process.env.LOGSIEVE_E2E_PORT ?? 4173);
export const BRIDGE_TOKEN = 'e2e-token';

export default defineConfig({
  testDir: 'test/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  outputDir: 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${BRIDGE_PORT}`,
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: `node out/main/bridge.js --port ${BRIDGE_PORT} --token ${BRIDGE_TOKEN}`,
    url: `http://127.0.0.1:${BRIDGE_PORT}/?token=${BRIDGE_TOKEN}`,
    // Never someone else's bridge: a server already on the port may serve another build.
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
  },
  projects: [
    { name: 'chromium', testIgnore: /electron\.spec\.ts/, use: { browserName: 'chromium' } },
    { name: 'electron', testMatch: /electron\.spec\.ts/ },
  ],
});
