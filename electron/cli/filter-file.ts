/** Reading a saved filter set for the CLI: every problem on stderr, in the form editors jump to. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FilterSet } from '../../shared/filters/model';
import { parseFilterSet } from '../../shared/filters/persist';
import type { UserError } from '../../shared/result';
import type { CliIo } from './command';

/** `file:line:column: message` (the form editors jump to), then the hint indented. */
export function describeProblem(file: string, problem: UserError): string {
  const at =
    problem.line === undefined
      ? ''
      : `:${problem.line}${problem.column === undefined ? '' : `:${problem.column}`}`;
  return `${file}${at}: ${problem.message}${problem.hint === undefined ? '' : `\n  ${problem.hint}`}\n`;
}

/** The file's text, or null after saying on stderr why it could not be read. */
export async function readText(path: string, io: CliIo): Promise<string | null> {
  try {
    return await readFile(resolve(io.cwd, path), 'utf8');
  } catch (error) {
    io.stderr(
      `${path}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)}).\n`,
    );
    return null;
  }
}

/** The filter set in `path`, or null after saying on stderr what is wrong with it. */
export async function readFilterSet(path: string, io: CliIo): Promise<FilterSet | null> {
  const text = await readText(path, io);
  if (text === null) return null;
  const set = parseFilterSet(text);
  if (!set.ok) {
    io.stderr(set.error.map((e) => describeProblem(path, e)).join(''));
    return null;
  }
  return set.value;
}
