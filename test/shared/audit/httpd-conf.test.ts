import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { auditConfiguration, auditReportToJson } from '../../../shared/audit/audit';
import { apacheWords, intendedRange, readApacheLines } from '../../../shared/audit/httpd-conf';
import { formatRange } from '../../../shared/net/range';

const fixture = readFileSync(
  new URL('../../fixtures/audit/csg-httpd.conf', import.meta.url),
  'utf8',
);

describe('reading httpd.conf the way httpd 2.4 does', () => {
  it('joins a line ending in a backslash with the next, and keeps the first line number', () => {
    expect(readApacheLines('A \\\n  b\nC\\ \nD')).toEqual([
      { line: 1, text: 'A   b' },
      { line: 3, text: 'C\\' }, // a space after the backslash: no continuation
      { line: 4, text: 'D' },
    ]);
  });

  it('treats # as a comment only at the start of a line, and a comment can swallow the next line', () => {
    expect(readApacheLines('# note \\\nSetEnvIf Remote_Addr x nolog\nSetEnvIf a b # c')).toEqual([
      { line: 3, text: 'SetEnvIf a b # c' },
    ]);
  });

  it('handles CRLF line ends and surrounding white space', () => {
    expect(readApacheLines('\t SetEnvIf a b c \r\n\r\n')).toEqual([
      { line: 1, text: 'SetEnvIf a b c' },
    ]);
  });

  it.each([
    ['SetEnvIf Remote_Addr ^10\\.0 nolog', ['SetEnvIf', 'Remote_Addr', '^10\\.0', 'nolog']],
    ['a "b c" d', ['a', 'b c', 'd']],
    ["a 'b \"c' d", ['a', 'b "c', 'd']],
    ['a "b \\" c" d', ['a', 'b " c', 'd']],
    ['a "b\\\\.c"', ['a', 'b\\.c']],
    ['a b\\\\c', ['a', 'b\\c']], // \\ collapses outside quotes too
    ['a "unterminated', ['a', 'unterminated']],
    ['a "x"y', ['a', 'x', 'y']],
  ])('splits %s like ap_getword_conf', (line, words) => {
    expect(apacheWords(line)).toEqual(words);
  });
});

describe('intendedRange', () => {
  it.each([
    ['^172.16.1.', '172.16.1.0-172.16.1.255'],
    ['^172\\.16\\.1\\.', '172.16.1.0-172.16.1.255'],
    ['^10.', '10.0.0.0-10.255.255.255'],
    ['172.16.1.5', '172.16.1.5-172.16.1.5'],
    ['^172\\.16\\.1\\.5$', '172.16.1.5-172.16.1.5'],
    ['^10.1', null],
    ['^10.1.$', null],
    ['^010.1.', null],
    ['^10.(1|2).', null],
  ])('reads %s as %s', (pattern, expected) => {
    const range = intendedRange(pattern);
    expect(range ? formatRange(range) : null).toBe(expected);
  });
});

