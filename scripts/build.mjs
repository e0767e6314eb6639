// Builds the Node side (main process, preload, worker, CLI, bridge) with esbuild, and the renderer
// with Vite. `--node` builds only the Node side (fast: the CLI and the Node tests need nothing else).
// `--bench` also builds the benchmark, so that it runs on plain Node as the product does: under a
// TypeScript loader every worker thread inherits the loader's hooks, and a worker then starts
// ~130 ms later than it does in the app. Prints nothing on success, so `npm run --silent cli`
// output stays clean JSON.
import { build as esbuild } from 'esbuild';
import { build as vite } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const nodeOnly = process.argv.includes('--node');
const withBench = process.argv.includes('--bench');

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'error',
  external: ['electron', 'bufferutil', 'utf-8-validate'],
};

// Bundled CommonJS dependencies (ws) call require() for Node built-ins; ESM output needs a real require.
const esmRequire =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

await Promise.all([
  esbuild({
    ...common,
    entryPoints: {
      main: 'electron/main.ts',
      'log.worker': 'electron/worker/log.worker.ts',
      bridge: 'electron/bridge/serve.ts',
    },
    outdir: 'out/main',
    format: 'esm',
    banner: { js: esmRequire },
  }),
  esbuild({
    ...common,
    entryPoints: { cli: 'electron/cli.ts' },
    outdir: 'out/main',
    format: 'esm',
    banner: { js: `#!/usr/bin/env node\n${esmRequire}` },
  }),
  withBench &&
    esbuild({
      ...common,
      // Two folders down, as in test/bench: its paths relative to itself (out/main, the corpus) hold.
      entryPoints: { run: 'test/bench/run.ts' },
      outdir: 'out/bench',
      format: 'esm',
      banner: { js: esmRequire },
    }),
  // A sandboxed preload cannot be an ES module.
  esbuild({
    ...common,
    entryPoints: { preload: 'electron/preload.ts' },
    outdir: 'out/preload',
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
  }),
]);

if (!nodeOnly) {
  await vite({ configFile: `${root}vite.renderer.config.ts`, logLevel: 'error' });
}
