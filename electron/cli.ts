/**
 * `logsieve <command> ...`: the command-line interface over the same Session and workers the app
 * uses. Run as `npm run --silent cli -- <command> ...` in the repository, or `logsieve` when the
 * package is installed.
 */
import type { CliIo } from './cli/command';
import { EXIT_FAILED } from './cli/command';
import { main } from './cli/dispatch';

const io: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
};

main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exitCode = EXIT_FAILED;
  },
);
