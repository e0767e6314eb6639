/** Where the window opens: where it was, unless that place can no longer be reached. */
import { describe, expect, it } from 'vitest';
import { boundsToSave, placeWindow } from '../../electron/desktop/window-state';

const DEFAULTS = { width: 1280, height: 820, minWidth: 720, minHeight: 480 };
const LAPTOP = { x: 0, y: 0, width: 1440, height: 876 };
const RIGHT = { x: 1440, y: -200, width: 2560, height: 1400 };
const LEFT = { x: -1920, y: 0, width: 1920, height: 1040 };

describe('window placement', () => {
  it('centres the default size on the primary screen the first time', () => {
    expect(placeWindow(null, [LAPTOP], LAPTOP, DEFAULTS)).toEqual({
      bounds: { x: 80, y: 28, width: 1280, height: 820 },
      maximized: false,
    });
  });

  it('never opens larger than a small screen', () => {
    const small = { x: 0, y: 0, width: 1024, height: 600 };
    expect(placeWindow(null, [small], small, DEFAULTS).bounds).toEqual({
      x: 0,
      y: 0,
      width: 1024,
      height: 600,
    });
  });

  it('opens where it was, on any screen, even left of the primary', () => {
    const onRight = { x: 2000, y: 100, width: 1600, height: 1000, maximized: false };
    expect(placeWindow(onRight, [LAPTOP, RIGHT], LAPTOP, DEFAULTS)).toEqual({
      bounds: { x: 2000, y: 100, width: 1600, height: 1000 },
      maximized: false,
    });
    const onLeft = { x: -1800, y: 50, width: 1200, height: 800, maximized: true };
    expect(placeWindow(onLeft, [LEFT, LAPTOP], LAPTOP, DEFAULTS)).toEqual({
      bounds: { x: -1800, y: 50, width: 1200, height: 800 },
      maximized: true,
    });
  });

  it('comes back to the primary screen when its screen was unplugged', () => {
    const onRight = { x: 2000, y: 100, width: 1600, height: 1000, maximized: true };
    const placed = placeWindow(onRight, [LAPTOP], LAPTOP, DEFAULTS);
    expect(placed.maximized).toBe(true);
    expect(placed.bounds).toEqual({ x: 0, y: 0, width: 1440, height: 876 });
  });

  it('pulls a window whose title bar is barely on screen back into reach', () => {
    const hanging = { x: 1380, y: 300, width: 1000, height: 600, maximized: false };
    // Only 60 px of the title bar are on the laptop screen: not enough to grab.
    const placed = placeWindow(hanging, [LAPTOP], LAPTOP, DEFAULTS);
    expect(placed.bounds).toEqual({ x: 220, y: 138, width: 1000, height: 600 });
  });

  it('moves a window whose title bar went above the screen down into it', () => {
    const high = { x: 100, y: -20, width: 900, height: 700, maximized: false };
    expect(placeWindow(high, [LAPTOP], LAPTOP, DEFAULTS).bounds).toEqual({
      x: 100,
      y: 0,
      width: 900,
      height: 700,
    });
  });

  it('shrinks a window larger than its screen now (resolution dropped)', () => {
    const big = { x: 0, y: 0, width: 2400, height: 1400, maximized: false };
    expect(placeWindow(big, [LAPTOP], LAPTOP, DEFAULTS).bounds).toEqual(LAPTOP);
  });

  it('saves whole pixels of the normal bounds', () => {
    expect(boundsToSave({ x: 10.4, y: 20.6, width: 999.5, height: 700.2 }, true)).toEqual({
      x: 10,
      y: 21,
      width: 1000,
      height: 700,
      maximized: true,
    });
  });
});
