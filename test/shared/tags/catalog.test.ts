/**
 * The tag catalogue, checked as data (style principle 10): every tag's samples are marked by it,
 * on the ingest road (field bytes and cached column ids) and on the display road (parsed
 * strings) alike, and the two roads agree on every sample record of every format.
 */
import { describe, expect, it } from 'vitest';
import { FORMATS, formatById } from '../../../shared/formats/registry';
import { TAGS } from '../../../shared/tags/catalog';
import { TAG_CATALOGUE } from '../../../shared/tags/default';
import { ingest } from '../../helpers/ingest';

describe('tag catalogue', () => {
  it('has unique ids and at most 32 tags', () => {
    expect(new Set(TAGS.map((t) => t.id)).size).toBe(TAGS.length);
    expect(TAGS.length).toBeLessThanOrEqual(32);
  });

  const samples = TAGS.flatMap((tag) =>
    tag.samples.map((s, i) => [`${tag.id} #${i + 1}`, tag.id, s] as const),
  );
  it.each(samples)('%s is tagged on both roads', (_name, id, sample) => {
    const format = formatById(sample.format);
    expect(format, `format ${sample.format}`).toBeDefined();
    const { index, records } = ingest(
      format!,
      [...(sample.preamble ?? []), sample.text].join('\n'),
    );
    const last = records.length - 1;
    expect(TAG_CATALOGUE.ids(index.tagsOf(last))).toContain(id);
    expect(TAG_CATALOGUE.ids(TAG_CATALOGUE.tagsOfRecord(records[last]!.record))).toContain(id);
  });

  const formatSamples = FORMATS.flatMap((f) =>
    f.kind === 'text' ? f.samples.map((s) => [`${f.id}: ${s.source}`, f, s] as const) : [],
  );
  it.each(formatSamples)('the roads agree on %s', (_name, format, sample) => {
    const { index, records } = ingest(format, [...(sample.preamble ?? []), sample.text].join('\n'));
    records.forEach((r, i) => {
      expect(TAG_CATALOGUE.ids(index.tagsOf(i))).toEqual(
        TAG_CATALOGUE.ids(TAG_CATALOGUE.tagsOfRecord(r.record)),
      );
    });
  });

  it('does not tag ordinary traffic', () => {
    const { index } = ingest(
      formatById('apache-access')!,
      '10.1.1.1 - - [05/Mar/2024:00:00:00 +0000] "GET /index.html HTTP/1.1" 200 5120 "-" "Mozilla/5.0"\n10.1.1.2 - - [05/Mar/2024:00:00:01 +0000] "GET / HTTP/1.1" 200 5120 "-" "Mozilla/5.0"\n',
    );
    expect([index.tagsOf(0), index.tagsOf(1)]).toEqual([0, 0]);
  });
});
