import { describe, expect, it } from 'vitest';
import { applyFilterSetChanges, type FilterSetChange } from '../../../shared/filters/changes';
import type { FilterRule, FilterSet } from '../../../shared/filters/model';

const rule = (id: string, extra: Partial<FilterRule> = {}): FilterRule => ({
  id,
  enabled: true,
  action: 'hide',
  when: { srcIp: ['10.0.0.1'] },
  ...extra,
});
const set: FilterSet = Object.freeze({
  logsieve: 'filter-set',
  version: 1,
  name: 'Set',
  rules: Object.freeze([rule('a'), rule('b'), rule('c')]),
});
const ids = (changes: FilterSetChange[]): string[] | string[][] => {
  const r = applyFilterSetChanges(set, changes);
  return r.ok ? r.value.rules.map((x) => x.id) : [r.error.map((e) => `${e.code}: ${e.message}`)];
};

describe('applyFilterSetChanges', () => {
  it('adds at the end or at a position', () => {
    expect(ids([{ type: 'add-rule', rule: rule('d') }])).toEqual(['a', 'b', 'c', 'd']);
    expect(ids([{ type: 'add-rule', rule: rule('d'), index: 0 }])).toEqual(['d', 'a', 'b', 'c']);
    expect(ids([{ type: 'add-rule', rule: rule('d'), index: 3 }])).toEqual(['a', 'b', 'c', 'd']);
  });

  it('removes, moves and renames', () => {
    expect(ids([{ type: 'remove-rule', id: 'b' }])).toEqual(['a', 'c']);
    expect(ids([{ type: 'move-rule', id: 'a', toIndex: 2 }])).toEqual(['b', 'c', 'a']);
    expect(ids([{ type: 'move-rule', id: 'c', toIndex: 0 }])).toEqual(['c', 'a', 'b']);
    expect(ids([{ type: 'update-rule', id: 'b', patch: { id: 'b2' } }])).toEqual(['a', 'b2', 'c']);
    const renamed = applyFilterSetChanges(set, [{ type: 'rename-set', name: 'New name' }]);
    expect(renamed.ok && renamed.value.name).toBe('New name');
  });

  it('sets the switch rather than flipping it, so replaying a change is harmless', () => {
    const off: FilterSetChange = { type: 'set-rule-enabled', id: 'b', enabled: false };
    const r = applyFilterSetChanges(set, [off, off]);
    expect(r.ok && r.value.rules.map((x) => x.enabled)).toEqual([true, false, true]);
  });

  it('replaces `when` whole and can drop a comment', () => {
    const withComment = applyFilterSetChanges(set, [
      { type: 'update-rule', id: 'a', patch: { comment: 'note', when: { tag: ['x'] } } },
    ]);
    expect(withComment.ok && withComment.value.rules[0]).toEqual({
      id: 'a',
      enabled: true,
      action: 'hide',
      when: { tag: ['x'] },
      comment: 'note',
    });
    if (!withComment.ok) return;
    const without = applyFilterSetChanges(withComment.value, [
      { type: 'update-rule', id: 'a', patch: { comment: undefined } },
    ]);
    expect(without.ok && without.value.rules[0]?.comment).toBeUndefined();
  });

  it('applies a batch in order', () => {
    expect(
      ids([
        { type: 'add-rule', rule: rule('d') },
        { type: 'move-rule', id: 'd', toIndex: 0 },
        { type: 'remove-rule', id: 'a' },
      ]),
    ).toEqual(['d', 'b', 'c']);
  });

  it('refuses what cannot be applied, and says why', () => {
    expect(ids([{ type: 'remove-rule', id: 'zz' }])).toEqual([
      ['filterset.unknown-rule: No rule `zz` in this filter set.'],
    ]);
    expect(ids([{ type: 'move-rule', id: 'a', toIndex: 3 }])).toEqual([
      ['filterset.invalid-change: Moving rule `a`: position 3 is outside 0–2.'],
    ]);
    expect(ids([{ type: 'add-rule', rule: rule('d'), index: -1 }])).toEqual([
      ['filterset.invalid-change: Adding rule `d`: position -1 is outside 0–3.'],
    ]);
  });

  it('validates the result like a loaded file', () => {
    expect(ids([{ type: 'add-rule', rule: rule('a') }])).toEqual([
      [
        'filterset.duplicate-rule-id: rule 4: id `a` is already used by rule 1; rule ids must be unique.',
      ],
    ]);
    expect(
      ids([{ type: 'update-rule', id: 'a', patch: { when: { srcIp: ['172.16.1.0/33'] } } }]),
    ).toEqual([
      ['filterset.invalid-value: rule 1 `a`: srcIp `172.16.1.0/33`: prefix must be 0–32.'],
    ]);
    expect(ids([{ type: 'rename-set', name: '  ' }])[0]).toEqual([
      expect.stringContaining('needs a "name"'),
    ]);
  });

  it('never changes the set it was given (it is frozen here, so a write would throw)', () => {
    const before = JSON.stringify(set);
    applyFilterSetChanges(set, [
      { type: 'add-rule', rule: rule('d') },
      { type: 'set-rule-enabled', id: 'a', enabled: false },
      { type: 'move-rule', id: 'a', toIndex: 2 },
    ]);
    expect(JSON.stringify(set)).toBe(before);
  });
});
