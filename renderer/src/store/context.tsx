/** Injects the stores into the component tree; components select narrow slices with the hooks. */
import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import type { Client } from '../api/client';
import type { ExploreActions, ExploreState, ExploreStore } from './explore-store';
import type { FiltersStore } from './filters-store';
import type { SettingsActions, SettingsState, SettingsStore } from './settings-store';
import type { ProgressStore, ViewerActions, ViewerState, ViewerStore } from './viewer-store';

export interface Stores {
  readonly viewer: ViewerStore;
  readonly progress: ProgressStore;
  readonly settings: SettingsStore;
  readonly client: Client;
  readonly filters: FiltersStore;
  readonly explore: ExploreStore;
}

const StoresContext = createContext<Stores | null>(null);

export function StoresProvider({ stores, children }: { stores: Stores; children: ReactNode }) {
  return <StoresContext.Provider value={stores}>{children}</StoresContext.Provider>;
}

export function useStores(): Stores {
  const stores = useContext(StoresContext);
  if (stores === null) throw new Error('StoresProvider is missing');
  return stores;
}

export function useViewer<T>(selector: (state: ViewerState & ViewerActions) => T): T {
  return useStore(useStores().viewer, selector);
}

export function useProgress<T>(selector: (state: ReturnType<ProgressStore['getState']>) => T): T {
  return useStore(useStores().progress, selector);
}

export function useSettings<T>(selector: (state: SettingsState & SettingsActions) => T): T {
  return useStore(useStores().settings, selector);
}

export function useClient(): Client {
  return useStores().client;
}

export function useExplore<T>(selector: (state: ExploreState & ExploreActions) => T): T {
  return useStore(useStores().explore, selector);
}
