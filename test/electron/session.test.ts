/**
 * The Session and its workers, under plain Node, on real files: loading, counts, rows in both
 * orders, record detail, line lookup, cancel, format override, bad input of every kind, and a
 * worker that dies taking only its own file with it.
 */
import { chmodSync, mkdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../shared/api';
import type { FileId, RecordIndex } from '../../shared/ids';
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

const inFileOrder = (id: FileId) => ({ fileId: id, order: 'file' as const, descending: false });

describe('loading a real log', () => {
  it('indexes every record of the Apache corpus file and reports progress', async () => {
    const events: SessionEvent[] = [];
    session = createTestSession({ chunkBytes: 256 * 1024, progressPerSecond: 1000 });
    session.onEvent((e) => events.push(e));
    const summary = await openLoaded(session, COMBINED);
    expect(summary).toMatchObject({
      state: 'ready',
      format: 'apache-access',
      detectedFormat: 'apache-access',
      encoding: 'utf-8',
      records: 10_000,
      parsed: 10_000,
      flagged: 0,
      size: 2_370_789,
      bytesRead: 2_370_789,
      firstTime: Date.UTC(2015, 4, 17, 10, 5, 0),
      lastTime: Date.UTC(2015, 4, 20, 21, 5, 59),
      errors: [],
    });
    expect(summary.columns).toEqual(['time', 'srcIp', 'code', 'message']);
    const progress = events.flatMap((e) => (e.type === 'progress' ? [e.progress] : []));
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.at(-1)).toMatchObject({
      bytesRead: 2_370_789,
      bytesTotal: 2_370_789,
      records: 10_000,
    });
    for (let i = 1; i < progress.length; i++)
      expect(progress[i]!.bytesRead).toBeGreaterThanOrEqual(progress[i - 1]!.bytesRead);
    expect(events.some((e) => e.type === 'file-changed' && e.file.state === 'ready')).toBe(true);
  });

  it('serves any window of rows, in file order and in time order, both directions', async () => {
    session = createTestSession();
    const { id } = await openLoaded(session, COMBINED);
    const first = await session.rows(inFileOrder(id), 0, 3);
    expect(first.total).toBe(10_000);
    expect(first.complete).toBe(true);
    expect(first.rows.map((r) => [r.line, r.srcIp, r.code])).toEqual([
      [1, '83.149.9.216', '200'],
      [2, '83.149.9.216', '200'],
      [3, '83.149.9.216', '200'],
    ]);
    expect(first.rows[0]!.message).toBe(
      'GET /presentations/logstash-monitorama-2013/images/kibana-search.png HTTP/1.1',
    );
    const last = await session.rows(inFileOrder(id), 9_999, 10_005);
    expect(last.rows.map((r) => r.line)).toEqual([10_000]);
    const byTime = await session.rows({ fileId: id, order: 'time', descending: false }, 0, 10_000);
    const times = byTime.rows.map((r) => r.time!);
    expect(times.length).toBe(1000); // one page at most
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]!);
    const newest = await session.rows({ fileId: id, order: 'time', descending: true }, 0, 1);
    expect(newest.rows[0]!.time).toBe(Date.UTC(2015, 4, 20, 21, 5, 59));
    // The corpus is not in time order (line 2 is 10:05:43, line 4 is 10:05:12): the order is real.
    expect(byTime.rows[0]!.line).not.toBe(1);
  });

  it('finds the row of a line in either order, and says when a line is past the end', async () => {
    session = createTestSession();
    const { id } = await openLoaded(session, COMBINED);
    expect(await session.locateLine(inFileOrder(id), 1)).toBe(0);
    expect(await session.locateLine(inFileOrder(id), 7_777)).toBe(7_776);
    expect(await session.locateLine({ fileId: id, order: 'file', descending: true }, 1)).toBe(
      9_999,
    );
    const byTime = { fileId: id, order: 'time' as const, descending: false };
    const row = await session.locateLine(byTime, 7_777);
    const page = await session.rows(byTime, row!, row! + 1);
    expect(page.rows[0]!.line).toBe(7_777);
    expect(await session.locateLine(inFileOrder(id), 10_001)).toBeNull();
  });

  it('gives the whole record with every field, its place in the file and its line range', async () => {
    session = createTestSession();
    const { id } = await openLoaded(session, COMBINED);
    const detail = await session.record(id, 4 as RecordIndex);
    expect(detail).toMatchObject({
      fileName: 'elastic-examples_apache_logs_combined.log',
      format: 'apache-access',
      line: 5,
      lastLine: 5,
      offset: 1304,
      length: 320,
      srcIp: '83.149.9.216',
      code: '200',
      truncated: false,
      invalidUtf8: false,
    });
    expect(
      detail.raw.startsWith('83.149.9.216 - - [17/May/2015:10:05:07 +0000] "GET /presentations'),
    ).toBe(true);
    expect(Object.fromEntries(detail.fields)).toMatchObject({
      status: '200',
      bytes: '2892',
      method: 'GET',
    });
  });
});

