/**
 * Signature tags read named fields on the index road (`sink.field`, `sink.fieldByNumber`) and on the display road
 * (`parse`); a format must hand the index exactly the values its parse gives. Here every field
 * name a format's records have is wanted at once, and what the index reported is compared, record
 * by record, with the parsed fields and message.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatById } from '../../../shared/formats/registry';
import type { IndexSink, TextFormat } from '../../../shared/formats/types';
import { corpusBytes, ingest } from '../../helpers/ingest';

const decoder = new TextDecoder();

/** Ingests with `names` wanted and returns, per record, the values the index reported. */
function reported(
  format: TextFormat,
  input: Uint8Array | string,
  names: ReadonlySet<string>,
  chunkSize?: number,
) {
  const byRecord: Map<string, string>[] = [];
  const spying: TextFormat = {
    ...format,
    createIndexer(file) {
      const inner = format.createIndexer({ ...file, wantedFields: names });
      return {
        ...(inner.continues ? { continues: inner.continues.bind(inner) } : {}),
        index(buf: Uint8Array, start: number, end: number, sink: IndexSink) {
          const values = new Map<string, string>();
          byRecord.push(values);
          const spy = new Proxy(sink, {
            get(target, prop, receiver) {
              const report = (name: string, b: Uint8Array, s: number, e: number): void => {
                expect(values.has(name), `${name} reported twice`).toBe(false);
                values.set(name, decoder.decode(b.subarray(s, e)));
                target.field(name, b, s, e);
              };
              if (prop === 'field') return report;
              // Numbers are places in the wanted names (see `fieldNumber`).
              if (prop === 'fieldByNumber')
                return (n: number, b: Uint8Array, s: number, e: number) => {
                  const name = [...names][n];
                  expect(name, `field number ${n} is no wanted name`).toBeDefined();
                  report(name!, b, s, e);
                };
              const value: unknown = Reflect.get(target, prop, receiver);
              return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
            },
          });
          inner.index(buf, start, end, spy);
        },
      };
    },
  };
  const { records } = ingest(spying, input, chunkSize === undefined ? {} : { chunkSize });
  return { records, byRecord };
}

function expectExact(
  format: TextFormat,
  input: Uint8Array | string,
  chunkSize?: number,
  only?: ReadonlySet<string>,
): void {
  const names = new Set(only ?? ['message']);
  if (only === undefined)
    for (const r of ingest(format, input).records)
      for (const name of Object.keys(r.record.fields)) names.add(name);
  const { records, byRecord } = reported(format, input, names, chunkSize);
  expect(byRecord).toHaveLength(records.length);
  records.forEach((r, i) => {
    const got = byRecord[i]!;
    for (const name of names) {
      const expected = name === 'message' ? r.record.message : r.record.fields[name];
      expect(got.get(name), `${name} of record ${i}: ${r.raw.slice(0, 60)}`).toBe(
        expected ?? undefined,
      );
    }
  });
}

const OURS = ['w3c', 'cleartrust', 'syslog', 'eventlog-csv', 'eventlog-txt', 'eventlog-xml'];

const CORPUS: Record<string, readonly string[]> = {
  w3c: [
    'elff/stroom-docs_sampleBluecoat.log',
    'elff/elff-parser-scala_logfile2_no_fields_header.txt',
    'iis/beats_iis_access_test_multiheader.log',
    'iis/plaso_iis_without_date.log',
  ],
  syslog: ['citrix/azure-sentinel_Citrix_ADC_gateway_syslog.txt'],
  'eventlog-txt': ['eventlog-export/splunk-attack_data_windows-system_first24.log'],
};

const EXTRA: Record<string, readonly string[]> = {
  w3c: [
    // Repeated names: the parse keeps the value at the last position the record reaches.
    '#Fields: date time c-ip x#Fields: date time c-ip x\na',
    '#Fields: date extra.1 date\n2024-03-05 a b c d\n2024-03-05 a\n2024-03-05',
    '#Fields: date time c-ip cs-method cs-host cs-uri-stem cs-uri-query x-exception-id cs(User-Agent)\n2024-03-05 08:00:00 10.0.0.1 GET "a""b" /x q=1 - "Probe ""beta"""\n2024-03-05 08:00:00 10.0.0.1 - - - - policy_denied\n2024-03-05 08:00:00 10.0.0.1 GET h / - - x y z',
  ],
  cleartrust: [
    'Feb 24, 2007 06:48:50 PM - [] - <> - \n - [1] - <X> - server#7, [2001:db8::1]:5615 CT_A',
  ],
  syslog: [
    '<165>1 2003-10-11T22:14:15.003Z host app - ID47 [a@1 x="q\\"uote"][b@2 y="1"] msg\n<13>Mar  5 08:14:02 host tag[1]: x',
  ],
  'eventlog-csv': [
    'Level,Date and Time,Source,Event ID,Task Category\nError,3/5/2024 8:14:02 AM,"Src ""x""",1,None,"a ""b""\nc"\n3/5/2024,8:14:07 AM,S,Error,None,3202,N/A,H,d',
  ],
  'eventlog-txt': [
    '12/04/2020 09:24:11 AM\nLogName=System\nLogName=Again\n=x\nType=Info\nMessage=m\nKey=after',
  ],
};

