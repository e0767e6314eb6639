/**
 * `logsieve scan FILE... [--format ID] [--json]`: read files and summarise them. The JSON shape is
 * a contract that scripts depend on: fields may be added, never renamed or dropped.
 */
import { join } from 'node:path';
import type { FileSummary, FilterSummary } from '../../shared/api';
import type { CliCommand } from './command';
import { EXIT_FAILED, EXIT_OK, UsageError } from './command';
import { createCliSession, formatArgument, iso, openAndLoad, parse, unreadable } from './common';
import { readFilterSet } from './filter-file';
import { findingsOf } from './findings';

const USAGE = `Usage: logsieve scan FILE... [--format ID] [--filters SET.json] [--json]

Reads each file (or the log files in each folder) and prints, per file, its format, size,
records, how many parsed and how many were flagged, the first and last time, and any problems.
  --format ID     read every file as this format instead of detecting it
  --filters FILE  also count what the enabled rules of this filter set hide, per rule
  --json          print one JSON object:
                  {"files":[{"path","format","bytes","records","parsed","flagged","first","last","errors":[]}],
                   "tags":{},"findings":[],"filters":{"visible","hidden","rules":[{"id","hidden","hiddenOnly"}]}}
                  ("filters" only with --filters)
                  each finding: {"kind","tag","code","match","count","share","periodSeconds",
                  "jitterSeconds","first","last","title","explanation","remedy","rules":[],"file",
                  "links":[{"fileId","file","name","index","kind","tag","code","match",
                  "periodSeconds","title","why","reason"}]}
                  (links: findings of the other files that line up with it; "index" is its
                  position among the findings whose "file" is the link's "file")
Exit code: 0 when every file was read, 1 when a file could not be read, 2 on bad usage.`;

function fileJson(file: FileSummary) {
  return {
    path: file.location === null ? file.name : join(file.location, file.name),
    format: file.format,
    detectedFormat: file.detectedFormat,
    encoding: file.encoding,
    bytes: file.size,
    records: file.records,
    parsed: file.parsed,
    flagged: file.flagged,
    first: iso(file.firstTime),
    last: iso(file.lastTime),
    indexBytes: file.indexBytes,
    state: file.state,
    errors: file.errors.map((e) => ({
      code: e.code,
      message: e.message,
      ...(e.hint ? { hint: e.hint } : {}),
    })),
    tags: file.tags,
  };
}

function human(file: FileSummary): string {
  const lines = [
    file.location === null ? file.name : join(file.location, file.name),
    `  format   ${file.format ?? 'none'}${file.formatOverridden ? ` (detected: ${file.detectedFormat ?? 'none'})` : ''}`,
    `  size     ${file.size.toLocaleString('en-US')} bytes`,
    `  records  ${file.records.toLocaleString('en-US')} (${file.parsed.toLocaleString('en-US')} parsed, ${file.flagged.toLocaleString('en-US')} flagged)`,
    `  time     ${iso(file.firstTime) ?? '-'} .. ${iso(file.lastTime) ?? '-'}`,
  ];
  for (const e of file.errors) lines.push(`  problem  ${e.message}${e.hint ? ` ${e.hint}` : ''}`);
  return lines.join('\n');
}

function humanFilters(filters: FilterSummary): string {
  const n = (x: number) => x.toLocaleString('en-US');
  return [
    `filters  ${n(filters.visible)} of ${n(filters.total)} records visible, ${n(filters.hidden)} hidden`,
    ...filters.rules.map(
      (r) =>
        `  rule ${r.id}: hides ${n(r.hidden)} (${n(r.hiddenOnly)} only by this rule), matches ${n(r.matches)}`,
    ),
  ].join('\n');
}

export const scanCommand: CliCommand = {
  name: 'scan',
  summary: 'read files and summarise them (format, records, parsed/flagged, time range)',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      format: { type: 'string' },
      filters: { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    if (positionals.length === 0) throw new UsageError('scan needs at least one FILE.');
    const format = formatArgument(values.format);
    const filterSet = values.filters === undefined ? null : await readFilterSet(values.filters, io);
    if (values.filters !== undefined && filterSet === null) return EXIT_FAILED;
    const session = createCliSession();
    try {
      const files = await openAndLoad(session, positionals, format);
      const tags: Record<string, number> = {};
      for (const file of files)
        for (const [id, n] of Object.entries(file.tags)) tags[id] = (tags[id] ?? 0) + n;
      const filters =
        filterSet === null
          ? null
          : await session.setView({
              filters: filterSet,
              mode: 'visible',
              groups: null,
              window: null,
            });
      const filtersJson =
        filters === null
          ? {}
          : {
              filters: {
                total: filters.total,
                visible: filters.visible,
                hidden: filters.hidden,
                marked: filters.marked,
                rules: filters.rules.map((r) => ({
                  id: r.id,
                  hidden: r.hidden,
                  hiddenOnly: r.hiddenOnly,
                  matches: r.matches,
                  marked: r.marked,
                })),
              },
            };
      if (values.json) {
        const findings = await findingsOf(session, files);
        io.stdout(
          JSON.stringify({ files: files.map(fileJson), tags, findings, ...filtersJson }) + '\n',
        );
      } else {
        const out = files.map(human);
        if (filters !== null) out.push(humanFilters(filters));
        io.stdout(out.join('\n\n') + '\n');
      }
      return files.some(unreadable) ? EXIT_FAILED : EXIT_OK;
    } finally {
      await session.close();
    }
  },
};
