import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../src/core/compilePolicy.js';
import type { Manifest, Settings } from '../../src/core/model.js';
import { checkChanges, makeRules } from '../../src/core/ownership.js';
import { validateSettings } from '../../src/schema/validate.js';
import { isPolicyHead, isPolicyShard, isSettings, policyView, shardsFor, splitPolicy, type PolicyShard } from '../../src/core/policyStore.js';

const SETTINGS: Settings = validateSettings('alwaysAllowed: ["**/*.lock", "docs/"]\n', '.swarmrc');

const DIRS = ['src', 'lib', 'a', 'b', 'caf\u00e9', 'deep'];
const AGENTS = Array.from({ length: 400 }, (_, i) => `agent-${i}`);

/** 400 agents with globs in every shape (brace alternatives over several buckets, '' bucket, non-ASCII). */
function manifest(): Manifest {
  const agents: Manifest['agents'] = { lead: { role: 'lead', claims: [], shared: [], after: [] } };
  AGENTS.forEach((name, i) => {
    const d = DIRS[i % DIRS.length]!;
    const e = DIRS[(i * 7 + 3) % DIRS.length]!;
    agents[name] = {
      role: i % 13 === 12 ? 'reader' : 'writer',
      claims: [`${d}/m${i}/**`, `{${d},${e}}/x${i % 5}/*.ts`, `${d}/${e}/deep${i % 3}/`, ...(i % 9 === 0 ? [`**/*.m${i}`] : [])],
      shared: [`${e}/shared.md`],
      after: i > 0 && i % 4 === 0 ? [AGENTS[i - 1]!] : [],
    };
  });
  return { version: 1, agents };
}

describe('a stored policy, read back as far as a scope reaches', () => {
  const full = compilePolicy(SETTINGS, manifest());
  const { head, shards } = splitPolicy(full);
  const all = new Map(shards.map((s, i) => [i, s] as [number, PolicyShard]));

  it('spreads over several shards', () => {
    expect(shards.length).toBeGreaterThan(2);
    expect(shardsFor(head, { paths: ['src/m1/a.ts'], agents: ['agent-1'] }).length).toBeLessThan(shards.length);
  });

  it('passes its own shape guards, whole, and the stored form round-trips through JSON', () => {
    expect(isSettings(SETTINGS)).toBe(true);
    expect(isPolicyHead(JSON.parse(JSON.stringify(head)))).toBe(true);
    expect(shards.every((s) => isPolicyShard(JSON.parse(JSON.stringify(s))))).toBe(true);
    const whole = policyView(SETTINGS, head, all, null);
    expect(whole.manifest).toEqual(full.manifest);
    expect(whole.globs.map((g) => g.tag)).toEqual(full.globs.map((g) => g.tag));
  });

  it('rejects wrong shapes', () => {
    for (const bad of [{}, [], null, 'x', { agents: {}, shards: 0, maxDepth: 0 }, { agents: { a: { role: 'boss', after: [] } }, shards: 1, maxDepth: 0 }]) {
      expect(isPolicyHead(bad)).toBe(false);
    }
    const tag = { agent: null, kind: 'always', pattern: 'x' };
    const shard = (stored: object) => ({ buckets: { '': [{ entry: 0, tag, prefix: '', ...stored }] }, agents: {} });
    expect(isPolicyShard(shard({ literal: 'x', segments: null }))).toBe(true);
    for (const bad of [
      {},
      [],
      shard({ entry: -1, literal: 'x', segments: null }),
      // an entry cached by the RegExp matcher: a miss, rebuilt in the current shape
      shard({ source: '^x(?:/[\\s\\S]*)?$', foldedSource: '^x(?:/[\\s\\S]*)?$' }),
      shard({ literal: 'x' }),
      shard({ literal: 'x', segments: [1] }),
    ]) {
      expect(isPolicyShard(bad)).toBe(false);
    }
    expect(isSettings({ ...SETTINGS, unidentified: 'maybe' })).toBe(false);
    expect(isSettings({ ...SETTINGS, limits: {} })).toBe(false);
  });

  it('decides every path and agent of its scope as the whole policy does, reading only the shards it names', () => {
    const wholeRules = makeRules(full);
    const segment = fc.constantFrom(...DIRS, 'm3', 'x1', 'x2', 'deep0', 'deep1', 'shared.md', 'f.ts', 'g.m9', 'h.lock');
    const path = fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => s.join('/'));
    fc.assert(
      fc.property(fc.uniqueArray(path, { minLength: 1, maxLength: 6 }), fc.constantFrom(null, 'lead', 'nobody', ...AGENTS), (paths, agent) => {
        const scope = { paths, agents: [agent] };
        const wanted = shardsFor(head, scope);
        const view = policyView(SETTINGS, head, new Map(wanted.map((i) => [i, shards[i]!])), scope);
        const changes = paths.map((p) => ({ path: p, status: 'M' as const }));
        expect(checkChanges(makeRules(view), agent, changes)).toEqual(checkChanges(wholeRules, agent, changes));
        for (const p of paths) expect(makeRules(view).index.match(p)).toEqual(wholeRules.index.match(p));
        if (agent !== null && agent in full.manifest.agents) expect(view.manifest.agents[agent]).toEqual(full.manifest.agents[agent]);
      }),
      { numRuns: 300 },
    );
  });
});
