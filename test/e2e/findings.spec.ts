/**
 * Findings in the real UI through the bridge: a load balancer probing every 5 s among random
 * clients is found, explained, shown, and hidden with one click. Screenshot in /tmp for review.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cell, CORPUS, expect, openFiles, test } from './fixtures';
import { BALANCER, linkedGatewayLogs } from '../helpers/linked-logs';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function clf(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]!}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** Three hours of traffic: random clients, and 172.16.1.5 sending HEAD / every 5 s (2,160 probes). */
function keepaliveLog(): string {
  let seed = 7;
  const next = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  const start = Date.UTC(2024, 2, 5);
  const end = start + 3 * 3600_000;
  const lines: string[] = [];
  let probe = start;
  let now = start;
  while (now < end) {
    if (now >= probe) {
      lines.push(`172.16.1.5 - - [${clf(probe)}] "HEAD / HTTP/1.0" 200 - "-" "-"`);
      probe += 5000;
    } else {
      lines.push(
        `10.${next(4)}.${next(256)}.${1 + next(254)} - - [${clf(now)}] "GET /app/page${next(50)}.html HTTP/1.1" 200 ${200 + next(9000)} "-" "Mozilla/5.0"`,
      );
      now += next(7) * 1000;
    }
  }
  return lines.join('\n') + '\n';
}

test('finds the 5-second keepalive, shows its records and hides it with one click', async ({
  app,
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'logsieve-findings-'));
  const path = join(dir, 'gateway_access.log');
  writeFileSync(path, keepaliveLog());
  await openFiles(app, [path]);
  await expect(app.getByTestId('status-records')).toContainText('records');
  await app.getByRole('tab', { name: 'Findings' }).click();
  const panel = app.getByTestId('findings-panel');
  const periodic = panel.getByTestId('finding').filter({ hasText: 'Periodic' }).first();
  await expect(periodic).toContainText('every 5.0 s');
  await expect(periodic).toContainText('172.16.1.5');
  await expect(periodic).toContainText('2,160 records');
  await periodic.getByText('Remedy on the device').click();
  await expect(periodic).toContainText('SetEnvIf');
  await app.screenshot({ path: '/tmp/findings-panel.png' });

  // Show records: the grid holds only the balancer's probes.
  await periodic.getByRole('button', { name: 'Show records' }).click();
  await expect(app.getByTestId('groups-panel')).toBeVisible();
  await expect(cell(app, 0, 'srcIp')).toHaveText('172.16.1.5');
  await expect(cell(app, 1, 'srcIp')).toHaveText('172.16.1.5');
  await app.getByRole('button', { name: 'Clear' }).first().click();

  // Hide this: the rule lands in the filter set and the probes leave the grid.
  await app.getByRole('tab', { name: 'Findings' }).click();
  await periodic.getByRole('button', { name: 'Hide this' }).click();
  await expect(periodic.getByRole('button', { name: 'Rules added' })).toBeDisabled();
  await app.getByRole('tab', { name: 'Filters' }).click();
  await expect(app.getByTestId('filter-summary')).toContainText('2,160 hidden');
});

test('links the event log’s 5 s handshake failures to the access log’s 5 s probes and shows them', async ({
  app,
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'logsieve-findings-'));
  const logs = linkedGatewayLogs(1);
  const events = join(dir, 'gateway-events.csv');
  const access = join(dir, 'access.log');
  writeFileSync(events, logs.eventLog);
  writeFileSync(access, logs.accessLog);
  await openFiles(app, [events, access]);
  const tab = (name: string) =>
    app.getByRole('tab', { name: new RegExp(name.replace('.', '\\.')) });
  await expect(tab('access.log')).toBeVisible();
  await tab('gateway-events.csv').click();
  await expect(tab('gateway-events.csv')).toHaveAttribute('aria-selected', 'true');
  await app.getByRole('tab', { name: 'Findings' }).click();
  const panel = app.getByTestId('findings-panel');
  const gateway = panel
    .getByTestId('finding')
    .filter({ hasText: 'Periodic' })
    .filter({ hasText: 'source Secure Gateway' });
  await expect(gateway).toHaveCount(1);
  const link = gateway.getByTestId('finding-link');
  await expect(link).toHaveCount(1);
  await expect(link).toContainText(`Lines up with: Health check every 5.0 s`);
  await expect(link).toContainText(`from ${BALANCER} in access.log`);
  // Only the balancer's finding is linked: the backup agent (60 s) and the time service (5 s,
  // hours later) are not.
  await expect(panel.getByTestId('finding-link')).toHaveCount(1);
  await gateway.scrollIntoViewIfNeeded();
  await app.screenshot({ path: '/tmp/findings-links.png' });

  await link.getByRole('button', { name: 'Show these records in access.log' }).click();
  await expect(tab('access.log')).toHaveAttribute('aria-selected', 'true');
  await expect(app.getByTestId('groups-panel')).toBeVisible();
  await expect(cell(app, 0, 'srcIp')).toHaveText(BALANCER);
  await expect(cell(app, 1, 'srcIp')).toHaveText(BALANCER);
  await app.getByRole('button', { name: 'Clear' }).first().click();

  // From the access log's side, the same link the other way.
  await app.getByRole('tab', { name: 'Findings' }).click();
  const probes = panel
    .getByTestId('finding')
    .filter({ hasText: 'Periodic' })
    .filter({ hasText: `from ${BALANCER}` });
  await expect(probes.getByTestId('finding-link')).toContainText(
    'Lines up with: TLS handshake failure every 5.0 s',
  );
  await expect(probes.getByTestId('finding-link')).toContainText('in gateway-events.csv');
});

test('says plainly when a file has nothing that repeats', async ({ app }) => {
  await openFiles(app, [CORPUS + 'apache/plaso_apache_access_mixed.log']);
  await expect(app.getByTestId('status-records')).toHaveText('15 records');
  await app.getByRole('tab', { name: 'Findings' }).click();
  await expect(app.getByTestId('findings-empty')).toContainText('no noise to explain here');
});
