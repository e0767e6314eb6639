/**
 * Findings that line up across open files: the Secure Gateway's handshake failures every 5 s in
 * the event log and the access log's requests from 172.16.1.5 every 5 s are one load balancer.
 * Pure: reads only the findings (their kinds, keys, periods and time spans), never a file.
 *
 * The rules are data (LINK_RULES), tried in order; the first that holds for a pair names the link:
 * - same address: both findings name one client address, at overlapping times. An address is a
 *   machine, whatever each file's signature is (a periodic prober in one file, the source of most
 *   handshake failures in the other).
 * - same certificate host: both are cert-host findings for one host. No time condition: a
 *   certificate's problem lasts until someone replaces it, so last week's proxy log and today's
 *   name the same problem.
 * - same rhythm: both repeat at one period (within PERIOD_TOLERANCE) over mostly the same hours
 *   (MIN_RHYTHM_OVERLAP of the shorter span), and at least one of them names no address (an
 *   event log's Secure Gateway event has none, an agent names its server). The clock is then the
 *   only thing that can tie them together. Two findings that both name addresses, and different
 *   ones, are two machines even at one period: 5 s is many balancers' default.
 *
 * Links are symmetric and only across files (one file's findings already share their key).
 */
import type { FileId } from '../ids';
import type { Finding, FindingKind } from './analyse';
import { formatPeriod } from './explain';

/**
 * Two periods are one clock when they differ by at most this share of the shorter. The periodic
 * detector is held to 2 % of the planted period (test/shared/findings/analyse.test.ts, whole-
 * second timestamps, jitter up to 3 %), so two estimates of one clock differ by at most about
 * 4 %; 5 % leaves that margin while the nearest common defaults stay apart (5 s vs 6 s is 20 %,
 * 10 vs 15 s, 30 vs 60 s).
 */
export const PERIOD_TOLERANCE = 0.05;

/**
 * Share of the shorter finding's time span that the two spans must share for a rhythm to line up:
 * more than half, so that most of the beats of one finding fall where the other was beating too.
 * A clock seen in one file in the morning and in another in the evening is not one device by
 * rhythm alone.
 */
export const MIN_RHYTHM_OVERLAP = 0.5;

export type LinkReason = 'same-address' | 'same-cert-host' | 'same-rhythm';

/** A finding in another file that lines up with this one. */
export interface FindingLink {
  /** The other file: its Session id, its path as scan prints it (name alone when the location is hidden), its name. */
  readonly fileId: FileId;
  readonly file: string;
  readonly name: string;
  /** Position of the linked finding in that file's findings (as `findings(fileId)` lists them). */
  readonly index: number;
  readonly kind: FindingKind;
  readonly tag: string | null;
  readonly code: string | null;
  readonly match: Finding['match'];
  readonly periodSeconds: number | null;
  readonly title: string;
  /** Which rule tied them, and why in a sentence. */
  readonly why: LinkReason;
  readonly reason: string;
}

/** A finding with the findings of other files that line up with it (empty: none). */
export type LinkedFinding = Finding & { readonly links: readonly FindingLink[] };

/** One file's findings, in the order its worker reported them. */
export interface FileFindings {
  readonly fileId: FileId;
  readonly file: string;
  readonly name: string;
  readonly findings: readonly Finding[];
}

export interface LinkOptions {
  readonly periodTolerance?: number;
  readonly minRhythmOverlap?: number;
}

/** What a rule reads of a finding, worked out once. */
interface Side {
  readonly finding: Finding;
  readonly addresses: readonly string[];
  readonly certHost: string | null;
  /** [first, last] in UTC ms, or null when the finding has no times. */
  readonly span: readonly [number, number] | null;
}

interface LinkRule {
  readonly why: LinkReason;
  /** Kinds both findings must be of. */
  readonly kinds: readonly FindingKind[];
  /** The sentence when the pair lines up, or null. */
  test(a: Side, b: Side, options: Required<LinkOptions>): string | null;
}

const ADDRESS_KINDS: readonly FindingKind[] = ['periodic', 'dominant-source', 'recurring-burst'];
const RHYTHM_KINDS: readonly FindingKind[] = ['periodic', 'recurring-burst'];

