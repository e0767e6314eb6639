/**
 * Builds the Node side before the tests (esbuild, well under a second), so the Session tests
 * run the real worker bundle that ships, in real worker threads.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, ['scripts/build.mjs', '--node'], { cwd: root, stdio: 'inherit' });
}
