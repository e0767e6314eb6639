/**
 * The path a user walks first, in the real UI: open a log, see its records, scroll to the end,
 * read a record whole, jump to a line, sort by time, drop files, and get clear messages for
 * files that are not logs. Screenshots land in test-results/ for review.
 */
import { test, expect, openFiles, cell, CORPUS } from './fixtures';

const COMBINED = CORPUS + 'apache/elastic-examples_apache_logs_combined.log';
const ERRORS = CORPUS + 'apache/beats_apache_error_test_mixed22_24.log';

test('opens a corpus file and shows every record', async ({ app }) => {
  await openFiles(app, [COMBINED]);
  await expect(app.getByTestId('status-records')).toHaveText('10,000 records');
  await expect(
    app.getByRole('tab', { name: /elastic-examples_apache_logs_combined\.log/ }),
  ).toBeVisible();
  await expect(cell(app, 0, 'line')).toHaveText('1');
  await expect(cell(app, 0, 'srcIp')).toHaveText('83.149.9.216');
  await expect(cell(app, 0, 'time')).toHaveText('2015-05-17 10:05:03.000');
  await expect(cell(app, 0, 'code')).toHaveText('200');
  await expect(cell(app, 0, 'message')).toHaveText(
    'GET /presentations/logstash-monitorama-2013/images/kibana-search.png HTTP/1.1',
  );
  await expect(app.getByTestId('status-bar')).toContainText('Apache access log');
  await expect(app.getByTestId('status-bar')).toContainText('0 flagged');
  await app.screenshot({ path: 'test-results/screens/opened.png' });
});

test('scrolls to the last row and shows its whole record', async ({ app }) => {
  await openFiles(app, [COMBINED]);
  await expect(app.getByTestId('status-records')).toHaveText('10,000 records');
  await app
    .getByRole('toolbar', { name: 'Rows' })
    .getByRole('button', { name: 'Last', exact: true })
    .click();
  await expect(cell(app, 9999, 'line')).toHaveText('10000');
  await cell(app, 9999, 'message').click();
  const detail = app.getByTestId('detail');
  await expect(detail.getByTestId('detail-where')).toContainText('line 10,000');
  await expect(detail.getByTestId('detail-where')).toContainText('byte offset');
  await expect(detail.getByTestId('detail-raw')).toContainText('[20/May/2015:21:05:');
  await expect(detail.getByRole('row', { name: /user_agent/ })).toBeVisible();
  await app.screenshot({ path: 'test-results/screens/last-row-detail.png' });
});

test('goes to a line with Ctrl+G', async ({ app }) => {
  await openFiles(app, [COMBINED]);
  await expect(app.getByTestId('status-records')).toHaveText('10,000 records');
  await app.keyboard.press('Control+g');
  const dialog = app.getByRole('dialog', { name: 'Go to line' });
  await dialog.getByRole('textbox').fill('7777');
  await dialog.getByRole('button', { name: 'Go' }).click();
  await expect(dialog).toBeHidden();
  await expect(cell(app, 7776, 'line')).toHaveText('7777');
  await expect(app.getByTestId('detail-where')).toContainText('line 7,777');
  await app.keyboard.press('Control+g');
  await dialog.getByRole('textbox').fill('20000');
  await dialog.getByRole('button', { name: 'Go' }).click();
  await expect(app.getByTestId('notice')).toContainText('Line 20,000 is past the end of the file.');
});

test('sorts by time, newest first', async ({ app }) => {
  await openFiles(app, [COMBINED]);
  await expect(app.getByTestId('status-records')).toHaveText('10,000 records');
  const header = app.locator('.ag-header-cell[col-id="time"]');
  await header.click();
  await expect(cell(app, 0, 'time')).toHaveText('2015-05-17 10:05:00.000');
  await header.click();
  await expect(cell(app, 0, 'time')).toHaveText('2015-05-20 21:05:59.000');
});

