import { describe, expect, it } from 'vitest';
import { syslog } from '../../../shared/formats/syslog';
import { RecordFlag } from '../../../shared/record';
import { ingestAgreeing } from '../../helpers/agreement';

const read = (text: string, options: Parameters<typeof ingestAgreeing>[2] = {}) =>
  ingestAgreeing(syslog, text, options).records.map((r) => r.record);

describe('syslog', () => {
  it('takes the year from the file and rolls over at New Year', () => {
    const records = read(
      '<13>Dec 31 23:59:59 host app: old year\n<13>Jan  1 00:00:01 host app: new year',
      { modifiedMs: Date.UTC(2024, 0, 2) },
    );
    expect(records.map((r) => r.time)).toEqual([
      Date.UTC(2023, 11, 31, 23, 59, 59),
      Date.UTC(2024, 0, 1, 0, 0, 1),
    ]);
    expect(records[0]!.notes[0]).toContain('the year is the file’s modification year');
  });

  it('reads BSD times in the file time zone, and a year written before the time', () => {
    const records = read('Jul  4 12:00:00 host app: x\nJul  4 2021 12:00:00 host app: y', {
      formatOptions: { timeZone: 'America/New_York' },
    });
    expect(records.map((r) => r.time)).toEqual([
      Date.UTC(2023, 6, 4, 16), // ingest's file date is 2024-06-01: July is last year's
      Date.UTC(2021, 6, 4, 16),
    ]);
  });

  it('reads lines without a priority or without a host', () => {
    const [a, b] = read(
      'Mar  5 08:14:02 gw01 sshd[4242]: Accepted publickey\n<86>Mar  5 08:14:03 sshd[42]: session opened',
    );
    expect(a).toMatchObject({
      level: null,
      host: 'gw01',
      source: 'sshd',
      fields: { procid: '4242' },
    });
    expect(b).toMatchObject({
      level: 'info',
      host: null,
      source: 'sshd',
      message: 'session opened',
      fields: { facility: 'authpriv', procid: '42' },
    });
  });

  it('flags what is not syslog: priority over 191, no timestamp, broken structured data', () => {
    const records = read(
      [
        '<192>Mar  5 08:14:02 host app: x',
        'just some text',
        '<13>1 2024-03-05T08:14:02Z host app - - [id a="1" message',
      ].join('\n'),
    );
    for (const r of records) expect(r.flags).toBe(RecordFlag.ParseError);
  });

  it('reads RFC 5424 nil values, a BOM before the message and escaped structured data', () => {
    const [record] = read(
      '<14>1 2024-03-05T08:14:02.5+01:00 - - - - [a@1 x="q\\"uote" y="b\\]r"][b@2] \uFEFFhello',
    );
    expect(record).toMatchObject({
      time: Date.UTC(2024, 2, 5, 7, 14, 2, 500),
      host: null,
      source: null,
      code: null,
      message: 'hello',
      fields: { 'sd.a@1.x': 'q"uote', 'sd.a@1.y': 'b]r', 'sd.b@2': '' },
    });
  });

  it('takes the NetScaler client address by key preference, then from Context', () => {
    const ns = (body: string): string =>
      `06:29:05 GMT ns01 0-PPE-0 : default SSLVPN EVENT 1 0 : ${body}`;
    const records = read(
      [
        ns('Source 203.0.113.5:4444 - Destination 10.0.0.1 - Client_ip 198.51.100.9'),
        ns('Source 203.0.113.5:4444 - Destination 10.0.0.1:443'),
        ns('User bob - Remote_ip 2001:db8::7 - Command "show"'),
        ns('Context carol@192.0.2.44 - SessionId: 1 - Nat_ip 10.9.9.9 - Vserver 10.0.0.1:443'),
        ns('Destination 192.0.2.1 - Nat_ip 192.0.2.2 - Vserver 192.0.2.3:443 - MySource 192.0.2.4'),
        ns('Client_ip - - Source not-an-address'),
      ].join('\n'),
    );
    expect(records.map((r) => r.srcIp)).toEqual([
      '198.51.100.9',
      '203.0.113.5',
      '2001:db8::7',
      '192.0.2.44',
      null,
      null,
    ]);
  });

  it('reads NetScaler dates in the configured order', () => {
    const line = '<134> 17/04/2023:18:13:14 GMT ns01 0-PPE-0 : default SSLVPN X 1 0 : y';
    expect(read(line)[0]!.flags).toBe(RecordFlag.BadTimestamp);
    expect(read(line, { formatOptions: { dateOrder: 'dmy' } })[0]!.time).toBe(
      Date.UTC(2023, 3, 17, 18, 13, 14),
    );
  });

  it('reads a NetScaler message after a collector’s BSD header, preferring its dated GMT time', () => {
    const [record] = read(
      'Jun  4 12:47:40 10.0.0.5 06/04/2023:10:47:40 GMT ns01 0-PPE-0 : default AAA LOGIN_FAILED 1 0 : User x - Client_ip 198.51.100.1',
      { formatOptions: { timeZone: 'Europe/Berlin' } },
    );
    expect(record).toMatchObject({
      time: Date.UTC(2023, 5, 4, 10, 47, 40),
      host: 'ns01',
      source: 'AAA',
      code: 'LOGIN_FAILED',
      srcIp: '198.51.100.1',
      fields: { hostname: '10.0.0.5' },
    });
  });

  it('reads an ISO timestamp without an offset in the file time zone', () => {
    const [record] = read('2024-03-05T08:14:02 host app: x', {
      formatOptions: { timeZone: 'Asia/Tokyo' },
    });
    expect(record!.time).toBe(Date.UTC(2024, 2, 4, 23, 14, 2));
  });
});
