/** An AppState over a settings folder of its own, for Node tests. */
import type { AppInfo } from '../../shared/api';
import type { PathOpener } from '../../electron/desktop/app-state';
import { AppState } from '../../electron/desktop/app-state';
import { SettingsStore } from '../../electron/desktop/settings-store';
import { silentLogger } from '../../electron/logger';

export const TEST_INFO: AppInfo = {
  name: 'LogSieve',
  version: '0.0.0-test',
  host: 'bridge',
  platform: process.platform,
  versions: { node: process.versions.node },
};

export async function createTestAppState(
  session: PathOpener,
  dir: string,
  options: { platform?: string; now?: () => number; onRemember?: (path: string) => void } = {},
): Promise<{ app: AppState; settings: SettingsStore }> {
  const settings = await SettingsStore.open({ dir, logger: silentLogger });
  const app = new AppState({
    session,
    settings,
    info: TEST_INFO,
    platform: options.platform ?? process.platform,
    ...(options.now ? { now: options.now } : {}),
    ...(options.onRemember ? { onRemember: options.onRemember } : {}),
  });
  return { app, settings };
}
