/** The grid's theme: AG Grid's Quartz, following the app's light/dark choice (data-ag-theme-mode). */
import { colorSchemeVariable, themeQuartz } from 'ag-grid-community';

export const gridTheme = themeQuartz.withPart(colorSchemeVariable).withParams({
  fontSize: 13,
  rowHeight: 26,
  headerHeight: 30,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  wrapperBorderRadius: 0,
});