describe('bad input', () => {
  it('says an empty file is empty, without calling it an error', async () => {
    session = createTestSession();
    const summary = await openLoaded(session, writeTemp(dir, 'empty.log', ''));
    expect(summary).toMatchObject({ state: 'ready', records: 0, size: 0, errors: [] });
  });

  it('calls a binary file binary and reads it as plain text when asked, losing nothing', async () => {
    session = createTestSession();
    const bytes = new Uint8Array(4096).map((_, i) => (i * 7919) % 256);
    const path = writeTemp(dir, 'blob.bin', bytes);
    const summary = await openLoaded(session, path);
    expect(summary.format).toBeNull();
    expect(summary.records).toBe(0);
    expect(summary.errors.map((e) => e.code)).toEqual(['file.binary']);
    await session.setFormat(summary.id, 'plain');
    await session.whenLoaded(summary.id);
    const plain = session.summaryOf(summary.id);
    expect(plain).toMatchObject({
      format: 'plain',
      detectedFormat: null,
      formatOverridden: true,
      errors: [],
      bytesRead: 4096,
    });
    const newlines = bytes.filter((b) => b === 10).length;
    expect(plain.records).toBeGreaterThan(0);
    expect(plain.records).toBeLessThanOrEqual(newlines + 1);
  });

  it('reports a missing file and a file it may not read, and opens the rest', async () => {
    session = createTestSession();
    const secret = writeTemp(dir, 'secret.log', 'x\n');
    chmodSync(secret, 0o000);
    const root = process.getuid?.() === 0;
    const opened = await session.openPaths([join(dir, 'nope.log'), secret, ERRORS]);
    expect(opened.map((f) => f.state)).toEqual(['error', root ? 'loading' : 'error', 'loading']);
    expect(opened[0]!.errors[0]!.code).toBe('file.open.not-found');
    // root may read anything, so the permission case can only be checked as another user.
    if (!root) expect(opened[1]!.errors[0]!.code).toBe('file.open.permission');
    await session.whenLoaded(opened[2]!.id);
    expect(session.summaryOf(opened[2]!.id).records).toBe(3);
    chmodSync(secret, 0o600);
  });

  it('opens the log files of a dropped folder and says why when there are none', async () => {
    session = createTestSession();
    const folder = join(dir, 'logs');
    mkdirSync(folder);
    writeFileSync(
      join(folder, 'access.log'),
      '10.0.0.1 - - [05/Mar/2024:08:00:00 +0000] "GET / HTTP/1.1" 200 5\n',
    );
    writeFileSync(join(folder, 'error_log'), '[Tue Mar 05 08:00:00 2024] [error] boom\n');
    writeFileSync(join(folder, 'picture.png'), 'not a log');
    const opened = await session.openPaths([folder]);
    expect(opened.map((f) => f.name)).toEqual(['access.log', 'error_log']);
    const empty = join(dir, 'no-logs');
    mkdirSync(empty);
    writeFileSync(join(empty, 'notes.docx'), 'x');
    const [none] = await session.openPaths([empty]);
    expect(none!.errors[0]!.code).toBe('folder.no-logs');
  });

  it('keeps every line of a file with CRLF, mixed endings, a 1 MB line and invalid UTF-8', async () => {
    session = createTestSession({ chunkBytes: 64 * 1024 });
    const long = 'y'.repeat(1024 * 1024);
    const text = `first\r\nsecond\n${long}\r\n\r\nbad \xff byte\nlast`;
    const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
    const summary = await openLoaded(session, writeTemp(dir, 'mixed.log', bytes));
    expect(summary.records).toBe(5);
    const rows = await session.rows(inFileOrder(summary.id), 0, 10);
    expect(rows.rows.map((r) => r.line)).toEqual([1, 2, 3, 5, 6]);
    const big = await session.record(summary.id, 2 as RecordIndex);
    expect(big.raw.length).toBe(long.length);
    const bad = await session.record(summary.id, 3 as RecordIndex);
    expect(bad.invalidUtf8).toBe(true);
    expect(bad.raw).toBe('bad \ufffd byte');
  });

  it('reads a UTF-16 file with a byte order mark', async () => {
    session = createTestSession();
    const text =
      '\ufeff[Tue Mar 05 08:00:00 2024] [error] [client 10.1.2.3] Köln\r\n[Tue Mar 05 08:00:01 2024] [warn] two\r\n';
    const bytes = new Uint8Array(text.length * 2);
    for (let i = 0; i < text.length; i++) {
      bytes[i * 2] = text.charCodeAt(i) & 0xff;
      bytes[i * 2 + 1] = text.charCodeAt(i) >> 8;
    }
    const summary = await openLoaded(session, writeTemp(dir, 'utf16.log', bytes));
    expect(summary).toMatchObject({ encoding: 'utf-16le', format: 'apache-error', records: 2 });
    const detail = await session.record(summary.id, 0 as RecordIndex);
    expect(detail).toMatchObject({ srcIp: '10.1.2.3', offset: 2, message: 'Köln' });
  });
});

