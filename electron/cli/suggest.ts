/**
 * `logsieve suggest FILE... [--min-share X] [--format ID] [--name NAME]`: a complete filter set
 * built from the files' findings, in the saved-file format `export --filters` reads.
 */
import { serializeFilterSet } from '../../shared/filters/persist';
import { DEFAULT_MIN_SHARE, suggestFilterSet } from '../../shared/findings/suggest';
import type { CliCommand } from './command';
import { EXIT_FAILED, EXIT_OK, UsageError } from './command';
import { createCliSession, formatArgument, openAndLoad, parse, unreadable } from './common';
import { findingsOf } from './findings';

const USAGE = `Usage: logsieve suggest FILE... [--min-share X] [--format ID] [--name NAME]

Reads each file, finds its noise (periodic sources, recurring bursts, dominant sources,
certificate hosts) and prints a filter set (.logsieve-filters.json) with the rules that hide it,
ready for 'logsieve export --filters SET.json'. Certificate-host rules are written disabled:
trusting a host is your decision.
  --min-share X  leave out findings that explain less than X (0-1) of their signature
                 (default ${DEFAULT_MIN_SHARE})
  --format ID    read every file as this format instead of detecting it
  --name NAME    the filter set's name (default: Suggested from findings)
Exit code: 0 when every file was read, 1 when a file could not be read (the set of the others
still comes), 2 on bad usage.`;

function share(value: string | undefined): number {
  if (value === undefined) return DEFAULT_MIN_SHARE;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1)
    throw new UsageError(`--min-share needs a number from 0 to 1, not "${value}".`);
  return n;
}

export const suggestCommand: CliCommand = {
  name: 'suggest',
  summary: "print a filter set that hides the files' findings (for export)",
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      'min-share': { type: 'string' },
      format: { type: 'string' },
      name: { type: 'string' },
    });
    if (positionals.length === 0) throw new UsageError('suggest needs at least one FILE.');
    const minShare = share(values['min-share']);
    const format = formatArgument(values.format);
    const session = createCliSession();
    try {
      const files = await openAndLoad(session, positionals, format);
      const findings = await findingsOf(session, files);
      const set = suggestFilterSet(findings, {
        minShare,
        ...(values.name === undefined ? {} : { name: values.name }),
      });
      if (!set.ok) {
        io.stderr(set.error.map((e) => `${e.message}${e.hint ? `\n  ${e.hint}` : ''}\n`).join(''));
        return EXIT_FAILED;
      }
      io.stdout(serializeFilterSet(set.value));
      for (const file of files.filter(unreadable))
        io.stderr(`${file.name}: ${file.errors.map((e) => e.message).join(' ') || 'not read'}\n`);
      return files.some(unreadable) ? EXIT_FAILED : EXIT_OK;
    } finally {
      await session.close();
    }
  },
};
