/**
 * The tagger remembers the atoms of long field values (user agents); a remembered answer must be
 * exactly the one it would compute, also for values that differ only in bytes the hash skips.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecordTagger } from '../../../shared/tags/tagger';
import { TAG_CATALOGUE } from '../../../shared/tags/default';

const NO_COLUMNS = { idReader: () => ({ idAt: () => 0 }), valueOf: () => null };
const encoder = new TextEncoder();

function tagsOf(tagger: RecordTagger, agent: string): string[] {
  const bytes = encoder.encode(`xx${agent}yy`);
  tagger.field('user_agent', bytes, 2, bytes.length - 2);
  return TAG_CATALOGUE.ids(tagger.finish(NO_COLUMNS, 0));
}

describe('remembered field values', () => {
  it('give the same tags as a fresh tagger, value after value', () => {
    const pieces = [
      'Mozilla/5.0 (compatible; ',
      'kube-probe/1.29',
      'ELB-HealthChecker/2.0',
      'Chrome/120.0.0.0 Safari/537.36',
      'x',
      ' ',
    ];
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 6 }), {
          minLength: 1,
          maxLength: 60,
        }),
        (agents) => {
          const remembering = new RecordTagger(TAG_CATALOGUE);
          for (const parts of agents) {
            const agent = parts.join('');
            expect(tagsOf(remembering, agent)).toEqual(
              tagsOf(new RecordTagger(TAG_CATALOGUE), agent),
            );
          }
        },
      ),
    );
  });

  it('tells apart values that differ in one byte the hash does not sample', () => {
    const tagger = new RecordTagger(TAG_CATALOGUE);
    const plain = 'Mozilla/5.0 (X11; Linux x86_64) pinger Safari/537.36 and a long tail of text';
    // Same length, same first and last bytes: only the middle differs. Asked in turn, each is
    // also the value last seen with that length (the memo compares that one first) when it is not
    // the one asked for.
    const monitor = plain.replace('pinger', 'Zabbix');
    expect(monitor.length).toBe(plain.length);
    for (let i = 0; i < 3; i++) {
      expect(tagsOf(tagger, plain)).toEqual([]);
      expect(tagsOf(tagger, monitor)).toEqual(['health-check']);
    }
  });

  it('tells apart values that differ in one byte anywhere, whatever its alignment', () => {
    // The memo compares four bytes at a time and the last few one by one: move the differing
    // byte across every position of a word and into the tail.
    for (let lead = 20; lead < 29; lead++)
      for (let tail = 0; tail < 4; tail++) {
        const tagger = new RecordTagger(TAG_CATALOGUE);
        const plain = `${'m'.repeat(lead)}Zabbiy${'t'.repeat(tail)}`;
        const monitor = `${'m'.repeat(lead)}Zabbix${'t'.repeat(tail)}`;
        expect(tagsOf(tagger, plain)).toEqual([]);
        expect(tagsOf(tagger, monitor)).toEqual(['health-check']);
        expect(tagsOf(tagger, plain)).toEqual([]);
      }
  });

  it('answers exactly through thousands of distinct values: the pool grows, then the memo fills', () => {
    const tagger = new RecordTagger(TAG_CATALOGUE);
    // 3,000 values of ~60 bytes: over 16 KiB of remembered bytes, and past half the slots.
    const agents = Array.from({ length: 3000 }, (_, i) =>
      i % 7 === 0
        ? `Zabbix agent ${i} checking the gateway`
        : `Mozilla/5.0 client ${i} (X11; Linux)`,
    );
    for (const agent of agents) tagsOf(tagger, agent);
    for (const agent of agents)
      expect(tagsOf(tagger, agent)).toEqual(agent.startsWith('Zabbix') ? ['health-check'] : []);
  });

  it('remembers one-byte values of every field exactly, among longer ones', () => {
    const fields = [...TAG_CATALOGUE.wantedFields()];
    // Neighbouring bytes too ('-' and ',' differ in one bit): each has its own answer.
    const values = [
      '-',
      ',',
      '1',
      '0',
      'x',
      'r',
      'S',
      ' ',
      '"',
      '',
      'revoked',
      'Self',
      'tcp_error',
      'HEAD',
      '/',
    ];
    const tagsOfField = (tagger: RecordTagger, field: string, value: string): string[] => {
      const bytes = encoder.encode(`xx${value}yy`);
      tagger.field(field, bytes, 2, bytes.length - 2);
      return TAG_CATALOGUE.ids(tagger.finish(NO_COLUMNS, 0));
    };
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...fields), fc.constantFrom(...values)), {
          maxLength: 40,
        }),
        (arrivals) => {
          const remembering = new RecordTagger(TAG_CATALOGUE);
          for (const [field, value] of arrivals)
            expect(tagsOfField(remembering, field, value)).toEqual(
              tagsOfField(new RecordTagger(TAG_CATALOGUE), field, value),
            );
        },
      ),
    );
  });
});