describe('files that change under us', () => {
  it('stops cleanly and says so when a file shrinks while loading, keeping what was read', async () => {
    session = createTestSession({ chunkBytes: 64 * 1024, chunksInFlight: 1 });
    const line = '10.0.0.1 - - [05/Mar/2024:08:00:00 +0000] "GET / HTTP/1.1" 200 5\n';
    const path = writeTemp(dir, 'rotating.log', line.repeat(500_000));
    const [opened] = await session.openPaths([path]);
    truncateSync(path, 0);
    await session.whenLoaded(opened!.id);
    const summary = session.summaryOf(opened!.id);
    expect(summary.errors.map((e) => e.code)).toEqual(['file.shrank']);
    expect(summary.errors[0]!.message).toMatch(/became shorter while it was loading/);
    expect(summary.records).toBeLessThan(500_000);
  });

  it('keeps reading a file deleted while it loads (the descriptor stays valid)', async () => {
    session = createTestSession({ chunkBytes: 64 * 1024, chunksInFlight: 1 });
    const line = '10.0.0.1 - - [05/Mar/2024:08:00:00 +0000] "GET / HTTP/1.1" 200 5\n';
    const path = writeTemp(dir, 'deleted.log', line.repeat(50_000));
    const [opened] = await session.openPaths([path]);
    rmSync(path);
    await session.whenLoaded(opened!.id);
    expect(session.summaryOf(opened!.id)).toMatchObject({
      state: 'ready',
      records: 50_000,
      errors: [],
    });
    const last = await session.record(opened!.id, 49_999 as RecordIndex);
    expect(last.raw).toBe(line.trimEnd());
  });
});

describe('control', () => {
  it('cancels a load and keeps what was read', async () => {
    session = createTestSession({ chunkBytes: 64 * 1024, chunksInFlight: 1 });
    const line = '10.0.0.1 - - [05/Mar/2024:08:00:00 +0000] "GET / HTTP/1.1" 200 5\n';
    const path = writeTemp(dir, 'big.log', line.repeat(200_000));
    const [opened] = await session.openPaths([path]);
    await session.cancelLoad(opened!.id);
    await session.whenLoaded(opened!.id);
    const summary = session.summaryOf(opened!.id);
    expect(summary.state).toBe('cancelled');
    expect(summary.records).toBeLessThan(200_000);
    const rows = await session.rows(inFileOrder(summary.id), 0, 1);
    expect(rows.total).toBe(summary.records);
  });

  it('re-reads a file with another format', async () => {
    session = createTestSession();
    const summary = await openLoaded(session, ERRORS);
    expect(summary.format).toBe('apache-error');
    await session.setFormat(summary.id, 'plain');
    await session.whenLoaded(summary.id);
    expect(session.summaryOf(summary.id)).toMatchObject({
      format: 'plain',
      formatOverridden: true,
      records: 3,
    });
    await session.setFormat(summary.id, null);
    await session.whenLoaded(summary.id);
    expect(session.summaryOf(summary.id)).toMatchObject({
      format: 'apache-error',
      formatOverridden: false,
    });
  });

  it('refuses bad arguments with a user error', async () => {
    session = createTestSession();
    const { id } = await openLoaded(session, ERRORS);
    await expect(session.rows(inFileOrder(id), 5, 2)).rejects.toBeInstanceOf(SessionError);
    await expect(session.record(99 as FileId, 0 as RecordIndex)).rejects.toMatchObject({
      userError: { code: 'file.unknown' },
    });
    await expect(session.record(id, 3 as RecordIndex)).rejects.toMatchObject({
      userError: { code: 'worker.request-failed' },
    });
  });

  it('keeps going when one file’s worker dies', async () => {
    session = createTestSession();
    const a = await openLoaded(session, ERRORS);
    const b = await openLoaded(session, COMBINED);
    const failed = new Promise<void>((resolve) =>
      session.onEvent((e) => {
        if (e.type === 'file-changed' && e.file.id === a.id && e.file.state === 'error') resolve();
      }),
    );
    // Kill a's worker from outside, as a crash would.
    await session.crashWorkerForTest(a.id);
    await failed;
    expect(session.summaryOf(a.id).errors.at(-1)!.code).toBe('file.reader-crashed');
    await expect(session.rows(inFileOrder(a.id), 0, 1)).rejects.toBeInstanceOf(SessionError);
    expect((await session.rows(inFileOrder(b.id), 0, 1)).rows).toHaveLength(1);
  });
});
