/**
 * The view through the Session and its workers, on real files: filters (checked against the
 * reference matcher record by record), the modes, group selection, time windows, rows in both
 * orders, groups merged across files, the timeline, and find with next/previous and cancel.
 */
import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RecordDetail, ViewQuery, ViewSettings } from '../../shared/api';
import type { MatchableRecord } from '../../shared/filters/match';
import { ruleMatches } from '../../shared/filters/match';
import type { FilterSet } from '../../shared/filters/model';
import type { FileId } from '../../shared/ids';
import type { Session } from '../../electron/session/session';
import { SessionError } from '../../electron/session/session';
import { CORPUS } from '../helpers/ingest';
import { createTestSession, openLoaded, tempDir, writeTemp } from '../helpers/session';

const COMBINED = CORPUS + 'apache/elastic-examples_apache_logs_combined.log';
const ERRORS = CORPUS + 'apache/beats_apache_error_test_mixed22_24.log';

let session: Session;
let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await session.close();
});

const SET: FilterSet = {
  logsieve: 'filter-set',
  version: 1,
  name: 'test',
  rules: [
    { id: 'bot', enabled: true, action: 'hide', when: { srcIp: ['66.249.73.135'] } },
    { id: 'net', enabled: true, action: 'hide', when: { srcIp: ['66.249.73.0/24'] } },
    { id: 'robots', enabled: true, action: 'hide', when: { text: ['robots.txt'] } },
    { id: 'off', enabled: false, action: 'hide', when: { code: ['404'] } },
    { id: 'mark', enabled: true, action: 'block', when: { code: ['404'] } },
  ],
};

const view = (over: Partial<ViewSettings> = {}): ViewSettings => ({
  filters: SET,
  mode: 'visible',
  groups: null,
  window: null,
  ...over,
});

function matchable(r: RecordDetail): MatchableRecord {
  return {
    srcIp: r.srcIp,
    certHost: r.certHost,
    host: r.host,
    code: r.code,
    source: r.source,
    level: r.level,
    tags: r.tags.map((t) => t.id),
    message: r.message ?? r.raw,
    fields: Object.fromEntries(r.fields),
  };
}

async function allRecords(fileId: FileId, count: number): Promise<RecordDetail[]> {
  const out: RecordDetail[] = [];
  for (let start = 0; start < count; start += 1000)
    out.push(...(await session.records(fileId, start, Math.min(1000, count - start))));
  return out;
}

async function allRows(query: ViewQuery, total: number) {
  const rows = [];
  for (let start = 0; start < total; start += 1000)
    rows.push(...(await session.rows(query, start, Math.min(total, start + 1000))).rows);
  return rows;
}

describe('filters through the workers', () => {
  it('hide exactly what the reference matcher hides, rule by rule, and the rows follow', async () => {
    session = createTestSession();
    const file = await openLoaded(session, COMBINED);
    const records = await allRecords(file.id, file.records);
    const enabledHiding = SET.rules.filter((r) => r.enabled && r.action !== 'block');
    const hiddenBy = records.map((r) =>
      enabledHiding.filter((rule) => ruleMatches(rule, matchable(r))).map((rule) => rule.id),
    );
    const expectedVisible = records.filter((_, i) => hiddenBy[i]!.length === 0);

    const summary = await session.setView(view());
    expect(summary).toMatchObject({
      total: file.records,
      visible: expectedVisible.length,
      hidden: file.records - expectedVisible.length,
      rows: expectedVisible.length,
      complete: true,
    });
    for (const rule of SET.rules) {
      const matches = records.filter((r) => ruleMatches(rule, matchable(r))).length;
      const counts = summary.rules.find((c) => c.id === rule.id)!;
      expect(counts.matches, rule.id).toBe(matches);
      const hides = rule.enabled && rule.action !== 'block';
      expect(counts.hidden, rule.id).toBe(hides ? matches : 0);
      expect(counts.hiddenOnly, rule.id).toBe(
        hides ? hiddenBy.filter((ids) => ids.length === 1 && ids[0] === rule.id).length : 0,
      );
    }
    const marked = expectedVisible.filter((r) => r.code === '404').length;
    expect(summary.marked).toBe(marked);
    expect(summary.rules.find((c) => c.id === 'mark')!.marked).toBe(marked);
    // A real file with real overlap: the /24 rule alone brings back fewer rows than it hides.
    expect(summary.rules.find((c) => c.id === 'net')!.hiddenOnly).toBeGreaterThan(0);
    expect(summary.rules.find((c) => c.id === 'bot')!.hiddenOnly).toBe(0);

    const query: ViewQuery = { fileId: file.id, order: 'file', descending: false };
    const rows = await allRows(query, summary.rows);
    expect(rows.map((r) => r.record)).toEqual(
      records.flatMap((r, i) => (hiddenBy[i]!.length === 0 ? [r.record] : [])),
    );
    const page = await session.rows(query, 0, 10);
    expect(page.total).toBe(expectedVisible.length);
    expect(page.version).toBe(summary.version);

    // Only what the filters hide.
    const hidden = await session.setView(view({ mode: 'hidden' }));
    expect(hidden.rows).toBe(file.records - expectedVisible.length);
    const hiddenRows = await allRows(query, hidden.rows);
    expect(hiddenRows.every((r) => hiddenBy[r.record]!.length > 0)).toBe(true);

    // The master switch off: everything, still counted.
    const all = await session.setView(view({ mode: 'all' }));
    expect(all.rows).toBe(file.records);
    expect(all.hidden).toBe(hidden.rows);
    expect(all.version).toBeGreaterThan(hidden.version);
  });

  it('refuses a bad filter set with the validator’s message and keeps the old view', async () => {
    session = createTestSession();
    const file = await openLoaded(session, COMBINED);
    await session.setView(view());
    const bad = {
      ...SET,
      rules: [{ id: 'x', enabled: true, action: 'hide', when: { srcIp: ['10.0.0.0/33'] } }],
    };
    await expect(session.setView(view({ filters: bad }))).rejects.toThrow(/prefix/);
    const still = await session.viewSummary();
    expect(still.rows).toBeLessThan(file.records);
  });
});

