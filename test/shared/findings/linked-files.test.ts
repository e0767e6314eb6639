/**
 * Linking on real log text, through the real framer, formats, tagger, index and detectors: an
 * Event Viewer export with the Secure Gateway's handshake failures every 5 s and an Apache access
 * log with 172.16.1.5 probing every 5 s over the same hours (test/helpers/linked-logs.ts). The
 * planted pair must be linked exactly once, both ways; the decoys (another period, the right
 * period at the wrong time) must not; moved to another day, nothing lines up.
 */
import { describe, expect, it } from 'vitest';
import { analyseIndex } from '../../../shared/findings/analyse';
import type { LinkedFinding } from '../../../shared/findings/links';
import { linkFindings } from '../../../shared/findings/links';
import { formatById } from '../../../shared/formats/registry';
import { asFileId } from '../../../shared/ids';
import { ingest } from '../../helpers/ingest';
import { linkedGatewayLogs, MONITOR } from '../../helpers/linked-logs';

function analysed(formatId: string, text: string) {
  const format = formatById(formatId);
  if (format === undefined) throw new Error(`no format ${formatId}`);
  return analyseIndex(ingest(format, text).index);
}

function linked(seed: number, accessShiftHours = 0): [LinkedFinding[], LinkedFinding[]] {
  const logs = linkedGatewayLogs(seed, { accessShiftHours });
  const [events, access] = linkFindings([
    {
      fileId: asFileId(1),
      file: '/logs/gateway-events.csv',
      name: 'gateway-events.csv',
      findings: analysed('eventlog-csv', logs.eventLog),
    },
    {
      fileId: asFileId(2),
      file: '/logs/access.log',
      name: 'access.log',
      findings: analysed('apache-access', logs.accessLog),
    },
  ]);
  return [events!, access!];
}

describe('an event log and an access log of one gateway', () => {
  it.each([1, 2, 3])('seed %i: the balancer is linked exactly once, both ways', (seed) => {
    const { truth } = linkedGatewayLogs(seed);
    const [events, access] = linked(seed);

    // The decoys were found (so leaving them unlinked means something).
    const periodic = (list: LinkedFinding[]) =>
      list.filter((f) => f.kind === 'periodic').map((f) => Object.values(f.match)[0]);
    expect(periodic(events).sort()).toEqual(['Backup Agent', 'Secure Gateway', 'Time-Service']);
    expect(periodic(access).sort()).toEqual([MONITOR, truth.access.srcIp].sort());

    const linkedEvents = events.filter((f) => f.links.length > 0);
    const linkedAccess = access.filter((f) => f.links.length > 0);
    expect(linkedEvents).toHaveLength(1);
    expect(linkedAccess).toHaveLength(1);
    const [event] = linkedEvents;
    const [request] = linkedAccess;
    expect(event).toMatchObject({
      kind: 'periodic',
      tag: truth.event.tag,
      match: { source: truth.event.source },
    });
    expect(request).toMatchObject({
      kind: 'periodic',
      tag: truth.access.tag,
      match: { srcIp: truth.access.srcIp },
    });
    expect(event!.links).toHaveLength(1);
    expect(request!.links).toHaveLength(1);
    expect(event!.links[0]).toMatchObject({
      fileId: 2,
      name: 'access.log',
      index: access.indexOf(request!),
      why: 'same-rhythm',
      title: request!.title,
    });
    expect(request!.links[0]).toMatchObject({
      fileId: 1,
      name: 'gateway-events.csv',
      index: events.indexOf(event!),
      why: 'same-rhythm',
    });
    expect(event!.links[0]!.reason).toContain(truth.access.srcIp);
    for (const f of [event!, request!])
      expect(Math.abs(f.periodSeconds! / truth.periodSeconds - 1)).toBeLessThan(0.02);
  });

  it('moved to another day, the same logs line up nowhere', () => {
    const [events, access] = linked(1, 24);
    expect(events.some((f) => f.kind === 'periodic' && f.match.source === 'Secure Gateway')).toBe(
      true,
    );
    expect(access.some((f) => f.kind === 'periodic' && f.match.srcIp === '172.16.1.5')).toBe(true);
    expect([...events, ...access].flatMap((f) => f.links)).toEqual([]);
  });

  it('names no dominant source where a signature has only one source to come from', () => {
    // Event 125 is written by the Secure Gateway alone: "100 % from Secure Gateway" says nothing.
    const [events, access] = linked(1);
    expect(events.filter((f) => f.kind === 'dominant-source')).toEqual([]);
    // An address is different: one client sending every probe is the finding.
    expect(access.filter((f) => f.kind === 'dominant-source').map((f) => f.match.srcIp)).toContain(
      linkedGatewayLogs(1).truth.access.srcIp,
    );
  });
});
