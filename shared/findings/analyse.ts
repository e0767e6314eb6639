/**
 * The behaviour findings of one file, from its index alone: periodic, recurring-burst,
 * dominant-source and cert-host findings, each in the CLI's JSON shape with its explanation,
 * remedy and the filter rules that would hide it. Pure: reads the LogIndex's columns in place
 * (time, tag bits, dictionary ids), never the file.
 *
 * Per signature (tag), the key is the source address when most of the tag's records carry one,
 * else the source (provider, agent server) when most carry that: the Secure Gateway event has no
 * address, the ClearTrust agent names its server.
 */
import type { LogIndex } from '../index/log-index';
import type { FilterRule } from '../filters/model';
import { FILTER_SET_KIND, FILTER_SET_VERSION, RULE_ID } from '../filters/model';
import { validateFilterSet } from '../filters/persist';
import { orderByTime, selectedTimeOrder } from '../index/order';
import { TAG_CATALOGUE } from '../tags/default';
import type { TagCatalogue } from '../tags/tagger';
import { isoOrNull } from '../time/civil';
import { detectRecurringBursts } from './bursts';
import { dominantSource } from './dominant';
import {
  CERTIFICATE_TAGS,
  explain,
  formatPeriod,
  type FindingKind,
  type Measured,
} from './explain';
import { detectPeriodicByKey, DEFAULT_PERIODIC_OPTIONS } from './periodic';
import { GroupScratch } from './records';

export type { FindingKind } from './explain';

export type KeyColumn = 'srcIp' | 'source' | 'certHost';

/**
 * One finding, as `scan --json` prints it. Fields that do not apply are null. `match` names the
 * key: one value, or for a recurring burst the list of keys that take part in most bursts.
 */
export interface Finding {
  readonly kind: FindingKind;
  readonly tag: string | null;
  readonly code: string | null;
  readonly match: Readonly<Partial<Record<KeyColumn, string | readonly string[]>>>;
  readonly count: number;
  readonly share: number | null;
  readonly periodSeconds: number | null;
  readonly jitterSeconds: number | null;
  readonly first: string | null;
  readonly last: string | null;
  readonly title: string;
  readonly explanation: string;
  readonly remedy: string;
  readonly rules: readonly FilterRule[];
}

export interface AnalyseOptions {
  /** Cert-host findings for at most this many hosts, most records first. */
  readonly certHostLimit?: number;
  /** Memory for grouped timestamps, kept by the caller between calls (see records.ts). */
  readonly scratch?: GroupScratch;
}

/** A key column must be filled in at least this share of a tag's records to key it. */
const KEYED_SHARE = 0.5;
/** The tag's code is reported when this share of its records carry that one code. */
const CODE_SHARE = 0.9;
const MIN_RECORDS = DEFAULT_PERIODIC_OPTIONS.minBeats;

/** Every finding of the indexed file, most records first. */
export function analyseIndex(
  index: LogIndex,
  catalogue: TagCatalogue = TAG_CATALOGUE,
  options: AnalyseOptions = {},
): Finding[] {
  if (index.count === 0) return [];
  const scratch = options.scratch ?? new GroupScratch();
  const certBits = new Set(CERTIFICATE_TAGS.map((id) => catalogue.bitOf(id)).filter((b) => b >= 0));
  const findings = [
    ...tagFindings(index, catalogue, certBits, scratch),
    ...certHostFindings(index, catalogue, certBits, options.certHostLimit ?? 25),
    ...codeFindings(index, scratch),
  ];
  return findings.sort((a, b) => b.count - a.count || kindRank(a) - kindRank(b));
}

