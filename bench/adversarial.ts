// Crafted claims against crafted paths: the matcher at the path limits versus the RegExp
// translation it replaced, which backtracks (a power of the path's length, the power growing with
// the stars). The RegExp gets shorter paths of the same shape, where it still finishes in about a
// second each; at the limits it would take minutes.
import { performance } from 'node:perf_hooks';
import { compileGlob } from '../src/core/glob.js';
import { globMatches } from '../src/core/globIndex.js';
import { referenceMatches } from '../test/helpers/globRegExp.js';
import type { Figure } from './figure.js';

const TARGET_MS = 5;

/** [pattern, path of size n, n at the limits (a 255-byte name, a 4,095-byte path), n for the RegExp]. */
const PAIRS: Array<[string, (n: number) => string, number, number]> = [
  ['src/*a*a*a*a*b/**', (n) => `src/${'a'.repeat(n)}/x`, 255, 100],
  ['**/a/**/a/**/a/**/b', (n) => `${'a/'.repeat(n)}c`, 2047, 200],
];

/** The lengths of the pairs' paths at their full (2) or short (3) size. */
function sizes(which: 2 | 3): string {
  return PAIRS.map((pair) => `${pair[1](pair[which]).length.toLocaleString('en')} bytes`).join('; ');
}

function timed(run: () => boolean): { ms: number; result: boolean } {
  const start = performance.now();
  const result = run();
  return { ms: performance.now() - start, result };
}

export async function adversarialBench(): Promise<Figure> {
  let value = 0;
  let baseline = 0;
  for (const [pattern, path, full, short] of PAIRS) {
    const glob = compileGlob(pattern);
    // Warm, then the fastest of five: the matcher's cost, not the JIT's.
    let best = Infinity;
    for (let i = 0; i < 6; i++) best = Math.min(best, timed(() => globMatches(glob, path(full))).ms);
    value += best;
    const old = timed(() => referenceMatches(glob, path(short)));
    if (old.result !== globMatches(glob, path(short))) throw new Error(`the matcher and the RegExp disagree on ${pattern}`);
    baseline += old.ms;
  }
  return {
    name: `crafted claims ${PAIRS.map(([p]) => p).join(' and ')} on paths at the limits (${sizes(2)})`,
    unit: 'ms',
    value: Math.round(value * 1000) / 1000,
    baselineName: `the previous RegExp matcher on shorter paths of the same shapes (${sizes(3)})`,
    baseline: Math.round(baseline * 10) / 10,
    target: `value ≤ ${TARGET_MS} ms`,
    pass: value <= TARGET_MS,
  };
}
