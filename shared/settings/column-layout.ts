/**
 * Restoring a saved column layout onto the columns a file has now. A format may gain columns
 * (a new version reads more fields) or a file may fill fewer; the saved order, widths and
 * hidden columns apply to the columns that exist, new ones appear next to their neighbours,
 * and at least one column always stays visible.
 */
import type { ColumnLayoutEntry } from './settings';

/** A column the grid offers, in its default order, with its default width. */
export interface ColumnDefault {
  readonly id: string;
  readonly width: number;
}

export function arrangeColumns(
  defaults: readonly ColumnDefault[],
  saved: readonly ColumnLayoutEntry[] | undefined,
): ColumnLayoutEntry[] {
  const available = new Map(defaults.map((d) => [d.id, d]));
  const result: ColumnLayoutEntry[] = (saved ?? []).filter((entry) => available.has(entry.id));
  const placed = new Set(result.map((entry) => entry.id));
  defaults.forEach((column, i) => {
    if (placed.has(column.id)) return;
    // After the nearest column that comes before it by default and is already placed.
    let at = 0;
    for (let j = i - 1; j >= 0; j--) {
      const before = result.findIndex((entry) => entry.id === defaults[j]!.id);
      if (before >= 0) {
        at = before + 1;
        break;
      }
    }
    result.splice(at, 0, { id: column.id, width: column.width, hidden: false });
    placed.add(column.id);
  });
  if (result.length > 0 && result.every((entry) => entry.hidden)) {
    // Everything hidden leaves an empty grid; show the last default column (the message).
    const last = defaults.at(-1)!.id;
    return result.map((entry) => (entry.id === last ? { ...entry, hidden: false } : entry));
  }
  return result;
}

export function sameLayout(
  a: readonly ColumnLayoutEntry[] | undefined,
  b: readonly ColumnLayoutEntry[] | undefined,
): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.length === b.length &&
    a.every((x, i) => x.id === b[i]!.id && x.width === b[i]!.width && x.hidden === b[i]!.hidden)
  );
}
