/**
 * ProxySG load-balancer probes that end as `x-exception-id=tcp_error` (DENIED / TCP_ERR_MISS),
 * from log text through the real format, tagger, index and detectors: the `tcp-error` tag marks
 * them (and not the DENIED / TCP_ERR_MISS records of other causes), the periodic detector finds
 * each balancer at its planted period and nothing else, and the remedy and rule are the proxy's.
 * Also the bench's own generated ELFF log, whose two balancers no finding reported before.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportFilterSet } from '../../../shared/exporters/registry';
import { analyseIndex } from '../../../shared/findings/analyse';
import { formatById } from '../../../shared/formats/registry';
import { TAG_CATALOGUE } from '../../../shared/tags/default';
import { writeElff } from '../../bench/generate-elff';
import { elffProbeScenario } from '../../helpers/findings-logs';
import { ingest } from '../../helpers/ingest';

const w3c = formatById('w3c')!;

describe('tcp_error probes in a ProxySG access log', () => {
  it.each([1, 2, 3])(
    'seed %i: each balancer at its period, the dominant one, nothing else',
    (seed) => {
      const { text, truth } = elffProbeScenario(seed);
      const { index, records } = ingest(w3c, text);

      // The tag marks exactly the tcp_error records.
      const bit = TAG_CATALOGUE.bitOf('tcp-error');
      // (DENIED / TCP_ERR_MISS of another cause is in the log, and must stay untagged.)
      let tagged = 0;
      let tcpErrors = 0;
      records.forEach((r, i) => {
        const isTcpError = r.record.fields['x-exception-id'] === 'tcp_error';
        if (isTcpError) tcpErrors++;
        if ((index.tagsOf(i) & (1 << bit)) !== 0) tagged++;
        expect((index.tagsOf(i) & (1 << bit)) !== 0).toBe(isTcpError);
      });
      expect(tagged).toBe(tcpErrors);
      expect(
        records.some(
          (r) =>
            r.record.fields['s-action'] === 'TCP_ERR_MISS' &&
            r.record.fields['x-exception-id'] !== 'tcp_error',
        ),
      ).toBe(true);

      const findings = analyseIndex(index).filter((f) => f.tag === 'tcp-error');
      const periodic = findings.filter((f) => f.kind === 'periodic');
      expect(periodic.map((f) => f.match.srcIp).sort()).toEqual(
        truth.periodic.map((p) => p.srcIp).sort(),
      );
      for (const f of periodic) {
        const planted = truth.periodic.find((p) => p.srcIp === f.match.srcIp)!;
        expect(Math.abs(f.periodSeconds! / planted.periodSeconds - 1)).toBeLessThan(0.02);
        expect(f.rules).toEqual([
          expect.objectContaining({ action: 'hide', when: { srcIp: [planted.srcIp] } }),
        ]);
        expect(f.remedy).toContain(`client.address=${planted.srcIp} access_log(no)`);
        expect(f.explanation).toContain('TCP keepalive');
      }
      expect(
        findings.filter((f) => f.kind === 'dominant-source').map((f) => f.match.srcIp),
      ).toEqual([truth.dominant]);
      expect(findings.filter((f) => f.kind !== 'periodic' && f.kind !== 'dominant-source')).toEqual(
        [],
      );

      // The proxy's exclusion: the rule exports as CPL that stops logging the address.
      const cpl = exportFilterSet(
        'cpl',
        {
          logsieve: 'filter-set',
          version: 1,
          name: 'probes',
          rules: periodic.flatMap((f) => f.rules),
        },
        {},
      );
      expect(cpl.ok).toBe(true);
      if (cpl.ok) {
        expect(cpl.value).toContain('172.16.1.5');
        expect(cpl.value).toMatch(/client\.address=\S+ access_log\.main\(no\)/);
      }
    },
  );
});

describe('the bench’s generated ELFF log', () => {
  it('reports both planted balancers as tcp_error probes every 5 s', () => {
    const dir = mkdtempSync(join(tmpdir(), 'logsieve-elff-'));
    try {
      const path = join(dir, 'proxysg.log');
      const written = writeElff(path, 12 << 20, 42);
      expect(written.keepalives).toBeGreaterThan(200);
      const { index } = ingest(w3c, new Uint8Array(readFileSync(path)));
      const periodic = analyseIndex(index).filter(
        (f) => f.kind === 'periodic' && f.tag === 'tcp-error',
      );
      expect(periodic.map((f) => f.match.srcIp).sort()).toEqual(['172.16.1.5', '172.16.1.6']);
      for (const f of periodic) expect(Math.abs(f.periodSeconds! / 5 - 1)).toBeLessThan(0.02);
      expect(periodic.reduce((n, f) => n + f.count, 0)).toBeGreaterThan(written.keepalives * 0.95);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