describe('groups, windows and orders', () => {
  it('groups the visible rows, selects groups and windows, and keeps time order', async () => {
    session = createTestSession();
    const file = await openLoaded(session, COMBINED);
    const records = await allRecords(file.id, file.records);
    await session.setView(view());
    const visible = new Set(
      (await allRows({ fileId: file.id, order: 'file', descending: false }, file.records)).map(
        (r) => r.record,
      ),
    );
    const result = await session.groups({ by: 'src-ip', limit: 5 });
    const expected = new Map<string, number>();
    for (const r of records)
      if (visible.has(r.record) && r.srcIp !== null)
        expected.set(r.srcIp, (expected.get(r.srcIp) ?? 0) + 1);
    const top = [...expected].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 5);
    expect(result.groups.map((g) => [g.key, g.count])).toEqual(top);
    expect(result.visible).toBe(visible.size);
    expect(result.groups[0]!.sparkline.reduce((a, b) => a + b, 0)).toBe(result.groups[0]!.count);

    // Select the top two groups and a window: rows are exactly those, in time order.
    const keys = top.slice(0, 2).map(([k]) => k);
    const from = Date.parse('2015-05-18T00:00:00Z');
    const to = Date.parse('2015-05-19T00:00:00Z');
    const selected = await session.setView(
      view({ groups: { spec: { by: 'src-ip' }, keys }, window: { from, to } }),
    );
    const want = records.filter(
      (r) =>
        visible.has(r.record) &&
        keys.includes(r.srcIp ?? '') &&
        r.time !== null &&
        r.time >= from &&
        r.time < to,
    );
    expect(selected.rows).toBe(want.length);
    expect(selected.rows).toBeGreaterThan(0);
    const byTime = await allRows(
      { fileId: file.id, order: 'time', descending: false },
      selected.rows,
    );
    expect(new Set(byTime.map((r) => r.record))).toEqual(new Set(want.map((r) => r.record)));
    const times = byTime.map((r) => r.time!);
    expect(times).toEqual([...times].sort((a, b) => a - b));

    // Row lookups in the filtered, time-ordered view.
    const query: ViewQuery = { fileId: file.id, order: 'time', descending: true };
    const last = byTime[byTime.length - 1]!;
    expect(await session.rowOfRecord(query, last.record)).toBe(0);
    const hiddenRecord = records.find((r) => !visible.has(r.record))!;
    expect(await session.rowOfRecord(query, hiddenRecord.record)).toBeNull();
    const mid = byTime[Math.floor(byTime.length / 2)]!;
    const row = await session.rowAtTime({ ...query, descending: false }, mid.time!);
    expect(byTime[row!]!.time).toBe(mid.time);

    // The timeline of this view adds up to its rows.
    const timeline = await session.timeline({ stackBy: 'level' });
    expect(timeline.totals.reduce((a, b) => a + b, 0)).toBe(selected.rows);
    expect(timeline.from).toBe(byTime[0]!.time);
  });

  it('merges two files into one timeline and one grouping', async () => {
    session = createTestSession();
    const a = await openLoaded(session, COMBINED);
    const b = await openLoaded(session, ERRORS);
    const summary = await session.setView(view({ filters: null, mode: 'all' }));
    expect(summary.total).toBe(a.records + b.records);
    expect(summary.files.map((f) => f.fileId)).toEqual([a.id, b.id]);
    const timeline = await session.timeline({});
    expect(timeline.totals.reduce((x, y) => x + y, 0) + timeline.untimed).toBe(summary.rows);
    expect(timeline.from).toBe(Math.min(a.firstTime!, b.firstTime!));
    const levels = await session.groups({ by: 'level' });
    expect(levels.groups.reduce((n, g) => n + g.count, 0)).toBe(summary.rows);
    // Switching a file off takes its rows out of every count.
    const off = await session.setView(view({ filters: null, mode: 'all', hiddenFiles: [b.id] }));
    expect(off.rows).toBe(a.records);
    expect(
      (await session.rows({ fileId: b.id, order: 'file', descending: false }, 0, 10)).total,
    ).toBe(0);
  });
});

