/**
 * Every corpus file of the formats in this issue is detected as the right format and every record
 * is accounted for (records = parsed + flagged). The expected counts come from reading the files,
 * not from running LogSieve: line counts with `grep -c ''`, W3C value counts per line with a
 * quote-aware whitespace split written apart from the parser, and the lines themselves by eye
 * (../shared/corpus/PROVENANCE.md describes each file). How each number was reached is noted.
 */
import { describe, expect, it } from 'vitest';
import { detectFormat, formatById } from '../../../shared/formats/registry';
import type { FormatId } from '../../../shared/formats/types';
import { RecordFlag } from '../../../shared/record';
import { detectSampleOf } from '../../helpers/detect';
import { ingestAgreeing } from '../../helpers/agreement';
import { corpusBytes } from '../../helpers/ingest';

interface Expectation {
  readonly file: string;
  readonly format: FormatId;
  readonly records: number;
  readonly flagged: number;
  /** Header records (W3C directives, export headers): records but not events. */
  readonly directives: number;
  /** Why these numbers. */
  readonly reading: string;
  /** First and last record times (ISO), where the file has them. */
  readonly span?: readonly [string, string];
}

const FILES: readonly Expectation[] = [
  {
    file: 'elff/stroom-docs_sampleBluecoat.log',
    format: 'w3c',
    records: 33,
    flagged: 0,
    directives: 4,
    reading:
      '33 CRLF lines: #Software, #Version, #Date, #Fields (26 names), then 29 entries of 26 values.',
    span: ['2005-05-04T17:16:12.000Z', '2005-05-04T17:17:26.000Z'],
  },
  {
    file: 'elff/elff-parser-scala_logfile1_SGOS3.txt',
    format: 'w3c',
    records: 9,
    flagged: 0,
    directives: 4,
    reading:
      '9 lines, no final newline: 4 directives, 5 entries of 26 values (two quoted ICAP errors).',
    span: ['2005-04-12T21:03:45.000Z', '2005-05-04T17:16:12.000Z'],
  },
  {
    file: 'elff/elff-parser-scala_logfile2_no_fields_header.txt',
    format: 'w3c',
    records: 8,
    flagged: 0,
    directives: 3,
    reading:
      'logfile1 without #Fields: 3 directives, 5 entries of 26 values, the SGOS 3 default layout’s count.',
    span: ['2005-04-12T21:03:45.000Z', '2005-05-04T17:16:12.000Z'],
  },
  {
    file: 'elff/azure-sentinel_SymantecProxySG_syslog_first7.json',
    format: 'plain',
    records: 2,
    flagged: 0,
    directives: 0,
    reading:
      'A JSON array, not a log: 324 lines of which only "[" and "]" are not indented; plain text glues indented lines onto the line above.',
  },
  {
    file: 'iis/beats_iis_access_test_multiheader.log',
    format: 'w3c',
    records: 17,
    flagged: 2,
    directives: 12,
    reading:
      'Three header blocks of 4 directives (15, 19 and 22 fields), an entry under each, then 2 entries of 15 values under the 22-field header.',
    span: ['2018-01-01T08:09:10.000Z', '2018-12-31T12:52:33.000Z'],
  },
  {
    file: 'iis/plaso_iis10_edge_cases.log',
    format: 'w3c',
    records: 19,
    flagged: 0,
    directives: 4,
    reading: '4 directives, 15 entries of 15 values once doubled spaces count as one separator.',
    span: ['2022-01-01T00:01:24.000Z', '2022-01-01T18:42:55.000Z'],
  },
  {
    file: 'iis/plaso_iis6.log',
    format: 'w3c',
    records: 16,
    flagged: 0,
    directives: 4,
    reading: '4 directives (#Fields ends in a space), 12 entries of 14 values.',
    span: ['2013-07-30T00:00:00.000Z', '2015-10-16T13:01:02.000Z'],
  },
  {
    file: 'iis/plaso_iis7_owa.log',
    format: 'w3c',
    records: 5,
    flagged: 0,
    directives: 2,
    reading: '#Software and #Fields, 3 entries of 14 values; dates out of order.',
    span: ['2015-01-01T22:16:03.000Z', '2015-12-31T14:40:38.000Z'],
  },
  {
    file: 'iis/plaso_iis_without_date.log',
    format: 'w3c',
    records: 15,
    flagged: 0,
    directives: 4,
    reading:
      '4 directives, 11 entries of 14 values with only a time: the date is #Date’s 2013-07-30.',
    span: ['2013-07-30T00:00:00.000Z', '2013-07-30T00:00:13.000Z'],
  },
  {
    file: 'apache/beats_apache_error_test_mixed22_24.log',
    format: 'apache-error',
    records: 3,
    flagged: 0,
    directives: 0,
    reading: '3 lines, each a bracketed Apache 2.2 or 2.4 error line.',
  },
  {
    file: 'apache/beats_apache_ssl_request.log',
    format: 'apache-access',
    records: 2,
    flagged: 0,
    directives: 0,
    reading: '2 ssl_request_log lines, no final newline.',
  },
  {
    file: 'apache/elastic-examples_apache_logs_combined.log',
    format: 'apache-access',
    records: 10000,
    flagged: 0,
    directives: 0,
    reading:
      '10,000 combined-format lines (checked with a regular expression); one user agent lacks its closing quote, which the format reads to the end of the line.',
  },
  {
    file: 'apache/plaso_apache_access_mixed.log',
    format: 'apache-access',
    records: 15,
    flagged: 0,
    directives: 0,
    reading: '15 common, combined and vhost lines, two with unescaped quotes in the request.',
  },
  {
    file: 'eventlog-export/splunk-attack_data_windows-system_first24.log',
    format: 'eventlog-txt',
    records: 24,
    flagged: 0,
    directives: 0,
    reading:
      '24 lines hold only a date and time (grep), each starting an event; the other 350 lines belong to them.',
    span: ['2020-12-04T09:24:11.000Z', '2020-12-04T09:24:41.000Z'],
  },
  {
    file: 'citrix/azure-sentinel_Citrix_ADC_gateway_syslog.txt',
    format: 'syslog',
    records: 23,
    flagged: 0,
    directives: 0,
    reading:
      '23 NetScaler lines, no final newline; their time has no date, so the file date (2024-06-01 in the test) gives the day before.',
    span: ['2024-05-31T06:29:05.000Z', '2024-05-31T06:29:05.000Z'],
  },
];

