// Bundles the CLI with esbuild. A hook runs on every commit, so dist/cli.js holds only what the
// commands need and loads in one file; zod, yaml and the glob compiler live in dist/heavy.js, which the
// CLI imports only when a settings or manifest cache misses (or for init/doctor/check work).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';

const common = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  // yaml ships CommonJS for node; its bundled require() of builtins needs a real require.
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __swarmCreateRequire } from 'node:module';\nconst require = __swarmCreateRequire(import.meta.url);",
  },
  // husky copies a file that sits beside its own module, so it must stay a real package.
  external: ['husky'],
};

/** Keeps `import('./heavy.js')` a runtime import of the separate bundle. */
const heavyExternal = {
  name: 'heavy-external',
  setup(b) {
    b.onResolve({ filter: /\/heavy\.js$/ }, () => ({ path: './heavy.js', external: true }));
  },
};

await Promise.all([
  build({ ...common, entryPoints: ['src/orchestration/heavy.ts'], outfile: 'dist/heavy.js' }),
  build({ ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', plugins: [heavyExternal] }),
  build({ ...common, entryPoints: ['scripts/demo.ts'], outfile: 'dist/demo.js' }),
  build({ ...common, entryPoints: ['bench/run.ts'], outfile: 'dist/bench.js' }),
  build({ ...common, entryPoints: ['bench/leaseWorker.ts'], outfile: 'dist/lease-worker.js', plugins: [heavyExternal] }),
  build({ ...common, entryPoints: ['scripts/write-schema.ts'], outfile: 'dist/write-schema.js' }),
  build({ ...common, entryPoints: ['scripts/write-man.ts'], outfile: 'dist/write-man.js' }),
]);
chmodSync('dist/cli.js', 0o755);
// The manual pages (package.json "man") come from the help texts, so they are built, not committed.
execFileSync(process.execPath, ['dist/write-man.js', 'dist/man'], { stdio: 'inherit' });
