import { formatCount } from '../display';
import type { FilterSet } from '../filters/model';
import { ipv4RangeRegex } from '../net/ipv4-regex';
import {
  describeRange,
  formatCidr,
  mappedIpv4Part,
  parseIpSpec,
  rangeSize,
  rangeToCidrs,
  type IpSpec,
} from '../net/range';
import { err, ok, type Result, type UserError } from '../result';
import {
  assertLinesFit,
  ENV_OPTION,
  invalidValueError,
  omissionLines,
  planExport,
  resolveOptions,
  ruleHeading,
  type Capabilities,
  type ExportOptions,
  type ExportPlan,
  type ExportTarget,
  type PlannedRule,
} from './common';

/**
 * Apache httpd exports. Both targets only *set an environment variable* for the hidden client
 * addresses; the access log must test it (`CustomLog … env=!nolog`). That line is written as a
 * comment, not a directive: the admin's CustomLog already exists and has its own file and format.
 *
 * `httpd` writes `SetEnvIf Remote_Addr` regular expressions (every Apache 2.x and Citrix Secure
 * Gateway, whose embedded Apache is probably 2.0 and has no SetEnvIfExpr). `httpd24` writes
 * `SetEnvIfExpr` with `-R`, which does exact CIDR maths, IPv6 included.
 */

const HTTPD_CAPABILITIES: Capabilities = {
  hide: { keys: ['srcIp'] },
  trust: {
    unsupported:
      'certificate-validation exceptions are proxy policy, not Apache logging; use the cpl target',
  },
  block: {
    unsupported:
      'blocking by certificate host is proxy policy, not Apache logging; use the cpl target',
  },
};

interface AddressValue {
  readonly text: string;
  readonly spec: IpSpec;
}

/** Each planned rule with its parsed addresses; a value that does not parse is an error. */
function addressesOf(plan: ExportPlan, errors: UserError[]): Map<string, AddressValue[]> {
  const byRule = new Map<string, AddressValue[]>();
  for (const { rule } of plan.rules) {
    const values: AddressValue[] = [];
    for (const text of rule.when.srcIp ?? []) {
      const spec = parseIpSpec(text);
      if (spec.ok) values.push({ text, spec: spec.value });
      else errors.push(invalidValueError(rule.id, 'srcIp', text, spec.error));
    }
    byRule.set(rule.id, values);
  }
  return byRule;
}

/** What sets the two httpd targets' exports apart; the rest of an export is {@link exportFor}. */
interface HttpdDialect {
  readonly targetId: 'httpd' | 'httpd24';
  readonly title: string;
  /** Where the lines go and which Apache reads them, after the common "Where:" line. */
  readonly where: readonly string[];
  /** How the directives match client addresses, after the common header. */
  readonly method: readonly string[];
  /** Every line the export may contain (see {@link assertLinesFit}). */
  readonly grammar: readonly RegExp[];
  /**
   * The lines of one rule below its heading; none when the rule has nothing this target writes.
   * What it cannot write of a rule goes to the plan's omissions.
   */
  ruleLines(
    planned: PlannedRule,
    values: readonly AddressValue[],
    env: string,
    plan: ExportPlan,
  ): string[];
}

function header(dialect: HttpdDialect, plan: ExportPlan, env: string): string[] {
  return [
    `LogSieve export: ${dialect.title}`,
    `Filter set: ${plan.name}`,
    '',
    'Where: in httpd.conf at server level, before the CustomLog line of the access log to filter.',
    ...dialect.where,
    `These lines only set the environment variable "${env}". Every access log that should drop these`,
    `requests must test it with env=!${env}, for example:`,
    `  CustomLog logs/access.log common env=!${env}`,
    'Error logs and CustomLog lines without the env= clause are not affected.',
    'Check the configuration before restarting Apache: apachectl -t',
    ...dialect.method,
  ];
}

const comment = (line: string): string => (line === '' ? '' : `# ${line}`);