/** Periodic, dominant-source and recurring-burst findings per signature tag. */
function tagFindings(
  index: LogIndex,
  catalogue: TagCatalogue,
  certBits: ReadonlySet<number>,
  scratch: GroupScratch,
): Finding[] {
  const count = index.count;
  const tags = index.tagColumn();
  if (tags === null) return [];
  const times = index.timeColumn();
  const srcIps = index.idColumn('srcIp');
  const sources = index.idColumn('source');
  const codes = index.idColumn('code');
  const codeSize = index.dictionary('code').size + 1;
  const bits = catalogue.definitions.length;

  // One pass over the tagged records: per tag, its records, how many carry each key column, and
  // its codes.
  const perTag = new Uint32Array(bits);
  const withIp = new Uint32Array(bits);
  const withSource = new Uint32Array(bits);
  const codeCounts: (Uint32Array | null)[] = Array.from({ length: bits }, () => null);
  const countCodes = codes !== null && codeSize <= 1 << 16;
  for (let r = 0; r < count; r++) {
    let mask = tags[r]!;
    if (mask === 0) continue;
    const hasIp = srcIps !== null && srcIps[r] !== 0;
    const hasSource = sources !== null && sources[r] !== 0;
    while (mask !== 0) {
      const low = mask & -mask;
      mask ^= low;
      const bit = 31 - Math.clz32(low);
      perTag[bit]!++;
      if (hasIp) withIp[bit]!++;
      if (hasSource) withSource[bit]!++;
      if (countCodes) {
        const list = (codeCounts[bit] ??= new Uint32Array(codeSize));
        list[codes[r]!]!++;
      }
    }
  }

  const findings: Finding[] = [];
  const rowsOf = sparseRows(tags, count, perTag);

  for (let bit = 0; bit < bits; bit++) {
    const total = perTag[bit]!;
    if (total < MIN_RECORDS) continue;
    const definition = catalogue.definitions[bit]!;
    const keyColumn: KeyColumn | null =
      withIp[bit]! >= total * KEYED_SHARE
        ? 'srcIp'
        : withSource[bit]! >= total * KEYED_SHARE
          ? 'source'
          : null;
    if (keyColumn === null) continue;
    const keys = keyColumn === 'srcIp' ? srcIps! : sources!;
    const dictionary = index.dictionary(keyColumn);
    const keyName = (id: number): string => dictionary.value(id) ?? '';
    const code = topCode(codeCounts[bit] ?? null, total, (id) =>
      index.dictionary('code').value(id),
    );
    const records = {
      times,
      keys,
      keyCount: dictionary.size + 1,
      select: { tags, mask: (1 << bit) >>> 0, rows: rowsOf[bit] ?? undefined },
      length: count,
    };
    const base = { tag: definition.id, tagTitle: definition.title, keyColumn, code };

    const periodic = detectPeriodicByKey(records, {}, scratch);
    for (const f of periodic.findings) {
      if (f.key === 0) continue;
      const key = keyName(f.key);
      findings.push(
        finding(base, {
          kind: 'periodic',
          keys: [key],
          count: f.count,
          share: f.share ?? f.count / total,
          periodSeconds: f.periodSeconds,
          jitterSeconds: f.jitterSeconds,
          first: f.first,
          last: f.last,
          rules: [
            rule(
              `periodic-${definition.id}-${key}`,
              'hide',
              keyWhen(keyColumn, key, definition.id),
              `${definition.title} every ${formatPeriod(f.periodSeconds)} from ${key}`,
            ),
          ],
        }),
      );
    }

    const counts = periodic.counts.slice();
    counts[0] = 0;
    const top = dominantSource(counts, periodic.total);
    // Records without an address are keyed by their source; when one source is all there is
    // (event 125 comes from the Secure Gateway alone), "100 % from it" says nothing.
    if (top !== null && !(keyColumn === 'source' && top.distinctKeys === 1)) {
      const key = keyName(top.key);
      const [first, last] = spanOf(times, keys, records.select, top.key, count);
      findings.push(
        finding(base, {
          kind: 'dominant-source',
          keys: [key],
          count: top.count,
          share: top.share,
          periodSeconds: null,
          jitterSeconds: null,
          first,
          last,
          rules: [
            rule(
              `dominant-${definition.id}-${key}`,
              'hide',
              { [keyColumn]: [key], tag: [definition.id] },
              `${Math.round(top.share * 100)} % of ${definition.id} from ${key}`,
            ),
          ],
        }),
      );
    }

    if (certBits.has(bit)) continue;
    const rows = records.select.rows;
    const order =
      rows === undefined
        ? selectedTimeOrder(times, count, tags, records.select.mask)
        : orderByTime(times, rows);
    const burst = detectRecurringBursts({ ...records, order });
    if (burst !== null) {
      const names = burst.keys
        .filter((k) => k.share >= 0.5 && k.key !== 0)
        .map((k) => keyName(k.key))
        .sort();
      if (names.length > 0) {
        findings.push(
          finding(base, {
            kind: 'recurring-burst',
            keys: names,
            count: burst.count,
            share: burst.share,
            periodSeconds: burst.intervalSeconds,
            jitterSeconds: burst.jitterSeconds,
            first: burst.first,
            last: burst.last,
            rules: [
              rule(
                `burst-${definition.id}`,
                'hide',
                { [keyColumn]: names, tag: [definition.id] },
                `${definition.title} in bursts on ${names.join(', ')} every ${formatPeriod(burst.intervalSeconds)}`,
              ),
            ],
          }),
        );
      }
    }
  }

  return findings;
}

