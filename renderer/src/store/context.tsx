/** Injects the stores into the component tree; components select narrow slices with the hooks. */
import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import type { Client } from '../api/client';
import type { ProgressStore, ViewerActions, ViewerState, ViewerStore } from './viewer-store';

interface Stores {
  readonly viewer: ViewerStore;
  readonly progress: ProgressStore;
  readonly client: Client;
}

const StoresContext = createContext<Stores | null>(null);

export function StoresProvider({ stores, children }: { stores: Stores; children: ReactNode }) {
  return <StoresContext.Provider value={stores}>{children}</StoresContext.Provider>;
}

function useStores(): Stores {
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

export function useClient(): Client {
  return useStores().client;
}
