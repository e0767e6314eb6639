import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { auditConfiguration, auditReportToJson } from '../../../shared/audit/audit';

const fixture = readFileSync(
  new URL('../../fixtures/audit/proxysg-local.cpl', import.meta.url),
  'utf8',
);

describe('auditing ProxySG policy', () => {
  const report = auditConfiguration(fixture);
  const json = auditReportToJson(report);

  it('recognises CPL by its definitions and conditions', () => {
    expect(report.format).toBe('cpl');
    expect(auditConfiguration('<Proxy "http://x">\nSetEnvIf Remote_Addr ^1\\. nolog').format).toBe(
      'httpd',
    );
  });

  it('reports a subnet definition with what it holds and host bits it should not have', () => {
    expect(json.directives[0]).toEqual({
      line: 2,
      text: 'define subnet lb_health\n172.16.1.5 172.16.1.16/28\n10.0.0.5/8\nend subnet lb_health',
      matches: 16_777_233,
      ranges: ['10.0.0.0-10.255.255.255', '172.16.1.5-172.16.1.5', '172.16.1.16-172.16.1.31'],
      problems: [
        'entry `10.0.0.5/8` has host bits set (UNVERIFIED how ProxySG reads it; LogSieve assumes 10.0.0.0/8)',
      ],
      exact:
        'define subnet lb_health\n    10.0.0.0/8\n    172.16.1.5\n    172.16.1.16/28\nend subnet lb_health',
    });
  });

  it('resolves client.address= conditions through labels and lists', () => {
    expect(json.directives.slice(1).map((d) => [d.line, d.matches, d.exact])).toEqual([
      [8, 16_777_233, 'client.address=lb_health'],
      [9, 65_537, 'client.address=(10.9.8.7, 192.168.0.0/16)'],
      [10, null, null],
    ]);
    expect(json.directives[3]?.problems).toEqual([
      'subnet `corp_net` is not defined in this file, so what it matches is unknown here',
    ]);
  });

  it('counts a negated condition as everything else', () => {
    const r = auditReportToJson(
      auditConfiguration('<Proxy>\n  client.address=!10.0.0.0/8 deny ; comment'),
    );
    expect(r.directives[0]).toMatchObject({
      matches: 2 ** 32 - 2 ** 24,
      ranges: [
        '0.0.0.0-9.255.255.255',
        '11.0.0.0-255.255.255.255',
        '::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
      ],
    });
  });

  it('reports entries that are not addresses, and a block without an end', () => {
    const r = auditReportToJson(
      auditConfiguration('define subnet x\n  10.0.0.256 \\\n  10.1.0.0/33\n'),
    );
    expect(r.directives[0]?.problems).toEqual([
      'entry `10.0.0.256` is not an address or network: octet `256` is over 255',
      'entry `10.1.0.0/33` is not an address or network: prefix must be 0–32',
      'has no `end` line',
    ]);
  });
});