const KIND_ORDER: readonly FindingKind[] = [
  'periodic',
  'recurring-burst',
  'dominant-source',
  'cert-host',
];
const kindRank = (f: Finding): number => KIND_ORDER.indexOf(f.kind);

/**
 * The device-side exclusion: a periodic source address is a machine (a balancer's keepalive), so
 * its rule hides the address whole, as the gateway's logging exclusion does and as httpd can
 * export; other keys are hidden for this signature only.
 */
function keyWhen(column: KeyColumn, key: string, tag: string): FilterRule['when'] {
  return column === 'srcIp' ? { srcIp: [key] } : { [column]: [key], tag: [tag] };
}

function topCode(
  counts: Uint32Array | null,
  total: number,
  name: (id: number) => string | null,
): string | null {
  if (counts === null) return null;
  let best = 0;
  for (let id = 1; id < counts.length; id++) if (counts[id]! > counts[best]!) best = id;
  return best !== 0 && counts[best]! >= total * CODE_SHARE ? name(best) : null;
}

/** A signature with at most this share of the records gets the list of its records. */
const SPARSE_SHARE = 1 / 16;

/**
 * Per tag bit, the records it marks, for the signatures with few records (at most
 * SPARSE_SHARE of the file, and enough to be judged): each detector then reads those records
 * rather than scanning the whole tag column for them. Dense signatures get none: their list would
 * be fresh memory nearly the size of the column, for little saving.
 */
function sparseRows(
  tags: Uint32Array,
  count: number,
  perTag: Uint32Array,
): (Uint32Array<ArrayBuffer> | null)[] {
  const rows = Array.from(perTag, (n) =>
    n >= MIN_RECORDS && n <= count * SPARSE_SHARE ? new Uint32Array(n) : null,
  );
  if (rows.every((list) => list === null)) return rows;
  const filled = new Uint32Array(perTag.length);
  for (let r = 0; r < count; r++) {
    let mask = tags[r]!;
    while (mask !== 0) {
      const low = mask & -mask;
      mask ^= low;
      const bit = 31 - Math.clz32(low);
      const list = rows[bit];
      if (list) list[filled[bit]!++] = r;
    }
  }
  return rows;
}

/** First and last time of one key's records of a signature. */
function spanOf(
  times: Float64Array,
  keys: ArrayLike<number>,
  select: { readonly tags: Uint32Array; readonly mask: number; readonly rows?: Uint32Array },
  key: number,
  count: number,
): [number | null, number | null] {
  const { tags, mask, rows } = select;
  let first = Infinity;
  let last = -Infinity;
  for (let j = 0, n = rows ? rows.length : count; j < n; j++) {
    const r = rows ? rows[j]! : j;
    if ((tags[r]! & mask) === 0 || keys[r] !== key) continue;
    const t = times[r]!;
    if (t < first) first = t;
    if (t > last) last = t;
  }
  return [Number.isFinite(first) ? first : null, Number.isFinite(last) ? last : null];
}

interface Base {
  /** null: a signature by code alone (records no tag marks). */
  readonly tag: string | null;
  readonly tagTitle: string;
  readonly keyColumn: KeyColumn;
  readonly code: string | null;
}

interface Numbers {
  readonly kind: FindingKind;
  readonly keys: readonly string[];
  readonly count: number;
  readonly share: number;
  readonly periodSeconds: number | null;
  readonly jitterSeconds: number | null;
  readonly first: number | null;
  readonly last: number | null;
  readonly rules: readonly (FilterRule | null)[];
  readonly errors?: Readonly<Record<string, number>>;
  readonly users?: number;
}

