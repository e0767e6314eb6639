/**
 * Light or dark: the user's choice in the settings, or the operating system's (followed as it
 * changes). Our CSS and the grid read the same attributes. In the desktop app the main process
 * also sets Electron's nativeTheme, so native menus and dialogs match.
 */
import type { ThemeChoice } from '../../shared/settings/settings';

export type ThemeMode = 'light' | 'dark';

const query = (): MediaQueryList => window.matchMedia('(prefers-color-scheme: dark)');

export function effectiveTheme(choice: ThemeChoice, systemDark: boolean): ThemeMode {
  if (choice === 'system') return systemDark ? 'dark' : 'light';
  return choice;
}

let choice: ThemeChoice = 'system';
let following = false;

function apply(): void {
  const mode = effectiveTheme(choice, query().matches);
  document.documentElement.dataset.theme = mode;
  document.documentElement.style.colorScheme = mode;
  document.body.dataset.agThemeMode = mode;
}

/** Applies a theme choice now and whenever the operating system switches (for `system`). */
export function applyTheme(next: ThemeChoice): void {
  choice = next;
  if (!following) {
    following = true;
    query().addEventListener('change', apply);
  }
  apply();
}