// Every line an httpd export can contain. `assertLinesFit` holds the output to it.
const COMMENT_LINE = /^(?:# (?!.*\$\{)[\x20-\x5b\x5d-\x7e]*)?$/;
const ENV_NAME = '[A-Za-z_][A-Za-z0-9_]*';
export const HTTPD_LINE_GRAMMAR: readonly RegExp[] = [
  COMMENT_LINE,
  new RegExp(`^SetEnvIf Remote_Addr "\\^[0-9.\\\\()|\\[\\]?-]+\\$" ${ENV_NAME}$`),
];
export const HTTPD24_LINE_GRAMMAR: readonly RegExp[] = [
  COMMENT_LINE,
  new RegExp(
    `^SetEnvIfExpr "-R '[0-9a-f.:]+/[0-9]+'(?: \\|\\| -R '[0-9a-f.:]+/[0-9]+')*" ${ENV_NAME}$`,
  ),
];

/** The export of `set` in `dialect`: header, one block per rule it can write, what it left out. */
function exportFor(
  dialect: HttpdDialect,
  set: FilterSet,
  options: ExportOptions,
): Result<string, UserError[]> {
  const errors: UserError[] = [];
  const { env } = resolveOptions([ENV_OPTION], options, errors);
  const plan = planExport(set, HTTPD_CAPABILITIES, errors);
  if (errors.length > 0) return err(errors);
  const addresses = addressesOf(plan, errors);
  if (errors.length > 0) return err(errors);

  const lines = header(dialect, plan, env).map(comment);
  let written = 0;
  for (const planned of plan.rules) {
    const values = addresses.get(planned.rule.id) ?? [];
    const ruleLines = dialect.ruleLines(planned, values, env, plan);
    if (ruleLines.length === 0) continue;
    written += 1;
    lines.push('', comment(ruleHeading(planned)), ...ruleLines);
  }
  lines.push(...omissionLines(plan, written).map(comment));
  const text = `${lines.join('\n')}\n`;
  assertLinesFit(dialect.targetId, text, dialect.grammar);
  return ok(text);
}

const HTTPD: HttpdDialect = {
  targetId: 'httpd',
  title: 'Apache httpd 2.0/2.2/2.4 and Citrix Secure Gateway (SetEnvIf)',
  where: [
    'Citrix Secure Gateway: the hidden httpd.conf in the conf folder of its install directory, just',
    `above the comment "Do not log GIF's & requests from localhost"; then restart the gateway with`,
    'its Configuration Wizard.',
  ],
  method: [
    'Each pattern matches exactly the addresses named above it: dots escaped, anchored at',
    'both ends, no leading zeros (never the loose ^172.16.1. form). Clients that Apache would',
    'show as IPv4-mapped IPv6 text (::ffff:a.b.c.d) are not matched; APR normally shows them',
    'as plain IPv4 (UNVERIFIED for every platform).',
  ],
  grammar: HTTPD_LINE_GRAMMAR,
  ruleLines(planned, values, env, plan) {
    const ruleLines: string[] = [];
    for (const { text, spec } of values) {
      const ipv4 = spec.family === 4 ? spec : mappedIpv4Part(spec);
      if (ipv4) {
        const size = rangeSize(ipv4);
        const shown = spec.family === 4 ? text : `${text} as IPv4: ${describeRange(ipv4)}`;
        ruleLines.push(
          comment(`${shown} (${formatCount(size)} address${size === 1n ? '' : 'es'})`),
        );
        ruleLines.push(
          `SetEnvIf Remote_Addr "${ipv4RangeRegex(Number(ipv4.first), Number(ipv4.last))}" ${env}`,
        );
      }
      if (spec.family === 6 && (ipv4 === null || rangeSize(ipv4) < rangeSize(spec))) {
        plan.omissions.push({
          ruleId: planned.rule.id,
          action: planned.rule.action,
          reason: `IPv6 ${text}${ipv4 ? ' beyond its IPv4-mapped part' : ''}: these patterns cover IPv4 only; the httpd24 target writes IPv6 exactly with -R`,
        });
      }
    }
    return ruleLines;
  },
};

/** Apache reads config lines of up to 8 KiB; 16 terms keep every line far below that. */
const MAX_TERMS_PER_LINE = 16;

const HTTPD24: HttpdDialect = {
  targetId: 'httpd24',
  title: 'Apache httpd 2.4 (SetEnvIfExpr with -R, IPv4 and IPv6)',
  where: [
    'Apache 2.4 only (SetEnvIfExpr does not exist in 2.0/2.2). Citrix Secure Gateway embeds an older',
    'Apache (version UNVERIFIED, probably 2.0): use the httpd target there.',
  ],
  method: [
    '-R tests the client address against a network exactly; ranges are written as the',
    'fewest networks that cover exactly the range. IPv6 values that cover IPv4-mapped',
    'addresses (::ffff:a.b.c.d) get the same IPv4 networks too: Apache matches IPv4 networks',
    'against both forms of a client address, IPv6 networks against neither.',
  ],
  grammar: HTTPD24_LINE_GRAMMAR,
  ruleLines(_planned, values, env) {
    if (values.length === 0) return [];
    const ruleLines = [comment(values.map((v) => v.text).join(', '))];
    const terms = values.flatMap(({ spec }) => {
      const mapped = mappedIpv4Part(spec);
      return [...rangeToCidrs(spec), ...(mapped ? rangeToCidrs(mapped) : [])].map(
        (cidr) => `-R '${formatCidr(cidr)}'`,
      );
    });
    for (let start = 0; start < terms.length; start += MAX_TERMS_PER_LINE) {
      ruleLines.push(
        `SetEnvIfExpr "${terms.slice(start, start + MAX_TERMS_PER_LINE).join(' || ')}" ${env}`,
      );
    }
    return ruleLines;
  },
};

export function exportHttpd(set: FilterSet, options: ExportOptions): Result<string, UserError[]> {
  return exportFor(HTTPD, set, options);
}

export function exportHttpd24(set: FilterSet, options: ExportOptions): Result<string, UserError[]> {
  return exportFor(HTTPD24, set, options);
}

export const HTTPD_TARGET: ExportTarget = {
  id: 'httpd',
  title: 'Apache httpd / Citrix Secure Gateway (SetEnvIf)',
  description:
    'SetEnvIf Remote_Addr lines with exact, anchored regular expressions for IPv4 sources. Works with Apache 2.0, 2.2 and 2.4 and with Citrix Secure Gateway.',
  fileExtension: '.conf',
  options: [ENV_OPTION],
  export: exportHttpd,
};

export const HTTPD24_TARGET: ExportTarget = {
  id: 'httpd24',
  title: 'Apache httpd 2.4 (SetEnvIfExpr -R)',
  description:
    'SetEnvIfExpr lines with -R network tests: exact CIDR maths, IPv4 and IPv6. Apache 2.4 only.',
  fileExtension: '.conf',
  options: [ENV_OPTION],
  export: exportHttpd24,
};
