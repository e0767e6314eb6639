import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FilterSet } from '../../../shared/filters/model';
import {
  loadFilterSetDocument,
  parseFilterSet,
  serializeFilterSet,
  validateFilterSet,
  type MigrationChain,
} from '../../../shared/filters/persist';
import { filterSet } from './arbitraries';

const fixtureV1 = readFileSync(
  new URL('../../fixtures/filterset.v1.json', import.meta.url),
  'utf8',
);

/** The errors for a file, as `line:column code message` strings. */
function problems(text: string): string[] {
  const r = parseFilterSet(text);
  if (r.ok) return [];
  return r.error.map((e) => `${e.line ?? '-'}:${e.column ?? '-'} ${e.code} ${e.message}`);
}

/** A minimal valid document with one rule, changed by `edit`. */
function documentWith(
  edit: (rule: Record<string, unknown>, doc: Record<string, unknown>) => void,
): string {
  const rule: Record<string, unknown> = {
    id: 'lb',
    enabled: true,
    action: 'hide',
    when: { srcIp: ['10.0.0.1'] },
  };
  const doc: Record<string, unknown> = {
    logsieve: 'filter-set',
    version: 1,
    name: 'Set',
    rules: [rule],
  };
  edit(rule, doc);
  return JSON.stringify(doc, null, 2);
}

describe('the version 1 fixture', () => {
  it('loads into the model the issue describes', () => {
    const r = parseFilterSet(fixtureV1);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.name).toBe('CSG keepalive noise');
    expect(r.value.rules.map((rule) => [rule.id, rule.action, rule.enabled])).toEqual([
      ['lb-keepalive', 'hide', true],
      ['ct-idle', 'hide', true],
      ['known-bad-certs', 'trust', true],
      ['deny-revoked', 'block', false],
    ]);
    expect(r.value.rules[0]?.when.srcIp).toEqual([
      '172.16.1.0/24',
      '10.9.8.7',
      '10.0.0.1-10.0.0.20',
    ]);
  });

  it('saves back byte for byte (stable key order, two-space indent, trailing newline)', () => {
    const r = parseFilterSet(fixtureV1);
    expect(r.ok && serializeFilterSet(r.value)).toBe(fixtureV1);
  });

  it('tolerates a byte-order mark, as Windows editors write it', () => {
    expect(parseFilterSet(`\uFEFF${fixtureV1}`).ok).toBe(true);
  });
});

