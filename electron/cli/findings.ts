/** The findings of loaded files, for `scan --json` and `suggest`: one list, most records first. */
import { join } from 'node:path';
import type { FileSummary } from '../../shared/api';
import type { Finding } from '../../shared/findings/analyse';
import type { Session } from '../session/session';

/** A finding with the file it was found in (scan prints several files' findings in one list). */
export type FileFinding = Finding & { readonly file: string };

export async function findingsOf(
  session: Session,
  files: readonly FileSummary[],
): Promise<FileFinding[]> {
  const all: FileFinding[] = [];
  for (const file of files) {
    if (file.state === 'error' || file.records === 0) continue;
    const path = file.location === null ? file.name : join(file.location, file.name);
    for (const finding of await session.findings(file.id)) all.push({ ...finding, file: path });
  }
  // Stable: within one count, each file's own order (kind) stays.
  return all.sort((a, b) => b.count - a.count);
}
