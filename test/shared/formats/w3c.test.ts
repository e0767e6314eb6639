import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { w3c } from '../../../shared/formats/w3c';
import { RecordFlag } from '../../../shared/record';
import { ingestAgreeing } from '../../helpers/agreement';
import { corpusBytes, ingest } from '../../helpers/ingest';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

describe('w3c', () => {
  it('reads each record with the #Fields in force when the layout changes mid-file', () => {
    const { records } = ingestAgreeing(
      w3c,
      [
        '#Fields: date time c-ip sc-status',
        '2024-03-05 08:00:00 10.0.0.1 200',
        '#Fields: date time cs-host c-ip sc-status s-action',
        '2024-03-05 08:00:01 www.example.com 10.0.0.2 404 TCP_MISS',
        '2024-03-05 08:00:02 10.0.0.3 200',
      ].join('\n'),
    );
    const entries = records.filter((r) => (r.record.flags & RecordFlag.Directive) === 0);
    expect(
      entries.map((r) => [r.record.srcIp, r.record.host, r.record.code, r.record.level]),
    ).toEqual([
      ['10.0.0.1', null, '200', null],
      ['10.0.0.2', 'www.example.com', '404', 'TCP_MISS'],
      // Filled from the left under the 6-field header: the values land one column early.
      ['200', '10.0.0.3', null, null],
    ]);
    expect(entries[2]!.record.flags).toBe(RecordFlag.FieldCountMismatch);
    expect(entries[2]!.record.notes[0]).toContain('lists 6 fields, this record has 4 values');
    expect(entries[2]!.record.notes[0]).toContain(
      'An earlier #Fields line of this file lists 4 fields',
    );
  });

  it('takes the client address without its port or brackets, and other values as written', () => {
    const clients = [
      ['10.0.0.1', '10.0.0.1'],
      ['10.0.0.1:4431', '10.0.0.1'],
      ['[2001:db8::1]:443', '2001:db8::1'],
      ['2001:db8::1', '2001:db8::1'],
      // Neither an address nor one with a port: kept as the device wrote it.
      ['proxy-7', 'proxy-7'],
      ['cluster[1]', 'cluster[1]'],
      ['a:b', 'a:b'],
      ['10.0.0.1:http', '10.0.0.1:http'],
    ];
    const { records } = ingestAgreeing(
      w3c,
      [
        '#Fields: date time c-ip sc-status',
        ...clients.map(([written]) => `2024-03-05 08:00:00 ${written} 200`),
      ].join('\n'),
    );
    expect(records.slice(1).map((r) => r.record.srcIp)).toEqual(clients.map(([, ip]) => ip));
  });

  it('keeps values beyond the header as extra fields and flags them', () => {
    const { records } = ingestAgreeing(
      w3c,
      '#Fields: date time c-ip\n2024-03-05 08:00:00 10.0.0.1 jane doe',
    );
    const last = records.at(-1)!.record;
    expect(last.flags).toBe(RecordFlag.FieldCountMismatch);
    expect(last.fields).toMatchObject({ 'c-ip': '10.0.0.1', 'extra.1': 'jane', 'extra.2': 'doe' });
  });

  it('moves the #Date on a day when the time of day goes back past midnight (no date field)', () => {
    const { records } = ingestAgreeing(
      w3c,
      [
        '#Date: 2024-03-05 23:50:00',
        '#Fields: time c-ip',
        '23:59:58 10.0.0.1',
        '23:59:57 10.0.0.1', // slightly out of order: the same day
        '00:00:01 10.0.0.1',
        '00:00:02 10.0.0.1',
        '#Date: 2024-03-07 00:00:00',
        '00:00:03 10.0.0.1',
      ].join('\n'),
    );
    expect(records.map((r) => iso(r.record.time))).toEqual([
      null,
      null,
      '2024-03-05T23:59:58.000Z',
      '2024-03-05T23:59:57.000Z',
      '2024-03-06T00:00:01.000Z',
      '2024-03-06T00:00:02.000Z',
      null,
      '2024-03-07T00:00:03.000Z',
    ]);
    expect(records[4]!.record.notes[0]).toContain('moved on 1 day(s)');
  });

  it('gives repeated dates and times the same time as the parse, bad ones flagged each time', () => {
    // The index keeps the previous entry's date (DayCache); the parse reads each record alone.
    const { records } = ingestAgreeing(
      w3c,
      [
        '#Fields: date time c-ip',
        '2024-03-05 08:00:00 10.0.0.1',
        '2024-03-05 08:00:01.5 10.0.0.1',
        '2024-03-05 08:00:00 10.0.0.1',
        '2024-03-05 25:00:00 10.0.0.1',
        '2024-03-05 25:00:00 10.0.0.1',
        '2024-03-06 08:00:00 10.0.0.1',
        '"2024-03-06" 08:00:00 10.0.0.1',
        '2024-03-06 08:00:00',
        '2024-03-06',
        '2024-03-06 08:00:00 10.0.0.1',
      ].join('\n'),
    );
    expect(records.slice(1).map((r) => iso(r.record.time))).toEqual([
      '2024-03-05T08:00:00.000Z',
      '2024-03-05T08:00:01.500Z',
      '2024-03-05T08:00:00.000Z',
      null,
      null,
      '2024-03-06T08:00:00.000Z',
      '2024-03-06T08:00:00.000Z',
      '2024-03-06T08:00:00.000Z',
      null,
      '2024-03-06T08:00:00.000Z',
    ]);
    expect(records.slice(4, 6).map((r) => r.record.flags & RecordFlag.BadTimestamp)).toEqual([
      RecordFlag.BadTimestamp,
      RecordFlag.BadTimestamp,
    ]);
  });

  it('has no time for an entry without a date field when no #Date came before', () => {
    const { records } = ingestAgreeing(w3c, '#Fields: time c-ip\n08:00:00 10.0.0.1');
    expect(records[1]!.record.time).toBeNull();
    expect(records[1]!.record.notes[0]).toContain('no #Date line');
  });

  it('reads CRLF, tabs and runs of spaces alike', () => {
    const text =
      '#Fields: date\ttime c-ip  cs-host\r\n2024-03-05\t08:00:00  10.0.0.1\t\twww.example.com \r\n';
    const { records } = ingestAgreeing(w3c, text);
    expect(records[1]!.record).toMatchObject({
      time: Date.UTC(2024, 2, 5, 8),
      srcIp: '10.0.0.1',
      host: 'www.example.com',
      flags: 0,
    });
  });

  it('treats - as absent, a quoted "-" as a value, and "" as an empty value', () => {
    const { records } = ingestAgreeing(
      w3c,
      '#Fields: date time c-ip cs-host s-action cs(User-Agent)\n2024-03-05 08:00:00 - "-" - ""',
    );
    const record = records[1]!.record;
    expect(record.srcIp).toBeNull();
    expect(record.host).toBe('-');
    expect(record.level).toBeNull();
    expect(record.fields['cs(User-Agent)']).toBe('');
  });

  it('un-doubles quotes in indexed columns in both paths', () => {
    const { records, index } = ingestAgreeing(
      w3c,
      '#Fields: date time c-ip cs-host sc-filter-result\n2024-03-05 08:00:00 10.0.0.1 "odd""host" "DENIED"',
    );
    expect(records[1]!.record.host).toBe('odd"host');
    expect(index.valueOf('level', 1)).toBe('DENIED');
  });

  it('runs an unclosed quote to the end of the line and says so', () => {
    const { records } = ingestAgreeing(
      w3c,
      '#Fields: date time c-ip cs(User-Agent) sc-status\n2024-03-05 08:00:00 10.0.0.1 "Mozilla/5.0 (truncated 200',
    );
    const record = records[1]!.record;
    expect(record.flags).toBe(RecordFlag.FieldCountMismatch);
    expect(record.fields['cs(User-Agent)']).toBe('Mozilla/5.0 (truncated 200');
    expect(record.notes).toContain(
      'A quoted value has no closing quote: it runs to the end of the line.',
    );
  });

  it('strips a port from c-ip and keeps a value that is not an address as written', () => {
    const { records } = ingestAgreeing(
      w3c,
      '#Fields: date time c-ip\n2024-03-05 08:00:00 10.0.0.1:51234\n2024-03-05 08:00:00 [2001:db8::1]:443\n2024-03-05 08:00:00 172.888.1.1',
    );
    expect(records.slice(1).map((r) => r.record.srcIp)).toEqual([
      '10.0.0.1',
      '2001:db8::1',
      '172.888.1.1',
    ]);
  });

  it('flags a damaged date or time and leaves the record without a time', () => {
    const { records } = ingestAgreeing(
      w3c,
      '#Fields: date time c-ip\n2024-13-05 08:00:00 10.0.0.1\n2024-03-05 8:00 10.0.0.2\n2024-03-05 08:00:00.5 10.0.0.3',
    );
    expect(records.slice(1).map((r) => [r.record.time, r.record.flags])).toEqual([
      [null, RecordFlag.BadTimestamp],
      [null, RecordFlag.BadTimestamp],
      [Date.UTC(2024, 2, 5, 8, 0, 0, 500), 0],
    ]);
  });

  it('keeps every directive as a header record without a time, reading the dates in notes', () => {
    const { records } = ingestAgreeing(
      w3c,
      '#Software: SGOS 5.4.3.7\n#Start-Date: 2011-08-04 21:00:00\n#Date: 12-Jan-1996 00:00:00\n#Remark: 2610140037 "SG-42" "82.137.200.42" "main"\n#',
    );
    expect(records.map((r) => [r.record.fields.directive, r.record.time])).toEqual([
      ['Software', null],
      ['Start-Date', null],
      ['Date', null],
      ['Remark', null],
      ['', null],
    ]);
    for (const r of records) expect(r.record.flags).toBe(RecordFlag.Directive);
    expect(records[2]!.record.notes[0]).toContain('1996-01-12T00:00:00.000Z');
  });

  it('falls back to cs-host for the certificate host only on TLS requests', () => {
    const { records } = ingestAgreeing(
      w3c,
      [
        '#Fields: date time c-ip cs-host cs-uri-scheme cs-uri-port x-rs-certificate-hostname',
        '2024-03-05 08:00:00 10.0.0.1 a.example https - -',
        '2024-03-05 08:00:00 10.0.0.1 b.example http 80 -',
        '2024-03-05 08:00:00 10.0.0.1 c.example tcp 443 -',
        '2024-03-05 08:00:00 10.0.0.1 d.example ssl 8443 cert.example',
        '2024-03-05 08:00:00 10.0.0.1 - https 443 -',
        // A host seen before, and one written with an escaped quote.
        '2024-03-05 08:00:00 10.0.0.1 c.example https 443 -',
        '2024-03-05 08:00:00 10.0.0.1 "q""h.example" https 443 -',
      ].join('\n'),
    );
    expect(records.slice(1).map((r) => r.record.certHost)).toEqual([
      'a.example',
      null,
      'c.example',
      'cert.example',
      null,
      'c.example',
      'q"h.example',
    ]);
  });

  it('uses s-action as the level only when the layout has no sc-filter-result', () => {
    const { records } = ingestAgreeing(
      w3c,
      '#Fields: date time s-action\n2024-03-05 08:00:00 TCP_DENIED\n#Fields: date time s-action sc-filter-result\n2024-03-05 08:00:00 TCP_DENIED OBSERVED',
    );
    expect(records[1]!.record.level).toBe('TCP_DENIED');
    expect(records[3]!.record.level).toBe('OBSERVED');
  });

  it('flags a headerless record whose value count fits no known ProxySG layout', () => {
    const { records } = ingestAgreeing(w3c, '2024-03-05 08:00:00 10.0.0.1 200');
    expect(records[0]!.record.flags).toBe(RecordFlag.ParseError);
    expect(records[0]!.record.notes[0]).toContain('25, 26, 40, 42');
  });

  it('names headerless records after the ProxySG default layout their count fits', () => {
    const main25 =
      '2011-08-04 21:00:00 11 10.1.2.3 - - - OBSERVED "unavailable" -  200 TCP_HIT GET application/octet-stream http kh.google.com 80 /flatfile ?f1-020300031202230-d.50200.391 - "GoogleEarth/6.0.3.2197(Windows;Microsoft Windows (5.1.2600.3);en-US;kml:2.2;client:Free;type:default)" 82.137.200.42 16827 406 -';
    const { records } = ingestAgreeing(w3c, main25);
    expect(records[0]!.record).toMatchObject({
      srcIp: '10.1.2.3',
      host: 'kh.google.com',
      code: '200',
      level: 'OBSERVED',
      flags: 0,
    });
    expect(records[0]!.record.notes[0]).toContain('"main" access log, SGOS 5.x (25 fields)');
  });

  it('gives the same records whatever the chunk size', () => {
    const bytes = corpusBytes('iis/beats_iis_access_test_multiheader.log');
    const whole = ingest(w3c, bytes);
    for (const chunkSize of [1, 7, 64, 333]) {
      const cut = ingestAgreeing(w3c, bytes, { chunkSize });
      expect(cut.records.map((r) => r.record)).toEqual(whole.records.map((r) => r.record));
    }
  });

  it('splits quoted values like an independent reference tokenizer', () => {
    // The scanner reads four bytes at a time; this reference reads one character at a time:
    // separators are characters up to U+0020, a value opening with `"` closes at a `"` followed
    // by a separator or the end, `""` inside it is a quote, an unclosed one runs to the end.
    const reference = (line: string): string[] => {
      const values: string[] = [];
      let i = 0;
      while (i < line.length) {
        if (line.charCodeAt(i) <= 32) {
          i++;
          continue;
        }
        if (line[i] !== '"') {
          let j = i + 1;
          while (j < line.length && line.charCodeAt(j) > 32) j++;
          values.push(line.slice(i, j));
          i = j;
          continue;
        }
        let j = i + 1;
        let escaped = false;
        let close = line.length;
        while (j < line.length) {
          if (line[j] !== '"') j++;
          else if (j + 1 >= line.length || line.charCodeAt(j + 1) <= 32) {
            close = j;
            break;
          } else if (line[j + 1] === '"') {
            escaped = true;
            j += 2;
          } else j++;
        }
        const raw = line.slice(i + 1, close);
        values.push(escaped ? raw.replaceAll('""', '"') : raw);
        i = close + 1;
      }
      return values;
    };
    const piece = fc.constantFrom(
      'a',
      'Z',
      '0',
      '-',
      '/',
      ';',
      '"',
      '""',
      ' ',
      '  ',
      '\t',
      '\u000b',
      'é',
      '€',
      '\u{1F600}',
      '"Mozilla/5.0 (Windows NT 10.0; Win64; x64)"',
      '"a ""b"" c"',
      'abcdefghijklmnop',
    );
    fc.assert(
      fc.property(
        fc.array(piece, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 1, max: 40 }),
        (pieces, extraNames, chunkSize) => {
          // Starts with a value that is no directive; trailing blanks are the record's end.
          const line = `v${pieces.join('')}`.replace(/[ \t]+$/, '');
          const expected = reference(line);
          const names = Array.from(
            { length: Math.max(1, expected.length - 6 + extraNames) },
            (_, k) => `f${k}`,
          );
          const { records } = ingestAgreeing(w3c, `#Fields: ${names.join(' ')}\n${line}`, {
            chunkSize,
          });
          const record = records[1]!.record;
          expect(Object.values(record.fields)).toEqual(expected);
          expect((record.flags & RecordFlag.FieldCountMismatch) !== 0).toBe(
            expected.length !== names.length,
          );
          expect(record.notes.some((n) => n.includes('no closing quote'))).toBe(
            reference(`${line} "`).length === expected.length,
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('splits unquoted values exactly like a plain whitespace split', () => {
    // An independent reference for the tokenizer (index and parse share it, so agreement between
    // them proves nothing about it): String.split on unquoted values of every length, ASCII or
    // not, with chunk sizes that move the records around in the framer's buffers.
    const value = fc.string({
      unit: fc.constantFrom('a', 'Z', '0', '-', '/', '.', ':', '=', '%', 'é', '€', '\u{1F600}'),
      minLength: 1,
      maxLength: 19,
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(value, fc.constantFrom(' ', '  ', '\t', ' \t ')), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.integer({ min: 1, max: 40 }),
        (parts, chunkSize) => {
          const line = parts
            .map(([v, sep]) => v + sep)
            .join('')
            .trimEnd();
          const expected = line.split(/[ \t]+/);
          const names = expected.map((_, i) => `f${i}`);
          const { records } = ingestAgreeing(w3c, `#Fields: ${names.join(' ')}\n${line}`, {
            chunkSize,
          });
          const record = records[1]!.record;
          expect(record.flags).toBe(0);
          expect(Object.values(record.fields)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
