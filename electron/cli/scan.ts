/**
 * `logsieve scan FILE... [--format ID] [--json]`: read files and summarise them. The JSON shape is
 * a contract that scripts depend on: fields may be added, never renamed or dropped.
 */
import { join } from 'node:path';
import type { FileSummary } from '../../shared/api';
import type { CliCommand } from './command';
import { EXIT_FAILED, EXIT_OK, UsageError } from './command';
import { createCliSession, formatArgument, iso, openAndLoad, parse, unreadable } from './common';
import { findingsOf } from './findings';

const USAGE = `Usage: logsieve scan FILE... [--format ID] [--json]

Reads each file (or the log files in each folder) and prints, per file, its format, size,
records, how many parsed and how many were flagged, the first and last time, and any problems.
  --format ID   read every file as this format instead of detecting it
  --json        print one JSON object:
                {"files":[{"path","format","bytes","records","parsed","flagged","first","last","errors":[]}],"tags":{},"findings":[]}
                each finding: {"kind","tag","code","match","count","share","periodSeconds",
                "jitterSeconds","first","last","title","explanation","remedy","rules":[],"file"}
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

export const scanCommand: CliCommand = {
  name: 'scan',
  summary: 'read files and summarise them (format, records, parsed/flagged, time range)',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      format: { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    if (positionals.length === 0) throw new UsageError('scan needs at least one FILE.');
    const format = formatArgument(values.format);
    const session = createCliSession();
    try {
      const files = await openAndLoad(session, positionals, format);
      const tags: Record<string, number> = {};
      for (const file of files)
        for (const [id, n] of Object.entries(file.tags)) tags[id] = (tags[id] ?? 0) + n;
      if (values.json) {
        const findings = await findingsOf(session, files);
        io.stdout(JSON.stringify({ files: files.map(fileJson), tags, findings }) + '\n');
      } else io.stdout(files.map(human).join('\n\n') + '\n');
      return files.some(unreadable) ? EXIT_FAILED : EXIT_OK;
    } finally {
      await session.close();
    }
  },
};
