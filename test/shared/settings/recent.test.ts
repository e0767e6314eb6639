/** Recent lists: most recent first, each file once (as the platform compares names), at most ten. */
import { describe, expect, it } from 'vitest';
import {
  MAX_RECENT,
  findRecent,
  forgetRecent,
  pathKeyFor,
  recentLabel,
  rememberRecent,
  splitPath,
} from '../../../shared/settings/recent';
import type { RecentEntry } from '../../../shared/settings/recent';

describe('recent lists', () => {
  it('puts the newest first, moves a reopened file to the front, keeps ten', () => {
    let list: RecentEntry[] = [];
    for (let i = 0; i < 12; i++) list = rememberRecent(list, `/logs/${i}.log`, i);
    expect(list).toHaveLength(MAX_RECENT);
    expect(list[0]).toEqual({ path: '/logs/11.log', openedMs: 11 });
    expect(list.map((e) => e.path)).not.toContain('/logs/1.log');
    list = rememberRecent(list, '/logs/5.log', 99);
    expect(list[0]).toEqual({ path: '/logs/5.log', openedMs: 99 });
    expect(list.filter((e) => e.path === '/logs/5.log')).toHaveLength(1);
    expect(list).toHaveLength(MAX_RECENT);
  });

  it('compares names as Windows does: any case, either slash', () => {
    const key = pathKeyFor('win32');
    let list = rememberRecent([], 'C:\\Logs\\CTAgent.log', 1, key);
    list = rememberRecent(list, 'c:/logs/ctagent.log', 2, key);
    expect(list).toEqual([{ path: 'c:/logs/ctagent.log', openedMs: 2 }]);
    expect(findRecent(list, 'C:\\LOGS\\CTAGENT.LOG', key)).toBeDefined();
    expect(forgetRecent(list, 'C:\\Logs\\ctagent.log', key)).toEqual([]);
  });

  it('compares names exactly on Linux, ignoring case on macOS', () => {
    const linux = rememberRecent(rememberRecent([], '/var/log/A.log', 1), '/var/log/a.log', 2);
    expect(linux).toHaveLength(2);
    const mac = pathKeyFor('darwin');
    expect(
      rememberRecent(rememberRecent([], '/Logs/A.log', 1, mac), '/logs/a.log', 2, mac),
    ).toHaveLength(1);
  });

  it('labels entries by name, then folder, for either kind of path', () => {
    expect(splitPath('/var/log/apache2/access.log')).toEqual({
      name: 'access.log',
      folder: '/var/log/apache2',
    });
    expect(splitPath('C:\\Logs\\ctagent.log')).toEqual({
      name: 'ctagent.log',
      folder: 'C:\\' + 'Logs',
    });
    expect(splitPath('C:\\ctagent.log')).toEqual({ name: 'ctagent.log', folder: 'C:\\' });
    expect(splitPath('/syslog')).toEqual({ name: 'syslog', folder: '/' });
    expect(recentLabel({ path: '/var/log/syslog', openedMs: 0 })).toBe('syslog — /var/log');
  });
});
