/**
 * The desktop conventions, in the real UI through the bridge: every menu command reachable from
 * the in-window menu and the keyboard, shortcuts, light and dark themes, settings and column
 * layout that persist, recent files, a damaged settings file, and a grid driven by keys alone.
 * Screenshots land in test-results/screens for review.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { formatAccelerator } from '../../shared/commands/accelerator';
import { acceleratorFor, commandSpec } from '../../shared/commands/commands';
import { menuModel } from '../../shared/commands/menu-model';
import { CORPUS, cell, expect, openFiles, test, watchConsole } from './fixtures';
import { startOwnBridge } from './own-bridge';

const COMBINED = CORPUS + 'apache/elastic-examples_apache_logs_combined.log';
const ERRORS = CORPUS + 'apache/beats_apache_error_test_mixed22_24.log';

const menu = (page: Page, name: string) =>
  page.getByRole('menubar').getByRole('menuitem', { name, exact: true });

async function choose(page: Page, top: string, ...path: string[]): Promise<void> {
  await menu(page, top).click();
  for (const [i, name] of path.entries()) {
    const entry = page.getByRole('menu').locator('button', { hasText: name }).first();
    if (i < path.length - 1) await entry.hover();
    else await entry.click();
  }
}

test('every menu command is in the in-window menu, with its shortcut or why it cannot run', async ({
  app,
}) => {
  for (const top of menuModel('linux', 'bridge')) {
    await menu(app, top.label).click();
    const popup = app.getByRole('menu', { name: top.label });
    for (const node of top.items) {
      if (node.type !== 'command') continue;
      const spec = commandSpec(node.command);
      const entry = popup.locator('.menu-item', { hasText: spec.label }).first();
      await expect(entry, node.command).toBeVisible();
      const accelerator = acceleratorFor(node.command, 'bridge', 'linux');
      if (accelerator !== null)
        await expect(entry.locator('.menu-shortcut')).toHaveText(
          formatAccelerator(accelerator, 'linux'),
        );
    }
    await app.keyboard.press('Escape');
    await expect(popup).toBeHidden();
  }
  await menu(app, 'File').click();
  await expect(app.getByRole('menuitem', { name: /Save Filter Set/ }).first()).not.toHaveAttribute(
    'aria-disabled',
    'true',
  );
  await expect(app.getByRole('menu', { name: 'File' })).not.toContainText(
    'Not in this version yet',
  );
  await app.screenshot({ path: 'test-results/screens/menu-file.png' });
  await app.keyboard.press('Escape');
});

test('the menu bar works from the keyboard alone', async ({ app }) => {
  await openFiles(app, [ERRORS]);
  await expect(app.getByTestId('status-records')).toHaveText('3 records');
  await app.keyboard.press('F10');
  await expect(menu(app, 'File')).toBeFocused();
  await app.keyboard.press('ArrowRight');
  await app.keyboard.press('ArrowRight');
  await expect(menu(app, 'View')).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(app.getByRole('menuitem', { name: 'Columns…' })).toBeFocused();
  // Down to Raw Text: Columns, Reset Column Layout, Record Pane, Raw Text.
  for (let i = 0; i < 3; i++) await app.keyboard.press('ArrowDown');
  await expect(app.getByRole('menuitemcheckbox', { name: 'Raw Text' })).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(app.getByRole('menu')).toHaveCount(0);
  await expect(app.locator('.ag-header-cell[col-id="raw"]')).toBeVisible();
  // Into a submenu and back out: View ▸ Theme ▸ Dark.
  await app.keyboard.press('F10');
  await app.keyboard.press('ArrowLeft');
  await app.keyboard.press('ArrowLeft');
  await expect(menu(app, 'View')).toBeFocused();
  await app.keyboard.press('ArrowDown');
  // Columns, Reset Column Layout, Record Pane, Raw Text, Filters, Groups, Timeline, Theme.
  for (let i = 0; i < 7; i++) await app.keyboard.press('ArrowDown');
  await expect(app.getByRole('menuitem', { name: 'Theme' })).toBeFocused();
  await app.keyboard.press('ArrowRight');
  await expect(app.getByRole('menuitemradio', { name: 'Follow System' })).toBeFocused();
  await app.keyboard.press('ArrowDown');
  await app.keyboard.press('ArrowDown');
  await app.keyboard.press('Enter');
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'dark');
  await app.keyboard.press('F10');
  await app.keyboard.press('Escape');
  await expect(app.getByRole('menu')).toHaveCount(0);
});

test('keyboard shortcuts do what the menus say', async ({ app, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const chooser = app.waitForEvent('filechooser');
  await app.keyboard.press('Control+o');
  await (await chooser).setFiles([COMBINED]);
  await expect(app.getByTestId('status-records')).toHaveText('10,000 records');

  await app.keyboard.press('F4');
  await expect(app.getByTestId('detail')).toHaveCount(0);
  await app.keyboard.press('F4');
  await expect(app.getByTestId('detail')).toBeVisible();

  await cell(app, 2, 'srcIp').click();
  await expect(app.getByTestId('detail-where')).toContainText('line 3');
  await app.keyboard.press('Control+c');
  expect(await app.evaluate(() => navigator.clipboard.readText())).toBe('83.149.9.216');
  await app.keyboard.press('Control+Shift+C');
  await expect(app.getByTestId('notice')).toContainText('Copied line 3 of elastic-examples');
  expect(await app.evaluate(() => navigator.clipboard.readText())).toMatch(
    /^83\.149\.9\.216 - - \[17\/May\/2015:10:05:47 \+0000\] "GET \/presentations/,
  );

  await app.keyboard.press('Control+/');
  const shortcuts = app.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(shortcuts.getByRole('row', { name: /Copy Row/ })).toContainText('Ctrl+Shift+C');
  await expect(shortcuts.getByRole('row', { name: /Close File/ })).toContainText('Alt+W');
  await app.keyboard.press('Escape');
  await expect(shortcuts).toBeHidden();

  await app.keyboard.press('Control+,');
  await expect(app.getByRole('dialog', { name: 'Settings' })).toBeVisible();
  await app.keyboard.press('Escape');

  // Save Filter Set downloads the set in a browser.
  const download = app.waitForEvent('download');
  await app.keyboard.press('Control+s');
  expect((await download).suggestedFilename()).toBe('Untitled-filter-set.logsieve-filters.json');
  await expect(app.getByTestId('notice')).toContainText('Downloaded the filter set');

  await app.keyboard.press('Alt+w');
  await expect(app.getByTestId('dropzone')).toBeVisible();
});

test('the grid is driven by the keyboard, and the record pane follows', async ({ app }) => {
  await openFiles(app, [COMBINED]);
  await expect(app.getByTestId('status-records')).toHaveText('10,000 records');
  await cell(app, 0, 'line').click();
  await expect(app.getByTestId('detail-where')).toContainText('line 1,');
  await app.keyboard.press('ArrowDown');
  await app.keyboard.press('ArrowDown');
  await expect(app.getByTestId('detail-where')).toContainText('line 3,');
  await app.keyboard.press('PageDown');
  await expect(app.getByTestId('detail-where')).not.toContainText('line 3,');
  await app.keyboard.press('Control+End');
  await expect(app.getByTestId('detail-where')).toContainText('line 10,000');
  await expect(cell(app, 9999, 'line')).toHaveText('10000');
  await expect(app.locator('.ag-cell-focus')).toBeVisible();
  // In a text field the same keys move the caret; they do not jump.
  await app.keyboard.press('Control+g');
  const box = app.getByRole('dialog', { name: 'Go to line' }).getByRole('textbox');
  await box.fill('12');
  await app.keyboard.press('Control+Home');
  await app.keyboard.type('3');
  await expect(box).toHaveValue('312');
  await app.keyboard.press('Escape');
  await expect(app.getByTestId('detail-where')).toContainText('line 10,000');
  await app.keyboard.press('Control+Home');
  await expect(app.getByTestId('detail-where')).toContainText('line 1,');
  await expect(cell(app, 0, 'line')).toBeVisible();
});

test('the theme follows the system until the user picks one, and the choice is kept', async ({
  app,
}) => {
  const html = app.locator('html');
  await app.emulateMedia({ colorScheme: 'dark' });
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await app.emulateMedia({ colorScheme: 'light' });
  await expect(html).toHaveAttribute('data-theme', 'light');
  await choose(app, 'View', 'Theme', 'Dark');
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await expect(app.locator('body')).toHaveAttribute('data-ag-theme-mode', 'dark');
  await app.reload();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await menu(app, 'View').click();
  await app.getByRole('menuitem', { name: 'Theme' }).hover();
  await expect(app.getByRole('menuitemradio', { name: 'Dark' })).toHaveAttribute(
    'aria-checked',
    'true',
  );
  await app.keyboard.press('Escape');
  await app.keyboard.press('Escape');
  await openFiles(app, [ERRORS]);
  await expect(cell(app, 0, 'level')).toHaveText('error');
  await app.screenshot({ path: 'test-results/screens/dark.png' });
  await choose(app, 'View', 'Theme', 'Follow System');
  await expect(html).toHaveAttribute('data-theme', 'light');
  await app.screenshot({ path: 'test-results/screens/light.png' });
});

test('is readable at 200 % zoom, in both themes', async ({ browser, baseURL }) => {
  // A 1280 × 800 window at 200 %: half the CSS pixels, each drawn twice as large.
  const context = await browser.newContext({
    ...(baseURL === undefined ? {} : { baseURL }),
    viewport: { width: 640, height: 400 },
    deviceScaleFactor: 2,
    colorScheme: 'dark',
  });
  const page = await context.newPage();
  const problems = watchConsole(page);
  await page.goto('/?token=e2e-token');
  await openFiles(page, [ERRORS]);
  await expect(cell(page, 0, 'level')).toHaveText('error');
  await page.screenshot({ path: 'test-results/screens/zoom-200-dark.png' });
  await menu(page, 'View').click();
  // The menu fits the window or scrolls; its last item can be reached.
  await page.getByRole('menuitem', { name: 'Full Screen' }).scrollIntoViewIfNeeded();
  await expect(page.getByRole('menuitem', { name: 'Full Screen' })).toBeInViewport();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+,');
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await expect(settings.getByRole('button', { name: 'Close' })).toBeInViewport();
  await page.screenshot({ path: 'test-results/screens/zoom-200-settings.png' });
  await page.keyboard.press('Escape');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.screenshot({ path: 'test-results/screens/zoom-200-light.png' });
  await context.close();
  expect(problems).toEqual([]);
});

test('column layout and record pane come back after a reload; Columns works by keyboard', async ({
  app,
}) => {
  await openFiles(app, [COMBINED]);
  await expect(app.getByTestId('status-records')).toHaveText('10,000 records');
  const header = app.locator('.ag-header-cell[col-id="srcIp"]');
  await expect(header).toBeVisible();
  const before = (await header.boundingBox())!.width;
  const handle = header.locator('.ag-header-cell-resize');
  const box = (await handle.boundingBox())!;
  await app.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await app.mouse.down();
  await app.mouse.move(box.x + 80, box.y + box.height / 2, { steps: 5 });
  await app.mouse.up();
  await expect
    .poll(async () => (await header.boundingBox())?.width ?? 0)
    .toBeGreaterThan(before + 60);
  const widened = (await header.boundingBox())!.width;

  await choose(app, 'View', 'Columns…');
  const columns = app.getByRole('dialog', { name: /Columns: Apache access log/ });
  await columns.getByRole('checkbox', { name: 'Tags' }).press('Space');
  await columns.getByRole('button', { name: 'Move Source IP earlier' }).click();
  await app.keyboard.press('Escape');
  await app.keyboard.press('F4');
  await expect(app.getByTestId('detail')).toHaveCount(0);

  await app.reload();
  await openFiles(app, [COMBINED]);
  await expect(app.getByTestId('status-records')).toHaveText('10,000 records');
  await expect(header).toBeVisible();
  await expect.poll(async () => (await header.boundingBox())?.width ?? 0).toBeCloseTo(widened, -1);
  await expect(app.locator('.ag-header-cell[col-id="marks"]')).toHaveCount(0);
  const order = await app
    .locator('.ag-header-cell')
    .evaluateAll((cells) => cells.map((c) => c.getAttribute('col-id')));
  expect(order.indexOf('srcIp')).toBeLessThan(order.indexOf('time'));
  await expect(app.getByTestId('detail')).toHaveCount(0);

  await choose(app, 'View', 'Reset Column Layout');
  await expect(app.locator('.ag-header-cell[col-id="marks"]')).toBeVisible();
});

test('shows times in the time zone chosen in Settings', async ({ app }) => {
  await openFiles(app, [COMBINED]);
  await expect(cell(app, 0, 'time')).toHaveText('2015-05-17 10:05:03.000');
  await app.keyboard.press('Control+,');
  const zone = app.getByRole('dialog', { name: 'Settings' }).getByLabel('Show times in');
  await zone.fill('Nowhere/Special');
  await expect(app.getByRole('dialog', { name: 'Settings' })).toContainText('Not a time zone');
  await zone.fill('Europe/Berlin');
  await app.keyboard.press('Escape');
  await expect(cell(app, 0, 'time')).toHaveText('2015-05-17 12:05:03.000');
  await expect(app.locator('.ag-header-cell[col-id="time"]')).toContainText('Time (Europe/Berlin)');
  await expect(app.getByTestId('status-bar')).toContainText('Europe/Berlin');
});

test.describe('with a bridge of its own', () => {
  let userData: string;
  test.beforeEach(() => {
    userData = mkdtempSync(join(tmpdir(), 'logsieve-e2e-user-'));
  });
  test.afterEach(() => {
    rmSync(userData, { recursive: true, force: true });
  });

  test('offers files opened by path again after a restart, and clears them', async ({ page }) => {
    const problems = watchConsole(page);
    let bridge = await startOwnBridge(userData, [ERRORS]);
    await page.goto(bridge.url);
    await expect(cell(page, 0, 'level')).toHaveText('error');
    await choose(page, 'File', 'Open Recent');
    await expect(page.getByRole('menu', { name: 'Open Recent' })).toContainText(
      'beats_apache_error_test_mixed22_24.log',
    );
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    // Leave the page before its bridge stops, or its event socket reports the lost connection.
    await page.goto('about:blank');
    await bridge.stop();

    bridge = await startOwnBridge(userData);
    await page.goto(bridge.url);
    const recent = page.getByRole('region', { name: 'Recent files' });
    await expect(recent).toContainText('beats_apache_error_test_mixed22_24.log');
    await recent.getByRole('button', { name: 'beats_apache_error_test_mixed22_24.log' }).click();
    await expect(cell(page, 1, 'code')).toHaveText('AH00094');
    await choose(page, 'File', 'Open Recent', 'Clear Recent');
    await choose(page, 'File', 'Open Recent');
    await expect(page.getByRole('menu', { name: 'Open Recent' })).toContainText('No Recent Files');
    await page.goto('about:blank');
    await bridge.stop();
    expect(problems).toEqual([]);
  });

  test('starts with default settings and says why when the settings file is damaged', async ({
    page,
  }) => {
    const problems = watchConsole(page);
    writeFileSync(
      join(userData, 'settings.json'),
      '{"logsieve":"settings","version":1,"theme":"da',
    );
    const bridge = await startOwnBridge(userData);
    await page.goto(bridge.url);
    const alert = page.getByTestId('settings-problems');
    await expect(alert).toContainText('The settings file is not valid JSON');
    await expect(alert).toContainText('settings.bad.json');
    await page.screenshot({ path: 'test-results/screens/settings-damaged.png' });
    await alert.getByRole('button', { name: 'Dismiss' }).click();
    await expect(alert).toBeHidden();
    // The app works, and its next change is saved over the repaired file.
    await choose(page, 'View', 'Theme', 'Dark');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect
      .poll(
        () =>
          (JSON.parse(readFileSync(join(userData, 'settings.json'), 'utf8')) as { theme: string })
            .theme,
      )
      .toBe('dark');
    expect(readFileSync(join(userData, 'settings.bad.json'), 'utf8')).toContain('"theme":"da');
    await page.goto('about:blank');
    await bridge.stop();
    expect(problems).toEqual([]);
  });

  test('leaves settings from a newer LogSieve alone and says changes are not saved', async ({
    page,
  }) => {
    const newer = '{"logsieve":"settings","version":99,"theme":"dark"}';
    writeFileSync(join(userData, 'settings.json'), newer);
    const bridge = await startOwnBridge(userData);
    await page.goto(bridge.url);
    await expect(page.getByTestId('settings-problems')).toContainText('newer LogSieve');
    await choose(page, 'View', 'Theme', 'Light');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    await page.keyboard.press('Control+,');
    await expect(page.getByRole('dialog', { name: 'Settings' })).toContainText('not saved');
    await page.goto('about:blank');
    await bridge.stop();
    expect(readFileSync(join(userData, 'settings.json'), 'utf8')).toBe(newer);
  });
});

test('About says what LogSieve does not do', async ({ app }) => {
  await choose(app, 'Help', 'About LogSieve');
  const about = app.getByRole('dialog', { name: 'About LogSieve' });
  await expect(about).toContainText('no update checks, no crash reports, no telemetry');
  await expect(about.getByTestId('about-versions')).toContainText('Browser bridge');
});
