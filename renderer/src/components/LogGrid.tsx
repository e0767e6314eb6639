/**
 * The record grid: AG Grid's infinite row model (community edition) asking the worker for the
 * window of rows on screen, never the whole log. Sorting is by line or by time, done by the
 * worker; the row count grows while the file loads. Cell values are rendered as text only.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type {
  CellContextMenuEvent,
  CellFocusedEvent,
  ColDef,
  ColumnMovedEvent,
  ColumnResizedEvent,
  GridApi,
  GridReadyEvent,
  IDatasource,
  IGetRowsParams,
  RowClickedEvent,
  SortChangedEvent,
} from 'ag-grid-community';
import type { FileSummary, RowData, RowOrder, ViewQuery } from '../../../shared/api';
import type { FileId } from '../../../shared/ids';
import type { CommonColumn } from '../../../shared/record';
import { arrangeColumns, sameLayout } from '../../../shared/settings/column-layout';
import type { ColumnLayoutEntry } from '../../../shared/settings/settings';
import { MAX_COLUMN_WIDTH, MIN_COLUMN_WIDTH } from '../../../shared/settings/settings';
import { layoutKey } from '../commands';
import { formatTime, zoneLabel } from '../display';
import {
  useClient,
  useExplore,
  useProgress,
  useSettings,
  useStores,
  useViewer,
} from '../store/context';
import { viewRowsOf } from '../store/explore-store';
import { viewOf } from '../store/viewer-store';
import { gridTheme } from '../theme';
import type { ContextMenuRequest } from './GridContextMenu';
import { GridContextMenu } from './GridContextMenu';
import { HighlightedText } from './HighlightedText';

const BLOCK_ROWS = 100;

function queryFrom(fileId: FileId, sortModel: IGetRowsParams['sortModel']): ViewQuery {
  const sort = sortModel[0];
  const order: RowOrder = sort?.colId === 'time' ? 'time' : 'file';
  return { fileId, order, descending: sort?.sort === 'desc' };
}

/** Signature tags, then problem flags, as chips (text only). */
function MarksCell({ data }: { data: RowData | undefined }) {
  if (data === undefined || (data.tags.length === 0 && data.flags.length === 0)) return null;
  return (
    <span className="chips">
      {data.tags.map((t) => (
        <span key={t} className={`chip tag tag-${t}`} title={t}>
          {t}
        </span>
      ))}
      {data.flags.map((f) => (
        <span key={f} className={`chip chip-${f}`} title={f}>
          {f}
        </span>
      ))}
    </span>
  );
}

/** The message or raw text, with the last search's matches marked. */
function TextCell({ value }: { value: unknown }) {
  return <HighlightedText text={typeof value === 'string' ? value : ''} />;
}

const TITLES: Record<CommonColumn, string> = {
  time: 'Time',
  srcIp: 'Source IP',
  level: 'Level',
  code: 'Code',
  source: 'Source',
  host: 'Host',
  certHost: 'Cert host',
  message: 'Message',
};
const WIDTHS: Partial<Record<CommonColumn, number>> = {
  time: 210,
  srcIp: 140,
  level: 100,
  code: 110,
  source: 140,
  host: 180,
  certHost: 180,
};
// Narrow enough that the usual columns fit beside the sidebar without a horizontal scrollbar.
const TEXT_MIN_WIDTH = 200;

/** A column the grid offers for a file, in default order. */
export interface GridColumn {
  readonly id: string;
  readonly title: string;
  readonly width: number;
  /** Takes the room that is left (the message or raw text); its width is not kept. */
  readonly flex: boolean;
}

/** The columns of a file whose format fills `columns`, titles with the display time zone. */
export function gridColumns(
  columns: readonly CommonColumn[],
  showRaw: boolean,
  zone: string,
): GridColumn[] {
  const list: GridColumn[] = [{ id: 'line', title: 'Line', width: 96, flex: false }];
  const shown = columns.length > 0 ? columns : (['time', 'message'] as const);
  for (const c of shown) {
    if (c === 'message') continue;
    list.push({
      id: c,
      title: c === 'time' ? `${TITLES.time} (${zoneLabel(zone)})` : TITLES[c],
      width: WIDTHS[c] ?? 140,
      flex: false,
    });
  }
  list.push({ id: 'marks', title: 'Tags', width: 170, flex: false });
  list.push(
    showRaw
      ? { id: 'raw', title: 'Raw record', width: TEXT_MIN_WIDTH, flex: true }
      : { id: 'message', title: TITLES.message, width: TEXT_MIN_WIDTH, flex: true },
  );
  return list;
}

