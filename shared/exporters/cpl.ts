import type { FilterSet } from '../filters/model';
import { parseHostPattern, type HostPattern } from '../net/host-pattern';
import {
  formatCidr,
  mappedIpv4Part,
  parseIpSpec,
  rangeToCidrs,
  type Cidr,
  type IpSpec,
} from '../net/range';
import { formatIpAddress } from '../net/address';
import { err, ok, type Result, type UserError } from '../result';
import {
  assertLinesFit,
  invalidValueError,
  LOG_NAME_OPTION,
  omissionLines,
  planExport,
  resolveOptions,
  ruleHeading,
  type Capabilities,
  type ExportOptions,
  type ExportTarget,
  type PlannedRule,
} from './common';

/**
 * Blue Coat / Symantec ProxySG policy (CPL) for the Local policy file.
 *
 * - `hide` → a `define subnet` per rule and a `<Proxy>` layer that turns the named access log off
 *   for it: `client.address=LABEL access_log.main(no)` (other logs are left alone).
 * - `trust` → a `define condition` of the rule's host names, used in an `<SSL>` layer with
 *   `server.certificate.validate(no)`, guarded by URL host tests as Broadcom's own example does
 *   (whether `server.certificate.hostname=` may guard that property is UNVERIFIED).
 * - `block` → `server.certificate.hostname…= deny` lines in an `<SSL>` layer.
 *
 * Facts our CPL notes mark UNVERIFIED are flagged in `;` comments where they are used. A policy
 * that does not compile is not installed (the one in force stays), so an unverified construct
 * fails safe; the comment tells the admin what to remove if it is refused.
 */

const CPL_CAPABILITIES: Capabilities = {
  hide: { keys: ['srcIp'] },
  trust: { keys: ['certHost'] },
  block: { keys: ['certHost'] },
};

/** CPL labels: a letter, then letters, digits and `_` (CPL guide p.24). */
function labelAllocator(): (ruleId: string, suffix?: string) => string {
  const used = new Set<string>();
  return (ruleId, suffix = '') => {
    const base = `logsieve_${ruleId.replace(/[^A-Za-z0-9_]/g, '_')}${suffix}`;
    let label = base;
    // Case-insensitive uniqueness: whether CPL labels are case-sensitive is not documented.
    for (let n = 2; used.has(label.toLowerCase()); n += 1) label = `${base}_${n}`;
    used.add(label.toLowerCase());
    return label;
  };
}

/** A subnet entry: a single address is written bare, as the CPL guide's examples do. */
function subnetEntry(cidr: Cidr): string {
  const single = cidr.prefix === (cidr.family === 4 ? 32 : 128);
  return single ? formatIpAddress({ family: cidr.family, value: cidr.network }) : formatCidr(cidr);
}

function trustCondition(pattern: HostPattern): string {
  switch (pattern.kind) {
    case 'exact':
      return `url.host.exact=${pattern.name}`;
    case 'domain':
      return `url.domain=${pattern.name}`;
    case 'subdomains':
      // A plain suffix test; the leading dot makes it stop on a label boundary.
      return `url.host.suffix=.${pattern.name}`;
  }
}

function blockConditions(pattern: HostPattern): string[] {
  switch (pattern.kind) {
    case 'exact':
      return [`server.certificate.hostname.exact=${pattern.name}`];
    case 'domain':
      return [
        `server.certificate.hostname.exact=${pattern.name}`,
        `server.certificate.hostname=.${pattern.name}`,
      ];
    case 'subdomains':
      return [`server.certificate.hostname=.${pattern.name}`];
  }
}

