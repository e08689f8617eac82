/**
 * Keeps the layers of ARCHITECTURE.md honest: each rule reads the sources and names the file and
 * line that breaks it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/repo.js';

const SRC = join(ROOT, 'src');

interface Source {
  file: string;
  layer: string;
  text: string;
  /** Each import; `typeOnly` for `import type`, which carries shapes and no code. */
  imports: Array<{ spec: string; line: number; typeOnly?: boolean }>;
}

function sources(dir = SRC): Source[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    if (!entry.name.endsWith('.ts')) return [];
    const file = relative(ROOT, path);
    const text = readFileSync(path, 'utf8');
    const imports: Source['imports'] = [];
    text.split('\n').forEach((l, i) => {
      for (const m of l.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)'([^']+)'/g)) imports.push({ spec: m[1]!, line: i + 1, typeOnly: /^\s*import type /.test(l) });
    });
    const parts = file.split('/');
    return [{ file, layer: parts.length > 2 ? parts[1]! : '(root)', text, imports }];
  });
}

const ALL = sources();
const inLayer = (...layers: string[]) => ALL.filter((s) => layers.includes(s.layer));
const outside = (...layers: string[]) => ALL.filter((s) => !layers.includes(s.layer));

/** Every import in `files` matching `bad`, as "file:line spec", for a readable failure. */
function offending(files: Source[], bad: (spec: string, imported: Source['imports'][number]) => boolean): string[] {
  return files.flatMap((s) => s.imports.filter((i) => bad(i.spec, i)).map((i) => `${s.file}:${i.line} ${i.spec}`));
}

/** Every line in `files` matching `pattern`, ignoring comments. */
function lines(files: Source[], pattern: RegExp): string[] {
  return files.flatMap((s) =>
    s.text
      .split('\n')
      .map((l, i) => ({ l, i }))
      .filter(({ l }) => !/^\s*(\/\/|\*|\/\*)/.test(l) && pattern.test(l))
      .map(({ l, i }) => `${s.file}:${i + 1} ${l.trim()}`),
  );
}

const NODE_BUILTIN = /^(node:|fs$|path$|child_process$|os$|crypto$|util$|process$)/;

describe('architecture (see ARCHITECTURE.md)', () => {
  it('finds the layers it guards', () => {
    for (const layer of ['core', 'git', 'schema', 'orchestration', 'commands', 'render', 'messages']) {
      expect(inLayer(layer).length, layer).toBeGreaterThan(0);
    }
  });

  it('src/core is pure: no node modules, no other layer but itself', () => {
    expect(offending(inLayer('core'), (spec) => NODE_BUILTIN.test(spec) || (spec.startsWith('.') && !spec.startsWith('./')))).toEqual([]);
  });

  it('only src/git starts processes', () => {
    expect(offending(outside('git'), (spec) => /child_process$/.test(spec))).toEqual([]);
    expect(lines(outside('git'), /\b(spawn|spawnSync|execFile|execFileSync|execSync)\s*\(/)).toEqual([]);
  });

  it('only src/git builds git arguments: nothing else reaches its process runner', () => {
    expect(offending(outside('git'), (spec) => /(^|\/)git\/run\.js$/.test(spec))).toEqual([]);
    // An argument list for git written elsewhere: ['rev-parse', …], ['log', '-z', …] and the like.
    const gitArgv = /\[\s*'(rev-parse|log|diff|diff-tree|merge-tree|update-ref|cat-file|config|check-attr|merge-file|commit-tree|worktree|for-each-ref|rev-list|push|fetch|hash-object|mktree|show-ref|symbolic-ref|merge-base|ls-files|ls-tree|read-tree|verify-commit)'\s*,/;
    expect(lines(outside('git'), gitArgv)).toEqual([]);
  });

  it('src/git returns codes and data, never prose: it does not import messages', () => {
    expect(offending(inLayer('git'), (spec) => spec.includes('messages/'))).toEqual([]);
  });

  it('no prose from the core: src/core does not import messages', () => {
    expect(offending(inLayer('core'), (spec) => spec.includes('messages/'))).toEqual([]);
  });

  it('renderers format reports; they read neither git nor files', () => {
    expect(offending(inLayer('render'), (spec) => NODE_BUILTIN.test(spec) || /\/(git|orchestration|commands)\//.test(spec))).toEqual([]);
  });

  it('messages depend on nothing but data shapes (types), the core and each other', () => {
    expect(offending(inLayer('messages'), (spec, i) => NODE_BUILTIN.test(spec) || (!i.typeOnly && /\/(git|orchestration|commands|render|schema)\//.test(spec)))).toEqual([]);
  });

  it('would catch a breach: the same checks on a planted file', () => {
    const planted: Source = {
      file: 'src/core/planted.ts',
      layer: 'core',
      text: "import { readFile } from 'node:fs/promises';\nconst args = ['rev-parse', '--show-toplevel'];\nspawn('git', args);\n",
      imports: [{ spec: 'node:fs/promises', line: 1 }],
    };
    expect(offending([planted], (spec) => NODE_BUILTIN.test(spec))).toEqual(['src/core/planted.ts:1 node:fs/promises']);
    expect(lines([planted], /\b(spawn|spawnSync|execFile|execFileSync|execSync)\s*\(/)).toEqual(["src/core/planted.ts:3 spawn('git', args);"]);
    expect(lines([planted], /\[\s*'(rev-parse|log)'\s*,/)).toHaveLength(1);
  });
});
