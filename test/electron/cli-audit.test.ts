import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCommand } from '../../electron/cli/audit';
import { UsageError, type CliIo } from '../../electron/cli/command';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'logsieve-cli-audit-'));
  copyFileSync(
    new URL('../fixtures/audit/csg-httpd.conf', import.meta.url),
    join(dir, 'httpd.conf'),
  );
  copyFileSync(
    new URL('../fixtures/audit/proxysg-local.cpl', import.meta.url),
    join(dir, 'local.cpl'),
  );
  writeFileSync(join(dir, 'seed.conf'), 'SetEnvIf Remote_Addr ^172.16.1. nolog\n');
  writeFileSync(join(dir, 'exact.conf'), 'SetEnvIf Remote_Addr "^10\\.9\\.8\\.7$" nolog\n');
  writeFileSync(join(dir, 'none.conf'), 'ServerName example\n');
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: dir };
  const code = await auditCommand.run(argv, io);
  return { code, stdout, stderr };
}

describe('logsieve audit', () => {
  it('says the seed line matches 28,416 addresses where 256 were meant, and gives the exact line', async () => {
    const r = await run('seed.conf');
    expect(r).toEqual({
      code: 1,
      stderr: '',
      stdout: [
        'seed.conf line 1: SetEnvIf Remote_Addr ^172.16.1. nolog',
        '  matches  28,416 IPv4 addresses: 172.16.1.0-172.16.1.255, 172.16.10.0-172.16.19.255, 172.16.100.0-172.16.199.255',
        '  problem  an unescaped `.` matches any character, not only a dot (write `\\.`)',
        '  problem  not anchored at the end (`$`): it also matches longer addresses that start with the same text',
        '  problem  matches 28,416 addresses where 256 were meant (172.16.1.0/24)',
        '  exact    SetEnvIf Remote_Addr "^172\\.16\\.1\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$" nolog',
        '',
      ].join('\n'),
    });
  });

  it('prints the JSON contract with --json', async () => {
    const r = await run('seed.conf', '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      directives: [
        {
          line: 1,
          text: 'SetEnvIf Remote_Addr ^172.16.1. nolog',
          matches: 28416,
          ranges: [
            '172.16.1.0-172.16.1.255',
            '172.16.10.0-172.16.19.255',
            '172.16.100.0-172.16.199.255',
          ],
          problems: [
            'an unescaped `.` matches any character, not only a dot (write `\\.`)',
            'not anchored at the end (`$`): it also matches longer addresses that start with the same text',
            'matches 28,416 addresses where 256 were meant (172.16.1.0/24)',
          ],
          exact:
            'SetEnvIf Remote_Addr "^172\\.16\\.1\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$" nolog',
        },
      ],
    });
  });

  it('exits 0 when nothing is wrong', async () => {
    expect((await run('exact.conf')).code).toBe(0);
    expect(await run('none.conf')).toEqual({
      code: 0,
      stdout: 'none.conf: no SetEnvIf, SetEnvIfNoCase or SetEnvIfExpr on Remote_Addr found.\n',
      stderr: '',
    });
  });

  it('audits whole files of both kinds', async () => {
    const httpd = await run('httpd.conf', '--json');
    expect((JSON.parse(httpd.stdout) as { directives: unknown[] }).directives).toHaveLength(8);
    const cpl = await run('local.cpl');
    expect(cpl.stdout).toContain(
      'local.cpl line 2: define subnet lb_health\n    172.16.1.5 172.16.1.16/28\n',
    );
    expect(cpl.stdout).toContain('  exact    define subnet lb_health\n               10.0.0.0/8\n');
  });

  it('shows control characters from the file escaped', async () => {
    writeFileSync(join(dir, 'evil.conf'), 'SetEnvIf Remote_Addr ^10\\.\u001b[2J nolog\n');
    const r = await run('evil.conf');
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).toContain('^10\\.\\u{1b}[2J');
  });

  it('says when the file cannot be read', async () => {
    expect(await run('missing.conf')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'missing.conf: cannot read the file (ENOENT).\n',
    });
  });

  it('refuses bad usage', async () => {
    await expect(run()).rejects.toThrow(UsageError);
    await expect(run('a', 'b')).rejects.toThrow('audit needs exactly one FILE.');
    await expect(run('a', '--xml')).rejects.toThrow(UsageError);
  });
});
