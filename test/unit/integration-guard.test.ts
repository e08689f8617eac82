import { describe, expect, it } from 'vitest';
import { changesOf, parseTransaction, type RefState } from '../../src/core/integrationGuard.js';

const Z = '0'.repeat(40);
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const REF = 'refs/heads/main';

const state = (s: Partial<RefState>): RefState => ({ current: A, packed: null, packedLocked: false, ...s });
const moved = (old: string, next: string, s: RefState) => changesOf([{ old, next, ref: REF }], s).length === 1;

describe('the guard: what moves the integration branch', () => {
  it('parses the lines git gives the hook, ignoring blank ones', () => {
    expect(parseTransaction(`${A} ${B} ${REF}\n\n${Z} ${A} HEAD\n`)).toEqual([
      { old: A, next: B, ref: REF },
      { old: Z, next: A, ref: 'HEAD' },
    ]);
  });

  it('counts a new value, a creation and a deletion as moves', () => {
    expect(moved(A, B, state({}))).toBe(true);
    expect(moved(Z, B, state({}))).toBe(true);
    expect(moved(Z, A, state({ current: null }))).toBe(true);
    expect(moved(A, Z, state({}))).toBe(true);
    expect(moved(Z, Z, state({}))).toBe(true);
  });

  it("passes git's bookkeeping: a value the ref already has, and pack-refs pruning the loose copy", () => {
    expect(moved(Z, A, state({}))).toBe(false);
    expect(moved(A, A, state({}))).toBe(false);
    expect(moved(A, Z, state({ packed: A }))).toBe(false);
  });

  it('does not take a real deletion for pruning: a packed copy being rewritten, or at another value', () => {
    expect(moved(A, Z, state({ packed: A, packedLocked: true }))).toBe(true);
    expect(moved(A, Z, state({ packed: B }))).toBe(true);
    expect(moved(Z, Z, state({ packed: A }))).toBe(true);
  });
});
