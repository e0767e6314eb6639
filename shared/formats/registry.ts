/**
 * Every format LogSieve reads, and how a file's format is chosen: each detector scores the start
 * of the file, the best score wins, and ties or low scores fall to `plain`. Binary files that no
 * binary format claims are reported as binary (the user may still open them as plain text).
 */
import type { DetectSample, FormatId, FormatInfo, LogFormat } from './types';
import { apacheAccess } from './apache-access';
import { apacheError } from './apache-error';
import { clearTrust } from './cleartrust';
import { eventlogCsv, eventlogTxt } from './eventlog-text';
import { eventlogXml } from './eventlog-xml';
import { evt } from './evt';
import { evtx } from './evtx';
import { plain } from './plain';
import { syslog } from './syslog';
import { w3c } from './w3c';

/** Display order of the format menu; `plain` stays last. */
export const FORMATS: readonly LogFormat[] = [
  apacheAccess,
  apacheError,
  w3c,
  clearTrust,
  syslog,
  evtx,
  evt,
  eventlogCsv,
  eventlogTxt,
  eventlogXml,
  plain,
];

/** Below this, a detector's opinion is not trusted and the file is read as plain text. */
export const MIN_DETECT_SCORE = 0.5;

export function formatById(id: string): LogFormat | undefined {
  return FORMATS.find((f) => f.id === id);
}

export function formatInfo(format: LogFormat): FormatInfo {
  const { id, title, description, filePatterns, columns } = format;
  return { id, title, description, filePatterns, columns };
}

export interface Detection {
  /** The chosen format, or null: binary data no format understands. */
  readonly format: FormatId | null;
  /** Every format's score, best first (for the detail of the format menu and for tests). */
  readonly scores: readonly { readonly id: FormatId; readonly score: number }[];
}

export function detectFormat(sample: DetectSample): Detection {
  const scores = FORMATS.filter((f) => f.id !== 'plain')
    .map((f) => {
      let score: number;
      try {
        score = f.detect(sample);
      } catch {
        score = 0;
      }
      return { id: f.id, score: Number.isFinite(score) ? Math.max(0, Math.min(1, score)) : 0 };
    })
    .sort((a, b) => b.score - a.score);
  const best = scores[0];
  const second = scores[1];
  if (best !== undefined && best.score >= MIN_DETECT_SCORE && best.score !== second?.score)
    return { format: best.id, scores };
  return { format: sample.encoding === null ? null : 'plain', scores };
}