test('opens dropped files, each in its own tab', async ({ app }) => {
  const transfer = await app.evaluateHandle(() => {
    const data = new DataTransfer();
    data.items.add(
      new File(
        [
          '[Tue Mar 05 08:14:07 2024] [info] [client 172.16.1.5] SSL handshake failed: HTTP spoken on HTTPS port\n',
        ],
        'gateway_error.log',
      ),
    );
    data.items.add(
      new File(['10.9.8.7 - - [05/Mar/2024:08:00:05 +0000] "HEAD / HTTP/1.0" 200 -\n'], 'lb.log'),
    );
    return data;
  });
  await app.getByTestId('dropzone').dispatchEvent('dragover', { dataTransfer: transfer });
  await app.getByTestId('dropzone').dispatchEvent('drop', { dataTransfer: transfer });
  await expect(app.getByRole('tab', { name: /gateway_error\.log/ })).toBeVisible();
  await expect(app.getByRole('tab', { name: /lb\.log/ })).toBeVisible();
  await expect(cell(app, 0, 'srcIp')).toHaveText('10.9.8.7');
  await app.getByRole('tab', { name: /gateway_error\.log/ }).click();
  await expect(cell(app, 0, 'srcIp')).toHaveText('172.16.1.5');
  await expect(cell(app, 0, 'level')).toHaveText('info');
});

test('says clearly that a binary file is not a log, and reads it as text on request', async ({
  app,
}) => {
  const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256));
  await app
    .getByTestId('file-input')
    .setInputFiles([{ name: 'firmware.bin', mimeType: 'application/octet-stream', buffer: bytes }]);
  const problems = app.getByTestId('file-problems');
  await expect(problems).toContainText('firmware.bin does not look like a log');
  await expect(app.getByTestId('grid')).toHaveCount(0);
  await app.screenshot({ path: 'test-results/screens/binary.png' });
  await problems.getByRole('button', { name: 'Open as plain text anyway' }).click();
  await expect(app.getByTestId('grid')).toBeVisible();
  await expect(app.getByTestId('status-bar')).toContainText('Plain text');
  await expect(problems).toHaveCount(0);
});

test('shows an Apache error log with its levels, modules and codes', async ({ app }) => {
  await openFiles(app, [ERRORS]);
  await expect(app.getByTestId('status-records')).toHaveText('3 records');
  await expect(cell(app, 1, 'level')).toHaveText('notice');
  await expect(cell(app, 1, 'source')).toHaveText('core');
  await expect(cell(app, 1, 'code')).toHaveText('AH00094');
});

test('cancels a load and keeps the records read so far', async ({ app }) => {
  // A 300 MB log made in the page and dropped: big enough to still be loading when Cancel is clicked.
  const transfer = await app.evaluateHandle(() => {
    let chunk = '';
    for (let i = 0; chunk.length < 1 << 20; i++)
      chunk += `worker ${i % 17} handled job ${i} for tenant acme-${i % 311} queue ${i % 50}\n`;
    const data = new DataTransfer();
    data.items.add(
      new File(
        Array.from({ length: 300 }, () => chunk),
        'huge.log',
      ),
    );
    return data;
  });
  await app.getByTestId('dropzone').dispatchEvent('drop', { dataTransfer: transfer });
  const loading = app.getByTestId('loading-bar');
  await expect(loading).toBeVisible({ timeout: 30_000 });
  await expect(loading).toContainText('records');
  await loading.getByRole('button', { name: 'Cancel' }).click();
  await expect(loading).toBeHidden();
  await expect(app.getByRole('status').filter({ hasText: 'Loading was stopped' })).toBeVisible();
  await expect(app.getByRole('tab', { name: /huge\.log · stopped/ })).toBeVisible();
  await expect(cell(app, 0, 'line')).toHaveText('1');
});

test('shows log text as text, never as HTML', async ({ app }) => {
  const hostile =
    '10.6.6.6 - - [05/Mar/2024:08:00:00 +0000] "GET /<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> HTTP/1.1" 404 5\n';
  await app
    .getByTestId('file-input')
    .setInputFiles([{ name: 'hostile.log', mimeType: 'text/plain', buffer: Buffer.from(hostile) }]);
  await expect(cell(app, 0, 'message')).toContainText('<img src=x onerror=');
  await cell(app, 0, 'message').click();
  await expect(app.getByTestId('detail-raw')).toContainText('<script>window.__pwned=2</script>');
  expect(
    await app.evaluate(() => ({
      pwned: (window as { __pwned?: number }).__pwned,
      images: document.querySelectorAll('img').length,
      scripts: document.querySelectorAll('body script').length,
    })),
  ).toEqual({
    pwned: undefined,
    images: 0,
    scripts: 0,
  });
});
