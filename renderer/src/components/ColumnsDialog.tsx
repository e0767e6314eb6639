/**
 * View ▸ Columns: which columns the grid shows and in what order, for the file's format. The
 * keyboard way to do what dragging a header does; kept with the other layout settings.
 */
import type { FileSummary } from '../../../shared/api';
import { arrangeColumns } from '../../../shared/settings/column-layout';
import type { ColumnLayoutEntry } from '../../../shared/settings/settings';
import { layoutKey } from '../commands';
import { useSettings, useViewer } from '../store/context';
import { Dialog } from './Dialog';
import { gridColumns } from './LogGrid';

export function ColumnsDialog({ file }: { file: FileSummary }) {
  const setDialog = useViewer((s) => s.setDialog);
  const formats = useViewer((s) => s.formats);
  const formatTitle = formats.find((f) => f.id === file.format)?.title ?? 'this file';
  const settings = useSettings((s) => s.settings);
  const change = useSettings((s) => s.change);
  const key = layoutKey(file);
  const available = gridColumns(file.columns, settings.showRaw, settings.displayTimeZone);
  const layout = arrangeColumns(available, settings.columnLayouts[key]);
  const titles = new Map(available.map((c) => [c.id, c.title]));
  const visible = layout.filter((c) => !c.hidden).length;
  const save = (columns: ColumnLayoutEntry[]): void =>
    void change({ columnLayout: { key, columns } });
  const move = (i: number, step: -1 | 1): void => {
    const next = [...layout];
    const [entry] = next.splice(i, 1);
    next.splice(i + step, 0, entry!);
    save(next);
  };

  return (
    <Dialog
      title={`Columns: ${formatTitle}`}
      onClose={() => setDialog(null)}
      testId="columns"
      buttons={
        <>
          <button onClick={() => void change({ columnLayout: { key, columns: null } })}>
            Reset to defaults
          </button>
          <button onClick={() => setDialog(null)}>Close</button>
        </>
      }
    >
      <p className="hint">
        Shown left to right in this order; the layout is kept for every {formatTitle} file.
      </p>
      <ol className="column-list">
        {layout.map((entry, i) => {
          const title = titles.get(entry.id) ?? entry.id;
          return (
            <li key={entry.id}>
              <label className="choice">
                <input
                  type="checkbox"
                  checked={!entry.hidden}
                  // One column always stays, or the grid would be empty.
                  disabled={!entry.hidden && visible === 1}
                  data-autofocus={i === 0 ? '' : undefined}
                  onChange={(e) =>
                    save(
                      layout.map((c) =>
                        c.id === entry.id ? { ...c, hidden: !e.target.checked } : c,
                      ),
                    )
                  }
                />
                {title}
              </label>
              <span className="column-moves">
                <button
                  aria-label={`Move ${title} earlier`}
                  title="Earlier (further left in the grid)"
                  disabled={i === 0}
                  onClick={() => move(i, -1)}
                >
                  ↑
                </button>
                <button
                  aria-label={`Move ${title} later`}
                  title="Later (further right in the grid)"
                  disabled={i === layout.length - 1}
                  onClick={() => move(i, 1)}
                >
                  ↓
                </button>
              </span>
            </li>
          );
        })}
      </ol>
    </Dialog>
  );
}
