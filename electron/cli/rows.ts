/**
 * `logsieve rows FILE [--format ID] [--offset N] [--limit N] [--json]`: print records. With
 * --json, one JSON object per line per record, a contract scripts depend on:
 * {"line","offset","time","srcIp","code","level","source","certHost","host","message","flags":[],"fields":{}}
 */
import type { RecordDetail } from '../../shared/api';
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
  writer,
} from './common';

const USAGE = `Usage: logsieve rows FILE [--format ID] [--offset N] [--limit N] [--json]

Prints the records of FILE in file order.
  --format ID   read the file as this format instead of detecting it
  --offset N    skip the first N records (default 0)
  --limit N     print at most N records (default: all)
  --json        one JSON object per record and line:
                {"line","offset","time","srcIp","code","level","source","certHost","host","message","flags":[],"fields":{}}
                (line is 1-based, offset is the record's byte offset in the file, time is ISO-8601 UTC;
                absent values are null)
Exit code: 0 on success, 1 when the file could not be read (the problem goes to stderr), 2 on bad usage.`;

const BATCH = 500;

function recordJson(r: RecordDetail) {
  return {
    line: r.line,
    offset: r.offset,
    time: iso(r.time),
    srcIp: r.srcIp,
    code: r.code,
    level: r.level,
    source: r.source,
    certHost: r.certHost,
    host: r.host,
    message: r.message,
    flags: r.flags.map((f) => f.id),
    tags: r.tags.map((t) => t.id),
    fields: Object.fromEntries(r.fields),
    lastLine: r.lastLine,
    record: r.record,
    notes: r.notes,
  };
}

export const rowsCommand: CliCommand = {
  name: 'rows',
  summary: 'print the records of a file (as JSON lines with --json)',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      format: { type: 'string' },
      offset: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    if (positionals.length !== 1) throw new UsageError('rows needs exactly one FILE.');
    const format = formatArgument(values.format);
    const offset = nonNegativeInteger(values.offset, 'offset', 0);
    const limit = nonNegativeInteger(values.limit, 'limit', Infinity);
    const session = createCliSession();
    try {
      const [file] = await openAndLoad(session, positionals, format);
      if (file === undefined) throw new UsageError('rows needs exactly one FILE.');
      for (const problem of file.errors)
        io.stderr(`${file.name}: ${problem.message}${problem.hint ? ` ${problem.hint}` : ''}\n`);
      if (unreadable(file)) return EXIT_FAILED;
      const write = writer((text) => process.stdout.write(text));
      const end = Math.min(file.records, offset + limit);
      for (let at = offset; at < end; at += BATCH) {
        const batch = await session.records(file.id, at, Math.min(BATCH, end - at));
        const text = batch
          .map((r) => (values.json ? JSON.stringify(recordJson(r)) : `${r.line}: ${r.raw}`))
          .join('\n');
        await write(text + '\n');
      }
      return EXIT_OK;
    } finally {
      await session.close();
    }
  },
};