describe('explaining a bad file', () => {
  it('names rule, key, value and reason, at the value', () => {
    const text = fixtureV1.replace('"172.16.1.0/24"', '"172.16.1.0/33"');
    expect(problems(text)).toEqual([
      '12:11 filterset.invalid-value rule 1 `lb-keepalive`: srcIp `172.16.1.0/33`: prefix must be 0–32.',
    ]);
  });

  it('reports every problem at once, in file order', () => {
    const text = documentWith((rule) => {
      rule.action = 'allow';
      rule.when = { srcIp: ['10.0.0.1', '10.0.0.256', '172.16.1.5/24'], certHost: ['bad host'] };
    });
    const found = problems(text);
    expect(found).toHaveLength(4);
    expect(found[0]).toContain('"action" must be one of hide, trust, block, not `allow`');
    expect(found[1]).toContain('srcIp `10.0.0.256`: octet `256` is over 255');
    expect(found[2]).toContain('srcIp `172.16.1.5/24`: host bits are set');
    expect(found[3]).toContain('certHost `bad host`: contains a space');
    const hint = parseFilterSet(text);
    expect(!hint.ok && hint.error[2]?.hint).toBe(
      'Write 172.16.1.0/24 for the whole network, or 172.16.1.5 for the one host.',
    );
  });

  it.each([
    [
      '{ "logsieve": "filter-set", }',
      '1:29 json.syntax Not valid JSON: trailing comma before `}` is not allowed in JSON.',
    ],
    [
      '{\n  "a": [1, 2,]\n}',
      '2:14 json.syntax Not valid JSON: trailing comma before `]` is not allowed in JSON.',
    ],
    ['{\n  // note\n}', '2:3 json.syntax Not valid JSON: comments are not allowed in JSON.'],
    [
      '{ "a": 1 "b": 2 }',
      '1:10 json.syntax Not valid JSON: expected `,` or `}` after the value of `a`, found `"`.',
    ],
    [
      '{ "a": "x\ny" }',
      '1:10 json.syntax Not valid JSON: control character in string (write it as an escape, e.g. \\n).',
    ],
    ['{ "a": tru }', '1:8 json.syntax Not valid JSON: unexpected `t` where a value was expected.'],
    [
      '',
      '1:1 json.syntax Not valid JSON: unexpected the end of the file where a value was expected.',
    ],
    [
      '{ "a": "\\x" }',
      '1:9 json.syntax Not valid JSON: invalid escape in string (JSON knows \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX).',
    ],
    ['{} {}', '1:4 json.syntax Not valid JSON: unexpected `{` after the end of the JSON value.'],
    [
      '{ "a": 01 }',
      '1:9 json.syntax Not valid JSON: expected `,` or `}` after the value of `a`, found `1`.',
    ],
  ])('bad JSON %j has a line and column', (text, expected) => {
    expect(problems(text)).toEqual([expected]);
  });

  it('refuses duplicate keys, which JSON.parse would silently collapse', () => {
    const text =
      '{\n  "logsieve": "filter-set",\n  "version": 1,\n  "name": "x",\n  "rules": [],\n  "name": "y"\n}';
    expect(problems(text)).toEqual([
      '6:3 json.syntax Not valid JSON: duplicate key `name` (JSON readers would silently keep only the last one).',
    ]);
  });

  it('refuses nesting deep enough to exhaust the stack, without throwing', () => {
    expect(problems(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)[0]).toContain(
      'nested more than 64 levels deep',
    );
  });

  it('says a newer LogSieve saved it, and nothing else', () => {
    const text = documentWith((_, doc) => {
      doc.version = 2;
      doc.rules = 'whatever a newer version stores';
    });
    const r = parseFilterSet(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toEqual([
      {
        code: 'filterset.version-too-new',
        message:
          'Saved by a newer LogSieve: the file is version 2, this LogSieve reads up to version 1.',
        hint: 'Update LogSieve to open this file.',
        line: 3,
        column: 14,
      },
    ]);
  });

  it.each([
    [{ version: 0 }, 'filterset.version-unsupported'],
    [{ version: 1.5 }, 'filterset.version-invalid'],
    [{ version: '1' }, 'filterset.version-invalid'],
    [{ logsieve: 'something-else' }, 'filterset.not-a-filter-set'],
    [{ logsieve: undefined }, 'filterset.not-a-filter-set'],
  ])('refuses %j as %s', (patch, code) => {
    const text = documentWith((_, doc) => Object.assign(doc, patch));
    const r = parseFilterSet(text);
    expect(!r.ok && r.error.map((e) => e.code)).toEqual([code]);
  });

  it('refuses what is not an object', () => {
    for (const text of ['[]', '"filter-set"', 'null', '42']) {
      expect(problems(text)[0]).toContain('filterset.not-a-filter-set');
    }
  });

  it('names unknown keys at the key, with the known ones in the hint', () => {
    const text = documentWith((rule, doc) => {
      doc.extra = 1;
      rule.Enabled = false;
      rule.when = {
        srcIp: ['10.0.0.1'],
        srcip: ['10.0.0.2'],
        field: [{ name: 'a', op: 'equals', value: 'b', flags: 'i' }],
      };
      doc.__proto__x = 1;
    });
    const r = parseFilterSet(text.replace('"__proto__x"', '"__proto__"'));
    expect(!r.ok && r.error.map((e) => e.message)).toEqual([
      'Unknown key `extra` at the top level.',
      'Unknown key `__proto__` at the top level.',
      'Unknown key `Enabled` in rule 1 `lb`.',
      'Unknown key `srcip` in the "when" of rule 1 `lb`.',
      'Unknown key `flags` in a field condition of rule 1 `lb`.',
    ]);
    expect(!r.ok && r.error[3]?.hint).toContain(
      'Known conditions: srcIp, certHost, host, tag, code, source, level, text, regex, field.',
    );
  });

  it('refuses duplicate rule ids, naming both rules', () => {
    const text = documentWith((rule, doc) => {
      doc.rules = [rule, { ...rule }];
    });
    expect(problems(text)).toEqual([
      '17:13 filterset.duplicate-rule-id rule 2: id `lb` is already used by rule 1; rule ids must be unique.',
    ]);
  });

  it('refuses a rule that would match everything or nothing', () => {
    expect(problems(documentWith((rule) => (rule.when = {})))[0]).toContain(
      'filterset.empty-when rule 1 `lb`: "when" has no conditions, so the rule would match every record.',
    );
    expect(problems(documentWith((rule) => (rule.when = { tag: [] })))[0]).toContain(
      'filterset.empty-condition rule 1 `lb`: tag lists no values, so the rule could never match.',
    );
  });

  it('checks regular expressions with the engine the viewer uses', () => {
    const found = problems(documentWith((rule) => (rule.when = { regex: ['time(d|out'] })));
    expect(found).toEqual([
      expect.stringContaining(
        'filterset.invalid-regex rule 1 `lb`: regex `time(d|out`: not a valid regular expression',
      ),
    ]);
    expect(
      problems(
        documentWith((rule) => (rule.when = { field: [{ name: 'x', op: 'regex', value: '[' }] })),
      )[0],
    ).toContain('field regex `[`: not a valid regular expression');
  });

  it.each([
    [
      (rule: Record<string, unknown>) => (rule.id = 'has space'),
      'id `has space`: use 1–64 letters',
    ],
    [(rule: Record<string, unknown>) => (rule.id = 'x'.repeat(65)), 'use 1–64 letters'],
    [(rule: Record<string, unknown>) => delete rule.id, 'rule 1: missing "id".'],
    [(rule: Record<string, unknown>) => (rule.enabled = 'yes'), '"enabled" must be true or false.'],
    [
      (rule: Record<string, unknown>) => (rule.when = ['10.0.0.1']),
      '"when" must be an object of conditions.',
    ],
    [(rule: Record<string, unknown>) => delete rule.when, 'missing "when"'],
    [
      (rule: Record<string, unknown>) => (rule.when = { srcIp: '10.0.0.1' }),
      'srcIp must be a list of values.',
    ],
    [(rule: Record<string, unknown>) => (rule.when = { tag: [''] }), 'tag ``: must not be empty.'],
    [(rule: Record<string, unknown>) => (rule.when = { code: [125] }), 'code values must be text.'],
    [(rule: Record<string, unknown>) => (rule.comment = 5), '"comment" must be text'],
    [
      (rule: Record<string, unknown>) =>
        (rule.when = { field: [{ name: '', op: 'is', value: '' }] }),
      'needs a "name"',
    ],
  ])('explains %#', (edit, message) => {
    expect(problems(documentWith((rule) => void edit(rule))).join('\n')).toContain(message);
  });

  it('shows hostile values escaped, so a message cannot drive the terminal', () => {
    const found = problems(
      documentWith((rule) => (rule.when = { certHost: ['evil\u001b[2J\u202e.example'] })),
    );
    expect(found[0]).toContain('certHost `evil\\u{1b}[2J\\u{202e}.example`');
    expect(found[0]).not.toContain('\u001b');
    expect(found[0]).not.toContain('\u202e');
  });

  it('never throws, whatever the bytes', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        (text) => {
          const r = parseFilterSet(text);
          if (!r.ok) expect(r.error.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('migrations', () => {
  // There has only ever been version 1, so no migration ships. The mechanism is exercised here
  // with a test-only chain: a made-up version 0 that kept its rules under "filters".
  const chain: MigrationChain = {
    currentVersion: 1,
    migrations: [
      { from: 0, migrate: ({ filters, ...rest }) => ({ ...rest, version: 1, rules: filters }) },
    ],
  };

  it('runs the steps from the file version to the current one', () => {
    const old = {
      logsieve: 'filter-set',
      version: 0,
      name: 'Old',
      filters: [{ id: 'a', enabled: true, action: 'hide', when: { tag: ['x'] } }],
    };
    const r = loadFilterSetDocument(old, undefined, chain);
    expect(r.ok && r.value.rules.map((rule) => rule.id)).toEqual(['a']);
  });

  it('refuses a version it has no step for', () => {
    const r = loadFilterSetDocument({ logsieve: 'filter-set', version: 0, name: 'x', rules: [] });
    expect(!r.ok && r.error[0]?.message).toBe(
      'This LogSieve cannot read filter-set version 0 (no migration from it to version 1).',
    );
  });
});

describe('round trips', () => {
  it('parse(serialize(set)) gives the set back, and serializing again changes no byte', () => {
    fc.assert(
      fc.property(filterSet(), (set: FilterSet) => {
        const text = serializeFilterSet(set);
        const back = parseFilterSet(text);
        expect(back.ok ? back.value : back.error).toEqual(set);
        expect(back.ok && serializeFilterSet(back.value)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('validates sets built in memory with the same rules', () => {
    const r = validateFilterSet({
      logsieve: 'filter-set',
      version: 1,
      name: 'x',
      rules: [{ id: 'a', enabled: true, action: 'hide', when: { srcIp: ['1.2.3.4/8'] } }],
    });
    expect(!r.ok && r.error[0]?.line).toBeUndefined();
    expect(!r.ok && r.error[0]?.message).toContain('host bits are set');
  });
});
