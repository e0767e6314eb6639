/**
 * The linking rules on findings written out by hand: which pairs across files line up (same
 * address at overlapping times, same certificate host, same rhythm over the same hours when one
 * side names no address) and, as much, which do not.
 */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../shared/findings/analyse';
import type { FileFindings } from '../../../shared/findings/links';
import { linkFindings, MIN_RHYTHM_OVERLAP, PERIOD_TOLERANCE } from '../../../shared/findings/links';
import type { FileId } from '../../../shared/ids';
import { asFileId } from '../../../shared/ids';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 2, 5);
const iso = (hours: number): string => new Date(T0 + hours * HOUR).toISOString();

function finding(
  kind: Finding['kind'],
  match: Finding['match'],
  options: { period?: number | null; from?: number; to?: number; tag?: string | null } = {},
): Finding {
  return {
    kind,
    tag: options.tag === undefined ? 'tls-handshake-failure' : options.tag,
    code: null,
    match,
    count: 100,
    share: 0.9,
    periodSeconds: options.period ?? null,
    jitterSeconds: options.period === undefined || options.period === null ? null : 0.1,
    first: iso(options.from ?? 0),
    last: iso(options.to ?? 6),
    title: `${kind} ${JSON.stringify(match)}`,
    explanation: '',
    remedy: '',
    rules: [],
  };
}

function file(id: number, ...findings: Finding[]): FileFindings {
  return { fileId: asFileId(id), file: `/logs/f${id}.log`, name: `f${id}.log`, findings };
}

/** The links as `file#index why` strings, per file and finding. */
function links(...files: FileFindings[]): string[][][] {
  return linkFindings(files).map((list) =>
    list.map((f) => f.links.map((l) => `${l.name}#${l.index} ${l.why}`)),
  );
}

const gateway = (options: Parameters<typeof finding>[2] = {}): Finding =>
  finding('periodic', { source: 'Secure Gateway' }, { period: 5, ...options });
const balancer = (address: string, options: Parameters<typeof finding>[2] = {}): Finding =>
  finding('periodic', { srcIp: address }, { period: 5, tag: 'health-check', ...options });

describe('same rhythm', () => {
  it('links a periodic finding without an address to one with an address, both ways, once', () => {
    const result = linkFindings([file(1, gateway()), file(2, balancer('172.16.1.5'))]);
    expect(result[0]![0]!.links).toHaveLength(1);
    expect(result[0]![0]!.links[0]).toMatchObject({
      fileId: 2 as FileId,
      file: '/logs/f2.log',
      name: 'f2.log',
      index: 0,
      kind: 'periodic',
      tag: 'health-check',
      match: { srcIp: '172.16.1.5' },
      periodSeconds: 5,
      title: 'periodic {"srcIp":"172.16.1.5"}',
      why: 'same-rhythm',
    });
    expect(result[0]![0]!.links[0]!.reason).toContain('every 5.0 s');
    expect(result[0]![0]!.links[0]!.reason).toContain('172.16.1.5');
    expect(result[1]![0]!.links.map((l) => [l.fileId, l.index, l.why])).toEqual([
      [1, 0, 'same-rhythm'],
    ]);
  });

  it(`accepts periods ${PERIOD_TOLERANCE * 100} % apart and refuses wider`, () => {
    const near = 5 * (1 + PERIOD_TOLERANCE) - 0.001;
    const far = 5 * (1 + PERIOD_TOLERANCE) + 0.01;
    expect(links(file(1, gateway()), file(2, balancer('172.16.1.5', { period: near })))).toEqual([
      [['f2.log#0 same-rhythm']],
      [['f1.log#0 same-rhythm']],
    ]);
    expect(links(file(1, gateway()), file(2, balancer('172.16.1.5', { period: far })))).toEqual([
      [[]],
      [[]],
    ]);
    // The nearest common default: 5 s against 6 s.
    expect(links(file(1, gateway()), file(2, balancer('172.16.1.5', { period: 6 })))).toEqual([
      [[]],
      [[]],
    ]);
  });

  // The gateway's finding spans 0–6 h; the balancer's spans these hours.
  it.each([
    ['3–9 h: 3 of 6 hours in common', 3, 9, true],
    ['4–10 h: 2 of 6', 4, 10, false],
    ['2–3 h: all of the shorter span', 2, 3, true],
    ['8–14 h: not at the same time at all', 8, 14, false],
  ])(
    `needs ${MIN_RHYTHM_OVERLAP * 100} %% of the shorter span in common: %s`,
    (_name, from, to, linked) => {
      const result = links(file(1, gateway()), file(2, balancer('172.16.1.5', { from, to })));
      expect(result[0]![0]).toEqual(linked ? ['f2.log#0 same-rhythm'] : []);
    },
  );

  it('never ties two different addresses by rhythm alone', () => {
    expect(links(file(1, balancer('172.16.1.5')), file(2, balancer('172.16.1.6')))).toEqual([
      [[]],
      [[]],
    ]);
  });

  it('ties two findings without addresses (two gateways probed by one balancer)', () => {
    expect(links(file(1, gateway()), file(2, gateway()))[0]![0]).toEqual(['f2.log#0 same-rhythm']);
  });

  it('does not tie findings without a period, or without times', () => {
    const dominant = finding('dominant-source', { source: 'Secure Gateway' });
    expect(links(file(1, dominant), file(2, balancer('172.16.1.5')))[0]![0]).toEqual([]);
    const timeless = { ...gateway(), first: null, last: null };
    expect(links(file(1, timeless), file(2, balancer('172.16.1.5')))[0]![0]).toEqual([]);
  });

  it('ties a recurring burst to a periodic finding on its interval', () => {
    const burst = finding(
      'recurring-burst',
      { source: ['server#1', 'server#2'] },
      { period: 3600, tag: 'agent-socket-error', from: 0, to: 48 },
    );
    const firewall = finding('periodic', { source: 'fw01' }, { period: 3610, tag: null, to: 24 });
    expect(links(file(1, burst), file(2, firewall))[0]![0]).toEqual(['f2.log#0 same-rhythm']);
  });
});

