import { describe, expect, it } from 'vitest';
import { clearTrust } from '../../../shared/formats/cleartrust';
import { RecordFlag } from '../../../shared/record';
import { ingestAgreeing } from '../../helpers/agreement';
import { ingest } from '../../helpers/ingest';

const good = (time: string, code = 'CT_SOCKET_ERROR'): string =>
  `${time} - [12] - <Critical> - server#2, 10.10.10.11:5615 ${code}`;

describe('cleartrust', () => {
  it('places damaged timestamps at the previous record, and leaves leading ones without a time', () => {
    const text = [
      '01, 2007 08:00:40 AM MST - [12] - <Critical> - server#1, 10.10.10.10:5615 CT_SOCKET_ERROR',
      good('Feb 24, 2007 06:48:50 PM MST'),
      'Feb 24, 2007 6:48:5x PM MST - [12] - <Critical> - server#1, CT_SERVER_TIMED_OUT_ERROR',
      ' - [13] - <Critical> - server#3, CT_SOCKET_ERROR',
      good('Feb 24, 2007 07:48:50 PM MST'),
      '24 2007 - [14] - <Debug> - damaged again',
    ].join('\n');
    const { records } = ingestAgreeing(clearTrust, text);
    const first = Date.UTC(2007, 1, 25, 1, 48, 50);
    const second = Date.UTC(2007, 1, 25, 2, 48, 50);
    expect(records.map((r) => [r.record.time, r.record.flags])).toEqual([
      [null, RecordFlag.BadTimestamp],
      [first, 0],
      [first, RecordFlag.BadTimestamp],
      [first, RecordFlag.BadTimestamp],
      [second, 0],
      [second, RecordFlag.BadTimestamp],
    ]);
    expect(records[0]!.record.notes[0]).toContain('no earlier record has a time');
    // Everything but the time is read from a damaged record.
    expect(records[3]!.record).toMatchObject({
      source: 'server#3',
      code: 'CT_SOCKET_ERROR',
      level: 'Critical',
      fields: { thread: '13', timestamp: '' },
    });
  });

  it('reads ambiguous abbreviations in the file zone, and user mappings first', () => {
    const line = 'Dec 22, 2005 11:42:53 AM CST - [2336] - <Debug> - msg';
    const chicago = ingestAgreeing(clearTrust, line, {
      formatOptions: { timeZone: 'America/Chicago' },
    }).records[0]!.record;
    expect(chicago.time).toBe(Date.UTC(2005, 11, 22, 17, 42, 53));
    expect(chicago.notes[0]).toContain('CST is ambiguous');
    const mapped = ingestAgreeing(clearTrust, line, {
      formatOptions: { timeZone: 'UTC', zoneAbbreviations: { CST: '+08:00' } },
    }).records[0]!.record;
    expect(mapped.time).toBe(Date.UTC(2005, 11, 22, 3, 42, 53));
    expect(mapped.notes[0]).toBe('CST read as UTC+08:00 (zone-abbreviation option).');
  });

  it('reads 12 AM as midnight and 12 PM as noon, and daylight abbreviations', () => {
    const { records } = ingestAgreeing(
      clearTrust,
      [
        'Jul 4, 2008 12:05:00 AM MDT - [1] - <Info> - a',
        'Jul 4, 2008 12:05:00 PM MDT - [1] - <Info> - b',
        'Jul 4, 2008 13:05:00 PM MDT - [1] - <Info> - c',
      ].join('\n'),
    );
    expect(records.map((r) => r.record.time)).toEqual([
      Date.UTC(2008, 6, 4, 6, 5),
      Date.UTC(2008, 6, 4, 18, 5),
      Date.UTC(2008, 6, 4, 18, 5), // 13 PM is damaged: it takes the time before it
    ]);
    expect(records[2]!.record.flags).toBe(RecordFlag.BadTimestamp);
  });

  it('picks up any CT_ code standing as a word, and only that', () => {
    const { records } = ingestAgreeing(
      clearTrust,
      [
        good('Feb 24, 2007 06:48:50 PM MST', 'CT_AUTH_FAILED:'),
        'Feb 24, 2007 06:48:50 PM MST - [1] - <Info> - XCT_NOT ct_lower CT_ CT_9 then (CT_INVALID_TOKEN)',
      ].join('\n'),
    );
    expect(records.map((r) => r.record.code)).toEqual(['CT_AUTH_FAILED', 'CT_INVALID_TOKEN']);
  });

  it('keeps a record without a level, and flags lines that are not agent log lines', () => {
    const { records } = ingestAgreeing(
      clearTrust,
      'Feb 24, 2007 06:48:50 PM MST - [12] - started\njava.lang.NullPointerException\n',
    );
    expect(records[0]!.record).toMatchObject({ level: null, message: 'started', flags: 0 });
    expect(records[1]!.record.flags).toBe(RecordFlag.ParseError);
  });

  it('gives the same records whatever the chunk size', () => {
    const text = [good('Feb 24, 2007 06:48:50 PM MST'), '01, 2007 - [1] - <Critical> - x'].join(
      '\r\n',
    );
    const whole = ingest(clearTrust, text).records.map((r) => r.record);
    for (const chunkSize of [1, 5, 17])
      expect(ingest(clearTrust, text, { chunkSize }).records.map((r) => r.record)).toEqual(whole);
  });
});
