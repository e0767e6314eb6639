/** Injects the filters store; components select narrow slices of it. */
import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import type { FiltersActions, FiltersState, FiltersStore } from './filters-store';

const FiltersContext = createContext<FiltersStore | null>(null);

export function FiltersProvider({ store, children }: { store: FiltersStore; children: ReactNode }) {
  return <FiltersContext.Provider value={store}>{children}</FiltersContext.Provider>;
}

export function useFiltersStore(): FiltersStore {
  const store = useContext(FiltersContext);
  if (store === null) throw new Error('FiltersProvider is missing');
  return store;
}

export function useFilters<T>(selector: (state: FiltersState & FiltersActions) => T): T {
  return useStore(useFiltersStore(), selector);
}
