/**
 * The CLI as scripts use it: a real process, its JSON on stdout and its exit code. The shapes and
 * codes here are contracts (see README); fields may be added, never renamed or dropped.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';
import { SCAN_FILE_KEYS } from '../helpers/contract';
import { CORPUS } from '../helpers/ingest';
import { tempDir, writeTemp } from '../helpers/session';

let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('scan', () => {
  it('prints the contract JSON for every file', async () => {
    const { code, stdout } = await cli(
      'scan',
      '--json',
      CORPUS + 'apache/plaso_apache_access_mixed.log',
      CORPUS + 'apache/beats_apache_error_test_mixed22_24.log',
    );
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as {
      files: Record<string, unknown>[];
      tags: object;
      findings: unknown[];
    };
    expect(Object.keys(result)).toEqual(expect.arrayContaining(['files', 'tags', 'findings']));
    expect(result.files[0]).toMatchObject({
      path: CORPUS + 'apache/plaso_apache_access_mixed.log',
      format: 'apache-access',
      bytes: 3130,
      records: 15,
      parsed: 15,
      flagged: 0,
      first: '2015-05-17T10:05:14.000Z',
      last: '2021-04-25T06:15:33.000Z',
      errors: [],
    });
    expect(result.files[1]).toMatchObject({
      format: 'apache-error',
      records: 3,
      first: '2011-09-09T10:42:29.902Z',
    });
    for (const key of SCAN_FILE_KEYS) expect(result.files[0]).toHaveProperty(key);
  });

  it('exits 1 with the error in the JSON when a file cannot be read, and still reports the others', async () => {
    const missing = join(dir, 'gone.log');
    const { code, stdout } = await cli(
      'scan',
      '--json',
      missing,
      CORPUS + 'apache/beats_apache_ssl_request.log',
    );
    expect(code).toBe(1);
    const files = (
      JSON.parse(stdout) as {
        files: { path: string; errors: { code: string }[]; records: number }[];
      }
    ).files;
    expect(files[0]).toMatchObject({
      path: missing,
      records: 0,
      errors: [{ code: 'file.open.not-found' }],
    });
    expect(files[1]).toMatchObject({ records: 2, errors: [] });
  });

  it('reads a file as the format it is told', async () => {
    const { code, stdout } = await cli(
      'scan',
      '--json',
      '--format',
      'plain',
      CORPUS + 'apache/beats_apache_ssl_request.log',
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      files: [{ format: 'plain', detectedFormat: 'apache-access', records: 2 }],
    });
  });

  it('exits 2 with the usage on bad usage', async () => {
    for (const args of [
      ['scan'],
      ['scan', '--format', 'nope', 'x.log'],
      ['scan', '--frobnicate', 'x.log'],
      ['explode'],
    ]) {
      const { code, stdout, stderr } = await cli(...args);
      expect(code, args.join(' ')).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/Usage: logsieve/);
    }
  });
});

describe('rows', () => {
  it('prints one contract JSON object per record and line', async () => {
    const { code, stdout } = await cli(
      'rows',
      '--json',
      CORPUS + 'apache/plaso_apache_access_mixed.log',
    );
    expect(code).toBe(0);
    const rows = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(15);
    expect(rows[0]).toEqual(
      expect.objectContaining({
        line: 1,
        offset: 0,
        time: '2016-01-13T19:31:16.000Z',
        srcIp: '10.0.0.1',
        code: '200',
        level: null,
        source: null,
        certHost: null,
        host: null,
        message: 'GET /wp-content/themes/darkmode/header.php?install2 HTTP/1.1',
        flags: [],
      }),
    );
    expect(rows[8]).toMatchObject({ line: 9, host: 'plaso.log2timeline.net', srcIp: '10.1.1.2' });
    expect((rows[0]!.fields as Record<string, string>).status).toBe('200');
  });

  it('pages with --offset and --limit', async () => {
    const { stdout } = await cli(
      'rows',
      '--json',
      '--offset',
      '9998',
      '--limit',
      '5',
      CORPUS + 'apache/elastic-examples_apache_logs_combined.log',
    );
    expect(
      stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { line: number }).line),
    ).toEqual([9999, 10000]);
  });

  it('flags what it cannot parse and keeps it', async () => {
    const path = writeTemp(
      dir,
      'mixed_access.log',
      '10.0.0.1 - - [05/Mar/2024:08:00:00 +0000] "GET / HTTP/1.1" 200 5\nthis is not an access log line\n10.0.0.2 - - [05/Mar/2024:08:00:01 +0000] "GET / HTTP/1.1" 404 5\n',
    );
    const { stdout } = await cli('rows', '--json', '--format', 'apache-access', path);
    const rows = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number; flags: string[]; message: string });
    expect(rows.map((r) => [r.line, r.flags])).toEqual([
      [1, []],
      [2, ['parse-error']],
      [3, []],
    ]);
    expect(rows[1]!.message).toBe('this is not an access log line');
  });

  it('exits 1 for a file it cannot read, saying why on stderr', async () => {
    const { code, stdout, stderr } = await cli('rows', '--json', join(dir, 'nope.log'));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('does not exist');
  });
});

describe('formats', () => {
  it('lists the formats with their fixed ids', async () => {
    const { code, stdout } = await cli('formats', '--json');
    expect(code).toBe(0);
    const formats = JSON.parse(stdout) as {
      id: string;
      title: string;
      filePatterns: string[];
      columns: string[];
    }[];
    expect(formats.map((f) => f.id)).toEqual(
      expect.arrayContaining(['apache-access', 'apache-error', 'plain']),
    );
    expect(formats.at(-1)!.id).toBe('plain');
    for (const f of formats) expect(f.columns).toContain('time');
  });
});

describe('groups and scan --filters', () => {
  const COMBINED = CORPUS + 'apache/elastic-examples_apache_logs_combined.log';
  const set = (rules: unknown[]) =>
    writeTemp(
      dir,
      `set-${rules.length}.json`,
      JSON.stringify({ logsieve: 'filter-set', version: 1, name: 'cli', rules }),
    );

  it('groups prints the contract JSON, sorted by count then key', async () => {
    const { code, stdout } = await cli(
      'groups',
      COMBINED,
      '--by',
      'src-ip',
      '--limit',
      '3',
      '--json',
    );
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as {
      by: string;
      total: number;
      visible: number;
      hidden: number;
      groups: { key: string; count: number; first: string; last: string }[];
    };
    expect(result).toMatchObject({ by: 'src-ip', total: 10000, visible: 10000, hidden: 0 });
    expect(result.groups.map((g) => [g.key, g.count])).toEqual([
      ['66.249.73.135', 482],
      ['46.105.14.53', 364],
      ['130.237.218.86', 357],
    ]);
    expect(result.groups[0]).toMatchObject({
      first: '2015-05-17T10:05:16.000Z',
      last: '2015-05-20T21:05:59.000Z',
    });
  });

  it('groups with --filters counts visible rows; only enabled rules apply', async () => {
    const path = set([
      { id: 'bot', enabled: true, action: 'hide', when: { srcIp: ['66.249.73.135'] } },
      { id: 'off', enabled: false, action: 'hide', when: { srcIp: ['46.105.14.53'] } },
    ]);
    const { code, stdout } = await cli(
      'groups',
      COMBINED,
      '--by',
      'src-ip',
      '--filters',
      path,
      '--limit',
      '2',
      '--json',
    );
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as {
      visible: number;
      hidden: number;
      groups: { key: string }[];
    };
    expect(result).toMatchObject({ visible: 10000 - 482, hidden: 482 });
    expect(result.groups.map((g) => g.key)).toEqual(['46.105.14.53', '130.237.218.86']);
  });

  it('scan --filters adds what each rule hides', async () => {
    const path = set([
      { id: 'bot', enabled: true, action: 'hide', when: { srcIp: ['66.249.73.135'] } },
      { id: 'net', enabled: true, action: 'hide', when: { srcIp: ['66.249.73.0/24'] } },
    ]);
    const { code, stdout } = await cli('scan', COMBINED, '--filters', path, '--json');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { filters: unknown; files: unknown[]; tags: object };
    expect(result.filters).toMatchObject({
      visible: 10000 - 538,
      hidden: 538,
      rules: [
        { id: 'bot', hidden: 482, hiddenOnly: 0 },
        { id: 'net', hidden: 538, hiddenOnly: 56 },
      ],
    });
    expect(result.files).toHaveLength(1);
  });

  it('says what is wrong with a filter set or a key, and prints nothing on stdout', async () => {
    const path = set([{ id: 'x', enabled: true, action: 'hide', when: { srcIp: ['1.2.3.0/33'] } }]);
    const bad = await cli('groups', COMBINED, '--by', 'src-ip', '--filters', path, '--json');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/0–32|0-32/);
    const key = await cli('groups', COMBINED, '--by', 'colour');
    expect(key.code).toBe(2);
    expect(key.stderr).toMatch(/Cannot group by "colour"/);
  });
});
