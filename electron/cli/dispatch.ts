/** Dispatches `logsieve <command> ...` to the command's module; prints help and usage errors. */
import type { CliCommand, CliIo } from './command';
import { EXIT_FAILED, EXIT_USAGE, UsageError } from './command';
import { auditCommand } from './audit';
import { exportCommand } from './export';
import { formatsCommand } from './formats';
import { groupsCommand } from './groups';
import { rowsCommand } from './rows';
import { scanCommand } from './scan';

const COMMANDS: readonly CliCommand[] = [
  scanCommand,
  rowsCommand,
  groupsCommand,
  formatsCommand,
  exportCommand,
  auditCommand,
];

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: logsieve <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'logsieve <command> --help' for a command's options.",
  ].join('\n');
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(help() + '\n');
    return name === undefined ? EXIT_USAGE : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    io.stderr(`Unknown command "${name}".\n\n${help()}\n`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.usage + '\n');
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n\n${command.usage}\n`);
      return EXIT_USAGE;
    }
    io.stderr(`logsieve ${name} failed: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT_FAILED;
  }
}
