/**
 * The tag catalogue, checked as data (style principle 10): every tag's samples are marked by it,
 * on the ingest road (field bytes and cached column ids) and on the display road (parsed
 * strings) alike, and the two roads agree on every sample record of every format.
 */
import { describe, expect, it } from 'vitest';
import { FORMATS, formatById } from '../../../shared/formats/registry';
import { TAGS } from '../../../shared/tags/catalog';
import { TAG_CATALOGUE } from '../../../shared/tags/default';
import { TagCatalogue } from '../../../shared/tags/tagger';
import { corpusBytes, ingest } from '../../helpers/ingest';

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
    expect(
      TAG_CATALOGUE.ids(TAG_CATALOGUE.tagsOfRecord(records[last]!.record, format!.messageKind)),
    ).toContain(id);
  });

  const formatSamples = FORMATS.flatMap((f) =>
    f.kind === 'text' ? f.samples.map((s) => [`${f.id}: ${s.source}`, f, s] as const) : [],
  );
  it.each(formatSamples)('the roads agree on %s', (_name, format, sample) => {
    const { index, records } = ingest(format, [...(sample.preamble ?? []), sample.text].join('\n'));
    records.forEach((r, i) => {
      expect(TAG_CATALOGUE.ids(index.tagsOf(i))).toEqual(
        TAG_CATALOGUE.ids(TAG_CATALOGUE.tagsOfRecord(r.record, format.messageKind)),
      );
    });
  });

  it("compiles within the tagger's atom budget", () => {
    expect(() => new TagCatalogue(TAGS)).not.toThrow();
  });

  it('tags tcp_error, not every DENIED / TCP_ERR_MISS (the corpus has ICAP failures)', () => {
    const tcpError = 1 << TAG_CATALOGUE.bitOf('tcp-error');
    const corpus = ingest(
      formatById('w3c')!,
      corpusBytes('elff/elff-parser-scala_logfile1_SGOS3.txt'),
    );
    const icap = corpus.records.flatMap((r, i) =>
      r.record.fields['s-action'] === 'TCP_ERR_MISS' ? [i] : [],
    );
    expect(icap).toHaveLength(2);
    for (const i of icap) expect(corpus.index.tagsOf(i) & tcpError).toBe(0);
    // The reference's composed lines: a policy denial is no connection error.
    const reference = ingest(
      formatById('w3c')!,
      [
        ...TAGS.find((t) => t.id === 'tcp-error')!.samples[0]!.preamble!,
        '2024-03-05 08:14:07 45 10.20.30.77 - policy_denied DENIED "Uncategorized" 403 TCP_DENIED CONNECT 203.0.113.9 443 www.example.org - hostname-mismatch - - medium 10.1.1.5',
      ].join('\n'),
    );
    const last = reference.records.length - 1;
    expect(reference.index.tagsOf(last) & tcpError).toBe(0);
    expect(TAG_CATALOGUE.tagsOfRecord(reference.records[last]!.record, 'request') & tcpError).toBe(
      0,
    );
  });

  it('does not tag ordinary traffic', () => {
    const { index } = ingest(
      formatById('apache-access')!,
      '10.1.1.1 - - [05/Mar/2024:00:00:00 +0000] "GET /index.html HTTP/1.1" 200 5120 "-" "Mozilla/5.0"\n10.1.1.2 - - [05/Mar/2024:00:00:01 +0000] "GET / HTTP/1.1" 200 5120 "-" "Mozilla/5.0"\n',
    );
    expect([index.tagsOf(0), index.tagsOf(1)]).toEqual([0, 0]);
  });
});
