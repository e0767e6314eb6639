import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError, type CliIo } from '../../electron/cli/command';
import { exportCommand } from '../../electron/cli/export';

const fixture = new URL('../fixtures/filterset.v1.json', import.meta.url);
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'logsieve-cli-export-'));
  writeFileSync(join(dir, 'set.json'), readFileSync(fixture));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: dir };
  const code = await exportCommand.run(argv, io);
  return { code, stdout, stderr };
}

describe('logsieve export', () => {
  it.each(['httpd', 'httpd24', 'cpl'])(
    'writes the %s snippet alone on stdout, exit 0',
    async (target) => {
      const r = await run('--filters', 'set.json', '--target', target);
      const ext = target === 'cpl' ? 'cpl' : 'conf';
      expect(r).toEqual({
        code: 0,
        stdout: readFileSync(
          new URL(`../golden/${target}/csg-keepalive.${ext}`, import.meta.url),
          'utf8',
        ),
        stderr: '',
      });
    },
  );

  it('passes --env and --log-name to the targets that take them', async () => {
    const httpd = await run('--filters', 'set.json', '--target', 'httpd', '--env', 'lb_noise');
    expect(httpd.stdout).toContain('SetEnvIf Remote_Addr "^10\\.9\\.8\\.7$" lb_noise\n');
    const cpl = await run(
      '--filters',
      join(dir, 'set.json'),
      '--target',
      'cpl',
      '--log-name',
      'ssl',
    );
    expect(cpl.stdout).toContain('access_log.ssl(no)');
  });

  it('prints every problem of a bad file with its position, nothing on stdout, exit 1', async () => {
    const bad = readFileSync(fixture, 'utf8')
      .replace('"172.16.1.0/24"', '"172.16.1.0/33"')
      .replace('"10.9.8.7"', '"10.9.8.7/24"');
    writeFileSync(join(dir, 'bad.json'), bad);
    const r = await run('--filters', 'bad.json', '--target', 'httpd');
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'bad.json:12:11: rule 1 `lb-keepalive`: srcIp `172.16.1.0/33`: prefix must be 0–32.\n' +
        'bad.json:13:11: rule 1 `lb-keepalive`: srcIp `10.9.8.7/24`: host bits are set: `10.9.8.7/24` is not the start of a /24 network.\n' +
        '  Write 10.9.8.0/24 for the whole network, or 10.9.8.7 for the one host.\n',
    });
  });

  it('refuses a value that would not stay a comment, naming the rule, exit 1', async () => {
    const set = JSON.parse(readFileSync(fixture, 'utf8')) as { rules: { comment?: string }[] };
    if (set.rules[0]) set.rules[0].comment = 'keepalive \\';
    writeFileSync(join(dir, 'comment.json'), JSON.stringify(set));
    const r = await run('--filters', 'comment.json', '--target', 'cpl');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^comment\.json: Rule `lb-keepalive`: comment `keepalive \\`: contains `\\`\.\n {2}Text copied/,
    );
  });

  it('says when the file cannot be read, exit 1', async () => {
    const r = await run('--filters', 'missing.json', '--target', 'httpd');
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr: 'missing.json: cannot read the file (ENOENT).\n',
    });
  });

  it.each([
    [['--target', 'httpd'], 'export needs --filters SET.json.'],
    [['--filters', 'set.json'], 'export needs --target TARGET.'],
    [
      ['--filters', 'set.json', '--target', 'nginx'],
      'Unknown target "nginx". Targets: httpd, httpd24, cpl.',
    ],
    [
      ['--filters', 'set.json', '--target', 'httpd', '--log-name', 'main'],
      '--log-name does not apply to target httpd.',
    ],
    [
      ['--filters', 'set.json', '--target', 'cpl', '--env', 'x'],
      '--env does not apply to target cpl.',
    ],
    [
      ['--filters', 'set.json', '--target', 'cpl', 'extra'],
      'export takes no arguments besides options, not "extra".',
    ],
    [['--filters', 'set.json', '--target', 'cpl', '--bogus'], "Unknown option '--bogus'"],
  ])(
    'refuses bad usage %j (the dispatcher prints it with the usage, exit 2)',
    async (argv, message) => {
      await expect(run(...argv)).rejects.toThrow(UsageError);
      await expect(run(...argv)).rejects.toThrow(message);
    },
  );

  it('lists targets and options from the registry in its usage', () => {
    expect(exportCommand.usage).toContain('  httpd24  Apache httpd 2.4 (SetEnvIfExpr -R)');
    expect(exportCommand.usage).toContain('--env NAME');
    expect(exportCommand.usage).toContain('--log-name NAME');
  });
});
