/** The findings of loaded files, for `scan --json` and `suggest`: one list, most records first. */
import { join } from 'node:path';
import type { FileSummary } from '../../shared/api';
import type { Finding } from '../../shared/findings/analyse';
import type { FindingLink } from '../../shared/findings/links';
import type { Session } from '../session/session';

/**
 * A finding with the file it was found in (scan prints several files' findings in one list), and
 * the findings of the other files that line up with it (`links`, each naming its file and its
 * position among that file's findings).
 */
export type FileFinding = Finding & {
  readonly file: string;
  readonly links: readonly FindingLink[];
};

export async function findingsOf(
  session: Session,
  files: readonly FileSummary[],
): Promise<FileFinding[]> {
  const loaded = files.filter((file) => file.state !== 'error' && file.records > 0);
  const linked = await session.findingsOfFiles(loaded.map((file) => file.id));
  const all: FileFinding[] = [];
  loaded.forEach((file, i) => {
    const path = file.location === null ? file.name : join(file.location, file.name);
    // The contract's fields first, then the file, then the links (fields are only ever added).
    for (const { links, ...finding } of linked[i]!) all.push({ ...finding, file: path, links });
  });
  // Stable: within one count, each file's own order (kind) stays.
  return all.sort((a, b) => b.count - a.count);
}
