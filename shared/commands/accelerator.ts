/**
 * Keyboard shortcuts written once, in Electron's accelerator syntax (`CmdOrCtrl+Shift+C`, `F4`,
 * `CmdOrCtrl+,`): the native menu shows and registers them, the renderer matches key events
 * against the same strings, and the shortcut list prints them the platform's way.
 */

export interface Accelerator {
  /** Cmd on macOS, Ctrl elsewhere. */
  readonly primary: boolean;
  /** Ctrl even on macOS (where `primary` is Cmd). */
  readonly control: boolean;
  readonly alt: boolean;
  readonly shift: boolean;
  /** The key: a lower-case letter or digit, `F1`…`F24`, a named key, or one punctuation character. */
  readonly key: string;
}

const NAMED_KEYS = new Map<string, string>([
  ['plus', '+'],
  ['space', ' '],
  ['tab', 'Tab'],
  ['enter', 'Enter'],
  ['return', 'Enter'],
  ['esc', 'Escape'],
  ['escape', 'Escape'],
  ['backspace', 'Backspace'],
  ['delete', 'Delete'],
  ['insert', 'Insert'],
  ['home', 'Home'],
  ['end', 'End'],
  ['pageup', 'PageUp'],
  ['pagedown', 'PageDown'],
  ['up', 'ArrowUp'],
  ['down', 'ArrowDown'],
  ['left', 'ArrowLeft'],
  ['right', 'ArrowRight'],
]);

const PUNCTUATION = new Set([',', '.', '/', ';', "'", '[', ']', '\\', '-', '=', '`']);

/** Parses an accelerator; throws on one the app should never contain (tests check every one). */
export function parseAccelerator(text: string): Accelerator {
  // "CmdOrCtrl+Plus" and "CmdOrCtrl+=" both occur; a lone "+" key is written "Plus".
  const parts = text.split('+');
  const keyPart = parts.pop();
  if (keyPart === undefined || keyPart === '') throw new Error(`No key in accelerator "${text}"`);
  let primary = false;
  let control = false;
  let alt = false;
  let shift = false;
  for (const part of parts) {
    switch (part.toLowerCase()) {
      case 'cmdorctrl':
      case 'commandorcontrol':
        primary = true;
        break;
      case 'ctrl':
      case 'control':
        control = true;
        break;
      case 'alt':
      case 'option':
        alt = true;
        break;
      case 'shift':
        shift = true;
        break;
      default:
        throw new Error(`Unknown modifier "${part}" in accelerator "${text}"`);
    }
  }
  let key: string;
  const lower = keyPart.toLowerCase();
  if (/^[a-z0-9]$/.test(lower)) key = lower;
  else if (/^f([1-9]|1[0-9]|2[0-4])$/.test(lower)) key = keyPart.toUpperCase();
  else if (NAMED_KEYS.has(lower)) key = NAMED_KEYS.get(lower)!;
  else if (PUNCTUATION.has(keyPart)) key = keyPart;
  else throw new Error(`Unknown key "${keyPart}" in accelerator "${text}"`);
  return { primary, control, alt, shift, key };
}

/** The parts of a DOM KeyboardEvent that matching needs (shared/ has no DOM types). */
export interface KeyStroke {
  readonly key: string;
  /** The physical key (`KeyC`, `Digit0`), for layouts whose letters are not Latin. */
  readonly code: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  readonly shiftKey: boolean;
}

export function isMac(platform: string): boolean {
  return platform === 'darwin';
}

/** Whether a key stroke is this accelerator on this platform. */
export function matchesAccelerator(
  accelerator: Accelerator,
  stroke: KeyStroke,
  platform: string,
): boolean {
  const mac = isMac(platform);
  const wantMeta = mac && accelerator.primary;
  const wantCtrl = accelerator.control || (!mac && accelerator.primary);
  if (stroke.metaKey !== wantMeta || stroke.ctrlKey !== wantCtrl) return false;
  if (stroke.altKey !== accelerator.alt) return false;
  const key = accelerator.key;
  if (key === '+') {
    // Zoom-in style: "+" is Shift+= on most layouts; Ctrl+= counts too, as browsers do.
    return stroke.key === '+' || (stroke.key === '=' && !accelerator.shift);
  }
  if (stroke.shiftKey !== accelerator.shift) return false;
  if (/^[a-z]$/.test(key))
    return stroke.key.toLowerCase() === key || stroke.code === `Key${key.toUpperCase()}`;
  if (/^[0-9]$/.test(key)) return stroke.key === key || stroke.code === `Digit${key}`;
  return stroke.key === key;
}

const MAC_SYMBOLS = { primary: '⌘', control: '⌃', alt: '⌥', shift: '⇧' } as const;

const KEY_NAMES: Record<string, string> = {
  ' ': 'Space',
  '+': 'Plus',
  '-': 'Minus',
  ArrowUp: '↑',
  ArrowDown: '↓',
  ArrowLeft: '←',
  ArrowRight: '→',
  Escape: 'Esc',
};

/** How the accelerator is written for people on this platform: `Ctrl+Shift+C` or `⇧⌘C`. */
export function formatAccelerator(text: string, platform: string): string {
  const a = parseAccelerator(text);
  const key = KEY_NAMES[a.key] ?? (a.key.length === 1 ? a.key.toUpperCase() : a.key);
  if (isMac(platform)) {
    const symbol = a.key === '+' ? '+' : a.key === '-' ? '−' : key;
    return (
      (a.control ? MAC_SYMBOLS.control : '') +
      (a.alt ? MAC_SYMBOLS.alt : '') +
      (a.shift ? MAC_SYMBOLS.shift : '') +
      (a.primary ? MAC_SYMBOLS.primary : '') +
      symbol
    );
  }
  const parts: string[] = [];
  if (a.primary || a.control) parts.push('Ctrl');
  if (a.alt) parts.push('Alt');
  if (a.shift) parts.push('Shift');
  parts.push(key);
  return parts.join('+');
}
