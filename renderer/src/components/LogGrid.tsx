/**
 * The record grid: AG Grid's infinite row model (community edition) asking the worker for the
 * window of rows on screen, never the whole log. Sorting is by line or by time, done by the
 * worker; the row count grows while the file loads. Cell values are rendered as text only.
 */
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type {
  CellFocusedEvent,
  ColDef,
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
import { formatTime } from '../display';
import { useClient, useProgress, useViewer } from '../store/context';
import { viewOf } from '../store/viewer-store';
import { gridTheme } from '../theme';

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

const TITLES: Record<CommonColumn, string> = {
  time: 'Time (UTC)',
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
  srcIp: 156,
  level: 100,
  code: 110,
  source: 140,
  host: 180,
  certHost: 180,
};

function columnDefs(columns: readonly CommonColumn[], showRaw: boolean): ColDef<RowData>[] {
  const defs: ColDef<RowData>[] = [
    {
      colId: 'line',
      headerName: 'Line',
      field: 'line',
      width: 96,
      sortable: true,
      type: 'rightAligned',
    },
  ];
  const shown = columns.length > 0 ? columns : (['time', 'message'] as const);
  for (const c of shown) {
    if (c === 'message') continue;
    if (c === 'time')
      defs.push({
        colId: 'time',
        headerName: TITLES.time,
        field: 'time',
        width: WIDTHS.time,
        sortable: true,
        valueFormatter: (p) => formatTime((p.value as number | null | undefined) ?? null),
      });
    else
      defs.push({
        colId: c,
        headerName: TITLES[c],
        field: c,
        width: WIDTHS[c] ?? 140,
        sortable: false,
      });
  }
  defs.push({
    colId: 'marks',
    headerName: 'Tags',
    width: 170,
    sortable: false,
    cellRenderer: MarksCell,
  });
  defs.push(
    showRaw
      ? {
          colId: 'raw',
          headerName: 'Raw record',
          field: 'raw',
          flex: 1,
          minWidth: 320,
          sortable: false,
        }
      : {
          colId: 'message',
          headerName: TITLES.message,
          field: 'message',
          flex: 1,
          minWidth: 320,
          sortable: false,
        },
  );
  return defs;
}

export function LogGrid({ file, showRaw }: { file: FileSummary; showRaw: boolean }) {
  const client = useClient();
  const apiRef = useRef<GridApi<RowData> | null>(null);
  const fileId = file.id;
  const epoch = useViewer((s) => viewOf(s, fileId).epoch);
  const setOrder = useViewer((s) => s.setOrder);
  const select = useViewer((s) => s.select);
  const scrollRequest = useViewer((s) => s.scrollRequest);
  const records = useProgress((s) => s.progress[fileId]?.records ?? 0);
  const complete = file.state !== 'loading';
  const total = complete ? file.records : Math.max(records, file.records);
  const datasource = useMemo<IDatasource>(
    () => ({
      getRows: (params) => {
        client
          .rows(queryFrom(fileId, params.sortModel), params.startRow, params.endRow)
          .then((page) => {
            params.successCallback([...page.rows], page.total);
          })
          .catch(() => params.failCallback());
      },
    }),
    [client, fileId],
  );

  const columns = useMemo(() => columnDefs(file.columns, showRaw), [file.columns, showRaw]);

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
    <div className="grid-host" data-testid="grid">
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
        onModelUpdated={(event) => selectWhenLoaded(event.api)}
        rowBuffer={20}
        overlayNoRowsTemplate={complete ? 'No records in this file.' : 'Reading…'}
      />
    </div>
  );
}
