/**
 * The EVTX reader on the corpus and on files written by test/helpers/evtx-writer.ts: what ingest
 * indexes equals what `parse` shows for every record, pushes of any size give the same index,
 * damaged files report exactly their damage, every value type renders as Windows writes it, and
 * the columns follow the documented decisions (windows/event.ts). Agreement with independent
 * readers is test/electron/windows-eventlog/evtx-reference.test.ts.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evtx } from '../../../shared/formats/evtx';
import { detectFormat } from '../../../shared/formats/registry';
import { crc32 } from '../../../shared/formats/windows/crc32';
import { DICT_COLUMNS, RecordFlag } from '../../../shared/record';
import type { Ingested } from '../../helpers/ingest';
import { CORPUS, corpusBytes, ingest } from '../../helpers/ingest';
import type { RecordSpec, ValueSpec } from '../../helpers/evtx-writer';
import {
  V,
  crc32 as referenceCrc32,
  eventDataTemplate,
  eventTemplate,
  evtxFile,
  systemValues,
  utf16,
} from '../../helpers/evtx-writer';

const FILES = readdirSync(CORPUS + 'evtx')
  .filter((f) => f.endsWith('.evtx'))
  .sort();

function expectIndexAgreesWithParse({ index, records }: Ingested): void {
  expect(records.length).toBe(index.count);
  records.forEach((r, i) => {
    expect(index.timeOf(i), `record ${i} time`).toBe(r.record.time);
    for (const column of DICT_COLUMNS)
      expect(index.valueOf(column, i), `record ${i} ${column}`).toBe(r.record[column]);
    expect(index.flagsOf(i), `record ${i} flags`).toBe(r.record.flags);
  });
}

function summary(run: Ingested): unknown[] {
  return run.records.map((r, i) => [
    r.offset,
    run.index.timeOf(i),
    ...DICT_COLUMNS.map((c) => run.index.valueOf(c, i)),
    run.index.flagsOf(i),
  ]);
}

describe.each(FILES)('corpus %s', (file) => {
  const bytes = corpusBytes(`evtx/${file}`);
  const whole = ingest(evtx, bytes);

  it('indexes exactly what parse shows, for every record', () => {
    expectIndexAgreesWithParse(whole);
    // LogSieve's own bugs would show as ParseError (see decodeRecord); none may occur.
    expect(whole.records.filter((r) => (r.record.flags & RecordFlag.ParseError) !== 0)).toEqual([]);
  });

  it('gives the same index whatever the size of the pushes', () => {
    const expected = summary(whole);
    for (const chunkSize of [997, 4096, 65536, 70001]) {
      const run = ingest(evtx, bytes, { chunkSize });
      expect(summary(run), `pushes of ${chunkSize}`).toEqual(expected);
      expect(run.index.errors).toEqual(whole.index.errors);
    }
  });

  it('is detected as evtx', () => {
    const sample = { fileName: file, bytes: bytes.subarray(0, 65536), encoding: null, lines: [] };
    expect(detectFormat(sample).format).toBe('evtx');
  });
});

describe('corpus damage is reported exactly', () => {
  const errors = (file: string) => ingest(evtx, corpusBytes(`evtx/${file}`)).index.errors;
  it('clean and dirty-but-sound files report nothing', () => {
    for (const file of [
      'omerbenamram_Application_no_crc32.evtx',
      'omerbenamram_CAPI2_Operational.evtx',
      'omerbenamram_MSExchange_Management_wec.evtx',
      'omerbenamram_Security_short_selected.evtx',
      'omerbenamram_new-user-security.evtx',
      'omerbenamram_system.evtx',
      'python-evtx_dns_log_malformed.evtx',
    ])
      expect(errors(file), file).toEqual([]);
  });

  it('system.evtx: reads all 15 chunks though the header counts 3', () => {
    const run = ingest(evtx, corpusBytes('evtx/omerbenamram_system.evtx'));
    expect(run.index.count).toBe(1881);
    expect(run.records.at(-1)!.record.fields.EventRecordID).toBe('1881');
  });

  it('sample_with_a_bad_chunk_magic: skips bad and empty slots, reads around broken records', () => {
    const run = ingest(evtx, corpusBytes('evtx/omerbenamram_sample_with_a_bad_chunk_magic.evtx'));
    expect(run.index.errors).toEqual([
      'chunk 0 at offset 0x1000: record at 0x2fc0: size 472 does not match its copy 0; 13 of 130 records read in order, 0 recovered after it',
      'chunk 0 at offset 0x1000: record data checksum does not match; its records are flagged',
      ...[1, 2, 3, 4, 5].map(
        (n) =>
          `chunk ${n} at offset 0x${(0x1000 + n * 0x10000).toString(16)}: empty (all zero bytes) though the file header counts 16 chunks, 0 records read from it`,
      ),
      'chunk 6 at offset 0x61000: bad signature, 0 records read from it',
      'chunk 7 at offset 0x71000: record at 0x72e68: size 504 does not match its copy 0; 12 of 78 records read in order, 31 recovered after it',
      'chunk 7 at offset 0x71000: record data checksum does not match; its records are flagged',
      'chunk 9 at offset 0x91000: record at 0x9ee40: size 504 does not match its copy 0; 113 of 130 records read in order, 0 recovered after it',
      'chunk 9 at offset 0x91000: record data checksum does not match; its records are flagged',
      'chunk 10 at offset 0xa1000: bad signature, 0 records read from it',
      ...[11, 12, 13, 14, 15].map(
        (n) =>
          `chunk ${n} at offset 0x${(0x1000 + n * 0x10000).toString(16)}: empty (all zero bytes) though the file header counts 16 chunks, 0 records read from it`,
      ),
    ]);
    const flags = (bit: number) => run.records.filter((r) => (r.record.flags & bit) !== 0).length;
    // 13 + 12 + 129 + 113 in order, 3 broken ones shown as far as they go, 31 recovered after a
    // break (chunk 7) and 50 older ones recovered from chunk 7's free space.
    expect(run.index.count).toBe(13 + 12 + 129 + 113 + 3 + 31 + 50);
    expect(flags(RecordFlag.Damaged)).toBe(3);
    expect(flags(RecordFlag.Recovered)).toBe(81);
    expect(flags(RecordFlag.ChecksumMismatch)).toBe(13 + 1 + 12 + 1 + 31 + 113 + 1);
    const damaged = run.records.find((r) => (r.record.flags & RecordFlag.Damaged) !== 0)!;
    expect(damaged.record.notes.join(' ')).toContain('framing is broken');
  });

  it('System2_truncated: reads the cut chunk as far as the file goes', () => {
    const run = ingest(evtx, corpusBytes('evtx/plaso_System2_truncated.evtx'));
    expect(run.index.count).toBe(104 + 90 + 89);
    expect(run.index.errors).toEqual([
      'chunk 2 at offset 0x21000: the file ends 704 bytes before the chunk does; 89 records read, the record at 0x30bd8 and any after it are cut off',
    ]);
  });

  it('a file cut inside a chunk header or the file header says where', () => {
    const system = corpusBytes('evtx/omerbenamram_system.evtx');
    const cut = ingest(evtx, system.subarray(0, 0x11000 + 300));
    expect(cut.index.count).toBe(108);
    expect(cut.index.errors).toEqual([
      'chunk 1 at offset 0x11000: the file ends 300 bytes into the chunk, 0 records read from it',
    ]);
    const stub = ingest(evtx, system.subarray(0, 100));
    expect(stub.index.count).toBe(0);
    expect(stub.index.errors).toEqual(['file header: only 100 of its 128 bytes are present']);
  });

  it('Application_no_crc32: format 3.2 with the no-checksum flag is not flagged', () => {
    const run = ingest(evtx, corpusBytes('evtx/omerbenamram_Application_no_crc32.evtx'));
    expect(run.index.count).toBe(17);
    expect(run.records.every((r) => r.record.flags === 0)).toBe(true);
  });
});

describe('columns and fields on corpus records', () => {
  const security = ingest(
    evtx,
    corpusBytes('evtx/omerbenamram_Security_short_selected.evtx'),
  ).records;

  it('maps Security auditing events: audit outcome as level, client address from the event data', () => {
    const r = security[0]!.record;
    expect(r).toMatchObject({
      time: Date.UTC(2016, 5, 29, 15, 24, 34, 346),
      code: '5152',
      source: 'Microsoft-Windows-Security-Auditing',
      level: 'Audit Failure',
      host: 'temporal',
      srcIp: '23.94.153.202',
    });
    expect(r.fields).toMatchObject({
      EventRecordID: '319457771',
      Provider: 'Microsoft-Windows-Security-Auditing',
      ProviderGuid: '{54849625-5478-4994-A5BA-3E3B0328C30D}',
      Keywords: '0x8010000000000000',
      TimeCreated: '2016-06-29T15:24:34.346000000Z',
      Channel: 'Security',
      SourceAddress: '23.94.153.202',
      DestPort: '3389',
    });
    expect(r.message).toBe(
      'Microsoft-Windows-Security-Auditing event 5152: ProcessId=0; Application=-; Direction=%%14592; SourceAddress=23.94.153.202; SourcePort=59639; DestAddress=169.46.6.101; DestPort=3389; Protocol=6; FilterRTID=67607; LayerName=%%14597; LayerRTID=13',
    );
    expect(security[1]!.record.level).toBe('Audit Success');
  });

  it('renders the event XML as Event Viewer does', () => {
    expect(security[1]!.raw).toBe(
      [
        '<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">',
        '  <System>',
        '    <Provider Name="Microsoft-Windows-Security-Auditing" Guid="{54849625-5478-4994-A5BA-3E3B0328C30D}"/>',
        '    <EventID>4611</EventID>',
        '    <Version>0</Version>',
        '    <Level>0</Level>',
        '    <Task>12289</Task>',
        '    <Opcode>0</Opcode>',
        '    <Keywords>0x8020000000000000</Keywords>',
        '    <TimeCreated SystemTime="2016-06-29T15:24:36.686000000Z"/>',
        '    <EventRecordID>319457830</EventRecordID>',
        '    <Correlation/>',
        '    <Execution ProcessID="768" ThreadID="2764"/>',
        '    <Channel>Security</Channel>',
        '    <Computer>temporal</Computer>',
        '    <Security/>',
        '  </System>',
        '  <EventData>',
        '    <Data Name="SubjectUserSid">S-1-5-18</Data>',
        '    <Data Name="SubjectUserName">TEMPORAL$</Data>',
        '    <Data Name="SubjectDomainName">WORKGROUP</Data>',
        '    <Data Name="SubjectLogonId">0x3e7</Data>',
        '    <Data Name="LogonProcessName">Winlogon</Data>',
        '  </EventData>',
        '</Event>',
      ].join('\n'),
    );
  });

  it('keeps event data names and moves a clashing System value aside', () => {
    const r = security.find((x) => x.record.code === '5157')!.record;
    expect(r.fields.ProcessID).toBe('4');
    expect(r.fields['System.ProcessID']).toBe('4');
  });

  it('classic sources: EventSourceName is the source, Qualifiers kept, insertion strings by position', () => {
    const app = ingest(evtx, corpusBytes('evtx/omerbenamram_Application_no_crc32.evtx')).records;
    const search = app.find((x) => x.record.fields.EventRecordID === '441')!.record;
    expect(search.source).toBe('Windows Search Service');
    expect(search.fields).toMatchObject({
      Provider: 'Microsoft-Windows-Search',
      Qualifiers: '16384',
      EventID: '1003',
    });
    const defender = app.find((x) => x.record.fields.EventRecordID === '427')!.record;
    expect(defender.fields).toMatchObject({
      '%1': 'Windows Defender',
      '%2': 'SECURITY_PRODUCT_STATE_ON',
    });
  });

  it('says when the record header id differs from EventRecordID', () => {
    const dns = ingest(evtx, corpusBytes('evtx/python-evtx_dns_log_malformed.evtx')).records;
    expect(dns[0]!.record.fields).toMatchObject({ EventRecordID: '101982', RecordHeaderID: '1' });
    expect(dns[0]!.record.notes.join(' ')).toContain('differs from EventRecordID');
    // Record 5 has a zero written time in its header; TimeCreated is still good.
    expect(dns[4]!.record.time).toBe(Date.UTC(2016, 10, 9, 10, 17, 9, 11));
    // DNS analytic events name the client `Source` (event 256, a query received).
    expect(dns[1]!.record).toMatchObject({ code: '256', srcIp: '10.9.15.202' });
  });

  it('reads a forwarded event written as a plain element stream', () => {
    const [wec] = ingest(
      evtx,
      corpusBytes('evtx/omerbenamram_MSExchange_Management_wec.evtx'),
    ).records;
    expect(wec!.record).toMatchObject({
      code: '1',
      source: 'MSExchange CmdletLogs',
      host: 'WEC.ave.local',
    });
    expect(wec!.record.fields).toMatchObject({
      Qualifiers: '16384',
      '%1': 'Set-Mailbox',
      '%27': 'fr-FR',
    });
  });
});

describe('CRC-32', () => {
  it('is zlib CRC-32 for every length and alignment', () => {
    const data = Uint8Array.from({ length: 300 }, (_, i) => (i * 131 + 7) & 0xff);
    for (let start = 0; start < 9; start++)
      for (const end of [start, start + 1, start + 7, start + 8, start + 9, 300])
        expect(crc32(data, start, end)).toBe(referenceCrc32(data, start, end));
    // The check value of the CRC-32 catalogue: "123456789" → 0xCBF43926.
    expect(crc32(new TextEncoder().encode('123456789'), 0, 9)).toBe(0xcbf43926);
  });
});

// ---- written files: every value type, arrays, nested XML, known events ---------------------------

const T0 = Date.UTC(2024, 2, 5, 8, 30, 15, 123);

function oneEvent(
  data: ValueSpec,
  system: Partial<Parameters<typeof systemValues>[0]> = {},
): Ingested {
  const template = eventTemplate(1);
  const record: RecordSpec = {
    id: 1,
    template,
    values: systemValues(
      {
        provider: 'Test-Provider',
        eventId: 7,
        level: 4,
        timeMs: T0,
        recordId: 1,
        computer: 'HOST1',
        ...system,
      },
      data,
    ),
  };
  const run = ingest(evtx, evtxFile([[record]]));
  expectIndexAgreesWithParse(run);
  return run;
}

describe('value types render as Windows writes them', () => {
  const types: [string, number, ValueSpec, string][] = [
    ['String', 0x01, V.string('héllo <&>'), 'héllo <&>'],
    ['AnsiString', 0x02, V.ansi([0x80, 0x41, 0xa6]), '€A¦'],
    ['Int8', 0x03, V.int8(-5), '-5'],
    ['UInt8', 0x04, V.uint8(250), '250'],
    ['Int16', 0x05, V.int16(-300), '-300'],
    ['UInt16', 0x06, V.uint16(65535), '65535'],
    ['Int32', 0x07, V.int32(-70000), '-70000'],
    ['UInt32', 0x08, V.uint32(4000000000), '4000000000'],
    ['Int64', 0x09, V.int64(-9007199254740993n), '-9007199254740993'],
    ['UInt64', 0x0a, V.uint64(18446744073709551615n), '18446744073709551615'],
    ['Real32', 0x0b, V.real32(1.5), '1.5'],
    ['Real64', 0x0c, V.real64(-0.1), '-0.1'],
    ['Bool', 0x0d, V.bool(true), 'true'],
    ['Binary', 0x0e, V.binary([0x00, 0xab, 0x10]), '00AB10'],
    [
      'Guid',
      0x0f,
      V.guid('{54849625-5478-4994-a5ba-3e3b0328c30d}'),
      '{54849625-5478-4994-A5BA-3E3B0328C30D}',
    ],
    ['SizeT', 0x10, V.sizeT64(0x1fn), '0x1f'],
    ['FileTime', 0x11, V.filetime(T0, 4567), '2024-03-05T08:30:15.123456700Z'],
    ['SysTime', 0x12, V.systemtime(2019, 3, 2, 10, 11, 12, 345), '2019-03-02T10:11:12.345000000Z'],
    [
      'Sid',
      0x13,
      V.sid('S-1-5-21-1223297778-3299746493-1462173606-500'),
      'S-1-5-21-1223297778-3299746493-1462173606-500',
    ],
    ['HexInt32', 0x14, V.hex32(0xc000006a), '0xc000006a'],
    ['HexInt64', 0x15, V.hex64(0x3e7n), '0x3e7'],
  ];
  const template = eventDataTemplate(
    2,
    types.map(([name, type]) => [name, type] as const),
  );
  const run = oneEvent(
    V.binxml(
      template,
      types.map(([, , v]) => v),
    ),
  );
  const r = run.records[0]!;

  it.each(types)('%s', (name, _type, _value, text) => {
    expect(r.record.fields[name]).toBe(text);
  });

  it('escapes text for XML and leaves out NULL attributes', () => {
    expect(r.raw).toContain('<Data Name="String">héllo &lt;&amp;&gt;</Data>');
    // Qualifiers and EventSourceName were NULL: no attribute, as Windows shows.
    expect(r.raw).toContain('<EventID>7</EventID>');
    expect(r.raw).toContain('<Provider Name="Test-Provider"/>');
  });

  it('repeats an element for each item of an array (MS-EVEN6 3.1.4.7.5)', () => {
    const arrays = eventDataTemplate(3, [
      [null, 0x81],
      ['Ports', 0x86],
    ]);
    const a = oneEvent(V.binxml(arrays, [V.stringArray(['', 'a', 'b']), V.uint16Array([80, 443])]))
      .records[0]!;
    expect(a.record.fields).toMatchObject({
      '%1': '',
      '%2': 'a',
      '%3': 'b',
      Ports: '80',
      'Ports#2': '443',
    });
    expect(a.raw).toContain(
      '    <Data/>\n    <Data>a</Data>\n    <Data>b</Data>\n    <Data Name="Ports">80</Data>\n    <Data Name="Ports">443</Data>',
    );
  });

  it('splits arrays of every fixed-size and variable-size type into their items', () => {
    const arrays: [string, ValueSpec, string[]][] = [
      ['Int32s', V.array([V.int32(-1), V.int32(2)]), ['-1', '2']],
      ['Hex64s', V.array([V.hex64(0x10n), V.hex64(0xffn)]), ['0x10', '0xff']],
      ['Bools', V.array([V.bool(false), V.bool(true)]), ['false', 'true']],
      [
        'Guids',
        V.array([
          V.guid('{00000001-0002-0003-0405-060708090a0b}'),
          V.guid('{ffffffff-0000-0000-0000-000000000000}'),
        ]),
        ['{00000001-0002-0003-0405-060708090A0B}', '{FFFFFFFF-0000-0000-0000-000000000000}'],
      ],
      ['Sids', V.array([V.sid('S-1-5-18'), V.sid('S-1-5-32-544')]), ['S-1-5-18', 'S-1-5-32-544']],
      [
        'Times',
        V.array([V.filetime(T0), V.filetime(T0 + 1000)]),
        ['2024-03-05T08:30:15.123000000Z', '2024-03-05T08:30:16.123000000Z'],
      ],
      ['Ansis', V.array([V.ansi([0x61]), V.ansi([0x80, 0x62])], true), ['a', '€b']],
    ];
    const template = eventDataTemplate(
      4,
      arrays.map(([name, v]) => [name, v.type] as const),
    );
    const r = oneEvent(
      V.binxml(
        template,
        arrays.map(([, v]) => v),
      ),
    ).records[0]!.record;
    for (const [name, , items] of arrays)
      items.forEach((item, i) =>
        expect(r.fields[i === 0 ? name : `${name}#${i + 1}`], `${name} item ${i}`).toBe(item),
      );
  });

  it('nests plain element streams and resolves entity and character references, CDATA and PIs', () => {
    const stream = V.binxmlStream({
      el: 'UserData',
      children: [
        {
          el: 'Thing',
          attrs: [['quote', [{ text: 'a' }, { entity: 'quot' }, { text: 'b' }, { charref: 38 }]]],
          children: [
            { el: 'Note', children: [{ text: 'x ' }, { entity: 'lt' }, { cdata: 'raw <data>' }] },
            { pi: ['app', 'go'] },
          ],
        },
      ],
    });
    const n = oneEvent(stream).records[0]!;
    expect(n.record.fields).toMatchObject({ quote: 'a"b&', Note: 'x <raw <data>' });
    expect(n.raw).toContain('<Thing quote="a&quot;b&amp;">');
    expect(n.raw).toContain('<Note>x &lt;raw &lt;data&gt;</Note>');
    expect(n.raw).toContain('<?app go?>');
  });
});

describe('known events and client addresses', () => {
  const data = (fields: readonly (readonly [string | null, ValueSpec])[], seed: number) =>
    V.binxml(
      eventDataTemplate(
        seed,
        fields.map(([n, v]) => [n, v.type] as const),
      ),
      fields.map(([, v]) => v),
    );

  it("SCHANNEL 36887 gets readable text with the TLS alert name, marked as LogSieve's", () => {
    const r = oneEvent(data([['AlertDesc', V.string('40')]], 10), {
      provider: 'Schannel',
      eventId: 36887,
      level: 2,
    }).records[0]!.record;
    expect(r.code).toBe('36887');
    expect(r.level).toBe('Error');
    expect(r.message).toBe(
      'A fatal alert was received from the remote endpoint. The TLS protocol defined fatal alert code is 40 (handshake_failure).',
    );
    expect(r.notes.join(' ')).toContain("LogSieve's table of known events");
  });

  it('SCHANNEL 36888 as a classic event: insertion strings fill the template', () => {
    const r = oneEvent(
      data(
        [
          [null, V.string('10')],
          [null, V.string('1203')],
        ],
        11,
      ),
      {
        provider: 'Schannel',
        eventId: 36888,
        qualifiers: 49152,
        level: 2,
      },
    ).records[0]!.record;
    expect(r.message).toBe(
      'A fatal alert was generated and sent to the remote endpoint. The TLS protocol defined fatal error code is 10 (unexpected_message). The Windows SChannel error state is 1203.',
    );
    expect(r.fields.Qualifiers).toBe('49152');
  });

  it('Secure Gateway 125: source from EventSourceName, client address from the insertion strings', () => {
    const r = oneEvent(data([[null, V.string('172.16.1.5:34567')]], 12), {
      provider: 'Secure Gateway',
      sourceName: 'Secure Gateway',
      eventId: 125,
      qualifiers: 49152,
      level: 2,
      channel: 'Application',
    }).records[0]!.record;
    expect(r).toMatchObject({ code: '125', source: 'Secure Gateway', srcIp: '172.16.1.5' });
    expect(r.message).toBe('SSL handshake from client failed. [%1=172.16.1.5:34567]');
  });

  it('maps IPv4-mapped IPv6 and skips values that are not addresses', () => {
    const r = oneEvent(
      data(
        [
          ['IpAddress', V.string('-')],
          ['Address', V.binary([2, 0, 0, 0, 192, 168, 2, 2])],
          ['ClientAddress', V.string('::ffff:10.1.2.3')],
        ],
        13,
      ),
      {
        provider: 'Microsoft-Windows-Security-Auditing',
        eventId: 4625,
        keywords: 0x8010000000000000n,
        level: 0,
      },
    ).records[0]!.record;
    expect(r.srcIp).toBe('10.1.2.3');
    expect(r.level).toBe('Audit Failure');
  });

  it("falls back to the record header's time when TimeCreated is zero", () => {
    const run = oneEvent(V.null(), { timeMs: Date.UTC(1601, 0, 1) });
    expect(run.records[0]!.record.time).toBe(Date.UTC(2024, 0, 1));
    expect(run.records[0]!.record.flags).toBe(0);
    expect(run.records[0]!.record.notes.join(' ')).toContain("record header's written time");
  });

  it('flags a record with no usable time at all and leaves its time empty', () => {
    const template = eventTemplate(1);
    const values = systemValues({
      provider: 'P',
      eventId: 1,
      level: 4,
      timeMs: Date.UTC(1601, 0, 1),
      recordId: 1,
      computer: 'H',
    });
    const run = ingest(
      evtx,
      evtxFile([[{ id: 1, template, values, writtenMs: Date.UTC(1601, 0, 1) }]]),
    );
    expectIndexAgreesWithParse(run);
    expect(run.records[0]!.record).toMatchObject({ time: null, flags: RecordFlag.BadTimestamp });
  });

  it('reuses template definitions and names across records of a chunk', () => {
    const template = eventTemplate(1);
    const records: RecordSpec[] = [1, 2, 3].map((id) => ({
      id,
      template,
      values: systemValues({
        provider: 'P',
        eventId: id,
        level: 3,
        timeMs: T0 + id,
        recordId: id,
        computer: 'H',
      }),
    }));
    const run = ingest(evtx, evtxFile([records, records.map((r) => ({ ...r, id: r.id + 3 }))]));
    expectIndexAgreesWithParse(run);
    expect(run.records.map((r) => r.record.code)).toEqual(['1', '2', '3', '1', '2', '3']);
    expect(run.records.map((r) => r.record.level)).toEqual(Array(6).fill('Warning'));
  });
});

describe('forwarded events with RenderingInfo', () => {
  it('show the text the forwarding host rendered', () => {
    const stream = {
      el: 'Event',
      children: [
        {
          el: 'System',
          children: [
            { el: 'Provider', attrs: [['Name', [{ text: 'Schannel' }]]] },
            { el: 'EventID', children: [{ text: '36887' }] },
            { el: 'Level', children: [{ text: '2' }] },
            {
              el: 'TimeCreated',
              attrs: [['SystemTime', [{ text: '2024-03-05T08:30:15.1234567Z' }]]],
            },
            { el: 'Computer', children: [{ text: 'gw01.example.com' }] },
          ],
        },
        {
          el: 'EventData',
          children: [
            { el: 'Data', attrs: [['Name', [{ text: 'AlertDesc' }]]], children: [{ text: '46' }] },
          ],
        },
        {
          el: 'RenderingInfo',
          attrs: [['Culture', [{ text: 'en-US' }]]],
          children: [
            {
              el: 'Message',
              children: [
                {
                  text: 'A fatal alert was received from the remote endpoint. The TLS protocol defined fatal alert code is 46.',
                },
              ],
            },
          ],
        },
      ],
    } as const;
    const run = ingest(evtx, evtxFile([[{ id: 9, stream }]]));
    expectIndexAgreesWithParse(run);
    const r = run.records[0]!.record;
    expect(r).toMatchObject({
      code: '36887',
      source: 'Schannel',
      level: 'Error',
      host: 'gw01.example.com',
      time: T0,
    });
    expect(r.message).toBe(
      'A fatal alert was received from the remote endpoint. The TLS protocol defined fatal alert code is 46.',
    );
    expect(r.fields).toMatchObject({ AlertDesc: '46', 'RenderingInfo/Culture': 'en-US' });
    expect(r.notes.join(' ')).toContain('RenderingInfo');
  });
});

describe('detection', () => {
  it('needs the signature, not the file name', () => {
    const sample = (bytes: Uint8Array) => ({
      fileName: 'x.evtx',
      bytes,
      encoding: null,
      lines: [],
    });
    expect(evtx.detect(sample(new TextEncoder().encode('ElfFile\0')))).toBe(1);
    expect(evtx.detect(sample(new Uint8Array(100)))).toBe(0);
    expect(evtx.detect(sample(utf16('ElfFile')))).toBe(0);
  });
});