describe('same address', () => {
  it('links a periodic prober to the dominant source of another file naming the same address', () => {
    const dominant = finding('dominant-source', { srcIp: '172.16.1.5' }, { from: 1, to: 20 });
    const result = linkFindings([file(1, balancer('172.16.1.5')), file(2, dominant)]);
    expect(result[0]![0]!.links.map((l) => l.why)).toEqual(['same-address']);
    expect(result[0]![0]!.links[0]!.reason).toContain('172.16.1.5');
  });

  it('prefers the address over the rhythm when both hold, and says both', () => {
    const result = linkFindings([
      file(1, balancer('172.16.1.5', { tag: 'tls-handshake-failure' })),
      file(2, balancer('172.16.1.5')),
    ]);
    expect(result[0]![0]!.links.map((l) => l.why)).toEqual(['same-address']);
    expect(result[0]![0]!.links[0]!.reason).toContain('both every 5.0 s');
  });

  it('finds the address in a burst’s list of keys', () => {
    const burst = finding('recurring-burst', { srcIp: ['10.0.0.1', '10.0.0.2'] }, { period: 60 });
    const dominant = finding('dominant-source', { srcIp: '10.0.0.2' });
    expect(links(file(1, burst), file(2, dominant))[0]![0]).toEqual(['f2.log#0 same-address']);
  });

  it('does not link neighbour addresses, nor the same address on another day', () => {
    expect(links(file(1, balancer('172.16.1.5')), file(2, balancer('172.16.1.50')))[0]![0]).toEqual(
      [],
    );
    const later = finding('dominant-source', { srcIp: '172.16.1.5' }, { from: 30, to: 40 });
    expect(links(file(1, balancer('172.16.1.5')), file(2, later))[0]![0]).toEqual([]);
  });
});

describe('same certificate host', () => {
  it('links cert-host findings for one host whenever they were logged', () => {
    const a = finding('cert-host', { certHost: 'old-portal.example.com' }, { tag: 'cert-expired' });
    const b = finding(
      'cert-host',
      { certHost: 'old-portal.example.com' },
      { tag: 'cert-expired', from: 100, to: 120 },
    );
    const other = finding('cert-host', { certHost: 'portal.example.com' }, { tag: 'cert-expired' });
    expect(links(file(1, a, other), file(2, b))).toEqual([
      [['f2.log#0 same-cert-host'], []],
      [['f1.log#0 same-cert-host']],
    ]);
  });
});

describe('linkFindings', () => {
  it('never links findings of one file, keeps every finding field and the order', () => {
    const one = file(1, gateway(), balancer('172.16.1.5'), balancer('172.16.1.5'));
    const result = linkFindings([one]);
    expect(result[0]!.map((f) => f.links)).toEqual([[], [], []]);
    result[0]!.forEach((f, i) => expect(f).toEqual({ ...one.findings[i], links: [] }));
  });

  it('lists a finding’s links by file, then by position', () => {
    const result = links(
      file(1, balancer('172.16.1.5')),
      file(2, gateway(), finding('dominant-source', { srcIp: '172.16.1.5' })),
      file(3, gateway({ from: 1, to: 5 })),
    );
    expect(result[0]![0]).toEqual([
      'f2.log#0 same-rhythm',
      'f2.log#1 same-address',
      'f3.log#0 same-rhythm',
    ]);
    expect(result[2]![0]).toEqual(['f1.log#0 same-rhythm', 'f2.log#0 same-rhythm']);
  });
});
