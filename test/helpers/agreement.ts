/** Test helper: the index path and the display parse must agree on every indexed column. */
import { expect } from 'vitest';
import type { LogFormat } from '../../shared/formats/types';
import { DICT_COLUMNS } from '../../shared/record';
import type { Ingested } from './ingest';
import { ingest } from './ingest';

type IngestOptions = Parameters<typeof ingest>[2];

/** Ingests `input` and checks, record by record, that index and parse agree; returns the result. */
export function ingestAgreeing(
  format: LogFormat,
  input: Uint8Array | string,
  options: IngestOptions = {},
): Ingested {
  const result = ingest(format, input, options);
  const { index, records } = result;
  records.forEach((r, i) => {
    const where = `record ${i} (line ${r.line}): ${r.raw.slice(0, 80)}`;
    expect(index.timeOf(i), where).toBe(r.record.time);
    for (const column of DICT_COLUMNS)
      expect(index.valueOf(column, i), `${column} of ${where}`).toBe(r.record[column]);
    expect(index.flagsOf(i) & ~r.record.flags, `flags of ${where}`).toBe(0);
  });
  return result;
}
