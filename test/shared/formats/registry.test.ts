/**
 * One test over every format in the registry (style principle 10): each format's samples parse
 * to their expectations, the fast index path agrees with the display parse on every indexed
 * column, and each sample is claimed by its own format's detector and not by another's.
 */
import { describe, expect, it } from 'vitest';
import { FORMATS, detectFormat } from '../../../shared/formats/registry';
import type { DetectSample } from '../../../shared/formats/types';
import { DICT_COLUMNS } from '../../../shared/record';
import { splitLines } from '../../../shared/text/encoding';
import { corpusBytes, ingest } from '../../helpers/ingest';

function sampleOf(lines: readonly string[]): DetectSample {
  const text = lines.join('\n');
  return {
    fileName: 'x.log',
    bytes: new TextEncoder().encode(text),
    encoding: 'utf-8',
    lines: splitLines(text),
  };
}

const TEXT_FORMATS = FORMATS.flatMap((f) => (f.kind === 'text' ? [[f.id, f] as const] : []));

describe.each(TEXT_FORMATS)('%s', (_id, format) => {
  it('has samples', () => {
    expect(format.samples.length).toBeGreaterThan(0);
  });
  it.each(format.samples.map((s) => [s.source, s] as const))('parses %s', (_source, sample) => {
    const text = [...(sample.preamble ?? []), sample.text].join('\n');
    const { records } = ingest(format, text);
    const last = records.at(-1)!;
    const { fields, ...rest } = sample.expect;
    expect(last.record).toMatchObject(rest);
    if (fields) expect(last.record.fields).toMatchObject(fields);
  });
  it.each(format.samples.map((s) => [s.source, s] as const))(
    'index agrees with parse: %s',
    (_source, sample) => {
      const text = [...(sample.preamble ?? []), sample.text].join('\n');
      const { index, records } = ingest(format, text);
      records.forEach((r, i) => {
        expect(index.timeOf(i)).toBe(r.record.time);
        for (const column of DICT_COLUMNS)
          expect(index.valueOf(column, i), column).toBe(r.record[column]);
        expect(index.flagsOf(i) & ~r.record.flags).toBe(0);
      });
    },
  );
  if (format.id !== 'plain')
    it('detects its own samples', () => {
      const lines = format.samples.flatMap((s) => [...(s.preamble ?? []), s.text]);
      expect(detectFormat(sampleOf(lines)).format).toBe(format.id);
    });
});

// Binary formats: each sample is a record of a corpus file, found by its offset.
const BINARY_FORMATS = FORMATS.flatMap((f) => (f.kind === 'binary' ? [[f.id, f] as const] : []));

describe.each(BINARY_FORMATS)('%s', (_id, format) => {
  it('has samples', () => {
    expect(format.samples.length).toBeGreaterThan(0);
  });
  it.each(format.samples.map((s) => [s.source, s] as const))('parses %s', (_source, sample) => {
    const { index, records } = ingest(format, corpusBytes(sample.corpusFile));
    const i = records.findIndex((r) => r.offset === sample.offset);
    expect(i, 'a record at the sample offset').toBeGreaterThanOrEqual(0);
    const record = records[i]!.record;
    const { fields, ...rest } = sample.expect;
    expect(record).toMatchObject(rest);
    if (fields) expect(record.fields).toMatchObject(fields);
    // The index agrees with the display parse.
    expect(index.timeOf(i)).toBe(record.time);
    for (const column of DICT_COLUMNS)
      expect(index.valueOf(column, i), column).toBe(record[column]);
    expect(index.flagsOf(i)).toBe(record.flags);
  });
  it('detects its own samples', () => {
    for (const sample of format.samples) {
      const bytes = corpusBytes(sample.corpusFile).subarray(0, 65536);
      const fileName = sample.corpusFile.split('/').pop()!;
      expect(detectFormat({ fileName, bytes, encoding: null, lines: [] }).format).toBe(format.id);
    }
  });
});
