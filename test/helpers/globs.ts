import fc from 'fast-check';
import { globProblem } from '../../src/core/glob.js';

/**
 * Valid claim globs built from `tokens` (literals, wildcards, classes, escapes, braces), with
 * whole "**" segments and an optional trailing "/": a small alphabet makes matches common.
 */
export function globPatterns(tokens: readonly string[]): fc.Arbitrary<string> {
  const segment = fc.oneof(
    { arbitrary: fc.constant('**'), weight: 1 },
    { arbitrary: fc.array(fc.constantFrom(...tokens), { minLength: 1, maxLength: 3 }).map((t) => t.join('')), weight: 5 },
  );
  return fc
    .tuple(fc.array(segment, { minLength: 1, maxLength: 4 }), fc.boolean())
    .map(([segments, slash]) => segments.join('/') + (slash ? '/' : ''))
    .filter((p) => globProblem(p) === null);
}