function baseDef(column: GridColumn, zone: string): ColDef<RowData> {
  const common = { colId: column.id, headerName: column.title, sortable: false };
  switch (column.id) {
    case 'line':
      return { ...common, field: 'line', sortable: true, type: 'rightAligned' };
    case 'time':
      return {
        ...common,
        field: 'time',
        sortable: true,
        valueFormatter: (p) => formatTime((p.value as number | null | undefined) ?? null, zone),
      };
    case 'marks':
      return { ...common, cellRenderer: MarksCell };
    case 'raw':
      return { ...common, field: 'raw', flex: 1, minWidth: TEXT_MIN_WIDTH, cellRenderer: TextCell };
    case 'message':
      return {
        ...common,
        field: 'message',
        flex: 1,
        minWidth: TEXT_MIN_WIDTH,
        cellRenderer: TextCell,
      };
    default:
      return { ...common, field: column.id as keyof RowData };
  }
}

/** Column definitions in the saved order, with the saved widths and hidden columns. */
function columnDefs(
  columns: readonly GridColumn[],
  layout: readonly ColumnLayoutEntry[],
  zone: string,
): ColDef<RowData>[] {
  const byId = new Map(columns.map((c) => [c.id, c]));
  return layout.flatMap((entry) => {
    const column = byId.get(entry.id);
    if (column === undefined) return [];
    const def = baseDef(column, zone);
    return [{ ...def, hide: entry.hidden, ...(column.flex ? {} : { width: entry.width }) }];
  });
}

/** The grid's columns now, as a layout to save. */
function layoutOf(api: GridApi<RowData>): ColumnLayoutEntry[] {
  return api.getColumnState().map((c) => ({
    id: c.colId,
    width: Math.min(
      MAX_COLUMN_WIDTH,
      Math.max(MIN_COLUMN_WIDTH, Math.round(c.width ?? TEXT_MIN_WIDTH)),
    ),
    hidden: c.hide === true,
  }));
}

/** The text a cell shows, for Copy. */
function cellText(api: GridApi<RowData>): string | null {
  const cell = api.getFocusedCell();
  if (cell === null) return null;
  const node = api.getDisplayedRowAtIndex(cell.rowIndex);
  if (node?.data === undefined) return null;
  const value: unknown = api.getCellValue({
    rowNode: node,
    colKey: cell.column,
    useFormatter: true,
  });
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(' ');
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : JSON.stringify(value);
}

