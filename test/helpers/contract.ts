/** The JSON shapes the issues spell out (scripts depend on them), in their order, for the tests. */

/** Each file of `scan --json`. */
export const SCAN_FILE_KEYS = [
  'path',
  'format',
  'bytes',
  'records',
  'parsed',
  'flagged',
  'first',
  'last',
  'errors',
] as const;

/** A finding as the analysis makes it; `scan --json` adds `file` and `links` after these. */
export const FINDING_KEYS = [
  'kind',
  'tag',
  'code',
  'match',
  'count',
  'share',
  'periodSeconds',
  'jitterSeconds',
  'first',
  'last',
  'title',
  'explanation',
  'remedy',
  'rules',
] as const;