export const LINK_RULES: readonly LinkRule[] = [
  {
    why: 'same-address',
    kinds: ADDRESS_KINDS,
    test(a, b, options) {
      const shared = a.addresses.filter((address) => b.addresses.includes(address));
      if (shared.length === 0) return null;
      // Both with times: they must meet. Without times the address alone has to do.
      const timed = a.span !== null && b.span !== null;
      if (a.span !== null && b.span !== null && overlap(a.span, b.span) < 0) return null;
      const rhythm = samePeriod(a.finding, b.finding, options.periodTolerance)
        ? `, both every ${formatPeriod(a.finding.periodSeconds!)}`
        : '';
      return `Both name ${shared.join(', ')}${timed ? ' at the same time' : ''}${rhythm}: one machine.`;
    },
  },
  {
    why: 'same-cert-host',
    kinds: ['cert-host'],
    test(a, b) {
      if (a.certHost === null || a.certHost !== b.certHost) return null;
      return `Certificate errors for ${a.certHost} in both files: one server certificate.`;
    },
  },
  {
    why: 'same-rhythm',
    kinds: RHYTHM_KINDS,
    test(a, b, options) {
      if (a.addresses.length > 0 && b.addresses.length > 0) return null;
      if (!samePeriod(a.finding, b.finding, options.periodTolerance)) return null;
      if (a.span === null || b.span === null) return null;
      const shared = overlap(a.span, b.span);
      const shorter = Math.min(a.span[1] - a.span[0], b.span[1] - b.span[0]);
      if (shorter <= 0 || shared / shorter < options.minRhythmOverlap) return null;
      const named = [...a.addresses, ...b.addresses];
      const who = named.length > 0 ? `most likely ${named.join(', ')}` : 'one device';
      const p = formatPeriod(a.finding.periodSeconds!);
      const q = formatPeriod(b.finding.periodSeconds!);
      return `Both repeat every ${p === q ? p : `${p} and ${q}`} over the same hours (${Math.round((shared / shorter) * 100)} % of the shorter span); one names no address, so the clock ties them: ${who}.`;
    },
  },
];

/** Length of the spans' common part in ms; negative when they do not meet. */
function overlap(a: readonly [number, number], b: readonly [number, number]): number {
  return Math.min(a[1], b[1]) - Math.max(a[0], b[0]);
}

function samePeriod(a: Finding, b: Finding, tolerance: number): boolean {
  const p = a.periodSeconds;
  const q = b.periodSeconds;
  if (p === null || q === null || !(p > 0) || !(q > 0)) return false;
  return Math.abs(p - q) <= tolerance * Math.min(p, q);
}

function list(value: string | readonly string[] | undefined): readonly string[] {
  return value === undefined ? [] : typeof value === 'string' ? [value] : value;
}

function sideOf(finding: Finding): Side {
  const first = finding.first === null ? NaN : Date.parse(finding.first);
  const last = finding.last === null ? NaN : Date.parse(finding.last);
  const certHost = finding.match.certHost;
  return {
    finding,
    addresses: list(finding.match.srcIp),
    certHost: typeof certHost === 'string' ? certHost : null,
    span: Number.isFinite(first) && Number.isFinite(last) && last >= first ? [first, last] : null,
  };
}

/** The first rule that ties the pair, with its sentence, or null. */
function ruleFor(
  a: Side,
  b: Side,
  options: Required<LinkOptions>,
): { why: LinkReason; reason: string } | null {
  for (const rule of LINK_RULES) {
    if (!rule.kinds.includes(a.finding.kind) || !rule.kinds.includes(b.finding.kind)) continue;
    const reason = rule.test(a, b, options);
    if (reason !== null) return { why: rule.why, reason };
  }
  return null;
}

function linkTo(file: FileFindings, index: number, why: LinkReason, reason: string): FindingLink {
  const f = file.findings[index]!;
  return {
    fileId: file.fileId,
    file: file.file,
    name: file.name,
    index,
    kind: f.kind,
    tag: f.tag,
    code: f.code,
    match: f.match,
    periodSeconds: f.periodSeconds,
    title: f.title,
    why,
    reason,
  };
}

/**
 * Every file's findings, each with the findings of the other files that line up with it, in the
 * files' order and each file's own order. Links are listed by file, then position.
 */
export function linkFindings(
  files: readonly FileFindings[],
  options: LinkOptions = {},
): LinkedFinding[][] {
  const settings: Required<LinkOptions> = {
    periodTolerance: options.periodTolerance ?? PERIOD_TOLERANCE,
    minRhythmOverlap: options.minRhythmOverlap ?? MIN_RHYTHM_OVERLAP,
  };
  const sides = files.map((file) => file.findings.map(sideOf));
  const links = files.map((file) => file.findings.map((): FindingLink[] => []));
  for (let fa = 0; fa < files.length; fa++)
    for (let fb = fa + 1; fb < files.length; fb++)
      sides[fa]!.forEach((a, ia) =>
        sides[fb]!.forEach((b, ib) => {
          const tie = ruleFor(a, b, settings);
          if (tie === null) return;
          links[fa]![ia]!.push(linkTo(files[fb]!, ib, tie.why, tie.reason));
          links[fb]![ib]!.push(linkTo(files[fa]!, ia, tie.why, tie.reason));
        }),
      );
  // File pairs are visited in order, and within a pair positions in order, so each finding's
  // links already come by file and then position.
  return files.map((file, f) =>
    file.findings.map((finding, i) => ({ ...finding, links: links[f]![i]! })),
  );
}
