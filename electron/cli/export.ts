/**
 * `logsieve export --filters SET.json --target TARGET [--log-name NAME] [--env NAME]`: device
 * configuration for a saved filter set. A contract scripts depend on: the snippet alone on
 * stdout and exit 0, or every problem on stderr, nothing on stdout and exit 1.
 */
import {
  EXPORT_TARGETS,
  findExportTarget,
  type ExportOptions,
} from '../../shared/exporters/registry';
import type { CliCommand } from './command';
import { EXIT_FAILED, EXIT_OK, UsageError } from './command';
import { parse } from './common';
import { describeProblem, readFilterSet } from './filter-file';

/** Splits text into lines of at most `width` characters at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  return [...lines, line];
}

// Every option any target takes, each once (targets share --env).
const OPTION_SPECS = [
  ...new Map(EXPORT_TARGETS.flatMap((t) => t.options).map((o) => [o.flag, o])).values(),
];

const USAGE = [
  'Usage: logsieve export --filters SET.json --target TARGET [--log-name NAME] [--env NAME]',
  '',
  'Writes device configuration for the rules of a saved filter set to stdout. Rules or values a',
  'target cannot express are listed in comments in the output, with the reason.',
  '',
  'Targets:',
  ...EXPORT_TARGETS.map((t) => `  ${t.id.padEnd(8)} ${t.title}`),
  '',
  'Options:',
  '  --filters SET.json  the filter set (.logsieve-filters.json)',
  '  --target TARGET     one of the targets above',
  ...OPTION_SPECS.flatMap((o) => {
    const users = EXPORT_TARGETS.filter((t) => t.options.includes(o)).map((t) => t.id);
    const text = `(${users.join(', ')}) ${o.description} Default: ${o.defaultValue}.`;
    return wrap(text, 100 - 22).map(
      (line, i) => `${i === 0 ? `  ${`${o.flag} NAME`.padEnd(19)} ` : ' '.repeat(22)}${line}`,
    );
  }),
  '',
  'Exit code: 0 the snippet is on stdout; 1 the filter set could not be read or cannot be exported',
  '(every problem on stderr, nothing on stdout); 2 bad usage.',
].join('\n');

export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'write httpd.conf or ProxySG policy lines for a saved filter set',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      filters: { type: 'string' },
      target: { type: 'string' },
      ...Object.fromEntries(
        OPTION_SPECS.map((o) => [o.flag.slice(2), { type: 'string' as const }]),
      ),
    });
    if (positionals.length > 0)
      throw new UsageError(
        `export takes no arguments besides options, not "${positionals.join(' ')}".`,
      );
    const filtersPath = values.filters;
    if (typeof filtersPath !== 'string') throw new UsageError('export needs --filters SET.json.');
    const targetId = values.target;
    if (typeof targetId !== 'string') throw new UsageError('export needs --target TARGET.');
    const target = findExportTarget(targetId);
    if (target === undefined) {
      throw new UsageError(
        `Unknown target "${targetId}". Targets: ${EXPORT_TARGETS.map((t) => t.id).join(', ')}.`,
      );
    }
    const options: { -readonly [K in keyof ExportOptions]: string } = {};
    for (const spec of OPTION_SPECS) {
      const value = (values as Record<string, unknown>)[spec.flag.slice(2)];
      if (typeof value !== 'string') continue;
      if (!target.options.includes(spec)) {
        throw new UsageError(`${spec.flag} does not apply to target ${target.id}.`);
      }
      options[spec.key] = value;
    }

    const set = await readFilterSet(filtersPath, io);
    if (set === null) return EXIT_FAILED;
    const snippet = target.export(set, options);
    if (!snippet.ok) {
      io.stderr(snippet.error.map((e) => describeProblem(filtersPath, e)).join(''));
      return EXIT_FAILED;
    }
    io.stdout(snippet.value);
    return EXIT_OK;
  },
};
