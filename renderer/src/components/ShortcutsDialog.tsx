/** Help ▸ Keyboard Shortcuts: every command of the menus, with its shortcut where the UI runs. */
import { formatAccelerator } from '../../../shared/commands/accelerator';
import type { Host } from '../../../shared/commands/commands';
import { acceleratorFor, commandSpec, pendingReason } from '../../../shared/commands/commands';
import { commandsOf, menuModel } from '../../../shared/commands/menu-model';
import { useViewer } from '../store/context';
import { Dialog } from './Dialog';

/** Keys that work without a menu item: the grid's own, and the in-window menu's. */
const GRID_KEYS: readonly (readonly [string, string])[] = [
  ['↑ ↓', 'Previous or next row (the record pane follows)'],
  ['Page Up / Page Down', 'A screen of rows up or down'],
  ['Ctrl+Home / Ctrl+End', 'First or last row'],
  ['← →', 'Previous or next column'],
  ['Tab', 'Next part of the window'],
];

export function ShortcutsDialog({ host, platform }: { host: Host; platform: string }) {
  const setDialog = useViewer((s) => s.setDialog);
  const commands = commandsOf(menuModel(platform, host));
  return (
    <Dialog title="Keyboard shortcuts" onClose={() => setDialog(null)} testId="shortcuts" wide>
      <table className="shortcuts">
        <tbody>
          {commands.map((id) => {
            const accelerator = acceleratorFor(id, host, platform);
            const spec = commandSpec(id);
            const pending = pendingReason(id);
            return (
              <tr key={id} className={pending === null ? '' : 'pending'}>
                <th scope="row">{spec.label.replace('…', '')}</th>
                <td className="keys">
                  {accelerator === null ? (
                    ''
                  ) : (
                    <kbd>{formatAccelerator(accelerator, platform)}</kbd>
                  )}
                </td>
                <td>
                  {spec.description}
                  {pending !== null && <span className="hint"> ({pending})</span>}
                </td>
              </tr>
            );
          })}
          {host === 'bridge' && (
            <tr>
              <th scope="row">Menu</th>
              <td className="keys">
                <kbd>F10</kbd>
              </td>
              <td>Go to the menu bar (then arrows, Enter, Escape)</td>
            </tr>
          )}
          {GRID_KEYS.map(([keys, what]) => (
            <tr key={keys}>
              <th scope="row">Grid</th>
              <td className="keys">
                <kbd>{platform === 'darwin' ? keys.replaceAll('Ctrl+', '⌘') : keys}</kbd>
              </td>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}