describe.each(OURS)('%s reports wanted fields exactly', (id) => {
  const format = formatById(id) as TextFormat;
  const inputs = [
    ...format.samples.map((s) => [...(s.preamble ?? []), s.text].join('\n')),
    ...(EXTRA[id] ?? []),
  ];
  it.each(inputs.map((text, i) => [i, text] as const))('input %i', (_i, text) => {
    expectExact(format, text);
  });
  for (const file of CORPUS[id] ?? [])
    it(file, () => {
      expectExact(format, corpusBytes(file), 997);
    });
  it('on log-like noise', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom(
            'a',
            '0',
            ' ',
            '\t',
            '"',
            '#',
            '-',
            ':',
            '=',
            ',',
            '\n',
            '<',
            '>',
            '/',
            '#Fields: date time c-ip x',
            '2024-03-05 08:00:00',
            '<13>Mar  5 08:14:02 h t: ',
            'Information,3/5/2024 8:14:02 AM,S,1,N,',
            'Mar 5, 2007 1:02:03 PM MST - [1] - <L> - ',
            '<Event><System><EventID>1</EventID></System></Event>',
            'Key=',
            'Message=',
          ),
          maxLength: 100,
        }),
        (text) => {
          expectExact(format, text);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('apache-access reports the fields the catalogue reads exactly', () => {
  // The access log reports only what tags read; the method and URI come from the pass that
  // finds the request's end, so requests with quotes and odd spacing are planted here.
  const format = formatById('apache-access') as TextFormat;
  const names = new Set(['method', 'uri', 'bytes', 'user_agent']);
  const planted = [
    '1.2.3.4 - - [25/Apr/2021:06:15:33 +0000] "GET /a?t=<script>alert("x y")</script> HTTP/1.0" 404 1164',
    '1.2.3.4 - - [25/Apr/2021:06:15:33 +0000] "GET  /two-spaces HTTP/1.0" 200 1 "-" "a"',
    '1.2.3.4 - - [25/Apr/2021:06:15:33 +0000] "GET /" 200 1 "-" "a"',
    '1.2.3.4 - - [25/Apr/2021:06:15:33 +0000] "" 400 0 "-" "-"',
    '1.2.3.4 - - [25/Apr/2021:06:15:33 +0000] "HEAD / HTTP/1.1 extra" 200 -',
    '1.2.3.4 - - [25/Apr/2021:06:15:33 +0000] "GET "/q" HTTP/1.1" 200 - "r" "agent "quoted""',
    '[16/Oct/2019:11:53:47 +0200] 81.2.69.143 TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 "GET / HTTP/1.1" -',
    '[16/Oct/2019:11:53:47 +0200] 81.2.69.143 TLSv1.2 X "GET  / HTTP/1.1" 12',
  ];
  it.each([...format.samples.map((s) => s.text), ...planted].map((t, i) => [i, t] as const))(
    'input %i',
    (_i, text) => {
      expectExact(format, text, undefined, names);
    },
  );
  for (const file of [
    'apache/elastic-examples_apache_logs_combined.log',
    'apache/plaso_apache_access_mixed.log',
    'apache/beats_apache_ssl_request.log',
  ])
    it(file, () => {
      expectExact(format, corpusBytes(file), 997, names);
    });
  it('on request-like noise', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom('GET', ' ', '"', '/', 'a', ' 200 ', '-', '[', ']', 'HEAD'),
          maxLength: 40,
        }),
        (request) => {
          expectExact(
            format,
            `10.0.0.1 - - [05/Mar/2024:08:00:00 +0000] "${request}" 200 12 "-" "agent"`,
            undefined,
            names,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