function finding(base: Base, n: Numbers): Finding {
  const measured: Measured = {
    kind: n.kind,
    tag: base.tag ?? '',
    tagTitle: base.tagTitle,
    keyColumn: base.keyColumn,
    keys: n.keys,
    count: n.count,
    share: n.share,
    periodSeconds: n.periodSeconds,
    jitterSeconds: n.jitterSeconds,
    ...(n.errors === undefined ? {} : { errors: n.errors }),
    ...(n.users === undefined ? {} : { users: n.users }),
  };
  const text = explain(measured);
  return {
    kind: n.kind,
    tag: base.tag,
    code: base.code,
    match: { [base.keyColumn]: n.kind === 'recurring-burst' ? n.keys : n.keys[0]! },
    count: n.count,
    share: round(n.share, 4),
    periodSeconds: n.periodSeconds === null ? null : round(n.periodSeconds, 3),
    jitterSeconds: n.jitterSeconds === null ? null : round(n.jitterSeconds, 3),
    first: isoOrNull(n.first),
    last: isoOrNull(n.last),
    ...text,
    rules: n.rules.filter((r): r is FilterRule => r !== null),
  };
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** A rule id from free text: only the characters RULE_ID allows, at most 64. */
export function ruleId(text: string): string {
  const cleaned = text
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 64);
  return RULE_ID.test(cleaned) ? cleaned : 'finding';
}

/**
 * A rule, or null when the values (taken from the log) would not pass the filter-set validator:
 * a log line never gets into a rule unchecked.
 */
function rule(
  id: string,
  action: FilterRule['action'],
  when: FilterRule['when'],
  comment: string,
  enabled = true,
): FilterRule | null {
  const candidate: FilterRule = { id: ruleId(id), enabled, action, when, comment };
  const checked = validateFilterSet({
    logsieve: FILTER_SET_KIND,
    version: FILTER_SET_VERSION,
    name: 'finding',
    rules: [candidate],
  });
  return checked.ok ? checked.value.rules[0]! : null;
}

/** Per certificate host: records with each certificate error, distinct clients, first/last. */
function certHostFindings(
  index: LogIndex,
  catalogue: TagCatalogue,
  certBits: ReadonlySet<number>,
  limit: number,
): Finding[] {
  const hosts = index.idColumn('certHost');
  const tags = index.tagColumn();
  if (hosts === null || tags === null || certBits.size === 0 || limit <= 0) return [];
  let certMask = 0;
  for (const bit of certBits) certMask |= 1 << bit;
  const bitList = [...certBits].sort((a, b) => a - b);
  const size = index.dictionary('certHost').size + 1;
  const times = index.timeColumn();
  const srcIps = index.idColumn('srcIp');
  const perHost = new Uint32Array(size);
  const perHostTag = new Map<number, Uint32Array>();
  const users = new Map<number, Set<number>>();
  const first = new Float64Array(size).fill(Infinity);
  const last = new Float64Array(size).fill(-Infinity);
  let total = 0;
  for (let r = 0; r < index.count; r++) {
    const mask = tags[r]! & certMask;
    if (mask === 0) continue;
    total++;
    const host = hosts[r]!;
    if (host === 0) continue;
    perHost[host]!++;
    let list = perHostTag.get(host);
    if (list === undefined) {
      list = new Uint32Array(bitList.length);
      perHostTag.set(host, list);
      users.set(host, new Set());
    }
    for (let i = 0; i < bitList.length; i++) if ((mask & (1 << bitList[i]!)) !== 0) list[i]!++;
    if (srcIps !== null && srcIps[r] !== 0) users.get(host)!.add(srcIps[r]!);
    const t = times[r]!;
    if (t < first[host]!) first[host] = t;
    if (t > last[host]!) last[host] = t;
  }
  const dictionary = index.dictionary('certHost');
  const ranked = [...perHostTag.keys()].sort((a, b) => perHost[b]! - perHost[a]! || a - b);
  return ranked.slice(0, limit).map((host) => {
    const name = dictionary.value(host) ?? '';
    const list = perHostTag.get(host)!;
    const errors: Record<string, number> = {};
    let topTag = bitList[0]!;
    bitList.forEach((bit, i) => {
      if (list[i]! > 0) errors[catalogue.definitions[bit]!.id] = list[i]!;
      if (list[i]! > list[bitList.indexOf(topTag)]!) topTag = bit;
    });
    const definition = catalogue.definitions[topTag]!;
    return finding(
      { tag: definition.id, tagTitle: definition.title, keyColumn: 'certHost', code: null },
      {
        kind: 'cert-host',
        keys: [name],
        count: perHost[host]!,
        share: perHost[host]! / total,
        periodSeconds: null,
        jitterSeconds: null,
        first: Number.isFinite(first[host]!) ? first[host]! : null,
        last: Number.isFinite(last[host]!) ? last[host]! : null,
        errors,
        users: users.get(host)!.size,
        rules: [
          rule(
            `trust-${name}`,
            'trust',
            { certHost: [name] },
            `certificate errors: ${Object.entries(errors)
              .map(([t, n]) => `${t} ${n}`)
              .join(', ')}; enable only for a host you trust`,
            false,
          ),
        ],
      },
    );
  });
}

