import { describe, expect, it } from 'vitest';
import { eventlogCsv, eventlogTxt } from '../../../shared/formats/eventlog-text';
import { RecordFlag } from '../../../shared/record';
import { ingestAgreeing } from '../../helpers/agreement';
import { corpusBytes, ingest } from '../../helpers/ingest';

function utf16le(text: string): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  out[0] = 0xff;
  out[1] = 0xfe;
  for (let i = 0; i < text.length; i++) {
    out[2 + i * 2] = text.charCodeAt(i) & 0xff;
    out[3 + i * 2] = text.charCodeAt(i) >> 8;
  }
  return out;
}

const HEADER = 'Level,Date and Time,Source,Event ID,Task Category';

describe('eventlog-csv', () => {
  it('reads a UTF-16LE export with CRLF and multi-line quoted descriptions', () => {
    const text = [
      HEADER,
      'Warning,3/5/2024 8:14:02 PM,Schannel,36887,None,"A fatal alert was received.\r\n\r\nThe TLS protocol defined fatal alert code is 46."',
      'Information,3/5/2024 8:14:07 PM,Service Control Manager,7036,None,"The ""Windows Update"" service entered the running state."',
    ].join('\r\n');
    const { records } = ingestAgreeing(eventlogCsv, utf16le(text), { chunkSize: 13 });
    expect(records.map((r) => [r.line, r.lastLine])).toEqual([
      [1, 1],
      [2, 4],
      [5, 5],
    ]);
    expect(records[1]!.record).toMatchObject({
      time: Date.UTC(2024, 2, 5, 20, 14, 2),
      level: 'Warning',
      code: '36887',
      message:
        'A fatal alert was received.\r\n\r\nThe TLS protocol defined fatal alert code is 46.',
    });
    expect(records[2]!.record.message).toBe(
      'The "Windows Update" service entered the running state.',
    );
  });

  it('keeps a row with a damaged date as its own flagged record', () => {
    const { records } = ingestAgreeing(
      eventlogCsv,
      [
        HEADER,
        'Error,3/45/2024 8:14:02 AM,Src,1000,None,"first"',
        'Error,3/5/2024 8:14:03 AM,Src,1001,None,second',
      ].join('\n'),
    );
    expect(records.map((r) => [r.record.code, r.record.flags])).toEqual([
      [null, RecordFlag.Directive],
      ['1000', RecordFlag.BadTimestamp],
      ['1001', 0],
    ]);
  });

  it('reads day-first, dotted, ISO and 24-hour dates, in the file time zone', () => {
    const rows = [
      'Information,13/03/2024 14:02:00,Src,1,None,day first',
      'Informationen,05.03.2024 08:14:02,Quelle,1,Keine,dotted',
      'Information,2024-03-05 08:14:02,Src,1,None,iso',
    ];
    const dmy = ingestAgreeing(eventlogCsv, rows.join('\n'), {
      formatOptions: { dateOrder: 'dmy', timeZone: 'Europe/Berlin' },
    }).records.map((r) => r.record.time);
    expect(dmy).toEqual([
      Date.UTC(2024, 2, 13, 13, 2),
      Date.UTC(2024, 2, 5, 7, 14, 2),
      Date.UTC(2024, 2, 5, 7, 14, 2),
    ]);
    // In the default month-first order 13/03 is no date: flagged, not guessed.
    const mdy = ingestAgreeing(eventlogCsv, rows[0]!).records[0]!.record;
    expect(mdy.flags).toBe(RecordFlag.BadTimestamp);
  });

  it('joins an unquoted description that holds commas', () => {
    const { records } = ingestAgreeing(
      eventlogCsv,
      'Error,3/5/2024 8:14:05 AM,Secure Gateway,125,SCHANNEL,SSL handshake from client failed, peer reset',
    );
    expect(records[0]!.record.message).toBe('SSL handshake from client failed, peer reset');
  });

  it('does not take a header in another language for a row', () => {
    const { records } = ingestAgreeing(
      eventlogCsv,
      'Ebene,Datum und Uhrzeit,Quelle,Ereignis-ID,Aufgabenkategorie\nInformationen,05.03.2024 08:14:02,Quelle,1,Keine,x',
    );
    expect(records.map((r) => r.record.flags)).toEqual([RecordFlag.ParseError, 0]);
  });

  it('runs an unclosed description to the end of the record and says so', () => {
    const { records } = ingestAgreeing(
      eventlogCsv,
      'Error,3/5/2024 8:14:05 AM,Src,1,None,"never closed\nsecond line',
    );
    expect(records).toHaveLength(1);
    expect(records[0]!.record.message).toBe('never closed\nsecond line');
    expect(records[0]!.record.notes[0]).toContain('never closed');
  });
});

describe('eventlog-txt', () => {
  it('reads the Splunk WinEventLog corpus file as 24 events, messages with blank lines included', () => {
    const bytes = corpusBytes('eventlog-export/splunk-attack_data_windows-system_first24.log');
    const { records } = ingestAgreeing(eventlogTxt, bytes, { chunkSize: 1000 });
    expect(records).toHaveLength(24);
    // Every event starts at a date line: 15 or 13 Key=Value lines, longer when the message wraps.
    expect(records.map((r) => r.line).slice(0, 4)).toEqual([1, 16, 31, 46]);
    const power = records.find((r) => r.line === 226)!;
    expect(power.lastLine).toBe(248);
    expect(power.record.message).toContain('\n\nIdle state type: ACPI Idle (C) States');
    const scm = records.find((r) => r.record.code === '7036')!;
    expect(scm.record).toMatchObject({
      source: 'Microsoft-Windows-Service Control Manager',
      message: 'The PlugPlay service entered the running state.',
      fields: { OpCode: 'The operation completed successfully.', Keywords: 'Classic' },
    });
    expect(scm.record.fields.User).toBeUndefined();
  });

  it('reads tab-delimited rows whose description holds tabs and spans lines', () => {
    const { records } = ingestAgreeing(
      eventlogTxt,
      'Level\tDate and Time\tSource\tEvent ID\tTask Category\nInformation\t3/5/2024 8:14:02 AM\tMicrosoft-Windows-Security-Auditing\t4624\tLogon\tAn account was successfully logged on.\n\tSource Network Address:\t10.20.30.40\n\tSource Port:\t50000',
    );
    expect(records).toHaveLength(2);
    expect(records[1]!.record).toMatchObject({
      code: '4624',
      srcIp: '10.20.30.40',
      message:
        'An account was successfully logged on.\n\tSource Network Address:\t10.20.30.40\n\tSource Port:\t50000',
    });
  });

  it('gives the same records whatever the chunk size', () => {
    const bytes = corpusBytes('eventlog-export/splunk-attack_data_windows-system_first24.log');
    const whole = ingest(eventlogTxt, bytes).records.map((r) => r.record);
    for (const chunkSize of [1, 97, 4096])
      expect(ingest(eventlogTxt, bytes, { chunkSize }).records.map((r) => r.record)).toEqual(whole);
  });
});
