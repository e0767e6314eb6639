/**
 * The menu bar inside the page, for the browser bridge (the desktop app has a native one). It is
 * drawn from the same model as the native menu, so every command is here, with its shortcut, its
 * check mark, and the reason when it cannot run. Keyboard: F10 focuses it; arrows move; Enter or
 * Space chooses; Escape steps back out.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { CSSProperties, KeyboardEvent } from 'react';
import { formatAccelerator } from '../../../shared/commands/accelerator';
import type { CommandId } from '../../../shared/commands/commands';
import { acceleratorFor, commandSpec, pendingReason } from '../../../shared/commands/commands';
import type { MenuNode, TopMenu } from '../../../shared/commands/menu-model';
import { menuModel } from '../../../shared/commands/menu-model';
import { splitPath } from '../../../shared/settings/recent';
import type { CommandContext } from '../commands';
import { commandState, runCommand } from '../commands';
import { useExplore, useSettings, useViewer } from '../store/context';

interface Item {
  readonly key: string;
  readonly label: string;
  readonly shortcut: string | null;
  readonly role: 'menuitem' | 'menuitemcheckbox' | 'menuitemradio';
  readonly checked: boolean | null;
  readonly reason: string | null;
  /** A second line that is not a reason (the folder of a recent file). */
  readonly detail?: string;
  readonly run: (() => void) | null;
  readonly submenu: readonly Entry[] | null;
}
type Entry = Item | { readonly key: string; readonly separator: true };

const isItem = (entry: Entry): entry is Item => !('separator' in entry);

/** Builds the entries of one menu from the model and the current state. */
function useEntries(nodes: readonly MenuNode[], ctx: CommandContext): Entry[] {
  const viewer = useViewer((s) => s);
  const settings = useSettings((s) => s);
  const explore = useExplore((s) => s);
  const build = (list: readonly MenuNode[], prefix: string): Entry[] =>
    list.map((node, i): Entry => {
      const key = `${prefix}${i}`;
      switch (node.type) {
        case 'separator':
        case 'role':
          return { key, separator: true };
        case 'submenu':
          return {
            key,
            label: node.label,
            shortcut: null,
            role: 'menuitem',
            checked: null,
            reason: null,
            run: null,
            submenu: build(node.items, `${key}.`),
          };
        case 'recent': {
          const pending = node.command === undefined ? null : pendingReason(node.command);
          const entries =
            node.list === 'files'
              ? settings.settings.recentFiles
              : settings.settings.recentFilterSets;
          const submenu: Entry[] =
            entries.length === 0
              ? [
                  {
                    key: `${key}.none`,
                    label: node.list === 'files' ? 'No Recent Files' : 'No Recent Filter Sets',
                    shortcut: null,
                    role: 'menuitem',
                    checked: null,
                    reason: 'Nothing opened yet.',
                    run: null,
                    submenu: null,
                  },
                ]
              : entries.map((entry, j) => ({
                  key: `${key}.${j}`,
                  label: splitPath(entry.path).name,
                  detail: splitPath(entry.path).folder,
                  shortcut: null,
                  role: 'menuitem' as const,
                  checked: null,
                  reason: null,
                  run: () => void viewer.openRecentFile(entry.path),
                  submenu: null,
                }));
          submenu.push(
            { key: `${key}.sep`, separator: true },
            {
              key: `${key}.clear`,
              label: 'Clear Recent',
              shortcut: null,
              role: 'menuitem',
              checked: null,
              reason: entries.length === 0 ? 'The list is empty.' : null,
              run: () => void settings.clearRecent(node.list),
              submenu: null,
            },
          );
          return {
            key,
            label: node.label,
            shortcut: null,
            role: 'menuitem',
            checked: null,
            reason: pending,
            run: null,
            submenu: pending === null ? submenu : null,
          };
        }
        case 'command': {
          const id: CommandId = node.command;
          const spec = commandSpec(id);
          const state = commandState(id, ctx.host, viewer, settings, explore);
          const accelerator = acceleratorFor(id, ctx.host, ctx.platform);
          return {
            key,
            label: spec.label,
            shortcut: accelerator === null ? null : formatAccelerator(accelerator, ctx.platform),
            role:
              spec.kind === 'checkbox'
                ? 'menuitemcheckbox'
                : spec.kind === 'radio'
                  ? 'menuitemradio'
                  : 'menuitem',
            checked: state.checked,
            reason: state.reason,
            run: () => runCommand(id, ctx),
            submenu: null,
          };
        }
      }
    });
  return build(nodes, '');
}

