import { describe, expect, it } from 'vitest';
import { eventlogXml } from '../../../shared/formats/eventlog-xml';
import { RecordFlag } from '../../../shared/record';
import { ingestAgreeing } from '../../helpers/agreement';
import { ingest } from '../../helpers/ingest';

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

const NS = 'http://schemas.microsoft.com/win/2004/08/events/event';

function event(id: number, time: string, inner = ''): string {
  return `<Event xmlns='${NS}'><System><Provider Name='Microsoft-Windows-Security-Auditing'/><EventID>${id}</EventID><Level>0</Level><TimeCreated SystemTime='${time}'/><Computer>dc01.example.com</Computer></System>${inner}</Event>`;
}

describe('eventlog-xml', () => {
  it('reads a UTF-16 export written on one line as a header and one record per event', () => {
    const text =
      '<?xml version="1.0" encoding="UTF-16"?><Events>' +
      event(4624, '2024-03-05T08:00:00.000Z') +
      event(
        4625,
        '2024-03-05T08:00:01.0000000Z',
        "<EventData><Data Name='IpAddress'>-</Data><Data Name='SourceAddress'>10.1.2.3</Data></EventData>",
      ) +
      event(4634, '2024-03-05T08:00:02Z') +
      '</Events>';
    const { records } = ingestAgreeing(eventlogXml, utf16le(text), { chunkSize: 101 });
    expect(records.map((r) => [r.record.code, r.record.flags])).toEqual([
      [null, RecordFlag.Directive],
      ['4624', 0],
      ['4625', 0],
      ['4634', 0],
    ]);
    expect(records[2]!.record).toMatchObject({
      time: Date.UTC(2024, 2, 5, 8, 0, 1),
      srcIp: '10.1.2.3', // IpAddress "-" is no address: the next listed name is used
      host: 'dc01.example.com',
      level: 'Information',
    });
  });

  it('decodes entities, reads comments and CDATA, and finds the client in the rendered message', () => {
    const text = event(
      4625,
      '2024-03-05T08:00:00Z',
      '<!-- exported --><RenderingInfo Culture="en-US"><Message><![CDATA[An account failed to log on.]]>\r\n\tSource Network Address:\t172.16.1.5\r\n\tA &lt;b&gt; &amp; &#x41;</Message><Level>Information</Level><Keywords><Keyword>Audit Failure</Keyword><Keyword>Classic</Keyword></Keywords></RenderingInfo>',
    );
    const [record] = ingestAgreeing(eventlogXml, text).records.map((r) => r.record);
    expect(record).toMatchObject({
      srcIp: '172.16.1.5',
      message:
        'An account failed to log on.\r\n\tSource Network Address:\t172.16.1.5\r\n\tA <b> & A',
      fields: { 'Rendering.Keywords.Keyword': 'Audit Failure; Classic' },
    });
  });

  it('keeps UserData as fields', () => {
    const text = event(
      1102,
      '2024-03-05T08:00:00Z',
      '<UserData><LogFileCleared xmlns="http://manifests.microsoft.com/win/2004/08/windows/eventlog"><SubjectUserName>admin</SubjectUserName></LogFileCleared></UserData>',
    );
    const [record] = ingestAgreeing(eventlogXml, text).records.map((r) => r.record);
    expect(record!.fields['UserData.LogFileCleared.SubjectUserName']).toBe('admin');
  });

  it('flags a truncated event as damaged and keeps what it could read', () => {
    const cut = event(4625, '2024-03-05T08:00:01Z');
    const text = `<Events>${event(4624, '2024-03-05T08:00:00Z')}${cut.slice(0, cut.indexOf('<Computer>') + 12)}`;
    const { records } = ingestAgreeing(eventlogXml, text);
    expect(records.at(-1)!.record).toMatchObject({
      code: '4625',
      time: Date.UTC(2024, 2, 5, 8, 0, 1),
      host: null, // cut inside <Computer>: a partial value is not taken
      flags: RecordFlag.Damaged,
    });
  });

  it('flags an XML file that holds no events instead of calling it a header', () => {
    const { records } = ingestAgreeing(
      eventlogXml,
      '<?xml version="1.0"?><catalog><book id="1"/></catalog>',
    );
    expect(records).toHaveLength(1);
    expect(records[0]!.record.flags & RecordFlag.ParseError).toBe(RecordFlag.ParseError);
  });

  it('gives the same records whatever the chunk size', () => {
    const text = `<Events>\n${event(1, '2024-03-05T08:00:00Z')}\n${event(2, '2024-03-05T08:00:01Z')}\n</Events>`;
    const whole = ingest(eventlogXml, text).records.map((r) => r.record);
    for (const chunkSize of [1, 7, 64])
      expect(ingest(eventlogXml, text, { chunkSize }).records.map((r) => r.record)).toEqual(whole);
  });
});
