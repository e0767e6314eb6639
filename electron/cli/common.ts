/** What the CLI's file commands share: argument parsing, a Session over the built worker, output. */
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import type { FileSummary } from '../../shared/api';
import { FORMAT_IDS, isFormatId } from '../../shared/formats/types';
import type { FormatId } from '../../shared/formats/types';
import { isoOrNull } from '../../shared/time/civil';
import { Session } from '../session/session';
import { createLogger } from '../logger';
import { UsageError } from './command';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parse<O extends Options>(argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function formatArgument(value: string | undefined): FormatId | null {
  if (value === undefined) return null;
  if (!isFormatId(value))
    throw new UsageError(`Unknown format "${value}". Formats: ${FORMAT_IDS.join(', ')}.`);
  return value;
}

export function nonNegativeInteger(
  value: string | undefined,
  name: string,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`--${name} needs a whole number of 0 or more, not "${value}".`);
  return n;
}

/** The worker bundle sits next to the CLI bundle (out/main). */
export function createCliSession(): Session {
  return new Session({
    workerUrl: new URL('./log.worker.js', import.meta.url),
    logger: createLogger('logsieve'),
  });
}

/** Opens the files (with a forced format if given) and waits until every one has loaded. */
export async function openAndLoad(
  session: Session,
  paths: readonly string[],
  format: FormatId | null,
): Promise<FileSummary[]> {
  const opened = await session.openPaths(paths, format);
  await Promise.all(opened.map((f) => session.whenLoaded(f.id)));
  return opened.map((f) => session.summaryOf(f.id));
}

/** A file counts as unreadable for the exit code when it failed or nothing in it could be read as a log. */
export function unreadable(file: FileSummary): boolean {
  return file.state === 'error' || (file.format === null && file.size > 0);
}

export function iso(ms: number | null): string | null {
  return isoOrNull(ms);
}

/** Writes and waits for the stream to drain, so long outputs do not pile up in memory. */
export function writer(out: (text: string) => boolean): (text: string) => Promise<void> {
  return (text) => {
    if (out(text)) return Promise.resolve();
    return new Promise((resolve) => process.stdout.once('drain', () => resolve()));
  };
}
