/**
 * The worker's findings for its file: computed on request from the index (shared/findings), kept
 * until the index changes (more records, another load), with one grouping scratch reused for the
 * life of the worker (see shared/findings/records.ts for why memory is kept).
 */
import type { Finding } from '../../shared/findings/analyse';
import { analyseIndex } from '../../shared/findings/analyse';
import { GroupScratch } from '../../shared/findings/records';
import type { LogIndex } from '../../shared/index/log-index';
import { TAG_CATALOGUE } from '../../shared/tags/default';

export class FindingsCache {
  private readonly scratch = new GroupScratch();
  private cached: { index: LogIndex; count: number; findings: readonly Finding[] } | null = null;

  findings(index: LogIndex | null): readonly Finding[] {
    if (index === null) return [];
    const cached = this.cached;
    if (cached !== null && cached.index === index && cached.count === index.count)
      return cached.findings;
    const findings = analyseIndex(index, TAG_CATALOGUE, { scratch: this.scratch });
    this.cached = { index, count: index.count, findings };
    return findings;
  }
}
