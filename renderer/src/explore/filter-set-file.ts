/**
 * New, Open, Save and Save As for the filter set, for the menu commands, their shortcuts and the
 * Filters panel's buttons alike. The desktop app opens through the platform's dialog and saves
 * atomically (over the same file again through an opaque handle); a browser opens with a file
 * input and saves by downloading.
 */
import type { TextFile } from '../../../shared/api';
import type { UserError } from '../../../shared/result';
import type { Client } from '../api/client';
import { describeError } from '../api/client';
import type { FiltersStore } from '../store/filters-store';

export interface FilterSetFileDeps {
  readonly client: Client;
  readonly filters: FiltersStore;
  readonly notify: (kind: 'error' | 'info', error: UserError) => void;
  /** Opens the browser's file chooser for a filter set (the bridge has no Open dialog). */
  readonly pickFilterSet: () => void;
}

/** The file name offered for a set never saved: its name, in characters every system accepts. */
export function suggestedFileName(setName: string): string {
  const stem = setName.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'filters';
  return `${stem}.logsieve-filters.json`;
}

function loaded(deps: FilterSetFileDeps, text: string, file: TextFile): void {
  const result = deps.filters.getState().load(text, file);
  if (result.ok) {
    deps.notify('info', {
      code: 'filterset.opened',
      message: `Opened filter set ${result.value.name} (${file.name}).`,
    });
    return;
  }
  const first = result.error[0];
  deps.notify('error', {
    code: first?.code ?? 'filterset.invalid',
    message: `${file.name} was not opened: ${result.error
      .map((e) => (e.line === undefined ? e.message : `line ${e.line}: ${e.message}`))
      .join(' ')}`,
    ...(first?.hint === undefined ? {} : { hint: first.hint }),
  });
}

export async function openFilterSet(deps: FilterSetFileDeps): Promise<void> {
  if (deps.client.host === 'bridge') {
    deps.pickFilterSet();
    return;
  }
  try {
    const file = await deps.client.openText('filter-set');
    if (file !== null) loaded(deps, file.text, file);
  } catch (error) {
    deps.notify('error', describeError(error));
  }
}

/** A filter set the desktop app read for the window (File ▸ Open Recent). */
export function openedFilterSet(deps: FilterSetFileDeps, file: TextFile, text: string): void {
  loaded(deps, text, file);
}

/** What the browser's file input picked. */
export async function openPickedFilterSet(
  deps: FilterSetFileDeps,
  file: { readonly name: string; text(): Promise<string> },
): Promise<void> {
  try {
    loaded(deps, await file.text(), { name: file.name, handle: null });
  } catch (error) {
    deps.notify('error', describeError(error));
  }
}

export async function saveFilterSet(deps: FilterSetFileDeps, asNew: boolean): Promise<void> {
  const state = deps.filters.getState();
  try {
    const saved = await deps.client.saveText({
      kind: 'filter-set',
      suggestedName: state.fileName ?? suggestedFileName(state.set.name),
      text: state.serialized(),
      ...(asNew || state.handle === null ? {} : { handle: state.handle }),
    });
    if (saved === null) return;
    deps.filters.getState().saved(saved);
    deps.notify('info', {
      code: 'filterset.saved',
      message:
        deps.client.host === 'bridge'
          ? `Downloaded the filter set as ${saved.name}.`
          : `Saved the filter set as ${saved.name}.`,
    });
  } catch (error) {
    deps.notify('error', describeError(error));
  }
}
