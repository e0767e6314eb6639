/**
 * The ingest road and the display road must tag every record alike, also when a record carries
 * a phrase some tag looks for in a place no sample has it: inside a request line, a URL, a user
 * agent, a damaged line. Each `contains` phrase of the catalogue is planted at random places in
 * every text format's sample lines (inserted, or written over what was there), and every record
 * of the result must get the same tags from its index entry as from its parsed fields.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FORMATS } from '../../../shared/formats/registry';
import type { TextFormat } from '../../../shared/formats/types';
import { TAGS } from '../../../shared/tags/catalog';
import { TAG_CATALOGUE } from '../../../shared/tags/default';
import { ingest } from '../../helpers/ingest';

const PHRASES = [
  ...new Set(
    TAGS.flatMap((tag) =>
      tag.when.flat().flatMap((atom) => (atom.op.startsWith('contains') ? atom.values : [])),
    ),
  ),
];

const TEXT_FORMATS = FORMATS.filter((f): f is TextFormat => f.kind === 'text');

function rowsAgree(format: TextFormat, text: string): void {
  const { index, records } = ingest(format, text);
  records.forEach((r, i) => {
    expect(
      TAG_CATALOGUE.ids(index.tagsOf(i)),
      `record ${i + 1}: ${JSON.stringify(r.record.message)}`,
    ).toEqual(TAG_CATALOGUE.ids(TAG_CATALOGUE.tagsOfRecord(r.record, format.messageKind)));
  });
}

describe('tags of planted phrases', () => {
  it('the catalogue has phrases to plant', () => {
    expect(PHRASES.length).toBeGreaterThan(10);
  });

  it.each(TEXT_FORMATS.map((f) => [f.id, f] as const))(
    '%s: both roads find a phrase wherever it is planted',
    (_id, format) => {
      const samples = format.samples.map((s) => ({
        preamble: s.preamble ?? [],
        lines: s.text.split('\n'),
      }));
      fc.assert(
        fc.property(
          fc.nat(samples.length - 1),
          fc.nat(),
          fc.constantFrom(...PHRASES),
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.boolean(),
          fc.constantFrom(
            (p: string) => p,
            (p: string) => p.toUpperCase(),
          ),
          (which, lineNumber, phrase, where, overwrite, cased) => {
            const { preamble, lines } = samples[which]!;
            const n = lineNumber % lines.length;
            const line = lines[n]!;
            const at = Math.floor(where * line.length);
            const planted = cased(phrase);
            const changed =
              line.slice(0, at) + planted + line.slice(overwrite ? at + planted.length : at);
            const text = [...preamble, ...lines.slice(0, n), changed, ...lines.slice(n + 1)];
            rowsAgree(format, text.join('\n'));
          },
        ),
        { numRuns: 150 },
      );
    },
  );

  it('looks for phrases in messages of text, not in request lines and URLs', () => {
    const tagsOf = (id: string, text: string): string[] => {
      const { index } = ingest(
        TEXT_FORMATS.find((f) => f.id === id)!,
        text,
      );
      return TAG_CATALOGUE.ids(index.tagsOf(index.count - 1));
    };
    // A login page's query is no failed logon, in an access log or through a proxy...
    expect(
      tagsOf(
        'apache-access',
        '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET /login?error=user not found HTTP/1.0" 200 2326',
      ),
    ).toEqual([]);
    expect(
      tagsOf(
        'w3c',
        [
          '#Fields: date time c-ip cs-method cs-uri-scheme cs-host cs-uri-port cs-uri-path cs-uri-query sc-status',
          '2024-03-05 08:14:07 10.1.1.9 GET https portal.example.com 443 /login "?error=user not found" 200',
        ].join('\n'),
      ),
    ).toEqual([]);
    // ...where the same words in an error log are.
    expect(
      tagsOf(
        'apache-error',
        '[Tue Oct 10 13:55:36 2000] [error] [client 1.2.3.4] user admin not found: /login, user not found',
      ),
    ).toContain('auth-failure');
  });
});
