/** The pure side of the in-process tree merge; test/integration/tree-merge.test.ts holds it against git. */
import { describe, expect, it } from 'vitest';
import { compareEntries, mergeLevel, wellFormed, type TreeEntry } from '../../src/core/treeMerge.js';

const blob = (name: string, oid = 'a'.repeat(40), mode = '100644'): TreeEntry => ({ name, mode, oid });
const tree = (name: string, oid = 'b'.repeat(40)): TreeEntry => ({ name, mode: '40000', oid });

describe('tree order and shape', () => {
  it('orders a folder as if its name ended in "/"', () => {
    const sorted = [tree('foo'), blob('foo.c'), blob('foo-bar'), blob('foo0'), blob('fo')].sort(compareEntries).map((e) => e.name);
    expect(sorted).toEqual(['fo', 'foo-bar', 'foo.c', 'foo', 'foo0']);
    expect([blob('foo'), blob('foo.c')].sort(compareEntries).map((e) => e.name)).toEqual(['foo', 'foo.c']);
  });

  it('accepts only trees as git writes them: known modes, one segment per name, in order, once', () => {
    expect(wellFormed([blob('a'), tree('b'), blob('c', undefined, '100755'), blob('d', undefined, '120000'), blob('e', undefined, '160000')])).toBe(true);
    expect(wellFormed([blob('a', undefined, '100664')])).toBe(false);
    expect(wellFormed([{ ...tree('a'), mode: '040000' }])).toBe(false);
    expect(wellFormed([blob('b'), blob('a')])).toBe(false);
    expect(wellFormed([blob('a'), tree('a')])).toBe(false);
    expect(wellFormed([blob('x/y')])).toBe(false);
    expect(wellFormed([blob('..')])).toBe(false);
    expect(wellFormed([blob('')])).toBe(false);
  });
});

describe('mergeLevel', () => {
  const [one, two, three] = ['1', '2', '3'].map((c) => c.repeat(40)) as [string, string, string];

  it('takes the side that changed, a change made on both sides, and each side\'s additions, in git\'s order', () => {
    const merged = mergeLevel([blob('a', one), blob('b', one)], [blob('a', two), blob('b', one), blob('c', one)], [blob('a', one), blob('b', three), blob('c', one), blob('d', one)]);
    expect(merged).toEqual({ clean: true, entries: [blob('a', two), blob('b', three), blob('c', one), blob('d', one)] });
  });

  it('merges a folder changed on both sides, or added on both, inside', () => {
    const merged = mergeLevel([tree('d', one)], [tree('d', two), tree('n', one)], [tree('d', three), tree('n', two)]);
    expect(merged).toEqual({ clean: true, entries: [{ name: 'd', base: one, ours: two, theirs: three }, { name: 'n', base: null, ours: one, theirs: two }] });
  });

  it('deletes what one side deleted and the other left as it was', () => {
    expect(mergeLevel([blob('a', one), tree('d', one)], [blob('a', one)], [tree('d', one)])).toEqual({ clean: true, entries: [] });
  });

  it('declines what only git can merge', () => {
    const clean = (base: TreeEntry[], ours: TreeEntry[], theirs: TreeEntry[]) => mergeLevel(base, ours, theirs).clean;
    expect(clean([blob('a', one)], [blob('a', two)], [blob('a', three)])).toBe(false);
    expect(clean([], [blob('a', one)], [blob('a', two)])).toBe(false);
    expect(clean([], [blob('a', one)], [blob('a', one, '100755')])).toBe(false);
    expect(clean([blob('a', one)], [], [blob('a', two)])).toBe(false);
    expect(clean([blob('a', one)], [], [])).toBe(false);
    expect(clean([blob('a', one)], [tree('a', one)], [blob('a', one)])).toBe(false);
    expect(clean([], [blob('a', one)], [tree('a', one)])).toBe(false);
  });
});
