// Bundles the CLI (and the demo, bench and schema scripts) with esbuild. The CLI's hook path must
// start fast, so heavy modules (zod, yaml, minimatch, husky) are split into chunks that only the
// commands needing them load.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';

await build({
  entryPoints: {
    cli: 'src/cli.ts',
    demo: 'scripts/demo.ts',
    bench: 'bench/run.ts',
    'write-schema': 'scripts/write-schema.ts',
  },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  // husky copies a file that sits beside its own module, so it must stay a real package.
  external: ['husky'],
  // yaml ships CommonJS for node; its bundled require() of builtins needs a real require.
  banner: { js: "#!/usr/bin/env node\nimport { createRequire as __swarmCreateRequire } from 'node:module';\nconst require = __swarmCreateRequire(import.meta.url);" },
  sourcemap: false,
  minify: false,
  logLevel: 'warning',
});
chmodSync('dist/cli.js', 0o755);
