/**
 * Runs the independent event log readers (Debian's libevtx, python-evtx and libevt, through
 * reference_readers.py) and returns their records. Tests that need a reader skip, naming the
 * package to install, when it is absent (`.ci/run` installs them all).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./reference_readers.py', import.meta.url));

export type Reader = 'libevtx' | 'python-evtx' | 'libevt';

const MODULE: Record<Reader, string> = {
  libevtx: 'pyevtx',
  'python-evtx': 'Evtx.Evtx',
  libevt: 'pyevt',
};

export const PACKAGE: Record<Reader, string> = {
  libevtx: 'python3-libevtx (libevtx-utils for evtxexport)',
  'python-evtx': 'python3-evtx',
  libevt: 'python3-libevt (libevt-utils for evtexport)',
};

/** One record as a reference reader gives it (fields absent when the reader did not give them). */
export interface ReferenceRecord {
  readonly index?: number;
  readonly recovered?: boolean;
  readonly chunk?: number;
  /** File offset of the record (python-evtx; libevtx's binding reports 0). */
  readonly offset?: number;
  /** Record identifier from the record header (EVTX) or record number (EVT). */
  readonly id?: number;
  readonly error?: string;
  readonly xml?: string;
  // EVTX, from the reader's own XML
  readonly provider?: string | null;
  readonly sourceName?: string | null;
  readonly eventId?: string | number;
  readonly qualifiers?: string | null;
  readonly level?: string;
  readonly keywords?: string;
  readonly timeCreated?: string;
  readonly eventRecordID?: string;
  readonly channel?: string;
  readonly computer?: string;
  readonly data?: readonly (readonly [string | null, string])[] | string;
  // EVT
  readonly created?: number;
  readonly written?: number;
  readonly type?: number;
  readonly category?: number;
  readonly source?: string;
  readonly sid?: string | null;
  readonly strings?: readonly string[];
}

const pythons = new Map<Reader, string | null>();

/** A Python that can import the reader: Debian's own first (a pyenv python3 on PATH cannot see apt's modules). */
function pythonFor(reader: Reader): string | null {
  if (!pythons.has(reader)) {
    let found: string | null = null;
    for (const python of ['/usr/bin/python3', 'python3']) {
      const r = spawnSync(python, ['-c', `import ${MODULE[reader]}`], { encoding: 'utf8' });
      if (r.status === 0) {
        found = python;
        break;
      }
    }
    pythons.set(reader, found);
  }
  return pythons.get(reader) ?? null;
}

/** Why a reader's test must skip, or null when the reader is installed. */
export function missingReader(reader: Reader): string | null {
  return pythonFor(reader) === null
    ? `independent reader ${reader} is not installed (apt-get install ${PACKAGE[reader]})`
    : null;
}

/** Why a command-line tool's test must skip, or null when it is on PATH. */
export function missingTool(tool: string, aptPackage: string): string | null {
  const r = spawnSync(tool, ['-V'], { encoding: 'utf8' });
  return r.error === undefined ? null : `${tool} is not installed (apt-get install ${aptPackage})`;
}

const cache = new Map<string, ReferenceRecord[]>();

export function referenceRecords(reader: Reader, path: string): ReferenceRecord[] {
  const key = `${reader}\u0000${path}`;
  let rows = cache.get(key);
  if (rows === undefined) {
    const python = pythonFor(reader);
    if (python === null) throw new Error(missingReader(reader)!);
    const r = spawnSync(python, [SCRIPT, reader, path], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      timeout: 120_000,
    });
    if (r.status !== 0) throw new Error(`${reader} failed on ${path}: ${r.stderr}`);
    rows = r.stdout
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as ReferenceRecord);
    cache.set(key, rows);
  }
  return rows;
}