export function LogGrid({ file }: { file: FileSummary }) {
  const client = useClient();
  const explore = useStores().explore;
  const viewVersion = useExplore((s) => s.version);
  const viewRows = useExplore((s) => viewRowsOf(s.summary, file.id));
  const [menu, setMenu] = useState<ContextMenuRequest | null>(null);
  const showRaw = useSettings((s) => s.settings.showRaw);
  const zone = useSettings((s) => s.settings.displayTimeZone);
  const key = layoutKey(file);
  const saved = useSettings((s) => s.settings.columnLayouts[key]);
  const changeSettings = useSettings((s) => s.change);
  const apiRef = useRef<GridApi<RowData> | null>(null);
  const fileId = file.id;
  const epoch = useViewer((s) => viewOf(s, fileId).epoch);
  const setOrder = useViewer((s) => s.setOrder);
  const select = useViewer((s) => s.select);
  const followSelection = useViewer((s) => s.followSelection);
  const scrollRequest = useViewer((s) => s.scrollRequest);
  const records = useProgress((s) => s.progress[fileId]?.records ?? 0);
  const complete = file.state !== 'loading';
  // The view's rows once the Session has counted them; while a file loads and no count is in,
  // the records read so far.
  const total = viewRows ?? (complete ? file.records : Math.max(records, file.records));
  const datasource = useMemo<IDatasource>(
    () => ({
      getRows: (params) => {
        const query = queryFrom(fileId, params.sortModel);
        const fetch = (attempt: number): void => {
          client
            .rows(query, params.startRow, params.endRow)
            .then((page) => {
              // A page of an older view (the filters changed while it was on its way) is never
              // shown: ask again, once; the purge that the new view brings re-reads it anyway.
              if (page.version < explore.getState().version && attempt === 0) {
                fetch(1);
                return;
              }
              params.successCallback([...page.rows], page.total);
            })
            .catch(() => params.failCallback());
        };
        fetch(0);
      },
    }),
    [client, fileId, explore],
  );

  const available = useMemo(
    () => gridColumns(file.columns, showRaw, zone),
    [file.columns, showRaw, zone],
  );
  const layout = useMemo(() => arrangeColumns(available, saved), [available, saved]);
  const columns = useMemo(() => columnDefs(available, layout, zone), [available, layout, zone]);

  // Moving or resizing a column by hand is saved (per format) and comes back next time.
  const saveLayout = (api: GridApi<RowData>): void => {
    const now = layoutOf(api);
    if (!sameLayout(now, layout)) void changeSettings({ columnLayout: { key, columns: now } });
  };

  // Copy with nothing selected copies the focused cell (AG Grid's clipboard is not in the
  // community edition). A text selection, or a text field, keeps the browser's own copy.
  useEffect(() => {
    const onCopy = (event: ClipboardEvent): void => {
      const selection = document.getSelection();
      if (selection !== null && selection.toString() !== '') return;
      const active = document.activeElement;
      if (active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement) return;
      const api = apiRef.current;
      const text = api === null ? null : cellText(api);
      if (text === null || event.clipboardData === null) return;
      event.clipboardData.setData('text/plain', text);
      event.preventDefault();
    };
    document.addEventListener('copy', onCopy);
    return () => document.removeEventListener('copy', onCopy);
  }, []);

  // Rows keep arriving while the file loads: grow the grid and re-read a partly filled last block.
  const shownTotal = useRef(0);
  useEffect(() => {
    const api = apiRef.current;
    if (api === null || total === shownTotal.current) return;
    const before = shownTotal.current;
    shownTotal.current = total;
    api.setRowCount(total, complete);
    const lastVisible = api.getLastDisplayedRowIndex();
    if (lastVisible >= before - BLOCK_ROWS) api.refreshInfiniteCache();
  }, [total, complete]);

  useEffect(() => {
    if (epoch > 0) apiRef.current?.purgeInfiniteCache();
  }, [epoch]);

  // A new view (a rule switched, a group or time window chosen): every page fetched is stale.
  const shownVersion = useRef(viewVersion);
  useEffect(() => {
    const api = apiRef.current;
    if (api === null || shownVersion.current === viewVersion) return;
    shownVersion.current = viewVersion;
    api.purgeInfiniteCache();
    // Stay on the record being read: its row in the new view, or a note that it is now hidden.
    const sort = api.getColumnState().find((c) => c.sort);
    void followSelection(queryFrom(fileId, sort ? [{ colId: sort.colId, sort: sort.sort! }] : []));
  }, [viewVersion, fileId, followSelection]);

  const openMenuAt = (api: GridApi<RowData>, x: number, y: number): boolean => {
    const cell = api.getFocusedCell();
    if (cell === null) return false;
    const data = api.getDisplayedRowAtIndex(cell.rowIndex)?.data;
    if (data === undefined) return false;
    setMenu({ x, y, row: data, column: cell.column.getColId(), text: cellText(api) ?? '' });
    return true;
  };
  const onCellContextMenu = (event: CellContextMenuEvent<RowData>): void => {
    const mouse = event.event as MouseEvent | null | undefined;
    if (event.data === undefined || event.rowIndex === null) return;
    event.api.setFocusedCell(event.rowIndex, event.column);
    const rect = (mouse?.target as Element | null)?.getBoundingClientRect();
    openMenuAt(event.api, mouse?.clientX ?? rect?.left ?? 0, mouse?.clientY ?? rect?.bottom ?? 0);
  };
  // Shift+F10 and the context-menu key open the same menu for the focused cell.
  const onKeyDown = (event: React.KeyboardEvent<HTMLDivElement>): void => {
    const api = apiRef.current;
    if (api === null) return;
    if (event.key !== 'ContextMenu' && !(event.key === 'F10' && event.shiftKey)) return;
    const cell = document.activeElement?.closest('.ag-cell');
    const rect = cell?.getBoundingClientRect();
    if (openMenuAt(api, rect ? rect.left + 12 : 100, rect ? rect.bottom : 100)) {
      event.preventDefault();
      event.stopPropagation();
    }
  };

  // The row a jump landed on is selected once its block of rows has arrived (AG Grid cannot
  // select a row that is still loading).
  const pendingSelection = useRef<number | null>(null);
  const selectWhenLoaded = useCallback((api: GridApi<RowData>): void => {
    const row = pendingSelection.current;
    if (row === null) return;
    const node = api.getDisplayedRowAtIndex(row);
    if (node?.data === undefined) return;
    pendingSelection.current = null;
    node.setSelected(true, true);
  }, []);

  useEffect(() => {
    const api = apiRef.current;
    if (api === null || scrollRequest === null || scrollRequest.fileId !== fileId) return;
    const row = scrollRequest.row;
    api.ensureIndexVisible(row, 'middle');
    api.setFocusedCell(row, 'line');
    const sort = api.getColumnState().find((c) => c.sort);
    const query = queryFrom(fileId, sort ? [{ colId: sort.colId, sort: sort.sort! }] : []);
    void client.rows(query, row, row + 1).then((page) => {
      const data = page.rows[0];
      if (data) void select(fileId, data.row, data.record);
      pendingSelection.current = row;
      selectWhenLoaded(api);
    });
  }, [scrollRequest, fileId, client, select, selectWhenLoaded]);

  const onGridReady = (event: GridReadyEvent<RowData>): void => {
    apiRef.current = event.api;
    shownTotal.current = 0;
  };
  const onRowClicked = (event: RowClickedEvent<RowData>): void => {
    if (event.data) void select(fileId, event.data.row, event.data.record);
  };
  const onCellFocused = (event: CellFocusedEvent<RowData>): void => {
    if (event.rowIndex === null || event.rowPinned) return;
    const data = event.api.getDisplayedRowAtIndex(event.rowIndex)?.data;
    if (data) void select(fileId, data.row, data.record);
  };
  const onSortChanged = (event: SortChangedEvent<RowData>): void => {
    const sort = event.api.getColumnState().find((c) => c.sort);
    const query = queryFrom(fileId, sort ? [{ colId: sort.colId, sort: sort.sort! }] : []);
    setOrder(fileId, query.order, query.descending);
  };

  return (
    <div className="grid-host" data-testid="grid" onKeyDownCapture={onKeyDown}>
      <AgGridReact<RowData>
        theme={gridTheme}
        rowModelType="infinite"
        datasource={datasource}
        cacheBlockSize={BLOCK_ROWS}
        maxBlocksInCache={40}
        infiniteInitialRowCount={Math.max(1, Math.min(total, BLOCK_ROWS))}
        columnDefs={columns}
        defaultColDef={{ resizable: true, suppressHeaderMenuButton: true }}
        getRowId={(p) => String(p.data.row)}
        rowSelection={{ mode: 'singleRow', checkboxes: false, enableClickSelection: true }}
        animateRows={false}
        onGridReady={onGridReady}
        onRowClicked={onRowClicked}
        onCellFocused={onCellFocused}
        onSortChanged={onSortChanged}
        onCellContextMenu={onCellContextMenu}
        preventDefaultOnContextMenu
        onColumnResized={(event: ColumnResizedEvent<RowData>) => {
          if (event.finished && event.source === 'uiColumnResized') saveLayout(event.api);
        }}
        onColumnMoved={(event: ColumnMovedEvent<RowData>) => {
          if (event.finished && event.source === 'uiColumnMoved') saveLayout(event.api);
        }}
        onModelUpdated={(event) => selectWhenLoaded(event.api)}
        rowBuffer={20}
        overlayNoRowsTemplate={
          !complete
            ? 'Reading…'
            : file.records === 0
              ? 'No records in this file.'
              : 'No rows in this view: the filters, groups or time window leave none of this file.'
        }
      />
      {menu !== null && (
        <GridContextMenu
          request={menu}
          onClose={() => {
            setMenu(null);
            apiRef.current?.setFocusedCell(
              apiRef.current.getFocusedCell()?.rowIndex ?? 0,
              apiRef.current.getFocusedCell()?.column ?? 'line',
            );
          }}
        />
      )}
    </div>
  );
}
