/**
 * A bridge of a test's own, with its own settings folder and files given by path: for what the
 * shared bridge cannot show (recent files across restarts, a damaged settings file at start).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface OwnBridge {
  readonly url: string;
  stop(): Promise<void>;
}

export async function startOwnBridge(userData: string, files: string[] = []): Promise<OwnBridge> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['out/main/bridge.js', '--port', '0', '--user-data', userData, ...files],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /running at (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`bridge exited with ${code}: ${errors}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
