/** `logsieve formats [--json]`: the formats LogSieve reads, with their ids for --format. */
import { FORMATS, formatInfo } from '../../shared/formats/registry';
import type { CliCommand } from './command';
import { EXIT_OK, UsageError } from './command';
import { parse } from './common';

const USAGE = `Usage: logsieve formats [--json]

Lists the formats LogSieve reads: id (for --format), name, file name patterns and the common
columns each fills. --json prints [{"id","title","description","filePatterns","columns"}].`;

export const formatsCommand: CliCommand = {
  name: 'formats',
  summary: 'list the formats LogSieve reads',
  usage: USAGE,
  run(argv, io) {
    const { values, positionals } = parse(argv, { json: { type: 'boolean', default: false } });
    if (positionals.length > 0) throw new UsageError('formats takes no arguments.');
    const infos = FORMATS.map(formatInfo);
    if (values.json) io.stdout(JSON.stringify(infos) + '\n');
    else
      io.stdout(
        infos
          .map(
            (f) =>
              `${f.id.padEnd(14)} ${f.title}\n${' '.repeat(15)}${f.filePatterns.join(' ')}  [${f.columns.join(', ')}]`,
          )
          .join('\n') + '\n',
      );
    return Promise.resolve(EXIT_OK);
  },
};