describe('auditing an httpd.conf', () => {
  const report = auditConfiguration(fixture);
  const json = auditReportToJson(report);
  const at = (line: number) => json.directives.find((d) => d.line === line);

  it('finds every SetEnvIf* on the client address, and nothing else', () => {
    expect(report.format).toBe('httpd');
    expect(json.directives.map((d) => d.line)).toEqual([6, 7, 8, 9, 13, 14, 16, 17]);
  });

  it('says what the seed article’s line really matches, where 256 were meant, and the exact line', () => {
    expect(at(6)).toEqual({
      line: 6,
      text: 'SetEnvIf Remote_Addr ^172.16.1. nolog',
      matches: 28_416,
      ranges: [
        '172.16.1.0-172.16.1.255',
        '172.16.10.0-172.16.19.255',
        '172.16.100.0-172.16.199.255',
      ],
      problems: [
        'an unescaped `.` matches any character, not only a dot (write `\\.`)',
        'not anchored at the end (`$`): it also matches longer addresses that start with the same text',
        'matches 28,416 addresses where 256 were meant (172.16.1.0/24)',
      ],
      exact:
        'SetEnvIf Remote_Addr "^172\\.16\\.1\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$" nolog',
    });
  });

  it('finds nothing wrong with an exact line', () => {
    expect(at(7)).toMatchObject({
      matches: 1,
      problems: [],
      exact: 'SetEnvIf Remote_Addr "^10\\.9\\.8\\.7$" nolog',
    });
  });

  it('explains an unanchored address, which matches every address containing it', () => {
    expect(at(8)).toMatchObject({
      matches: 33,
      ranges: [
        '10.0.0.5-10.0.0.5',
        '10.0.0.50-10.0.0.59',
        '110.0.0.5-110.0.0.5',
        '110.0.0.50-110.0.0.59',
        '210.0.0.5-210.0.0.5',
        '210.0.0.50-210.0.0.59',
      ],
      exact: 'SetEnvIf Remote_Addr "^10\\.0\\.0\\.5$" nolog',
    });
    expect(at(8)?.problems).toContain('matches 33 addresses where 1 was meant (10.0.0.5)');
    expect(at(13)?.problems).toContain('matches 111 addresses where 1 was meant (127.0.0.1)');
  });

  it('takes an elaborate pattern to mean what it matches, and still flags the open end', () => {
    expect(at(9)).toMatchObject({
      text: 'SetEnvIf Remote_Addr ^192\\.168\\.(1|2)\\.        nolog',
      matches: 512,
      ranges: ['192.168.1.0-192.168.2.255'],
      problems: [
        'not anchored at the end (`$`): it also matches longer addresses that start with the same text',
      ],
    });
  });

  it('reads SetEnvIfExpr -R as Apache does, host bits included', () => {
    expect(at(16)).toEqual({
      line: 16,
      text: "SetEnvIfExpr \"-R '172.16.2.5/24' || -R '2001:db8::/32'\" nolog",
      matches: 256,
      ranges: ['172.16.2.0-172.16.2.255', '2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff'],
      problems: ['`172.16.2.5/24` has host bits set; Apache reads it as 172.16.2.0/24'],
      exact: "SetEnvIfExpr \"-R '172.16.2.0/24' || -R '2001:db8::/32'\" nolog",
    });
  });

  it('refuses to guess about syntax it does not evaluate', () => {
    expect(at(17)).toEqual({
      line: 17,
      text: 'SetEnvIf Remote_Addr (?=10)10 nolog',
      matches: null,
      ranges: [],
      problems: [
        "pattern `(?=10)10` uses lookaround `(?=…)`/`(?!…)`, which LogSieve's audit does not evaluate",
      ],
      exact: null,
    });
    const other = auditReportToJson(
      auditConfiguration(
        "SetEnvIfExpr \"-R '10.0.0.0/8' && %{HTTP_HOST} == 'x'\" nolog\nSetEnvIf Remote_Addr ${LB} nolog",
      ),
    );
    expect(other.directives.map((d) => [d.matches, d.problems])).toEqual([
      [
        null,
        [
          'expression is not an OR (||) of -R / -ipmatch tests, the only expressions the audit evaluates',
        ],
      ],
      [null, ['uses ${…}, whose value is defined elsewhere, so the audit cannot evaluate it']],
    ]);
  });

  it('reads -ipmatch, netmasks and partial addresses like APR', () => {
    const r = auditReportToJson(
      auditConfiguration(
        "SetEnvIfExpr \"%{REMOTE_ADDR} -ipmatch '10.1.0.0/255.255.0.0' || (-R '192.168' || -R '::1')\" nolog",
      ),
    );
    expect(r.directives[0]).toMatchObject({
      matches: 65_536 * 2,
      ranges: ['10.1.0.0-10.1.255.255', '192.168.0.0-192.168.255.255', '::1-::1'],
      problems: [],
      exact: "SetEnvIfExpr \"-R '10.1.0.0/16' || -R '192.168.0.0/16' || -R '::1/128'\" nolog",
    });
  });

  it('never writes back a variable it cannot prove safe', () => {
    const r = auditReportToJson(auditConfiguration('SetEnvIf Remote_Addr ^10\\. "no log"'));
    expect(r.directives[0]?.exact).toBeNull();
    expect(r.directives[0]?.problems).toEqual([
      'variable `no log` cannot be written back safely, so no exact replacement is given',
    ]);
  });
});
