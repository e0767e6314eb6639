/** Light or dark, following the operating system; the grid and our CSS read the same attribute. */
export function applyTheme(): void {
  const query = window.matchMedia('(prefers-color-scheme: dark)');
  const apply = (): void => {
    const mode = query.matches ? 'dark' : 'light';
    document.documentElement.dataset.theme = mode;
    document.body.dataset.agThemeMode = mode;
  };
  apply();
  query.addEventListener('change', apply);
}
