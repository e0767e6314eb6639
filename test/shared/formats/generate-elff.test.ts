/**
 * The bench's ProxySG ELFF generator (test/bench/generate-elff.ts) must write what it promises:
 * deterministic bytes, valid ELFF that the w3c format reads without a flag, load-balancer
 * keepalives every 5 seconds among the clients, and certificate errors. Not a timed test.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { w3c } from '../../../shared/formats/w3c';
import { writeElff } from '../../bench/generate-elff';
import { ingestAgreeing } from '../../helpers/agreement';

const dir = mkdtempSync(join(tmpdir(), 'logsieve-elff-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('writeElff', () => {
  it('writes the same bytes for the same seed and size, never more than the size', () => {
    const a = writeElff(join(dir, 'a.log'), 300_000, 42);
    const b = writeElff(join(dir, 'b.log'), 300_000, 42);
    writeElff(join(dir, 'c.log'), 300_000, 43);
    const bytes = (name: string): Buffer => readFileSync(join(dir, name));
    expect(bytes('a.log').equals(bytes('b.log'))).toBe(true);
    expect(bytes('a.log').equals(bytes('c.log'))).toBe(false);
    expect(a).toEqual(b);
    expect(a.bytes).toBe(bytes('a.log').length);
    expect(a.bytes).toBeLessThanOrEqual(300_000);
    expect(a.bytes).toBeGreaterThan(299_000);
  });

  it('writes ELFF the w3c format reads without a flag, with keepalives and certificate errors', () => {
    const stats = writeElff(join(dir, 'd.log'), 1_000_000, 1);
    const { index, records } = ingestAgreeing(
      w3c,
      new Uint8Array(readFileSync(join(dir, 'd.log'))),
    );
    expect(index.stats()).toMatchObject({ records: stats.records, flagged: 0 });
    const keepalives = records.filter((r) => r.record.srcIp === '172.16.1.5');
    expect(keepalives.length).toBeGreaterThan(10);
    const gaps = keepalives.slice(1).map((r, i) => r.record.time! - keepalives[i]!.record.time!);
    // ELFF times are whole seconds: a 5 s period shows as gaps of 4 to 6 s, 5 s on average.
    for (const gap of gaps) expect(Math.abs(gap - 5000)).toBeLessThanOrEqual(1000);
    const mean = gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;
    expect(Math.abs(mean - 5000)).toBeLessThan(100);
    const errors = records.filter(
      (r) => (r.record.fields['x-rs-certificate-observed-errors'] ?? '-') !== '-',
    );
    expect(errors.length).toBe(stats.certificateErrors);
    expect(errors.every((r) => r.record.certHost !== null)).toBe(true);
    expect(stats.bytes / stats.records).toBeGreaterThan(250);
  });
});