describe.each(FILES.map((f) => [f.file, f] as const))('%s', (file, expected) => {
  const bytes = corpusBytes(file);
  it(`is detected as ${expected.format}`, () => {
    expect(detectFormat(detectSampleOf(bytes, file.split('/')[1])).format).toBe(expected.format);
  });
  it(`accounts for every record: ${expected.reading}`, () => {
    const { index, records } = ingestAgreeing(formatById(expected.format)!, bytes);
    const stats = index.stats();
    expect(stats.records).toBe(expected.records);
    expect(stats.parsed + stats.flagged).toBe(stats.records);
    expect(stats.flagged).toBe(expected.flagged);
    expect(records.filter((r) => (r.record.flags & RecordFlag.Directive) !== 0)).toHaveLength(
      expected.directives,
    );
    if (expected.span !== undefined)
      expect([stats.firstTime, stats.lastTime].map((t) => new Date(t!).toISOString())).toEqual(
        expected.span,
      );
  });
});

describe('corpus details', () => {
  it('names the IIS multi-header mismatches and keeps their values', () => {
    const { records } = ingestAgreeing(
      formatById('w3c')!,
      corpusBytes('iis/beats_iis_access_test_multiheader.log'),
    );
    const flagged = records.filter((r) => (r.record.flags & RecordFlag.FieldCountMismatch) !== 0);
    expect(flagged.map((r) => r.line)).toEqual([16, 17]);
  });

  it('reads the client addresses of every NetScaler line as the sample writes them', () => {
    const { records } = ingestAgreeing(
      formatById('syslog')!,
      corpusBytes('citrix/azure-sentinel_Citrix_ADC_gateway_syslog.txt'),
    );
    // By reading each body: Client_ip, Remote_ip, Source or Context user@address, else none.
    const withClient = [1, 2, 4, 5, 6, 7, 11, 12, 14, 17, 19];
    expect(records.filter((r) => r.record.srcIp !== null).map((r) => r.line)).toEqual(withClient);
    for (const r of records) if (r.record.srcIp !== null) expect(r.record.srcIp).toBe('10.0.0.1');
  });
});
