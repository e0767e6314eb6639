/** A saved column layout applied to the columns a file has now. */
import { describe, expect, it } from 'vitest';
import { arrangeColumns, sameLayout } from '../../../shared/settings/column-layout';

const DEFAULTS = [
  { id: 'line', width: 96 },
  { id: 'time', width: 210 },
  { id: 'srcIp', width: 140 },
  { id: 'flags', width: 130 },
  { id: 'message', width: 320 },
];

describe('column layout', () => {
  it('is the default order and widths when nothing was saved', () => {
    expect(arrangeColumns(DEFAULTS, undefined)).toEqual(
      DEFAULTS.map((d) => ({ id: d.id, width: d.width, hidden: false })),
    );
  });

  it('applies the saved order, widths and hidden columns', () => {
    const saved = [
      { id: 'srcIp', width: 160, hidden: false },
      { id: 'line', width: 60, hidden: true },
      { id: 'time', width: 200, hidden: false },
      { id: 'flags', width: 130, hidden: false },
      { id: 'message', width: 320, hidden: false },
    ];
    expect(arrangeColumns(DEFAULTS, saved)).toEqual(saved);
  });

  it('drops saved columns the file no longer has and places new ones by their neighbours', () => {
    const saved = [
      { id: 'message', width: 320, hidden: false },
      { id: 'line', width: 70, hidden: false },
      { id: 'certHost', width: 180, hidden: false },
      { id: 'flags', width: 100, hidden: true },
    ];
    expect(arrangeColumns(DEFAULTS, saved).map((c) => c.id)).toEqual([
      'message',
      'line',
      'time',
      'srcIp',
      'flags',
    ]);
  });

  it('never hides every column', () => {
    const saved = DEFAULTS.map((d) => ({ id: d.id, width: d.width, hidden: true }));
    const arranged = arrangeColumns(DEFAULTS, saved);
    expect(arranged.filter((c) => !c.hidden).map((c) => c.id)).toEqual(['message']);
  });

  it('tells equal layouts from different ones', () => {
    const a = arrangeColumns(DEFAULTS, undefined);
    expect(sameLayout(a, arrangeColumns(DEFAULTS, undefined))).toBe(true);
    expect(sameLayout(a, [...a].reverse())).toBe(false);
    expect(
      sameLayout(
        a,
        a.map((c) => ({ ...c, width: c.width + 1 })),
      ),
    ).toBe(false);
    expect(sameLayout(a, undefined)).toBe(false);
  });
});
