/**
 * Every text format, ours and the others, on hostile input: random bytes, log-like noise, and
 * corpus files cut at random places. No exception may escape the index path or the parse, every
 * non-blank line must land in exactly one record, records = parsed + flagged, and the index must
 * agree with the parse on every indexed column.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FORMATS } from '../../../shared/formats/registry';
import type { IndexSink, TextFormat } from '../../../shared/formats/types';
import { DICT_COLUMNS } from '../../../shared/record';
import { decodeText, detectEncoding } from '../../../shared/text/encoding';
import { corpusBytes, ingest } from '../../helpers/ingest';

const TEXT_FORMATS = FORMATS.flatMap((f) => (f.kind === 'text' ? [f] : []));

/** One corpus (or reference) text per format, to cut up. */
const SEEDS: Record<string, string> = {
  'apache-access': 'apache/plaso_apache_access_mixed.log',
  'apache-error': 'apache/beats_apache_error_test_mixed22_24.log',
  w3c: 'iis/beats_iis_access_test_multiheader.log',
  syslog: 'citrix/azure-sentinel_Citrix_ADC_gateway_syslog.txt',
  'eventlog-txt': 'eventlog-export/splunk-attack_data_windows-system_first24.log',
  plain: 'elff/stroom-docs_sampleBluecoat.log',
};

function seedText(format: TextFormat): Uint8Array {
  const file = SEEDS[format.id];
  if (file !== undefined) return corpusBytes(file);
  // Formats without corpus files: their samples, in order, as one file.
  const lines = format.samples.flatMap((s) => [...(s.preamble ?? []), s.text]);
  return new TextEncoder().encode(lines.join('\n'));
}

/** The format, with its indexer and parse watched for exceptions (the pipeline would hide them). */
function watched(format: TextFormat, errors: unknown[]): TextFormat {
  return {
    ...format,
    createIndexer(file) {
      const inner = format.createIndexer(file);
      return {
        ...(inner.continues
          ? {
              continues: (buf: Uint8Array, s: number, e: number) => {
                try {
                  return inner.continues!(buf, s, e);
                } catch (error) {
                  errors.push(error);
                  return false;
                }
              },
            }
          : {}),
        index(buf: Uint8Array, s: number, e: number, sink: IndexSink) {
          try {
            inner.index(buf, s, e, sink);
          } catch (error) {
            errors.push(error);
          }
        },
      };
    },
    parse(text, context, file) {
      try {
        return format.parse(text, context, file);
      } catch (error) {
        errors.push(error);
        throw error;
      }
    },
  };
}

/** Lines as the framer sees them: blank means only spaces, tabs, CR and FF (framer.ts). */
function nonBlankLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.replace(/[ \t\r]+$/, ''))
    .filter((l) => !/^[ \t\r\f]*$/.test(l));
}

function check(format: TextFormat, bytes: Uint8Array, chunkSize: number): void {
  const errors: unknown[] = [];
  const { index, records } = ingest(watched(format, errors), bytes, { chunkSize });
  expect(errors).toEqual([]);
  const stats = index.stats();
  expect(stats.parsed + stats.flagged).toBe(stats.records);
  records.forEach((r, i) => {
    expect(index.timeOf(i)).toBe(r.record.time);
    for (const column of DICT_COLUMNS) expect(index.valueOf(column, i)).toBe(r.record[column]);
    expect(index.flagsOf(i) & ~r.record.flags).toBe(0);
  });
  const { encoding, bomLength } = detectEncoding(bytes);
  const text = decodeText(bytes.subarray(bomLength), encoding ?? 'utf-8');
  if (format.framing.kind === 'marker') {
    // Markers cut anywhere: the records, end to end, are the file (record ends are trimmed).
    const squeeze = (s: string): string => s.replace(/\s+/gu, '');
    expect(squeeze(records.map((r) => r.raw).join(''))).toBe(squeeze(text));
    return;
  }
  // Lone CRs end lines for the decoder but not for the framer: compare on LF only.
  const lines = nonBlankLines(text);
  const fromRecords = records.flatMap((r) => nonBlankLines(r.raw));
  expect(fromRecords).toEqual(lines);
  if (
    format.createIndexer({ name: '', size: 0, modifiedMs: 0, options: {} }).continues === undefined
  )
    expect(records).toHaveLength(lines.length);
}

const noise = fc.string({
  unit: fc.constantFrom(
    'a',
    'Z',
    '0',
    '9',
    ' ',
    '\t',
    '"',
    '#',
    '-',
    ':',
    '/',
    '.',
    ',',
    '[',
    ']',
    '<',
    '>',
    '=',
    '\n',
    '\r\n',
    'é',
    '<Event>',
    '#Fields: date time c-ip',
    '2024-03-05 08:00:00',
    'Mar  5 08:14:02 ',
    '3/5/2024 8:14:02 AM',
    ' - [12] - <Critical> - ',
    '<13>',
  ),
  maxLength: 120,
});

describe.each(TEXT_FORMATS.map((f) => [f.id, f] as const))('%s', (_id, format) => {
  it('survives random bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.integer({ min: 1, max: 64 }),
        (bytes, chunk) => {
          check(format, bytes, chunk);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('survives log-like noise', () => {
    fc.assert(
      fc.property(noise, fc.integer({ min: 1, max: 64 }), (text, chunk) => {
        check(format, new TextEncoder().encode(text), chunk);
      }),
      { numRuns: 150 },
    );
  });

  it('survives its own files cut at random places', () => {
    const seed = seedText(format);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: seed.length }),
        fc.integer({ min: 0, max: seed.length }),
        fc.integer({ min: 1, max: 4096 }),
        (a, b, chunk) => {
          check(format, seed.subarray(Math.min(a, b), Math.max(a, b)), chunk);
        },
      ),
      { numRuns: 60 },
    );
  });
});
