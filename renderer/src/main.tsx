/** Renderer entry: picks the host's API (the desktop preload, or the bridge), builds the stores, renders. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import {
  ModuleRegistry,
  InfiniteRowModelModule,
  ScrollApiModule,
  RowApiModule,
  RowSelectionModule,
  ColumnApiModule,
  RenderApiModule,
  TooltipModule,
  CellStyleModule,
  CellApiModule,
  ValidationModule,
} from 'ag-grid-community';
import type { LogSieveApi } from '../../shared/api';
import { createBridgeApi } from './api/bridge';
import { createClient } from './api/client';
import { App } from './components/App';
import { StoresProvider } from './store/context';
import { createExploreStore } from './store/explore-store';
import { FiltersProvider } from './store/filters-context';
import { createFiltersStore } from './store/filters-store';
import { createSettingsStore } from './store/settings-store';
import { createProgressStore, createViewerStore } from './store/viewer-store';
import { applyTheme } from './theme-mode';
import './styles.css';

ModuleRegistry.registerModules([
  InfiniteRowModelModule,
  ScrollApiModule,
  RowApiModule,
  RowSelectionModule,
  ColumnApiModule,
  RenderApiModule,
  TooltipModule,
  CellStyleModule,
  // api.getCellValue: Copy takes the focused cell's text as shown.
  CellApiModule,
  ...(import.meta.env.DEV ? [ValidationModule] : []),
]);

declare global {
  interface Window {
    logsieve?: LogSieveApi;
  }
}

// The bridge put its token in the first URL; the cookie it set carries it from now on.
if (new URLSearchParams(location.search).has('token'))
  history.replaceState(null, '', location.pathname);

// Until the settings arrive, follow the system (no flash of the wrong theme in most cases).
applyTheme('system');
const client = createClient(window.logsieve ?? createBridgeApi());
const progress = createProgressStore();
const viewer = createViewerStore(client, progress);
const settings = createSettingsStore(client, (error) => viewer.getState().notify('error', error));
const filters = createFiltersStore();
const explore = createExploreStore({
  client,
  filters,
  notify: (error) => viewer.getState().notify('error', error),
  wide: window.matchMedia('(min-width: 1000px)').matches,
});
void settings.getState().init();
void viewer.getState().init();
void explore.getState().init();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoresProvider stores={{ viewer, progress, settings, client, filters, explore }}>
      <FiltersProvider store={filters}>
        <App />
      </FiltersProvider>
    </StoresProvider>
  </StrictMode>,
);