/**
 * Periodic findings for records no tag marks and that carry no client address (event logs,
 * syslog, agent logs): the signature is the code (event id), the key its source (provider). A
 * service on a timer (a health check, a poll, a retry) shows up here before anyone has written
 * a tag for it. Access logs, where every record has an address, select nothing and pay one scan.
 */
function codeFindings(index: LogIndex, scratch: GroupScratch): Finding[] {
  const count = index.count;
  const codes = index.idColumn('code');
  const sources = index.idColumn('source');
  if (codes === null || sources === null) return [];
  const tags = index.tagColumn();
  const srcIps = index.idColumn('srcIp');
  const chosen = (r: number): boolean =>
    (tags === null || tags[r] === 0) &&
    (srcIps === null || srcIps[r] === 0) &&
    codes[r] !== 0 &&
    sources[r] !== 0;
  let candidates = 0;
  for (let r = 0; r < count; r++) if (chosen(r)) candidates++;
  if (candidates < MIN_RECORDS) return [];

  // One key per (code, source) pair; records of no pair get a key outside the range.
  const sourceSize = index.dictionary('source').size + 1;
  const codeSize = index.dictionary('code').size + 1;
  // A table of every (code, source) when it is small (event logs: hundreds of each), else a map.
  const table =
    codeSize * sourceSize <= 1 << 20 ? new Int32Array(codeSize * sourceSize).fill(-1) : null;
  const map = table === null ? new Map<number, number>() : null;
  const pairCode: number[] = [];
  const pairSource: number[] = [];
  const keys = new Uint32Array(count).fill(0xffffffff);
  for (let r = 0; r < count; r++) {
    if (!chosen(r)) continue;
    const packed = codes[r]! * sourceSize + sources[r]!;
    let pair = table !== null ? table[packed]! : (map!.get(packed) ?? -1);
    if (pair < 0) {
      pair = pairCode.length;
      if (table !== null) table[packed] = pair;
      else map!.set(packed, pair);
      pairCode.push(codes[r]!);
      pairSource.push(sources[r]!);
    }
    keys[r] = pair;
  }
  const periodic = detectPeriodicByKey(
    { times: index.timeColumn(), keys, keyCount: pairCode.length, length: count },
    {},
    scratch,
  );
  const codeNames = index.dictionary('code');
  const sourceNames = index.dictionary('source');
  return periodic.findings.map((f) => {
    const code = codeNames.value(pairCode[f.key]!) ?? '';
    const source = sourceNames.value(pairSource[f.key]!) ?? '';
    return finding(
      { tag: null, tagTitle: `Code ${code}`, keyColumn: 'source', code },
      {
        kind: 'periodic',
        keys: [source],
        count: f.count,
        // Of the pair's own records: the code's records from other sources are another signature.
        share: f.count / periodic.counts[f.key]!,
        periodSeconds: f.periodSeconds,
        jitterSeconds: f.jitterSeconds,
        first: f.first,
        last: f.last,
        rules: [
          rule(
            `periodic-${code}-${source}`,
            'hide',
            { code: [code], source: [source] },
            `code ${code} every ${formatPeriod(f.periodSeconds)} from ${source}`,
          ),
        ],
      },
    );
  });
}
