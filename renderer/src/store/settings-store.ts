/**
 * The settings as the window sees them. The main process (or the bridge) owns the file; this
 * store mirrors its snapshot, applies the user's changes at once (so a toggle answers without a
 * round trip) and then takes whatever snapshot comes back. Snapshots arrive by two roads (call
 * replies and events) that may cross, so the higher revision wins.
 */
import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { AppInfo, SettingsSnapshot } from '../../../shared/api';
import type { UserError } from '../../../shared/result';
import type { RecentListId } from '../../../shared/settings/recent';
import type { Settings, SettingsChange } from '../../../shared/settings/settings';
import { DEFAULT_SETTINGS, applySettingsChange } from '../../../shared/settings/settings';
import type { Client } from '../api/client';
import { describeError } from '../api/client';

export interface SettingsState {
  /** False until the first snapshot arrived (the window then knows its theme and layout). */
  readonly ready: boolean;
  readonly revision: number;
  readonly settings: Settings;
  readonly problems: readonly UserError[];
  readonly readOnly: boolean;
  /** Problems the user closed (by code and message); a new problem shows again. */
  readonly dismissed: readonly string[];
  readonly info: AppInfo | null;
}

export interface SettingsActions {
  init: () => Promise<void>;
  change: (change: SettingsChange) => Promise<void>;
  clearRecent: (list: RecentListId) => Promise<void>;
  dismissProblems: () => void;
}

export type SettingsStore = StoreApi<SettingsState & SettingsActions>;

const problemKey = (p: UserError): string => `${p.code}\n${p.message}`;

/** Problems the user has not closed yet. */
export function visibleProblems(
  state: Pick<SettingsState, 'problems' | 'dismissed'>,
): readonly UserError[] {
  return state.problems.filter((p) => !state.dismissed.includes(problemKey(p)));
}

export function createSettingsStore(
  client: Client,
  onError: (error: UserError) => void,
): SettingsStore {
  return createStore<SettingsState & SettingsActions>()((set, get) => {
    const take = (snapshot: SettingsSnapshot): void => {
      if (get().ready && snapshot.revision < get().revision) return;
      set({
        ready: true,
        revision: snapshot.revision,
        settings: snapshot.settings,
        problems: snapshot.problems,
        readOnly: snapshot.readOnly,
      });
    };
    const resync = async (): Promise<void> => {
      try {
        take(await client.getSettings());
      } catch (error) {
        onError(describeError(error));
      }
    };
    return {
      ready: false,
      revision: 0,
      settings: DEFAULT_SETTINGS,
      problems: [],
      readOnly: false,
      dismissed: [],
      info: null,

      async init() {
        client.onAppEvent((event) => {
          if (event.type === 'settings-changed') take(event.snapshot);
        });
        await resync();
        // The window works without these: the defaults stand in until they arrive.
        if (!get().ready) set({ ready: true });
        client.appInfo().then(
          (info) => set({ info }),
          (error: unknown) => onError(describeError(error)),
        );
      },
      async change(change) {
        set({ settings: applySettingsChange(get().settings, change) });
        try {
          take(await client.changeSettings(change));
        } catch (error) {
          onError(describeError(error));
          await resync();
        }
      },
      async clearRecent(list) {
        try {
          take(await client.clearRecent(list));
        } catch (error) {
          onError(describeError(error));
        }
      },
      dismissProblems() {
        set((s) => ({ dismissed: [...s.dismissed, ...s.problems.map(problemKey)] }));
      },
    };
  });
}