const COMMENT = '(?:    )?; (?!.*\\$\\{)[\\x20-\\x5b\\x5d-\\x7e]*';
const LABEL = '[A-Za-z][A-Za-z0-9_]*';
const LDH = '[a-z0-9-]+(?:\\.[a-z0-9-]+)*';
/** Every line a CPL export can contain. `assertLinesFit` holds the output to it. */
export const CPL_LINE_GRAMMAR: readonly RegExp[] = [
  new RegExp(`^(?:${COMMENT})?$`),
  new RegExp(`^define (subnet|condition) ${LABEL}$`),
  new RegExp(`^end (subnet|condition) ${LABEL}$`),
  /^ {4}[0-9a-f.:]+(?:\/[0-9]+)?$/,
  new RegExp(
    `^ {4}(?:url\\.host\\.exact=${LDH}|url\\.host\\.suffix=\\.${LDH}|url\\.domain=${LDH})$`,
  ),
  /^<(?:Proxy|SSL)>$/,
  new RegExp(`^ {4}client\\.address=${LABEL} access_log\\.[A-Za-z][A-Za-z0-9_-]*\\(no\\)$`),
  new RegExp(`^ {4}condition=${LABEL} server\\.certificate\\.validate\\(no\\)$`),
  new RegExp(`^ {4}server\\.certificate\\.hostname(?:\\.exact)?=\\.?${LDH} deny$`),
];

const comment = (line: string): string => (line === '' ? '' : `; ${line}`);

interface ParsedRule<T> {
  readonly planned: PlannedRule;
  readonly values: readonly { readonly text: string; readonly parsed: T }[];
}

