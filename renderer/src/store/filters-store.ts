/**
 * The filter set being edited: its rules, where it was opened from or saved to, whether it has
 * unsaved changes, and undo/redo. Every edit is a FilterSetChange applied by the pure
 * `applyFilterSetChanges` (shared/filters/changes.ts), which refuses anything that could not be
 * saved, so the set here is always a valid one.
 */
import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { TextFile } from '../../../shared/api';
import type { FilterSetChange } from '../../../shared/filters/changes';
import { applyFilterSetChanges } from '../../../shared/filters/changes';
import type { FilterSet } from '../../../shared/filters/model';
import { FILTER_SET_KIND, FILTER_SET_VERSION } from '../../../shared/filters/model';
import { parseFilterSet, serializeFilterSet } from '../../../shared/filters/persist';
import type { Result, UserError } from '../../../shared/result';
import { err, ok } from '../../../shared/result';

/** Undo keeps this many steps: filter sets are small, a long history costs little. */
const HISTORY = 200;

export function emptyFilterSet(name = 'Untitled filter set'): FilterSet {
  return { logsieve: FILTER_SET_KIND, version: FILTER_SET_VERSION, name, rules: [] };
}

export interface FiltersState {
  readonly set: FilterSet;
  /** Name of the file it was opened from or saved to; null until saved. */
  readonly fileName: string | null;
  /** The host's handle for saving over that file again (desktop); null otherwise. */
  readonly handle: string | null;
  readonly dirty: boolean;
  readonly past: readonly FilterSet[];
  readonly future: readonly FilterSet[];
  /** The master switch: off shows every record, whatever the rules. */
  readonly active: boolean;
  /** Show only what the enabled rules hide (to check what a rule would lose). */
  readonly showOnlyHidden: boolean;
}

export interface FiltersActions {
  /** Apply edits; on a problem nothing changes and every problem is returned. */
  change: (changes: readonly FilterSetChange[]) => Result<FilterSet, UserError[]>;
  undo: () => void;
  redo: () => void;
  newSet: () => void;
  /** Load a saved filter set's text (validated; a bad file changes nothing and says why). */
  load: (text: string, file: TextFile) => Result<FilterSet, UserError[]>;
  /** The set was saved as `file`: clear the unsaved marker. */
  saved: (file: TextFile) => void;
  /** The set's file text, as it is saved. */
  serialized: () => string;
  setActive: (active: boolean) => void;
  setShowOnlyHidden: (only: boolean) => void;
}

export type FiltersStore = StoreApi<FiltersState & FiltersActions>;

export function createFiltersStore(initial: FilterSet = emptyFilterSet()): FiltersStore {
  return createStore<FiltersState & FiltersActions>()((set, get) => ({
    set: initial,
    fileName: null,
    handle: null,
    dirty: false,
    past: [],
    future: [],
    active: true,
    showOnlyHidden: false,

    change(changes) {
      const result = applyFilterSetChanges(get().set, changes);
      if (!result.ok) return result;
      set((s) => ({
        set: result.value,
        dirty: true,
        past: [...s.past.slice(-(HISTORY - 1)), s.set],
        future: [],
      }));
      return result;
    },
    undo() {
      const { past, set: current, future } = get();
      const previous = past.at(-1);
      if (previous === undefined) return;
      set({ set: previous, past: past.slice(0, -1), future: [current, ...future], dirty: true });
    },
    redo() {
      const { past, set: current, future } = get();
      const next = future[0];
      if (next === undefined) return;
      set({ set: next, past: [...past, current], future: future.slice(1), dirty: true });
    },
    newSet() {
      set({
        set: emptyFilterSet(),
        fileName: null,
        handle: null,
        dirty: false,
        past: [],
        future: [],
      });
    },
    load(text, file) {
      const parsed = parseFilterSet(text);
      if (!parsed.ok) return err(parsed.error);
      set({
        set: parsed.value,
        fileName: file.name,
        handle: file.handle,
        dirty: false,
        past: [],
        future: [],
      });
      return ok(parsed.value);
    },
    saved(file) {
      set({ fileName: file.name, handle: file.handle, dirty: false });
    },
    serialized() {
      return serializeFilterSet(get().set);
    },
    setActive(active) {
      set({ active });
    },
    setShowOnlyHidden(only) {
      set({ showOnlyHidden: only });
    },
  }));
}
