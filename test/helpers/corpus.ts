/**
 * Where the shared sample corpus is. It is not in this repository: it sits beside it, in the
 * steering repository's shared/corpus (read-only, never copied in). A clone may live elsewhere (CI
 * clones into a temporary folder), so the corpus is looked for, in order: $LOGSIEVE_CORPUS,
 * ../shared/corpus beside the repository or any folder above it, and /work/shared/corpus.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findCorpus(): string {
  const candidates: string[] = [];
  if (process.env.LOGSIEVE_CORPUS) candidates.push(resolve(process.env.LOGSIEVE_CORPUS));
  for (let dir = fileURLToPath(new URL('../..', import.meta.url)); ; dir = dirname(dir)) {
    candidates.push(join(dir, '..', 'shared', 'corpus'));
    if (dirname(dir) === dir) break;
  }
  candidates.push('/work/shared/corpus');
  const found = candidates.find((c) => existsSync(join(c, 'PROVENANCE.md')));
  if (found === undefined)
    throw new Error(
      `The shared sample corpus was not found (looked in ${candidates.join(', ')}). Set LOGSIEVE_CORPUS to its folder.`,
    );
  return found.endsWith('/') ? found : `${found}/`;
}

/** The corpus folder, with a trailing slash. */
export const CORPUS = findCorpus();