export function exportCpl(set: FilterSet, options: ExportOptions): Result<string, UserError[]> {
  const errors: UserError[] = [];
  const { logName } = resolveOptions([LOG_NAME_OPTION], options, errors);
  const plan = planExport(set, CPL_CAPABILITIES, errors);
  if (errors.length > 0) return err(errors);

  const hide: ParsedRule<IpSpec>[] = [];
  const trust: ParsedRule<HostPattern>[] = [];
  const block: ParsedRule<HostPattern>[] = [];
  for (const planned of plan.rules) {
    const { rule } = planned;
    if (rule.action === 'hide') {
      const values = (rule.when.srcIp ?? []).flatMap((text) => {
        const spec = parseIpSpec(text);
        if (spec.ok) return [{ text, parsed: spec.value }];
        errors.push(invalidValueError(rule.id, 'srcIp', text, spec.error));
        return [];
      });
      hide.push({ planned, values });
    } else {
      const values = (rule.when.certHost ?? []).flatMap((text) => {
        const pattern = parseHostPattern(text);
        if (!pattern.ok) {
          errors.push(invalidValueError(rule.id, 'certHost', text, pattern.error));
          return [];
        }
        // A trust pattern over a whole top-level domain would switch validation off for much of
        // the web: almost certainly a mistake (or a value a log line put there).
        if (
          rule.action === 'trust' &&
          pattern.value.kind !== 'exact' &&
          !pattern.value.name.includes('.')
        ) {
          errors.push(
            invalidValueError(rule.id, 'certHost', text, {
              reason: 'would turn certificate validation off for a whole top-level domain',
              hint: 'Name the hosts, or a domain of at least two labels (.example.com).',
            }),
          );
          return [];
        }
        return [{ text, parsed: pattern.value }];
      });
      (rule.action === 'trust' ? trust : block).push({ planned, values });
    }
  }
  if (errors.length > 0) return err(errors);

  const label = labelAllocator();
  const lines = [
    'LogSieve export: Blue Coat ProxySG policy (CPL)',
    `Filter set: ${plan.name}`,
    '',
    'Where: the Local policy file, or a CPL layer in the Visual Policy Manager. Installing policy',
    'compiles all policy files together; if the compiler reports any error, the new file is not',
    'installed and the policy in force stays unchanged, so read the compiler output.',
    'Lines marked UNVERIFIED use CPL whose exact behaviour LogSieve could not confirm from',
    "Blue Coat's documentation; check them in a test policy first.",
  ].map(comment);

  if (hide.length > 0) {
    const proxyLines: string[] = [];
    lines.push(
      '',
      comment(`Hidden sources: access log "${logName}" is turned off for them (other logs are`),
    );
    lines.push(comment('left alone). Log names are site configuration: check it with --log-name.'));
    for (const { planned, values } of hide) {
      lines.push('', comment(ruleHeading(planned)));
      for (const family of [4, 6] as const) {
        // IPv6 values that cover IPv4-mapped addresses also go into the IPv4 block as IPv4.
        const ofFamily =
          family === 4
            ? values.flatMap(({ text, parsed }) => {
                if (parsed.family === 4) return [{ text, range: parsed }];
                const mapped = mappedIpv4Part(parsed);
                return mapped ? [{ text: `${text} as IPv4`, range: mapped }] : [];
              })
            : values
                .filter((v) => v.parsed.family === 6)
                .map(({ text, parsed }) => ({ text, range: parsed }));
        if (ofFamily.length === 0) continue;
        const subnet = label(planned.rule.id, family === 6 ? '_ipv6' : '');
        // A blank line between the IPv4 and the IPv6 block of one rule.
        if (lines[lines.length - 1]?.startsWith('end subnet')) lines.push('');
        lines.push(comment(ofFamily.map((v) => v.text).join(', ')));
        if (family === 6) {
          lines.push(
            comment(
              'UNVERIFIED: IPv6 entries in define subnet (the CPL guide shows IPv4 only). If the',
            ),
          );
          lines.push(
            comment(`compiler refuses them, remove this block and the line that uses ${subnet}.`),
          );
        }
        lines.push(`define subnet ${subnet}`);
        for (const { range } of ofFamily) {
          for (const cidr of rangeToCidrs(range)) lines.push(`    ${subnetEntry(cidr)}`);
        }
        lines.push(`end subnet ${subnet}`);
        proxyLines.push(`    client.address=${subnet} access_log.${logName}(no)`);
      }
    }
    lines.push('', '<Proxy>', ...proxyLines);
  }

  if (trust.length > 0) {
    const sslLines: string[] = [];
    const usesUrlHost = trust.some(({ values }) => values.some((v) => v.parsed.kind !== 'domain'));
    lines.push(
      '',
      comment('Trusted hosts: server-certificate validation is turned off for these hosts only;'),
    );
    lines.push(comment('every other host keeps it on.'));
    if (usesUrlHost) {
      lines.push(
        comment(
          'UNVERIFIED: url.host.exact= and url.host.suffix= in an <SSL> layer; Broadcom KB 169432',
        ),
      );
      lines.push(
        comment(
          'shows url.domain= there. If the compiler refuses them, the policy is not installed.',
        ),
      );
    }
    for (const { planned, values } of trust) {
      const condition = label(planned.rule.id);
      lines.push('', comment(ruleHeading(planned)), comment(values.map((v) => v.text).join(', ')));
      lines.push(`define condition ${condition}`);
      for (const { parsed } of values) lines.push(`    ${trustCondition(parsed)}`);
      lines.push(`end condition ${condition}`);
      sslLines.push(`    condition=${condition} server.certificate.validate(no)`);
    }
    lines.push('', '<SSL>', ...sslLines);
  }

  if (block.length > 0) {
    lines.push(
      '',
      comment('Blocked certificate hosts: connections to servers whose certificate names them are'),
    );
    lines.push(comment('denied.'));
    if (block.some(({ values }) => values.some((v) => v.parsed.kind !== 'exact'))) {
      lines.push(
        comment(
          'UNVERIFIED: server.certificate.hostname=.DOMAIN is documented only as a domain match',
        ),
      );
      lines.push(
        comment(
          '(Broadcom KB 165956); LogSieve reads it as "names below DOMAIN, on label boundaries".',
        ),
      );
    }
    lines.push('', '<SSL>');
    for (const { planned, values } of block) {
      lines.push(`    ${comment(ruleHeading(planned))}`);
      for (const { parsed } of values) {
        for (const condition of blockConditions(parsed)) lines.push(`    ${condition} deny`);
      }
    }
  }

  lines.push(...omissionLines(plan, hide.length + trust.length + block.length).map(comment));
  const text = `${lines.join('\n')}\n`;
  assertLinesFit('cpl', text, CPL_LINE_GRAMMAR);
  return ok(text);
}

export const CPL_TARGET: ExportTarget = {
  id: 'cpl',
  title: 'Blue Coat ProxySG policy (CPL)',
  description:
    'define subnet blocks and a <Proxy> layer that turns an access log off for hidden sources; <SSL> layers for trusted (no validation) and blocked certificate hosts.',
  fileExtension: '.cpl',
  options: [LOG_NAME_OPTION],
  export: exportCpl,
};
