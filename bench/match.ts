// Claim matching at scale: 100,000 paths against 1,000 claim globs, GlobIndex versus testing
// every glob on every path. Deterministic (seeded) so runs are comparable.
import { performance } from 'node:perf_hooks';
import { compileGlob, type CompiledGlob } from '../src/core/glob.js';
import { GlobIndex, globMatches } from '../src/core/globIndex.js';
import type { Figure } from './figure.js';

const PATHS = 100_000;
const GLOBS = 1_000;
const MODULES = 200;
const TARGET_MS = 500;

const WORDS = ['auth', 'billing', 'search', 'ui', 'core', 'api', 'data', 'infra', 'mail', 'sync', 'media', 'admin'];
const DIRS = ['src', 'lib', 'test', 'components', 'utils', 'internal', 'handlers', 'models', '__snapshots__', 'fixtures'];
const EXTENSIONS = ['.ts', '.ts', '.tsx', '.js', '.json', '.md', '.snap', '.css', '.test.ts'];

/** mulberry32: a tiny seeded PRNG, so every run benchmarks the same tree. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function modules(): string[] {
  return Array.from({ length: MODULES }, (_, i) => `${WORDS[i % WORDS.length]}-${i}`);
}

/** Paths two to six segments deep under one of the module directories. */
function generatePaths(random: () => number, mods: string[]): string[] {
  return Array.from({ length: PATHS }, (_, i) => {
    const depth = 2 + Math.floor(random() * 5);
    const dirs = Array.from({ length: depth - 2 }, () => pick(random, DIRS));
    return [pick(random, mods), ...dirs, `file${i % 97}${pick(random, EXTENSIONS)}`].join('/');
  });
}

/** A claim mix like a real manifest: mostly module subtrees, some file sets, a few repo-wide rules. */
function generateGlobs(random: () => number, mods: string[]): string[] {
  const shapes: Array<() => string> = [
    () => `${pick(random, mods)}/${pick(random, DIRS)}/**`,
    () => `${pick(random, mods)}/*.ts`,
    () => `${pick(random, mods)}/${pick(random, DIRS)}/${pick(random, DIRS)}`,
    () => `${pick(random, mods)}/{${pick(random, DIRS)},${pick(random, DIRS)}}/**/*.{ts,tsx}`,
    () => `{${pick(random, mods)},${pick(random, mods)}}/${pick(random, DIRS)}/`,
    () => `${pick(random, mods)}/**/file${Math.floor(random() * 97)}.*`,
  ];
  const repoWide = ['**/*.snap', '**/__snapshots__/**', '**/*.md', '**/fixtures/*.json', '*/test/**/*.test.ts'];
  return Array.from({ length: GLOBS }, (_, i) => (i < repoWide.length ? (repoWide[i] as string) : pick(random, shapes)()));
}

/** Milliseconds of the fastest of `runs` runs, and what the run returned. */
function fastest<T>(runs: number, run: () => T): { ms: number; result: T } {
  let best = Infinity;
  let result!: T;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    result = run();
    best = Math.min(best, performance.now() - start);
  }
  return { ms: best, result };
}

function indexed(globs: CompiledGlob[], paths: string[]): number {
  const index = new GlobIndex(globs.map((glob, tag) => ({ glob, tag })));
  let matches = 0;
  for (const path of paths) matches += index.match(path).length;
  return matches;
}

function naive(globs: CompiledGlob[], paths: string[]): number {
  let matches = 0;
  for (const path of paths) for (const glob of globs) if (globMatches(glob, path)) matches++;
  return matches;
}

export async function matchBench(): Promise<Figure> {
  const random = prng(0x5eed);
  const mods = modules();
  const paths = generatePaths(random, mods);
  const globs = generateGlobs(random, mods).map(compileGlob);
  const index = fastest(3, () => indexed(globs, paths));
  // One run: the naive scan takes ~100x longer (tens of seconds), far beyond timing noise.
  const baseline = fastest(1, () => naive(globs, paths));
  // Both must find the same matches, or the speed-up is meaningless.
  if (index.result !== baseline.result) {
    throw new Error(`GlobIndex found ${index.result} matches, the naive scan ${baseline.result}`);
  }
  const value = Math.round(index.ms * 10) / 10;
  return {
    name: `GlobIndex: ${PATHS.toLocaleString('en')} paths x ${GLOBS.toLocaleString('en')} claim globs`,
    unit: 'ms',
    value,
    baselineName: 'every glob tested on every path',
    baseline: Math.round(baseline.ms * 10) / 10,
    target: `value ≤ ${TARGET_MS} ms`,
    pass: value <= TARGET_MS,
  };
}
