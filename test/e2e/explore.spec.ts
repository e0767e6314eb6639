/**
 * The admin's working surface in the real UI, through the bridge and the real Session: hide a
 * source IP from the grid's context menu, save the filter set and open it again after a reload,
 * group by certificate host, search with a regular expression, and drag a time window on the
 * timeline. Screenshots land in /tmp for review.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, openFiles, cell, CORPUS } from './fixtures';

const COMBINED = CORPUS + 'apache/elastic-examples_apache_logs_combined.log';
const PROXYSG = CORPUS + 'elff/stroom-docs_sampleBluecoat.log';

async function openCombined(app: Page): Promise<void> {
  await openFiles(app, [COMBINED]);
  await expect(app.getByTestId('status-records')).toHaveText('10,000 records');
  await expect(app.getByTestId('filter-summary')).toHaveText(
    '10,000 of 10,000 records shown, 0 hidden',
  );
  await expect(cell(app, 0, 'srcIp')).toHaveText('83.149.9.216');
}

async function hideFirstSourceIp(app: Page): Promise<void> {
  await cell(app, 0, 'srcIp').click({ button: 'right' });
  const menu = app.getByRole('menu', { name: 'Row actions' });
  await expect(menu).toBeVisible();
  await expect(menu.getByRole('menuitem').first()).toHaveText(
    'Hide rows with source IP 83.149.9.216',
  );
  await menu.getByRole('menuitem', { name: 'Hide rows with source IP 83.149.9.216' }).click();
  await expect(menu).toBeHidden();
}

const HIDDEN_SUMMARY = '9,977 of 10,000 records shown, 23 hidden';

test('right-click a source IP, hide it: the counts and the grid change; undo and redo', async ({
  app,
}) => {
  await openCombined(app);
  await hideFirstSourceIp(app);
  await expect(app.getByTestId('filter-summary')).toHaveText(HIDDEN_SUMMARY);
  const rule = app.getByTestId('rule-hide-83.149.9.216');
  await expect(rule).toContainText('source IP 83.149.9.216');
  await expect(rule.getByTestId('rule-counts')).toHaveText('hides 23 rows');
  await expect(cell(app, 0, 'srcIp')).not.toHaveText('83.149.9.216');
  await expect(cell(app, 0, 'line')).toHaveText('24');
  await expect(app.getByTestId('filters-panel')).toContainText('•');
  await app.screenshot({ path: '/tmp/explore-hidden-ip.png' });

  // Switching the rule off shows the rows again, and says what it would hide.
  await rule.getByRole('checkbox').uncheck();
  await expect(app.getByTestId('filter-summary')).toHaveText(
    '10,000 of 10,000 records shown, 0 hidden',
  );
  await expect(rule.getByTestId('rule-counts')).toHaveText('off: would hide 23 rows');
  await expect(cell(app, 0, 'line')).toHaveText('1');

  // Undo (outside a text field) switches it on again; redo off.
  await cell(app, 1, 'line').click();
  await app.keyboard.press('Control+z');
  await expect(app.getByTestId('filter-summary')).toHaveText(HIDDEN_SUMMARY);
  await app.keyboard.press('Control+Shift+z');
  await expect(app.getByTestId('filter-summary')).toHaveText(
    '10,000 of 10,000 records shown, 0 hidden',
  );

  // "Show only hidden" shows exactly the rows the rule hides; the master switch shows all.
  await rule.getByRole('checkbox').check();
  await app.getByRole('checkbox', { name: 'Show only hidden' }).check();
  await expect(app.getByTestId('filter-summary')).toHaveText(
    'Showing only the 23 hidden rows of 10,000',
  );
  await expect(cell(app, 0, 'srcIp')).toHaveText('83.149.9.216');
  await app.getByRole('checkbox', { name: 'Show only hidden' }).uncheck();
  await app.getByRole('checkbox', { name: 'Filters on' }).uncheck();
  await expect(app.getByTestId('filter-summary')).toContainText('Filters off');
  await expect(cell(app, 0, 'srcIp')).toHaveText('83.149.9.216');
});

test('the selected record is followed into a new view, or marked hidden by it', async ({ app }) => {
  await openCombined(app);
  await hideFirstSourceIp(app);
  await expect(app.getByTestId('filter-summary')).toHaveText(HIDDEN_SUMMARY);
  const where = app.getByTestId('detail-where');
  const selectedLine = app.locator('.ag-row-selected [col-id="line"]').first();
  await cell(app, 0, 'line').click();
  await expect(where).toContainText('line 24,');

  // Showing the 23 rows above it moves the record down; it stays selected and in the pane.
  const rule = app.getByTestId('rule-hide-83.149.9.216');
  await rule.getByRole('checkbox').uncheck();
  await expect(app.getByTestId('filter-summary')).toHaveText(
    '10,000 of 10,000 records shown, 0 hidden',
  );
  await expect(selectedLine).toHaveText('24');
  await expect(where).toContainText('line 24,');
  await expect(app.getByTestId('detail-hidden')).toHaveCount(0);

  // A record the filters now hide stays in the pane, marked as hidden.
  await app.getByRole('button', { name: 'First' }).click();
  await expect(where).toContainText('line 1,');
  await rule.getByRole('checkbox').check();
  await expect(app.getByTestId('detail-hidden')).toHaveText(
    'The current filters hide this record; it stays here for reference.',
  );
  await expect(where).toContainText('line 1,');
  await app.screenshot({ path: '/tmp/explore-selected-hidden.png' });

  // Shown again, it is selected again.
  await rule.getByRole('checkbox').uncheck();
  await expect(app.getByTestId('detail-hidden')).toHaveCount(0);
  await expect(selectedLine).toHaveText('1');
});

test('the cell menu opens from the keyboard (Shift+F10) and adds a subnet rule', async ({
  app,
}) => {
  await openCombined(app);
  await cell(app, 0, 'srcIp').click();
  await app.keyboard.press('Shift+F10');
  const menu = app.getByRole('menu', { name: 'Row actions' });
  await expect(menu).toBeVisible();
  await expect(menu.getByRole('menuitem').first()).toBeFocused();
  await app.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem').nth(1)).toHaveText(
    'Hide rows from this subnet 83.149.9.0/24',
  );
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('filter-summary')).toHaveText(HIDDEN_SUMMARY);
  await expect(app.getByTestId('rule-hide-83.149.9.0-24')).toBeVisible();
});

test('save the filter set, reload the app, open the set: the same result', async ({ app }) => {
  await openCombined(app);
  await hideFirstSourceIp(app);
  await expect(app.getByTestId('filter-summary')).toHaveText(HIDDEN_SUMMARY);

  const download = app.waitForEvent('download');
  await app.keyboard.press('Control+s');
  const saved = join(mkdtempSync(join(tmpdir(), 'logsieve-e2e-')), 'noise.logsieve-filters.json');
  await (await download).saveAs(saved);
  await expect(app.getByTestId('notice')).toContainText('Downloaded the filter set');
  const text = readFileSync(saved, 'utf8');
  expect(JSON.parse(text)).toMatchObject({
    logsieve: 'filter-set',
    version: 1,
    rules: [{ id: 'hide-83.149.9.216', action: 'hide', when: { srcIp: ['83.149.9.216'] } }],
  });
  await expect(app.getByTestId('filters-panel')).not.toContainText('•');

  await app.reload();
  await expect(app.getByTestId('status-records')).toHaveText('10,000 records');
  await expect(app.getByTestId('filter-summary')).toHaveText(
    '10,000 of 10,000 records shown, 0 hidden',
  );
  await expect(cell(app, 0, 'srcIp')).toHaveText('83.149.9.216');

  await app.getByTestId('filter-set-input').setInputFiles(saved);
  await expect(app.getByTestId('filter-summary')).toHaveText(HIDDEN_SUMMARY);
  await expect(app.getByTestId('rule-hide-83.149.9.216')).toContainText('hides 23 rows');
  await expect(cell(app, 0, 'line')).toHaveText('24');

  // A damaged file changes nothing and says where it is wrong.
  const bad = join(mkdtempSync(join(tmpdir(), 'logsieve-e2e-')), 'bad.logsieve-filters.json');
  writeFileSync(bad, text.replace('"hide"', '"hyde"'));
  await app.getByTestId('filter-set-input').setInputFiles(bad);
  await expect(app.getByTestId('notice')).toContainText('bad.logsieve-filters.json was not opened');
  await expect(app.getByTestId('filter-summary')).toHaveText(HIDDEN_SUMMARY);
});

test('group by certificate host on the ProxySG log, then by host, and select a group', async ({
  app,
}) => {
  // A ProxySG access log with the certificate host column, as SSL-intercepting proxies write.
  const dir = mkdtempSync(join(tmpdir(), 'logsieve-e2e-'));
  const ssl = join(dir, 'proxysg_ssl.log');
  const line = (ip: string, cert: string) =>
    `2024-03-05 08:14:0${cert.length % 10} 5 ${ip} 200 TCP_TUNNELED 100 200 CONNECT tcp ${cert} 443 / - DIRECT ${cert}\n`;
  writeFileSync(
    ssl,
    '#Software: SGOS 6.7.4.1\n#Version: 1.0\n' +
      '#Fields: date time time-taken c-ip sc-status s-action sc-bytes cs-bytes cs-method cs-uri-scheme cs-host cs-uri-port cs-uri-path cs-username s-hierarchy x-rs-certificate-hostname\n' +
      line('10.1.1.1', 'gw.example.com').repeat(5) +
      line('10.1.1.2', 'mail.example.org').repeat(3) +
      line('10.1.1.3', 'gw.example.com').repeat(2),
  );
  await openFiles(app, [PROXYSG]);
  await expect(app.getByTestId('status-records')).toHaveText('33 records');
  await app.getByRole('tab', { name: 'Groups' }).click();
  const groups = app.getByTestId('groups-panel');
  await groups.getByRole('combobox', { name: 'Group by' }).selectOption('cert-host');
  await expect(groups.getByTestId('groups-table')).toHaveAttribute(
    'aria-label',
    'Groups by Certificate host',
  );
  // This corpus log has no certificate host column: every row is in the "(no value)" group.
  await expect(groups.getByTestId('group-row')).toHaveCount(1);
  await expect(groups.getByTestId('group-row').first()).toContainText('(no value)');
  await expect(groups.getByTestId('group-row').first()).toContainText('33');

  await groups.getByRole('combobox', { name: 'Group by' }).selectOption('host');
  const first = groups.getByTestId('group-row').first();
  await expect(first).toContainText('www.inmobus.com');
  await expect(first).toContainText('21');
  await first.click();
  await expect(groups.getByTestId('groups-summary')).toContainText('1 selected');
  await expect(cell(app, 0, 'host')).toHaveText('www.inmobus.com');
  await app.screenshot({ path: '/tmp/explore-groups-proxysg.png' });
  await app.getByRole('tab', { name: 'Filters' }).click();
  await expect(app.getByTestId('filter-summary')).toContainText('33 of 33 records shown');
  await expect(app.getByTestId('selection-summary')).toHaveText(
    '21 rows in the selected groups, time window and files',
  );
  await app.getByRole('tab', { name: 'Groups' }).click();
  await groups.getByRole('button', { name: 'Clear selection' }).click();
  await expect(groups.getByTestId('groups-summary')).not.toContainText('selected');

  // With the column there, the counts are per certificate host.
  await app.getByRole('button', { name: /Close stroom-docs/ }).click();
  await openFiles(app, [ssl]);
  await expect(app.getByTestId('status-records')).toHaveText('13 records');
  await groups.getByRole('combobox', { name: 'Group by' }).selectOption('cert-host');
  const rows = groups.getByTestId('group-row');
  await expect(rows.nth(0)).toContainText('gw.example.com');
  await expect(rows.nth(0)).toContainText('7');
  await expect(rows.filter({ hasText: 'mail.example.org' })).toContainText('3');
  // Sorted by key: names in order, no value last; again: the other way round.
  const keyHeader = groups.getByRole('button', { name: /^Certificate host/ });
  await keyHeader.click();
  await expect(rows.nth(0)).toContainText('gw.example.com');
  await expect(rows.nth(1)).toContainText('mail.example.org');
  await expect(rows.nth(2)).toContainText('(no value)');
  await keyHeader.click();
  await expect(rows.nth(0)).toContainText('mail.example.org');
  await app.screenshot({ path: '/tmp/explore-groups-cert.png' });
});

test('find with a regular expression: counts, next and previous, highlights, a bad regex', async ({
  app,
}) => {
  await openCombined(app);
  await app.keyboard.press('Control+f');
  const bar = app.getByTestId('find-bar');
  const input = bar.getByRole('searchbox', { name: 'Find in records' });
  await expect(input).toBeFocused();
  await bar.getByRole('checkbox', { name: 'Regex' }).check();
  await input.fill('kibana-\\w+\\.png');
  await input.press('Enter');
  await expect(bar.getByTestId('find-status')).toHaveText('1 of 74 matches');
  await expect(cell(app, 0, 'message').locator('mark.find-match')).toHaveText('kibana-search.png');
  await input.press('Enter');
  await expect(bar.getByTestId('find-status')).toHaveText('2 of 74 matches');
  await expect(app.getByTestId('detail-where')).toContainText('line 2');
  await input.press('Enter');
  await expect(app.getByTestId('detail-where')).toContainText('line 10');
  await input.press('Shift+Enter');
  await expect(bar.getByTestId('find-status')).toHaveText('2 of 74 matches');
  await app.screenshot({ path: '/tmp/explore-find.png' });

  // Hidden rows are counted apart.
  await cell(app, 0, 'srcIp').click();
  await hideFirstSourceIp(app);
  await expect(app.getByTestId('filter-summary')).toHaveText(HIDDEN_SUMMARY);
  await input.fill('kibana-\\w+\\.png ');
  await input.fill('kibana-\\w+\\.png');
  await input.press('Enter');
  await expect(bar.getByTestId('find-status')).toContainText('in view)');

  await input.fill('(kibana');
  await input.press('Enter');
  await expect(bar.getByTestId('find-status')).toContainText(/regular expression|regex/i);
  await expect(input).toHaveAttribute('aria-invalid', 'true');
});

test('drag on the timeline to choose a time window, then clear it', async ({ app }) => {
  await openCombined(app);
  const plot = app.getByTestId('timeline-plot');
  await expect(plot).toBeVisible();
  await expect(app.getByTestId('timeline')).toContainText('Timeline');
  await expect(plot.locator('rect').first()).toBeVisible();
  const box = (await plot.boundingBox())!;
  await app.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
  await app.mouse.down();
  await app.mouse.move(box.x + box.width * 0.45, box.y + box.height / 2, { steps: 5 });
  await app.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
  await app.mouse.up();
  await expect(app.getByTestId('timeline-window')).toContainText('Window 2015-05-1');
  await expect(app.getByTestId('selection-summary')).toContainText('rows in the selected groups');
  // The grid refetches its rows after the summary changes: wait for the first row of the window,
  // which comes after the file's first record (10:05:03.000, shown again once it is cleared).
  await expect
    .poll(async () => {
      const first = (await cell(app, 0, 'time').textContent()) ?? '';
      return /^\d{4}-\d\d-\d\d /.test(first) && first > '2015-05-17 10:05:03.000';
    })
    .toBe(true);
  await app.screenshot({ path: '/tmp/explore-timeline-window.png' });

  await app.getByRole('button', { name: 'Clear window' }).click();
  await expect(app.getByTestId('timeline-window')).toHaveCount(0);
  await expect(cell(app, 0, 'time')).toHaveText('2015-05-17 10:05:03.000');

  // A click on a bar takes the grid to the first row at that time.
  await plot.click({ position: { x: box.width * 0.75, y: box.height / 3 } });
  const where = app.getByTestId('detail-where');
  await expect
    .poll(async () =>
      Number(/line ([\d,]+)/.exec((await where.textContent()) ?? '')?.[1]?.replace(/,/g, '')),
    )
    .toBeGreaterThan(5000);
});
