/**
 * The menu of a grid cell (right-click, Shift+F10 or the context-menu key): hide rows like this
 * one — by source IP, its subnet, certificate host, host, tag, code, source or level — or copy
 * the cell. Each hide choice adds one rule to the filter set (undoable like any edit).
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { RowData } from '../../../shared/api';
import { describeError } from '../api/client';
import { hideChoices, ruleOf } from '../explore/hide-rules';
import { useClient, useStores } from '../store/context';

export interface ContextMenuRequest {
  /** Where to open, in viewport pixels. */
  readonly x: number;
  readonly y: number;
  readonly row: RowData;
  /** Column id of the cell. */
  readonly column: string;
  /** The cell's text as shown (for Copy). */
  readonly text: string;
}

interface Item {
  readonly label: string;
  readonly run: () => void;
}

export function GridContextMenu({
  request,
  onClose,
}: {
  request: ContextMenuRequest;
  onClose: () => void;
}) {
  const client = useClient();
  const { filters, viewer } = useStores();
  const menu = useRef<HTMLDivElement>(null);
  const [place, setPlace] = useState({ left: request.x, top: request.y });

  const notify = viewer.getState().notify;
  const items: Item[] = [
    ...hideChoices(request.row, request.column).map((choice) => ({
      label: choice.label,
      run: () => {
        const set = filters.getState().set;
        const rule = ruleOf(choice, set);
        const result = filters.getState().change([{ type: 'add-rule', rule }]);
        if (!result.ok)
          notify('error', result.error[0] ?? { code: 'filterset.invalid', message: 'Not added.' });
      },
    })),
    {
      label: 'Copy',
      run: () => {
        client
          .copyText(request.text)
          .catch((error: unknown) => notify('error', describeError(error)));
      },
    },
  ];

  // Keep the menu on screen: open upwards or to the left when there is no room.
  useLayoutEffect(() => {
    const box = menu.current?.getBoundingClientRect();
    if (box === undefined) return;
    setPlace({
      left: Math.max(4, Math.min(request.x, window.innerWidth - box.width - 4)),
      top: Math.max(4, Math.min(request.y, window.innerHeight - box.height - 4)),
    });
  }, [request.x, request.y]);

  useEffect(() => {
    menu.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const away = (event: MouseEvent): void => {
      if (!menu.current?.contains(event.target as Node)) onClose();
    };
    window.addEventListener('mousedown', away, true);
    return () => window.removeEventListener('mousedown', away, true);
  }, [onClose]);

  const move = (delta: number): void => {
    const entries = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const at = entries.indexOf(document.activeElement as HTMLElement);
    entries[(at + delta + entries.length) % entries.length]?.focus();
  };

  return (
    <div
      ref={menu}
      className="menu-popup context-menu"
      role="menu"
      aria-label="Row actions"
      style={{ left: place.left, top: place.top }}
      onKeyDown={(e) => {
        e.stopPropagation();
        if (e.key === 'Escape' || e.key === 'Tab') {
          e.preventDefault();
          onClose();
        } else if (e.key === 'ArrowDown') {
          e.preventDefault();
          move(1);
        } else if (e.key === 'ArrowUp') {
          e.preventDefault();
          move(-1);
        } else if (e.key === 'Home' || e.key === 'End') {
          e.preventDefault();
          const entries = menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]');
          entries?.[e.key === 'Home' ? 0 : entries.length - 1]?.focus();
        }
      }}
      onContextMenu={(e) => e.preventDefault()}
    >
      {items.map((item, i) => (
        <button
          key={i}
          type="button"
          role="menuitem"
          className="menu-item"
          tabIndex={-1}
          onClick={() => {
            item.run();
            onClose();
          }}
        >
          <span className="menu-check" aria-hidden="true" />
          <span className="menu-label">{item.label}</span>
        </button>
      ))}
    </div>
  );
}
