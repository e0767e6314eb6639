/** What a launch asks for, and what a second launch hands to the running instance. */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  handOff,
  parseLaunch,
  pathsFromSecondLaunch,
  userArgsStart,
} from '../../electron/desktop/launch';

describe('launch arguments', () => {
  it('takes files after the executable (packaged) or after "." (electron .)', () => {
    expect(parseLaunch(['/opt/LogSieve/logsieve', '/var/log/a.log'], 1, '/home/me')).toEqual({
      paths: ['/var/log/a.log'],
      userDataDir: null,
    });
    expect(parseLaunch(['electron', '.', 'logs/b.log'], 2, '/home/me')).toEqual({
      paths: [resolve('/home/me', 'logs/b.log')],
      userDataDir: null,
    });
  });

  it('finds where the user’s arguments start, whatever switches tools put first', () => {
    expect(userArgsStart(['/opt/LogSieve/logsieve', 'a.log'], true)).toBe(1);
    expect(userArgsStart(['electron', '.', 'a.log'], false)).toBe(2);
    const playwright = ['electron', '--inspect=0', '--remote-debugging-port=0', '/repo', 'a.log'];
    expect(userArgsStart(playwright, false)).toBe(4);
    expect(parseLaunch(playwright, userArgsStart(playwright, false), '/w').paths).toEqual([
      resolve('/w', 'a.log'),
    ]);
    expect(userArgsStart(['electron', '--no-sandbox'], false)).toBe(2);
  });

  it('leaves switches alone and honours --user-data-dir', () => {
    const launch = parseLaunch(
      ['logsieve', '--no-sandbox', '--user-data-dir=profiles/test', 'a.log', '--inspect'],
      1,
      '/work',
    );
    expect(launch).toEqual({
      paths: [resolve('/work', 'a.log')],
      userDataDir: resolve('/work', 'profiles/test'),
    });
  });

  it('hands a second launch’s files over as absolute paths', () => {
    const data = handOff(['/var/log/a.log', '/var/log/b.log']);
    expect(pathsFromSecondLaunch(data, ['ignored'], 1, '/elsewhere')).toEqual([
      '/var/log/a.log',
      '/var/log/b.log',
    ]);
  });

  it('falls back to argv and the second launch’s folder when the data is not ours', () => {
    const argv = ['logsieve', '--allow-file-access-from-files', 'c.log'];
    const expected = [resolve('/from/second', 'c.log')];
    for (const data of [
      undefined,
      null,
      'paths',
      [],
      { kind: 'other', paths: ['/x'] },
      { kind: 'logsieve.open', paths: ['relative.log'] },
      { kind: 'logsieve.open', paths: ['/ok', 7] },
      { kind: 'logsieve.open', paths: ['/bad\0path'] },
      { kind: 'logsieve.open', paths: Array.from({ length: 1001 }, (_, i) => `/f${i}`) },
    ])
      expect(pathsFromSecondLaunch(data, argv, 1, '/from/second'), JSON.stringify(data)).toEqual(
        expected,
      );
  });
});
