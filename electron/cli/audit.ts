/**
 * `logsieve audit FILE [--json]`: what the client-address exclusions already deployed in an
 * httpd.conf or ProxySG policy really match. The JSON shape is a contract scripts depend on.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  auditConfiguration,
  auditReportToJson,
  type AuditedDirective,
} from '../../shared/audit/audit';
import { formatCount } from '../../shared/display';
import { formatRange } from '../../shared/net/range';
import type { CliCommand } from './command';
import { EXIT_FAILED, EXIT_OK, UsageError } from './command';
import { parse } from './common';

const USAGE = `Usage: logsieve audit FILE [--json]

Reads an Apache httpd.conf (SetEnvIf, SetEnvIfNoCase and SetEnvIfExpr on Remote_Addr) or ProxySG
policy (define subnet, client.address=) and reports for each directive how many IPv4 addresses it
matches and which, what is wrong with it (not anchored, unescaped dot, substring match, host bits,
...) and the exact replacement.
  --json  print {"directives":[{"line","text","matches","ranges":["a-b"],"problems":[],"exact"}]}
          matches: IPv4 addresses matched, or null when the directive cannot be evaluated (a
          problem says why); ranges: the matched ranges, IPv4 first, then IPv6; exact: the
          replacement line(s), or null.
Exit code: 0 nothing wrong was found; 1 a directive has problems or the file could not be read;
2 bad usage. The report is printed in both of the first two cases.`;

const MAX_RANGES_SHOWN = 12;

/** Control characters from the file are shown escaped, never sent to the terminal. */
const printable = (text: string): string =>
  text.replace(/[^\x20-\x7e]/gu, (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`);

function human(file: string, d: AuditedDirective): string {
  const [first = '', ...more] = d.text.split('\n');
  const lines = [
    `${file} line ${d.line}: ${printable(first)}`,
    ...more.map((l) => `    ${printable(l)}`),
  ];
  if (d.matches !== null) {
    const shown = d.ranges.slice(0, MAX_RANGES_SHOWN).map(formatRange);
    const hidden = d.ranges.length - shown.length;
    const rest =
      hidden > 0 || !d.rangesComplete
        ? `, and ${d.rangesComplete ? `${hidden} more ranges` : 'more'}`
        : '';
    lines.push(
      `  matches  ${formatCount(d.matches)} IPv4 address${d.matches === 1 ? '' : 'es'}${shown.length > 0 ? `: ${shown.join(', ')}${rest}` : ''}`,
    );
  }
  for (const problem of d.problems) lines.push(`  problem  ${printable(problem)}`);
  if (d.exact !== null) {
    const [head = '', ...tail] = d.exact.split('\n');
    lines.push(`  exact    ${head}`, ...tail.map((l) => `           ${l}`));
  }
  return lines.join('\n');
}

export const auditCommand: CliCommand = {
  name: 'audit',
  summary: 'check what the address exclusions in an httpd.conf or ProxySG policy really match',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parse(argv, { json: { type: 'boolean', default: false } });
    if (positionals.length !== 1) throw new UsageError('audit needs exactly one FILE.');
    const file = positionals[0] ?? '';
    let text: string;
    try {
      text = await readFile(resolve(io.cwd, file), 'utf8');
    } catch (error) {
      io.stderr(
        `${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)}).\n`,
      );
      return EXIT_FAILED;
    }
    const report = auditConfiguration(text);
    if (values.json) {
      io.stdout(`${JSON.stringify(auditReportToJson(report), null, 2)}\n`);
    } else if (report.directives.length === 0) {
      io.stdout(
        report.format === 'cpl'
          ? `${file}: no define subnet or client.address= found.\n`
          : `${file}: no SetEnvIf, SetEnvIfNoCase or SetEnvIfExpr on Remote_Addr found.\n`,
      );
    } else {
      io.stdout(`${report.directives.map((d) => human(file, d)).join('\n\n')}\n`);
    }
    return report.directives.some((d) => d.problems.length > 0) ? EXIT_FAILED : EXIT_OK;
  },
};
