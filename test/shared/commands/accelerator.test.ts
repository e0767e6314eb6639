/** Shortcuts: one string per command, matched and printed the way each platform does. */
import { describe, expect, it } from 'vitest';
import type { KeyStroke } from '../../../shared/commands/accelerator';
import {
  formatAccelerator,
  matchesAccelerator,
  parseAccelerator,
} from '../../../shared/commands/accelerator';
import { COMMANDS } from '../../../shared/commands/commands';

function stroke(key: string, mods: Partial<KeyStroke> = {}): KeyStroke {
  return {
    key,
    code: /^[a-z]$/i.test(key) ? `Key${key.toUpperCase()}` : '',
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    shiftKey: false,
    ...mods,
  };
}

describe('accelerators', () => {
  it('parses every shortcut the commands use', () => {
    for (const spec of Object.values(COMMANDS))
      for (const a of [
        'accelerator' in spec ? spec.accelerator : undefined,
        'macAccelerator' in spec ? spec.macAccelerator : undefined,
        'bridgeAccelerator' in spec ? spec.bridgeAccelerator : undefined,
      ])
        if (typeof a === 'string') expect(() => parseAccelerator(a), a).not.toThrow();
  });

  it('refuses what Electron would not understand', () => {
    for (const bad of ['', 'CmdOrCtrl+', 'Hyper+O', 'CmdOrCtrl+Ö', 'F25'])
      expect(() => parseAccelerator(bad)).toThrow();
  });

  it('means Ctrl on Windows and Linux, Cmd on macOS', () => {
    const open = parseAccelerator('CmdOrCtrl+O');
    expect(matchesAccelerator(open, stroke('o', { ctrlKey: true }), 'linux')).toBe(true);
    expect(matchesAccelerator(open, stroke('o', { ctrlKey: true }), 'win32')).toBe(true);
    expect(matchesAccelerator(open, stroke('o', { metaKey: true }), 'darwin')).toBe(true);
    expect(matchesAccelerator(open, stroke('o', { ctrlKey: true }), 'darwin')).toBe(false);
    expect(matchesAccelerator(open, stroke('o', { metaKey: true }), 'linux')).toBe(false);
  });

  it('tells Shift, Alt and plain keys apart', () => {
    const copyRow = parseAccelerator('CmdOrCtrl+Shift+C');
    expect(
      matchesAccelerator(copyRow, stroke('C', { ctrlKey: true, shiftKey: true }), 'linux'),
    ).toBe(true);
    expect(matchesAccelerator(copyRow, stroke('c', { ctrlKey: true }), 'linux')).toBe(false);
    expect(
      matchesAccelerator(parseAccelerator('Alt+W'), stroke('w', { altKey: true }), 'linux'),
    ).toBe(true);
    expect(matchesAccelerator(parseAccelerator('F4'), stroke('F4'), 'linux')).toBe(true);
    expect(
      matchesAccelerator(parseAccelerator('F4'), stroke('F4', { ctrlKey: true }), 'linux'),
    ).toBe(false);
  });

  it('finds letters by their key position on layouts without Latin letters', () => {
    const russianO = { ...stroke('щ', { ctrlKey: true }), code: 'KeyO' };
    expect(matchesAccelerator(parseAccelerator('CmdOrCtrl+O'), russianO, 'linux')).toBe(true);
  });

  it('takes Ctrl+= as Ctrl+Plus, as browsers do', () => {
    const zoomIn = parseAccelerator('CmdOrCtrl+Plus');
    expect(matchesAccelerator(zoomIn, stroke('=', { ctrlKey: true }), 'linux')).toBe(true);
    expect(
      matchesAccelerator(zoomIn, stroke('+', { ctrlKey: true, shiftKey: true }), 'linux'),
    ).toBe(true);
  });

  it('prints shortcuts the platform way', () => {
    expect(formatAccelerator('CmdOrCtrl+Shift+C', 'linux')).toBe('Ctrl+Shift+C');
    expect(formatAccelerator('CmdOrCtrl+Shift+C', 'darwin')).toBe('⇧⌘C');
    expect(formatAccelerator('Ctrl+CmdOrCtrl+F', 'darwin')).toBe('⌃⌘F');
    expect(formatAccelerator('CmdOrCtrl+,', 'win32')).toBe('Ctrl+,');
    expect(formatAccelerator('CmdOrCtrl+Plus', 'win32')).toBe('Ctrl+Plus');
    expect(formatAccelerator('CmdOrCtrl+-', 'linux')).toBe('Ctrl+Minus');
    expect(formatAccelerator('CmdOrCtrl+Plus', 'darwin')).toBe('⌘+');
    expect(formatAccelerator('F4', 'darwin')).toBe('F4');
  });
});
