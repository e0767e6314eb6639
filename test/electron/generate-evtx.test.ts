/**
 * The benchmark's EVTX generator writes one consistent, valid log: the same bytes every time,
 * every chunk intact (LogSieve reports nothing and flags nothing), record ids consecutive.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evtx } from '../../shared/formats/evtx';
import { ingest } from '../helpers/ingest';
import { writeEvtx } from '../bench/generate-evtx';

const dir = mkdtempSync(join(tmpdir(), 'logsieve-generate-evtx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeEvtx', () => {
  it('writes the same valid log every time', async () => {
    const a = join(dir, 'a.evtx');
    const b = join(dir, 'b.evtx');
    const written = await writeEvtx(a, 3 << 20);
    await writeEvtx(b, 3 << 20);
    const bytes = new Uint8Array(readFileSync(a));
    expect(Buffer.from(bytes).equals(readFileSync(b))).toBe(true);
    expect(bytes.length).toBe(4096 + written.chunks * 65536);
    const { index, records } = ingest(evtx, bytes);
    expect(index.errors).toEqual([]);
    expect(index.count).toBe(written.records);
    expect(records.filter((r) => r.record.flags !== 0)).toEqual([]);
    const unnumbered = records.filter((r, i) => r.record.fields.EventRecordID !== String(i + 1));
    expect(unnumbered.map((r) => r.offset)).toEqual([]);
  });
});