/**
 * Where a submenu goes: beside its item, on the side with room. Fixed, so the scrolling of the
 * menu it comes from (long menus at high zoom) cannot clip it.
 */
function submenuStyle(anchor: DOMRect): CSSProperties {
  const top = Math.max(4, Math.min(anchor.top - 5, window.innerHeight - 160));
  const roomRight = window.innerWidth - anchor.right;
  return {
    position: 'fixed',
    top,
    maxHeight: window.innerHeight - top - 4,
    ...(roomRight >= 270 || roomRight >= anchor.left
      ? { left: anchor.right - 4 }
      : { right: window.innerWidth - anchor.left - 4 }),
  };
}

interface OpenSubmenu {
  readonly key: string;
  readonly focus: boolean;
  readonly anchor: DOMRect;
}

function MenuList({
  entries,
  label,
  level,
  anchor,
  focusFirst,
  onClose,
  onSideways,
}: {
  entries: readonly Entry[];
  label: string;
  level: number;
  /** The item a submenu belongs to (null for the menu under the bar). */
  anchor: DOMRect | null;
  focusFirst: boolean;
  /** `done`: an item ran, close everything; `back`: one level up. */
  onClose: (how: 'done' | 'back') => void;
  /** Arrow keys past the edge of a top-level menu: the bar moves to the next menu. */
  onSideways: (step: 1 | -1) => void;
}) {
  const items = entries.filter(isItem);
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const [openSub, setOpenSub] = useState<OpenSubmenu | null>(null);
  const openSubmenu = (item: Item, i: number, focus: boolean): void => {
    const button = refs.current[i];
    if (item.submenu === null || !button) return;
    setOpenSub({ key: item.key, focus, anchor: button.getBoundingClientRect() });
  };

  useEffect(() => {
    if (focusFirst) refs.current[0]?.focus();
  }, [focusFirst]);

  const focusAt = (i: number): void => {
    const n = items.length;
    refs.current[((i % n) + n) % n]?.focus();
  };
  const choose = (item: Item, i: number, viaKeyboard: boolean): void => {
    if (item.submenu !== null) {
      openSubmenu(item, i, viaKeyboard);
      return;
    }
    if (item.reason !== null || item.run === null) return;
    onClose('done');
    item.run();
  };

  const onKeyDown = (e: KeyboardEvent, i: number, item: Item): void => {
    const handled = (): void => {
      e.preventDefault();
      e.stopPropagation();
    };
    switch (e.key) {
      case 'ArrowDown':
        handled();
        focusAt(i + 1);
        return;
      case 'ArrowUp':
        handled();
        focusAt(i - 1);
        return;
      case 'Home':
        handled();
        focusAt(0);
        return;
      case 'End':
        handled();
        focusAt(items.length - 1);
        return;
      case 'Enter':
      case ' ':
        handled();
        choose(item, i, true);
        return;
      case 'ArrowRight':
        handled();
        if (item.submenu !== null) openSubmenu(item, i, true);
        else if (level === 0) onSideways(1);
        return;
      case 'ArrowLeft':
        handled();
        if (level > 0) onClose('back');
        else onSideways(-1);
        return;
      case 'Escape':
        handled();
        onClose('back');
        return;
      case 'Tab':
        onClose('done');
        return;
    }
  };

  let index = -1;
  return (
    <div
      className={`menu-popup level-${level}`}
      role="menu"
      aria-label={label}
      style={anchor === null ? undefined : submenuStyle(anchor)}
    >
      {entries.map((entry) => {
        if (!isItem(entry))
          return <div key={entry.key} className="menu-separator" role="separator" />;
        const i = ++index;
        const disabled = entry.reason !== null || (entry.run === null && entry.submenu === null);
        const reasonId = `${entry.key}-reason`;
        return (
          <div key={entry.key} className="menu-item-wrap">
            <button
              ref={(el) => {
                refs.current[i] = el;
              }}
              type="button"
              role={entry.role}
              className="menu-item"
              tabIndex={-1}
              aria-checked={entry.checked === null ? undefined : entry.checked}
              aria-disabled={disabled || undefined}
              aria-haspopup={entry.submenu !== null ? 'menu' : undefined}
              aria-expanded={entry.submenu !== null ? openSub?.key === entry.key : undefined}
              aria-describedby={entry.reason !== null ? reasonId : undefined}
              onClick={() => choose(entry, i, false)}
              onMouseEnter={() => {
                refs.current[i]?.focus();
                if (entry.submenu !== null) openSubmenu(entry, i, false);
                else setOpenSub(null);
              }}
              onKeyDown={(e) => onKeyDown(e, i, entry)}
            >
              <span className="menu-check" aria-hidden="true">
                {entry.checked === true ? (entry.role === 'menuitemradio' ? '●' : '✓') : ''}
              </span>
              <span className="menu-label">
                {entry.label}
                {entry.reason !== null && (
                  <span className="menu-reason" id={reasonId}>
                    {entry.reason}
                  </span>
                )}
                {entry.detail !== undefined && <span className="menu-detail">{entry.detail}</span>}
              </span>
              <span className="menu-shortcut">{entry.submenu !== null ? '▸' : entry.shortcut}</span>
            </button>
            {entry.submenu !== null && openSub?.key === entry.key && (
              <MenuList
                entries={entry.submenu}
                label={entry.label}
                level={level + 1}
                anchor={openSub.anchor}
                focusFirst={openSub.focus}
                onClose={(how) => {
                  setOpenSub(null);
                  if (how === 'done') onClose('done');
                  else refs.current[i]?.focus();
                }}
                onSideways={onSideways}
              />
            )}
          </div>
        );
      })}
    </div>
  );
}

