/**
 * The ingest road (field bytes through the compiled field tests) and the display road (the
 * parsed record's strings) must tag every record alike. Exact tests are compiled into tables by
 * value length, so the cases that table must get right are planted here: case-sensitive and
 * case-insensitive tests on one field, one value named by several atoms, values of a needle's
 * length that are not the needle, and fields read by both an exact and a `contains` test.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParsedRecord } from '../../../shared/record';
import { unparsedRecord } from '../../../shared/record';
import type { TagDefinition } from '../../../shared/tags/catalog';
import { TagCatalogue, RecordTagger } from '../../../shared/tags/tagger';

const NO_COLUMNS = { idReader: () => ({ idAt: () => 0 }), valueOf: () => null };
const encoder = new TextEncoder();

function tag(id: string, when: TagDefinition['when']): TagDefinition {
  return { id, title: id, explanation: id, references: [], when, samples: [] };
}

const CATALOGUE = new TagCatalogue([
  tag('probe', [
    [
      { on: 'field:method', op: 'equals', values: ['HEAD', 'GET'] },
      { on: 'field:uri', op: 'equals', values: ['/'] },
    ],
  ]),
  tag('head-any-case', [[{ on: 'field:method', op: 'equals-ci', values: ['head', 'options'] }]]),
  tag('only-head', [[{ on: 'field:method', op: 'equals', values: ['HEAD'] }]]),
  // The same bytes as a lower-cased -ci value, compared case-sensitively.
  tag('lower-head', [[{ on: 'field:method', op: 'equals', values: ['head'] }]]),
  tag('empty-body', [[{ on: 'field:bytes', op: 'equals', values: ['-', '0'] }]]),
  tag('has-body', [[{ on: 'field:bytes', op: 'present', values: [] }]]),
  tag('monitor', [[{ on: 'field:agent', op: 'contains-ci', values: ['probe', 'HealthCheck'] }]]),
  tag('exact-agent', [[{ on: 'field:agent', op: 'equals', values: ['curl/8.0'] }]]),
  tag('api', [[{ on: 'field:uri', op: 'prefix', values: ['/api/'] }]]),
]);

const FIELDS = {
  method: ['GET', 'HEAD', 'head', 'Head', 'GOT', 'HEAT', 'OPTIONS', 'options', 'POST', '', 'GE'],
  uri: ['/', '/x', '/api/', '/api/v1', '//', '', '/ap'],
  bytes: ['-', '0', '00', '12', '', 'none', 'NONE'],
  agent: [
    'curl/8.0',
    'curl/8.1',
    'CURL/8.0',
    'kube-probe/1.29 and some more text to pass the memo length',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36',
    'Mozilla/5.0 ELB-HEALTHCHECKER/2.0 (a long agent, long enough to be remembered)',
    'x',
  ],
};
type FieldName = keyof typeof FIELDS;
const NAMES = Object.keys(FIELDS) as FieldName[];

function viaBytes(tagger: RecordTagger, values: Partial<Record<FieldName, string>>): string[] {
  for (const name of NAMES) {
    const value = values[name];
    if (value === undefined) continue;
    const bytes = encoder.encode(`<${value}>`);
    tagger.field(name, bytes, 1, bytes.length - 1);
  }
  return CATALOGUE.ids(tagger.finish(NO_COLUMNS, 0));
}

function viaText(values: Partial<Record<FieldName, string>>): string[] {
  const record: ParsedRecord = { ...unparsedRecord('', 0), fields: { ...values } };
  return CATALOGUE.ids(CATALOGUE.tagsOfRecord(record));
}

const recordArb = fc.record(
  Object.fromEntries(NAMES.map((n) => [n, fc.constantFrom(...FIELDS[n])])) as {
    [K in FieldName]: fc.Arbitrary<string>;
  },
  { requiredKeys: [] },
);

describe('the ingest and display roads of the tagger', () => {
  it('agree on every record, one tagger reused record after record', () => {
    fc.assert(
      fc.property(fc.array(recordArb, { minLength: 1, maxLength: 80 }), (records) => {
        const tagger = new RecordTagger(CATALOGUE);
        for (const values of records) expect(viaBytes(tagger, values)).toEqual(viaText(values));
      }),
    );
  });

  it('agree when fields come by number, in whatever order the format was given them', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray([...NAMES, 'unread'], { minLength: NAMES.length + 1 }),
        fc.array(recordArb, { minLength: 1, maxLength: 40 }),
        (numbering, records) => {
          const tagger = new RecordTagger(CATALOGUE, numbering);
          for (const values of records) {
            for (const name of NAMES) {
              const value = values[name];
              if (value === undefined) continue;
              const bytes = encoder.encode(`<${value}>`);
              tagger.fieldByNumber(numbering.indexOf(name), bytes, 1, bytes.length - 1);
            }
            // A number no tag reads changes nothing.
            tagger.fieldByNumber(numbering.indexOf('unread'), encoder.encode('HEAD'), 0, 4);
            expect(CATALOGUE.ids(tagger.finish(NO_COLUMNS, 0))).toEqual(viaText(values));
          }
        },
      ),
    );
  });

  it('decide exact values by case where asked, and a value named by two tags for both', () => {
    const tagger = new RecordTagger(CATALOGUE);
    expect(viaBytes(tagger, { method: 'HEAD', uri: '/' })).toEqual([
      'probe',
      'head-any-case',
      'only-head',
    ]);
    expect(viaBytes(tagger, { method: 'head', uri: '/' })).toEqual(['head-any-case', 'lower-head']);
    expect(viaBytes(tagger, { method: 'HEAT', uri: '/' })).toEqual([]);
    expect(viaBytes(tagger, { bytes: '0' })).toEqual(['empty-body', 'has-body']);
    expect(viaBytes(tagger, { bytes: '-' })).toEqual(['empty-body']);
    expect(viaBytes(tagger, { agent: 'CURL/8.0' })).toEqual([]);
    expect(viaBytes(tagger, { agent: 'curl/8.0' })).toEqual(['exact-agent']);
  });
});

describe('phrases in long values', () => {
  // Needles of six bytes or more are found by skipping ahead (Horspool); shorter ones by the
  // automaton. Messages are built from pieces of the needles, so near misses are everywhere.
  const PHRASES = new TagCatalogue([
    tag('handshake', [
      [{ on: 'message', op: 'contains', values: ['SSL handshake failed', 'in handshake (server'] }],
    ]),
    tag('auth', [
      [{ on: 'message', op: 'contains-ci', values: ['authentication failure', 'user not found'] }],
    ]),
  ]);
  const pieces = [
    'SSL handshake',
    ' failed',
    'in handshake',
    ' (server',
    'authentication ',
    'FAILURE',
    'failure',
    'User not ',
    'found',
    'x',
    ' ',
    'é',
  ];

  it('are found exactly where the text road finds them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.constantFrom(...pieces), { maxLength: 12 }), { maxLength: 30 }),
        (messages) => {
          const tagger = new RecordTagger(PHRASES);
          for (const parts of messages) {
            const message = parts.join('');
            const bytes = encoder.encode(`[${message}]`);
            tagger.field('message', bytes, 1, bytes.length - 1);
            const viaBytes = PHRASES.ids(tagger.finish(NO_COLUMNS, 0));
            const record = { ...unparsedRecord(message, 0) };
            expect(viaBytes).toEqual(PHRASES.ids(PHRASES.tagsOfRecord(record)));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('are found exactly, whatever the needles: several atoms, mixed case, long needles', () => {
    // A small alphabet makes near misses and byte pairs shared by needles the rule.
    const text = (min: number, max: number): fc.Arbitrary<string> =>
      fc
        .array(fc.constantFrom('a', 'b', 'A', 'B', ' ', 'é'), { minLength: min, maxLength: max })
        .map((cs) => cs.join(''));
    const atom = fc.record({
      op: fc.constantFrom('contains' as const, 'contains-ci' as const),
      values: fc.array(fc.oneof(text(6, 12), text(250, 300)), { minLength: 1, maxLength: 3 }),
    });
    fc.assert(
      fc.property(
        fc.array(atom, { minLength: 1, maxLength: 3 }),
        fc.array(fc.oneof(text(0, 40), text(250, 700)), { minLength: 1, maxLength: 10 }),
        (atoms, messages) => {
          const catalogue = new TagCatalogue(
            atoms.map((a, i) => tag(`t${i}`, [[{ on: 'message', ...a }]])),
          );
          const tagger = new RecordTagger(catalogue);
          for (const message of messages) {
            // Messages that hold the needles, not only ones that miss them.
            for (const m of [message, message + atoms[0]!.values[0]! + message]) {
              const bytes = encoder.encode(`[${m}]`);
              tagger.field('message', bytes, 1, bytes.length - 1);
              const viaBytes = catalogue.ids(tagger.finish(NO_COLUMNS, 0));
              expect(viaBytes).toEqual(catalogue.ids(catalogue.tagsOfRecord(unparsedRecord(m, 0))));
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('are found at the very start and end of a value, and not past its end', () => {
    const tagger = new RecordTagger(PHRASES);
    const tagsOf = (text: string, cut = 0): string[] => {
      const bytes = encoder.encode(text);
      tagger.field('message', bytes, 0, bytes.length - cut);
      return PHRASES.ids(tagger.finish(NO_COLUMNS, 0));
    };
    expect(tagsOf('SSL handshake failed')).toEqual(['handshake']);
    expect(tagsOf('x: User Not Found')).toEqual(['auth']);
    expect(tagsOf('x: User Not Found', 1)).toEqual([]);
  });
});
