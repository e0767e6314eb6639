/**
 * The page fixture for bridge tests: opens the app with the bridge token, starts every test with
 * no file open and the default settings, and fails the test on any console error or warning or
 * uncaught exception.
 */
import { test as base, expect } from '@playwright/test';
import type { Page } from '@playwright/test';

export { CORPUS } from '../helpers/corpus';
export const TOKEN = 'e2e-token';

async function closeEverything(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const call = async (method: string, args: unknown[]): Promise<unknown> => {
      const response = await fetch(`api/${method}`, { method: 'POST', body: JSON.stringify(args) });
      const result = (await response.json()) as { ok: boolean; value: unknown };
      return result.value;
    };
    const files = (await call('listFiles', [])) as { id: number }[];
    for (const file of files) await call('closeFile', [file.id]);
    // Settings live in the bridge for the whole run: put back what a test may have changed.
    const snapshot = (await call('getSettings', [])) as {
      settings: { columnLayouts: Record<string, unknown> };
    };
    await call('changeSettings', [
      {
        theme: 'system',
        displayTimeZone: 'UTC',
        exportTarget: 'httpd',
        exportLogName: 'main',
        detailPane: true,
        showRaw: false,
      },
    ]);
    for (const key of Object.keys(snapshot.settings.columnLayouts))
      await call('changeSettings', [{ columnLayout: { key, columns: null } }]);
    await call('clearRecent', ['files']);
  });
}

/** Collects console errors and warnings and uncaught exceptions of a page. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  return problems;
}

export const test = base.extend<{ app: Page }>({
  app: async ({ page }, use) => {
    const problems = watchConsole(page);
    await page.goto(`/?token=${TOKEN}`);
    await closeEverything(page);
    await page.reload();
    await expect(page.getByTestId('dropzone')).toBeVisible();
    await use(page);
    expect(problems, 'console errors and warnings').toEqual([]);
  },
});

export { expect };

/** Opens files through the file picker (the Open… button's input). */
export async function openFiles(page: Page, paths: string[]): Promise<void> {
  await page.getByTestId('file-input').setInputFiles(paths);
}

/** The grid cell of a row (by row index in the view) and column id. */
export function cell(page: Page, row: number, column: string) {
  return page.locator(
    `.ag-grid-scrolling-container .ag-row[row-index="${row}"] [col-id="${column}"]`,
  );
}
