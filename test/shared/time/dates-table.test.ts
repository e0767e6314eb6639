/**
 * One table of time zones and date styles, through the real formats, to UTC milliseconds. Each
 * row is a record as a device writes it, the options the user set, and the instant it means.
 */
import { describe, expect, it } from 'vitest';
import { formatById } from '../../../shared/formats/registry';
import type { FormatId, FormatOptions } from '../../../shared/formats/types';
import { ingestAgreeing } from '../../helpers/agreement';

interface Row {
  readonly format: FormatId;
  readonly text: string;
  readonly options?: FormatOptions;
  readonly modifiedMs?: number;
  /** ISO instant of the last record, or null when it has none. */
  readonly utc: string | null;
  readonly why: string;
}

const CT = ' - [1] - <Critical> - x';
const CSV = (date: string): string => `Information,${date},Src,1,None,x`;
const XML = (time: string): string =>
  `<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><EventID>1</EventID><TimeCreated SystemTime="${time}"/></System></Event>`;

const ROWS: readonly Row[] = [
  // W3C: always UTC, whatever the file zone says.
  {
    format: 'w3c',
    text: '#Fields: date time\n2024-03-31 01:30:00',
    options: { timeZone: 'Europe/Berlin' },
    utc: '2024-03-31T01:30:00.000Z',
    why: 'W3C times are UTC',
  },
  {
    format: 'w3c',
    text: '#Date: 2024-12-31 23:00:00\n#Fields: time\n23:59:59.250\n00:00:00',
    utc: '2025-01-01T00:00:00.000Z',
    why: 'no date field: #Date, rolled over at midnight',
  },
  // ClearTrust: abbreviations and 12-hour clocks.
  {
    format: 'cleartrust',
    text: `Feb 24, 2007 06:48:50 PM MST${CT}`,
    utc: '2007-02-25T01:48:50.000Z',
    why: 'MST is −07:00',
  },
  {
    format: 'cleartrust',
    text: `Jul 4, 2008 9:05:00 AM EDT${CT}`,
    utc: '2008-07-04T13:05:00.000Z',
    why: 'EDT is −04:00, one-digit hour',
  },
  {
    format: 'cleartrust',
    text: `Jan 1, 2024 12:00:01 AM CET${CT}`,
    utc: '2023-12-31T23:00:01.000Z',
    why: '12 AM is midnight; CET +01:00',
  },
  {
    format: 'cleartrust',
    text: `Dec 22, 2005 11:42:53 AM CST${CT}`,
    options: { timeZone: 'America/Chicago' },
    utc: '2005-12-22T17:42:53.000Z',
    why: 'CST ambiguous: the file zone',
  },
  {
    format: 'cleartrust',
    text: `Dec 22, 2005 11:42:53 AM IST${CT}`,
    options: { zoneAbbreviations: { IST: '+05:30' } },
    utc: '2005-12-22T06:12:53.000Z',
    why: 'IST mapped by the user',
  },
  {
    format: 'cleartrust',
    text: `Dec 22, 2005 11:42:53 AM${CT}`,
    options: { timeZone: 'Asia/Tokyo' },
    utc: '2005-12-22T02:42:53.000Z',
    why: 'no zone written: the file zone',
  },
  // Syslog: BSD local time, year from the file; RFC 3339 offsets; NetScaler GMT.
  {
    format: 'syslog',
    text: '<13>Mar 31 02:30:00 h a: x',
    options: { timeZone: 'Europe/Berlin' },
    utc: '2024-03-31T01:30:00.000Z',
    why: 'a wall time skipped by DST maps an hour later',
  },
  {
    format: 'syslog',
    text: '<13>Oct 27 02:30:00 h a: x',
    options: { timeZone: 'Europe/Berlin' },
    utc: '2023-10-27T00:30:00.000Z',
    why: 'after the file date (2024-06-01): last year',
  },
  {
    format: 'syslog',
    text: '<13>Nov  3 01:30:00 h a: x',
    options: { timeZone: 'America/New_York' },
    modifiedMs: Date.UTC(2024, 11, 1),
    utc: '2024-11-03T05:30:00.000Z',
    why: 'repeated hour at DST end: the earlier instant',
  },
  {
    format: 'syslog',
    text: '<13>1 2024-03-05T08:14:02.123456-05:00 h a - - - x',
    utc: '2024-03-05T13:14:02.123Z',
    why: 'RFC 5424 offset, microseconds cut to ms',
  },
  {
    format: 'syslog',
    text: '03/05/2024:08:14:02 GMT ns 0-PPE-0 : default A B 1 0 : x',
    options: { timeZone: 'Asia/Tokyo' },
    utc: '2024-03-05T08:14:02.000Z',
    why: 'NetScaler GMT ignores the file zone',
  },
  // Event Viewer exports: local time in the exporting locale's style.
  {
    format: 'eventlog-csv',
    text: CSV('10/7/2016 06:38:24 PM'),
    utc: '2016-10-07T18:38:24.000Z',
    why: 'en-US, 12-hour',
  },
  {
    format: 'eventlog-csv',
    text: CSV('10/7/2016 06:38:24 PM'),
    options: { timeZone: 'America/Los_Angeles' },
    utc: '2016-10-08T01:38:24.000Z',
    why: 'en-US in Pacific daylight time',
  },
  {
    format: 'eventlog-csv',
    text: CSV('10/7/2016 18:38:24'),
    options: { dateOrder: 'dmy' },
    utc: '2016-07-10T18:38:24.000Z',
    why: 'en-GB, day first',
  },
  {
    format: 'eventlog-csv',
    text: CSV('2016-10-07 18:38:24'),
    options: { dateOrder: 'dmy' },
    utc: '2016-10-07T18:38:24.000Z',
    why: 'ISO ignores the date order',
  },
  {
    format: 'eventlog-csv',
    text: CSV('07.10.2016 18:38:24'),
    utc: '2016-10-07T18:38:24.000Z',
    why: 'dotted dates are day first',
  },
  {
    format: 'eventlog-csv',
    text: CSV('\u200e10/\u200e7/\u200e2016 06:38:24 PM'),
    utc: '2016-10-07T18:38:24.000Z',
    why: 'direction marks are skipped',
  },
  {
    format: 'eventlog-csv',
    text: '10/7/16,6:38:24 PM,Src,Information,None,1,N/A,HOST,x',
    utc: '2016-10-07T18:38:24.000Z',
    why: 'Windows 2003 layout, two-digit year',
  },
  {
    format: 'eventlog-csv',
    text: CSV('2/30/2016 06:38:24 PM'),
    utc: null,
    why: 'no such date: flagged, no time',
  },
  {
    format: 'eventlog-txt',
    text: '12/04/2020 09:24:11 AM\nLogName=System',
    options: { timeZone: 'Europe/Paris' },
    utc: '2020-12-04T08:24:11.000Z',
    why: 'Splunk rendering, local time',
  },
  // Event Viewer XML: SystemTime is UTC.
  {
    format: 'eventlog-xml',
    text: XML('2016-06-21T12:34:56.789012300Z'),
    options: { timeZone: 'Asia/Tokyo' },
    utc: '2016-06-21T12:34:56.789Z',
    why: '100 ns digits cut to ms, zone ignored',
  },
  {
    format: 'eventlog-xml',
    text: XML('2016-06-21T12:34:56+02:00'),
    utc: '2016-06-21T10:34:56.000Z',
    why: 'an explicit offset is honoured',
  },
];

describe('time zones and date styles', () => {
  it.each(ROWS.map((r) => [`${r.format}: ${r.why}`, r] as const))('%s', (_name, row) => {
    const { records } = ingestAgreeing(formatById(row.format)!, row.text, {
      formatOptions: row.options ?? {},
      ...(row.modifiedMs === undefined ? {} : { modifiedMs: row.modifiedMs }),
    });
    const time = records.at(-1)!.record.time;
    expect(time === null ? null : new Date(time).toISOString()).toBe(row.utc);
  });
});
