/**
 * `logsieve groups FILE... --by KEY [--filters SET.json] [--limit N] [--json]`: count records per
 * source IP, certificate host, host, code, tag, source, level or named field. The JSON shape is a
 * contract that scripts depend on: fields may be added, never renamed or dropped.
 */
import type { GroupKeySpec, GroupsResult } from '../../shared/api';
import { isGroupField } from '../../shared/query/groups';
import type { CliCommand } from './command';
import { EXIT_FAILED, EXIT_OK, UsageError } from './command';
import {
  createCliSession,
  formatArgument,
  iso,
  nonNegativeInteger,
  openAndLoad,
  parse,
  unreadable,
} from './common';
import { readFilterSet } from './filter-file';
import { MAX_GROUP_LIMIT } from '../session/view';

const USAGE = `Usage: logsieve groups FILE... --by KEY [--filters SET.json] [--limit N] [--roll-up R] [--format ID] [--json]

Counts the records of the files per value of KEY, most frequent first (then by key).
  --by KEY         src-ip, cert-host, host, code, tag, source, level or field:NAME
  --filters FILE   apply the enabled rules of this filter set: counts are of visible records
  --limit N        print at most N groups (default: all, up to ${MAX_GROUP_LIMIT})
  --roll-up R      src-ip by network (24, 16 for IPv4; 48, 64 for IPv6),
                   host and cert-host by registered domain (domain)
  --format ID      read every file as this format instead of detecting it
  --json           print {"by","total","visible","hidden","groups":[{"key","count","first","last"}]}
Exit code: 0 when every file was read, 1 when a file or the filter set could not be read, 2 on bad usage.`;

function rollUp(by: string, value: string | undefined): Partial<GroupKeySpec> {
  if (value === undefined) return {};
  if (by === 'src-ip' && (value === '24' || value === '16'))
    return { ipv4Prefix: Number(value) as 16 | 24 };
  if (by === 'src-ip' && (value === '48' || value === '64'))
    return { ipv6Prefix: Number(value) as 48 | 64 };
  if ((by === 'host' || by === 'cert-host') && value === 'domain')
    return { registeredDomain: true };
  throw new UsageError(
    `--roll-up ${value} does not apply to --by ${by}: src-ip takes 24, 16, 48 or 64; host and cert-host take domain.`,
  );
}

export function groupsJson(result: GroupsResult) {
  return {
    by: result.by,
    total: result.total,
    visible: result.visible,
    hidden: result.hidden,
    totalGroups: result.totalGroups,
    groups: result.groups.map((g) => ({
      key: g.key,
      count: g.count,
      first: iso(g.first),
      last: iso(g.last),
      share: g.share,
      hidden: g.hidden,
    })),
  };
}

function human(result: GroupsResult): string {
  const width = Math.max(5, ...result.groups.map((g) => (g.key ?? '(none)').length));
  const lines = [
    `${result.visible.toLocaleString('en-US')} of ${result.total.toLocaleString('en-US')} records shown, ${result.totalGroups.toLocaleString('en-US')} groups by ${result.by}`,
    `${'KEY'.padEnd(width)}  ${'COUNT'.padStart(10)}  SHARE   FIRST                     LAST`,
  ];
  for (const g of result.groups)
    lines.push(
      `${(g.key ?? '(none)').padEnd(width)}  ${g.count.toLocaleString('en-US').padStart(10)}  ${(g.share * 100).toFixed(1).padStart(5)}%  ${(iso(g.first) ?? '-').padEnd(24)}  ${iso(g.last) ?? '-'}`,
    );
  return lines.join('\n');
}

export const groupsCommand: CliCommand = {
  name: 'groups',
  summary: 'count records per source IP, certificate host, code, tag or field',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      by: { type: 'string' },
      filters: { type: 'string' },
      limit: { type: 'string' },
      'roll-up': { type: 'string' },
      format: { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    if (positionals.length === 0) throw new UsageError('groups needs at least one FILE.');
    const by = values.by;
    if (by === undefined) throw new UsageError('groups needs --by KEY.');
    if (!isGroupField(by))
      throw new UsageError(
        `Cannot group by "${by}": use src-ip, cert-host, host, code, tag, source, level or field:NAME.`,
      );
    const limit = nonNegativeInteger(values.limit, 'limit', MAX_GROUP_LIMIT);
    if (limit < 1 || limit > MAX_GROUP_LIMIT)
      throw new UsageError(`--limit is a whole number from 1 to ${MAX_GROUP_LIMIT}.`);
    const spec: GroupKeySpec = { by, ...rollUp(by, values['roll-up']) };
    const format = formatArgument(values.format);
    const filters = values.filters === undefined ? null : await readFilterSet(values.filters, io);
    if (values.filters !== undefined && filters === null) return EXIT_FAILED;
    const session = createCliSession();
    try {
      const files = await openAndLoad(session, positionals, format);
      await session.setView({
        filters,
        mode: filters === null ? 'all' : 'visible',
        groups: null,
        window: null,
      });
      const result = await session.groups({ ...spec, limit, sparkline: 0 });
      io.stdout((values.json ? JSON.stringify(groupsJson(result)) : human(result)) + '\n');
      return files.some(unreadable) ? EXIT_FAILED : EXIT_OK;
    } finally {
      await session.close();
    }
  },
};
