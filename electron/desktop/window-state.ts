/**
 * Where the window opens: where it was last time, unless that place is gone (a monitor was
 * unplugged, the resolution dropped, the dock moved). The rule: the window's title bar must be
 * on a screen, far enough to grab; otherwise it opens centred on the screen it was mostly on, or
 * on the primary one. It is never larger than the screen it opens on. Plain maths, no Electron.
 */
import type { WindowBounds } from '../../shared/settings/settings';

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface WindowDefaults {
  readonly width: number;
  readonly height: number;
  readonly minWidth: number;
  readonly minHeight: number;
}

export interface Placement {
  readonly bounds: Rect;
  readonly maximized: boolean;
}

/** How much of the title bar must be on a screen for the saved place to count as reachable. */
export const TITLE_BAR_HEIGHT = 32;
export const MIN_GRAB_WIDTH = 120;

function intersection(a: Rect, b: Rect): Rect | null {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  const right = Math.min(a.x + a.width, b.x + b.width);
  const bottom = Math.min(a.y + a.height, b.y + b.height);
  return right > x && bottom > y ? { x, y, width: right - x, height: bottom - y } : null;
}

const area = (r: Rect | null): number => (r === null ? 0 : r.width * r.height);

function sized(width: number, height: number, screen: Rect, defaults: WindowDefaults) {
  return {
    width: Math.max(Math.min(width, screen.width), Math.min(defaults.minWidth, screen.width)),
    height: Math.max(Math.min(height, screen.height), Math.min(defaults.minHeight, screen.height)),
  };
}

function centred(width: number, height: number, screen: Rect, defaults: WindowDefaults): Rect {
  const size = sized(width, height, screen, defaults);
  return {
    x: Math.round(screen.x + (screen.width - size.width) / 2),
    y: Math.round(screen.y + (screen.height - size.height) / 2),
    ...size,
  };
}

const clamp = (value: number, min: number, max: number): number =>
  Math.min(Math.max(value, min), Math.max(min, max));

/**
 * @param saved where the window was (null on first start)
 * @param workAreas every screen's work area (without task bar or dock), in DIP
 * @param primary the primary screen's work area
 */
export function placeWindow(
  saved: WindowBounds | null,
  workAreas: readonly Rect[],
  primary: Rect,
  defaults: WindowDefaults,
): Placement {
  if (saved === null)
    return {
      bounds: centred(defaults.width, defaults.height, primary, defaults),
      maximized: false,
    };

  const titleBar: Rect = { x: saved.x, y: saved.y, width: saved.width, height: TITLE_BAR_HEIGHT };
  let best: Rect | null = null;
  let bestGrab = 0;
  for (const screen of workAreas) {
    const grab = intersection(titleBar, screen);
    if (grab !== null && grab.width >= MIN_GRAB_WIDTH && grab.width > bestGrab) {
      best = screen;
      bestGrab = grab.width;
    }
  }
  if (best !== null) {
    const size = sized(saved.width, saved.height, best, defaults);
    return {
      bounds: {
        x: clamp(saved.x, best.x, best.x + best.width - size.width),
        y: clamp(saved.y, best.y, best.y + best.height - size.height),
        ...size,
      },
      maximized: saved.maximized,
    };
  }
  // Unreachable where it was: centre it on the screen it overlaps most, else the primary.
  let home = primary;
  let homeArea = 0;
  for (const screen of workAreas) {
    const overlap = area(intersection(saved, screen));
    if (overlap > homeArea) {
      home = screen;
      homeArea = overlap;
    }
  }
  return { bounds: centred(saved.width, saved.height, home, defaults), maximized: saved.maximized };
}

/** What to save: the window's normal (not maximized) bounds, in whole pixels. */
export function boundsToSave(normal: Rect, maximized: boolean): WindowBounds {
  return {
    x: Math.round(normal.x),
    y: Math.round(normal.y),
    width: Math.max(100, Math.round(normal.width)),
    height: Math.max(100, Math.round(normal.height)),
    maximized,
  };
}