describe('find', () => {
  it('counts regex matches exactly, walks them in view order, and says what is wrong with a bad regex', async () => {
    session = createTestSession();
    const file = await openLoaded(session, COMBINED);
    const records = await allRecords(file.id, file.records);
    const pattern = 'Googlebot/2\\.\\d';
    const regex = new RegExp(pattern, 'u');
    const expected = records.filter((r) => regex.test(r.raw.replace(/\r?\n$/, '')));
    const result = await session.find({
      fileId: file.id,
      pattern,
      regex: true,
      caseSensitive: true,
    });
    expect(result).toMatchObject({
      matches: expected.length,
      inView: expected.length,
      complete: true,
    });
    expect(expected.length).toBeGreaterThan(100);

    const query: ViewQuery = { fileId: file.id, order: 'file', descending: false };
    const first = await session.findNext(query, 0, false);
    expect(first).toBe(expected[0]!.record);
    const second = await session.findNext(query, first! + 1, false);
    expect(second).toBe(expected[1]!.record);
    expect(await session.findNext(query, second! - 1, true)).toBe(first);
    expect(await session.findNext(query, file.records - 1, true)).toBe(
      expected[expected.length - 1]!.record,
    );

    // Hide the matches' main source: fewer in view, still all in the file.
    const summary = await session.setView(view());
    const again = await session.find({
      fileId: file.id,
      pattern,
      regex: true,
      caseSensitive: true,
    });
    expect(again.matches).toBe(expected.length);
    expect(again.inView).toBeLessThan(expected.length);
    expect(summary.rows).toBeLessThan(file.records);

    // Case-insensitive text, in bytes.
    const text = await session.find({
      fileId: file.id,
      pattern: 'googlebot',
      regex: false,
      caseSensitive: false,
    });
    expect(text.matches).toBe(records.filter((r) => /googlebot/i.test(r.raw)).length);

    const bad = session.find({
      fileId: file.id,
      pattern: '(unclosed',
      regex: true,
      caseSensitive: false,
    });
    await expect(bad).rejects.toBeInstanceOf(SessionError);
    await expect(bad).rejects.toThrow(/Not a valid regular expression/);
  });

  it('stops when cancelled and reports what it searched', async () => {
    session = createTestSession();
    const line = '10.0.0.1 - - [17/May/2015:10:05:03 +0000] "GET /a HTTP/1.1" 200 12 "-" "probe"\n';
    const path = writeTemp(dir, 'big_access.log', line.repeat(400_000));
    const file = await openLoaded(session, path);
    const running = session.find({
      fileId: file.id,
      pattern: 'prob[e]',
      regex: true,
      caseSensitive: true,
    });
    await session.cancelFind(file.id);
    const result = await running;
    expect(result.complete).toBe(false);
    expect(result.matches).toBeLessThan(file.records);
    const whole = await session.find({
      fileId: file.id,
      pattern: 'probe',
      regex: false,
      caseSensitive: true,
    });
    expect(whole).toMatchObject({ matches: file.records, complete: true });
  });
});
