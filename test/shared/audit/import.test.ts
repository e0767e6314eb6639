import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { auditConfiguration, filterSetFromAudit } from '../../../shared/audit/audit';
import { validateFilterSet } from '../../../shared/filters/persist';
import { exportFilterSet } from '../../../shared/exporters/registry';

const read = (name: string) =>
  readFileSync(new URL(`../../fixtures/audit/${name}`, import.meta.url), 'utf8');

describe('filterSetFromAudit', () => {
  it('turns what each hiding directive meant into a hide rule of a valid set', () => {
    const set = filterSetFromAudit(auditConfiguration(read('csg-httpd.conf')), 'Imported from CSG');
    expect(validateFilterSet(set).ok).toBe(true);
    expect(set.rules.map((r) => [r.id, r.when.srcIp])).toEqual([
      ['line-6', ['172.16.1.0/24']],
      ['line-7', ['10.9.8.7']],
      ['line-8', ['10.0.0.5']],
      ['line-9', ['192.168.1.0-192.168.2.255']],
      ['line-13', ['127.0.0.1']],
      ['line-16', ['172.16.2.0/24', '2001:db8::/32']],
    ]);
    // line 14 only unsets the variable; line 17 could not be evaluated.
  });

  it('round-trips: exporting the imported set writes the exact replacement lines', () => {
    const report = auditConfiguration(read('csg-httpd.conf'));
    const out = exportFilterSet('httpd', filterSetFromAudit(report, 'Imported'));
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    const seed = report.directives.find((d) => d.line === 6);
    expect(out.value).toContain(`${seed?.exact ?? 'missing'}\n`);
  });

  it('imports CPL subnet definitions used to turn a log off, once each', () => {
    const set = filterSetFromAudit(auditConfiguration(read('proxysg-local.cpl')), 'Imported');
    expect(set.rules.map((r) => [r.id, r.when.srcIp])).toEqual([
      ['line-2', ['10.0.0.0/8', '172.16.1.5', '172.16.1.16/28']],
      ['line-9', ['10.9.8.7', '192.168.0.0/16']],
    ]);
  });
});
