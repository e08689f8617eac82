import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closest } from '../../src/core/didYouMean.js';
import { formatJsonPath } from '../../src/messages/validation.js';

describe('closest (did you mean)', () => {
  const agentKeys = ['role', 'task', 'claims', 'shared', 'after', 'group'];

  it('suggests a key one edit away', () => {
    expect(closest('claim', agentKeys)).toBe('claims');
    expect(closest('afer', agentKeys)).toBe('after');
    expect(closest('sharedd', agentKeys)).toBe('shared');
    expect(closest('integation', ['integration', 'manifest'])).toBe('integration');
  });

  it('suggests an agent name one edit away', () => {
    expect(closest('alic', ['lead', 'alice', 'bob', 'carol'])).toBe('alice');
    expect(closest('bobb', ['lead', 'alice', 'bob', 'carol'])).toBe('bob');
  });

  it('suggests for a swap of two neighbouring letters, the commonest typo', () => {
    expect(closest('roel', agentKeys)).toBe('role');
    expect(closest('gorup', agentKeys)).toBe('group');
    expect(closest('tsak', agentKeys)).toBe('task');
  });

  it('ignores case differences and prefers them over any real edit', () => {
    expect(closest('ROLE', agentKeys)).toBe('role');
    expect(closest('branchpattern', ['branchPattern', 'branchPatterns'])).toBe('branchPattern');
    expect(closest('guardintegration', ['guardIntegration'])).toBe('guardIntegration');
  });

  it('an exact match is its own suggestion', () => {
    expect(closest('role', agentKeys)).toBe('role');
  });

  it('allows more edits for longer words (a third of the length)', () => {
    // 9 letters: up to 3 edits
    expect(closest('maxActivv', ['maxActive'])).toBe('maxActive');
    expect(closest('mxActivAg', ['maxActiveAg'])).toBe('maxActiveAg');
    // 3 letters: 1 edit, not 2
    expect(closest('bxx', ['bob'])).toBeNull();
    expect(closest('bxb', ['bob'])).toBe('bob');
  });

  it('returns null when nothing is close, or nothing to choose from', () => {
    expect(closest('permissions', agentKeys)).toBeNull();
    expect(closest('zzzzzzzz', ['lead', 'alice'])).toBeNull();
    expect(closest('x', [])).toBeNull();
  });

  it('prefers the nearest candidate, then the first one listed', () => {
    expect(closest('claimss', ['claim', 'claims'])).toBe('claims');
    expect(closest('bake', ['bike', 'bak'])).toBe('bike');
    expect(closest('cat', ['cut', 'cot'])).toBe('cut');
    expect(closest('cat', ['cot', 'cut'])).toBe('cot');
    expect(closest('shared', ['share', 'shared'])).toBe('shared');
  });

  it('accepts any iterable', () => {
    expect(closest('claim', new Set(agentKeys))).toBe('claims');
    expect(closest('claim', new Map(agentKeys.map((k) => [k, 1])).keys())).toBe('claims');
  });

  it('suggests only candidates within the limit, and always one when some candidate is (property)', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd'), maxLength: 8 });
    fc.assert(
      fc.property(word, fc.array(word, { maxLength: 6 }), (w, candidates) => {
        const hint = closest(w, candidates);
        const limit = Math.max(1, Math.floor(w.length / 3));
        if (candidates.some((c) => levenshtein(w, c) <= limit)) expect(hint).not.toBeNull();
        if (candidates.includes(w)) expect(hint).toBe(w);
        if (hint === null) return;
        expect(candidates).toContain(hint);
        expect(osa(w, hint)).toBeLessThanOrEqual(limit);
      }),
      { numRuns: 500 },
    );
  });
});

/** Optimal string alignment distance: Levenshtein plus swaps of neighbouring letters. */
function osa(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** Reference edit distance (insert, delete, substitute), to check closest against. */
function levenshtein(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length]![b.length]!;
}

describe('formatJsonPath', () => {
  it('dots for identifier keys, brackets for indexes', () => {
    expect(formatJsonPath(['agents', 'bob', 'after', 0])).toBe('agents.bob.after[0]');
    expect(formatJsonPath(['limits', 'maxActiveAgents'])).toBe('limits.maxActiveAgents');
    expect(formatJsonPath(['alwaysAllowed', 12])).toBe('alwaysAllowed[12]');
  });

  it('quoted brackets for keys that are not identifiers', () => {
    expect(formatJsonPath(['agents', 'two words'])).toBe('agents["two words"]');
    expect(formatJsonPath(['agents', 'a.b', 'claims'])).toBe('agents["a.b"].claims');
    expect(formatJsonPath(['agents', '9lives'])).toBe('agents["9lives"]');
    expect(formatJsonPath(['agents', ''])).toBe('agents[""]');
    expect(formatJsonPath(['agents', 'say "hi"'])).toBe('agents["say \\"hi\\""]');
    expect(formatJsonPath(['agents', 'ü'])).toBe('agents["ü"]');
    expect(formatJsonPath(['agents', 'new\nline'])).toBe('agents["new\\nline"]');
  });

  it('keys shaped like agent names stay bare; others (leading _ or .) are quoted', () => {
    expect(formatJsonPath(['agents', 'dash-ed', 'claims', 1])).toBe('agents.dash-ed.claims[1]');
    expect(formatJsonPath(['$schema'])).toBe('$schema');
    expect(formatJsonPath(['agents', 'under_score'])).toBe('agents.under_score');
    expect(formatJsonPath(['_private'])).toBe('["_private"]');
  });

  it('a path starting with an index or a quoted key', () => {
    expect(formatJsonPath([0, 'a'])).toBe('[0].a');
    expect(formatJsonPath(['two words', 'x'])).toBe('["two words"].x');
  });

  it('symbols are shown by their description', () => {
    expect(formatJsonPath(['a', Symbol('s')])).toBe('a["Symbol(s)"]');
  });

  it('an empty path is the top level', () => {
    expect(formatJsonPath([])).toBe('(top level)');
  });

  it('every rendering is unambiguous: different paths give different text (property)', () => {
    const key = fc.oneof(fc.string({ maxLength: 4 }), fc.nat({ max: 20 }));
    fc.assert(
      fc.property(fc.array(key, { minLength: 1, maxLength: 4 }), fc.array(key, { minLength: 1, maxLength: 4 }), (p, q) => {
        const same = p.length === q.length && p.every((k, i) => k === q[i]);
        if (!same) expect(formatJsonPath(p)).not.toBe(formatJsonPath(q));
      }),
      { numRuns: 1000 },
    );
  });
});
