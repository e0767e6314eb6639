/**
 * Layer boundaries (see ARCHITECTURE.md). Runs in `npm run lint`. Type-only imports count too
 * (tsPreCompilationDeps), so a type from the wrong layer is caught as well as a value.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'shared-is-pure',
      comment:
        'shared/ runs in the worker, the main process and the renderer: it may import only shared/ and the pure npm packages listed here. tldts: the public-suffix list for grouping host names by registered domain (pure code and data, no I/O).',
      severity: 'error',
      from: { path: '^shared/' },
      to: { pathNot: '^(shared/|node_modules/tldts(-core)?/)' },
    },
    {
      name: 'shared-no-node-builtins',
      comment: 'shared/ must not use Node built-ins (node:fs, node:path, ...).',
      severity: 'error',
      from: { path: '^shared/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'only-main-and-preload-import-electron',
      comment:
        'Everything but electron/main.ts and electron/preload.ts must run under plain Node or in a browser.',
      severity: 'error',
      from: { pathNot: '^electron/(main|preload)\\.ts$' },
      to: {
        path: '^(node_modules/)?electron(/|$)',
        dependencyTypes: ['npm', 'npm-dev', 'core', 'unknown'],
      },
    },
    {
      name: 'renderer-no-node',
      comment: 'The renderer is sandboxed web content: no Node built-ins, no electron/ code.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'renderer-only-shared',
      comment: 'The renderer reaches the rest of the app only through the typed API in shared/.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^(electron|test|scripts)/' },
    },
    {
      name: 'electron-not-renderer',
      severity: 'error',
      from: { path: '^electron/' },
      to: { path: '^(renderer|test|scripts)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(out|release)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts'],
    },
  },
};