function TopMenuPopup({
  menu,
  ctx,
  focusFirst,
  onClose,
  onSideways,
}: {
  menu: TopMenu;
  ctx: CommandContext;
  focusFirst: boolean;
  onClose: (how: 'done' | 'back') => void;
  onSideways: (step: 1 | -1) => void;
}) {
  const entries = useEntries(menu.items, ctx);
  return (
    <MenuList
      entries={entries}
      label={menu.label}
      level={0}
      anchor={null}
      focusFirst={focusFirst}
      onClose={onClose}
      onSideways={onSideways}
    />
  );
}

export function MenuBar({ ctx, focusRequest }: { ctx: CommandContext; focusRequest: number }) {
  const menus = useMemo(() => menuModel(ctx.platform, 'bridge'), [ctx.platform]);
  const [open, setOpen] = useState<{ index: number; focus: boolean } | null>(null);
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const bar = useRef<HTMLDivElement>(null);
  const [current, setCurrent] = useState(0);

  useEffect(() => {
    if (focusRequest > 0) buttons.current[0]?.focus();
  }, [focusRequest]);

  useEffect(() => {
    if (open === null) return;
    const outside = (e: MouseEvent): void => {
      if (!bar.current?.contains(e.target as Node)) setOpen(null);
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [open]);

  const move = (step: 1 | -1, keepOpen: boolean): void => {
    const next = ((((open?.index ?? current) + step) % menus.length) + menus.length) % menus.length;
    setCurrent(next);
    buttons.current[next]?.focus();
    setOpen(keepOpen ? { index: next, focus: true } : null);
  };

  const onBarKey = (e: KeyboardEvent, i: number): void => {
    const handled = (): void => {
      e.preventDefault();
      e.stopPropagation();
    };
    switch (e.key) {
      case 'ArrowRight':
        handled();
        move(1, open !== null);
        return;
      case 'ArrowLeft':
        handled();
        move(-1, open !== null);
        return;
      case 'ArrowDown':
      case 'Enter':
      case ' ':
        handled();
        setOpen({ index: i, focus: true });
        return;
      case 'Escape':
        handled();
        setOpen(null);
        buttons.current[i]?.blur();
        return;
    }
  };

  return (
    <div className="menubar" role="menubar" aria-label="Menu" ref={bar}>
      {menus.map((menu, i) => (
        <div key={menu.id} className="menubar-entry">
          <button
            ref={(el) => {
              buttons.current[i] = el;
            }}
            type="button"
            role="menuitem"
            className={`menubar-button ${open?.index === i ? 'open' : ''}`}
            tabIndex={i === current ? 0 : -1}
            aria-haspopup="menu"
            aria-expanded={open?.index === i}
            onClick={() => setOpen(open?.index === i ? null : { index: i, focus: false })}
            onMouseEnter={() => {
              if (open !== null && open.index !== i) setOpen({ index: i, focus: false });
            }}
            onFocus={() => setCurrent(i)}
            onKeyDown={(e) => onBarKey(e, i)}
          >
            {menu.label}
          </button>
          {open?.index === i && (
            <TopMenuPopup
              menu={menu}
              ctx={ctx}
              focusFirst={open.focus}
              onClose={(how) => {
                setOpen(null);
                if (how === 'back') buttons.current[i]?.focus();
              }}
              onSideways={(step) => move(step, true)}
            />
          )}
        </div>
      ))}
    </div>
  );
}
