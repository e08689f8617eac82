import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCommit, type CommitRecord } from '../../src/core/commitCheck.js';
import { compilePolicy } from '../../src/core/compilePolicy.js';
import { compileGlob } from '../../src/core/glob.js';
import { globMatches } from '../../src/core/globIndex.js';
import type { Change, ChangeStatus, Manifest, Settings } from '../../src/core/model.js';
import { checkChanges, makeRules, type OwnershipRules, type Violation } from '../../src/core/ownership.js';
import type { CompiledPolicy } from '../../src/core/policy.js';
import { validateManifest, validateSettings } from '../../src/schema/validate.js';

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

/** The example manifest of the README. */
const DESIGN_MANIFEST = {
  version: 1,
  agents: {
    lead: { role: 'lead', task: 'coordinates' },
    alice: { claims: ['src/auth/**', 'test/auth/'], shared: ['CHANGELOG.md'], group: 'backend' },
    bob: { claims: ['src/db/**'], after: ['alice'], group: 'backend' },
    carol: { role: 'reader' },
  },
};

/**
 * The README example plus agents that overlap on purpose (the manifest schema allows overlaps;
 * `plan` reports them):
 * - dave claims src/auth/shared-lib/** exclusively and is unordered with alice;
 * - frank claims src/auth/shared-lib/*.ts, a second unordered holder of some of dave's paths;
 * - erin comes after bob (so transitively after alice) and claims inside alice's src/auth/**;
 * - bob also claims src/auth/migrations/** inside alice's claim (bob comes after alice);
 * - gina claims the coordination files themselves (and config/**).
 */
const RICH_MANIFEST = {
  version: 1,
  agents: {
    lead: { role: 'lead' },
    alice: { claims: ['src/auth/**', 'test/auth/'], shared: ['CHANGELOG.md'], group: 'backend' },
    bob: { claims: ['src/db/**', 'src/auth/migrations/**'], shared: ['CHANGELOG.md'], after: ['alice'], group: 'backend' },
    carol: { role: 'reader' },
    dave: { claims: ['src/auth/shared-lib/**', 'docs/dave/**'] },
    frank: { claims: ['src/auth/shared-lib/*.ts'] },
    erin: { claims: ['src/auth/erin/**', 'src/db/erin/**'], after: ['bob'] },
    gina: { claims: ['.swarm/**', '.swarmrc', 'config/**'] },
  },
};

function manifestOf(obj: unknown): Manifest {
  return validateManifest(JSON.stringify(obj), '.swarm/manifest.json');
}

function settingsOf(yaml = ''): Settings {
  return validateSettings(yaml, '.swarmrc');
}

function policyOf(manifest: unknown = DESIGN_MANIFEST, yaml = ''): CompiledPolicy {
  return compilePolicy(settingsOf(yaml), manifestOf(manifest));
}

function rulesOf(manifest: unknown = DESIGN_MANIFEST, yaml = '', landed: string[] = []): OwnershipRules {
  return makeRules(policyOf(manifest, yaml), new Set(landed));
}

const M = (path: string): Change => ({ path, status: 'M' });
const A = (path: string): Change => ({ path, status: 'A' });
const D = (path: string): Change => ({ path, status: 'D' });
const T = (path: string): Change => ({ path, status: 'T' });

/** The violations as compact tuples, easy to compare whole. */
function summary(vs: readonly Violation[]): Array<[string, string | null, string | null]> {
  return vs.map((v) => [v.code, v.agent, v.path]);
}

const design = rulesOf(DESIGN_MANIFEST);
const rich = rulesOf(RICH_MANIFEST);

// ---------------------------------------------------------------------------------------------
// Rule 1: readers
// ---------------------------------------------------------------------------------------------

describe('readers (rule 1)', () => {
  const paths = ['README.md', 'src/auth/login.ts', 'CHANGELOG.md', '.swarm/manifest.json', '.swarmrc', 'src/db/x.sql', 'docs/a.md'];

  it('are refused on every path, one reader violation per path', () => {
    for (const status of ['A', 'M', 'D', 'T'] as ChangeStatus[]) {
      const vs = checkChanges(design, 'carol', paths.map((path) => ({ path, status })));
      expect(summary(vs)).toEqual(paths.map((p) => ['reader', 'carol', p]));
    }
  });

  it('are refused even on always-allowed paths', () => {
    const rules = rulesOf(DESIGN_MANIFEST, 'alwaysAllowed: ["**/*.md"]');
    expect(summary(checkChanges(rules, 'carol', [M('docs/notes.md')]))).toEqual([['reader', 'carol', 'docs/notes.md']]);
  });

  it('are refused with an empty change list (a reader may not commit at all)', () => {
    const vs = checkChanges(design, 'carol', []);
    expect(vs).toEqual([{ code: 'reader', agent: 'carol', path: null, holders: [], waitFor: [] }]);
  });

  it('are refused when the reader is also landed', () => {
    const rules = rulesOf(DESIGN_MANIFEST, '', ['carol']);
    expect(summary(checkChanges(rules, 'carol', [M('x')]))).toEqual([['reader', 'carol', 'x']]);
  });
});

// ---------------------------------------------------------------------------------------------
// Rule 2: claims, shared paths, always-allowed paths
// ---------------------------------------------------------------------------------------------

describe('writers inside and outside their claims (rule 2)', () => {
  it('allows a writer inside its ** claim at any depth', () => {
    expect(checkChanges(design, 'alice', [M('src/auth/login.ts'), A('src/auth/a/b/c/d.ts'), A('src/auth/.hidden')])).toEqual([]);
  });

  it('allows a writer everything below a trailing-slash directory claim', () => {
    expect(checkChanges(design, 'alice', [A('test/auth/login.test.ts'), A('test/auth/deep/er/x.ts')])).toEqual([]);
  });

  it('does not give the claimed directory name itself, nor a sibling with the same prefix', () => {
    expect(summary(checkChanges(design, 'alice', [M('src/auth'), M('src/authz/x.ts'), M('test/authentication.ts')]))).toEqual([
      ['outside-claims', 'alice', 'src/auth'],
      ['outside-claims', 'alice', 'src/authz/x.ts'],
      ['outside-claims', 'alice', 'test/authentication.ts'],
    ]);
  });

  it('allows a writer its shared paths', () => {
    expect(checkChanges(design, 'alice', [M('CHANGELOG.md')])).toEqual([]);
  });

  it("does not allow another agent's shared path to a writer who has no claim on it", () => {
    expect(summary(checkChanges(design, 'bob', [M('CHANGELOG.md')]))).toEqual([['outside-claims', 'bob', 'CHANGELOG.md']]);
  });

  it('lets two agents that share a path both write it', () => {
    expect(checkChanges(rich, 'alice', [M('CHANGELOG.md')])).toEqual([]);
    expect(checkChanges(rich, 'bob', [M('CHANGELOG.md')])).toEqual([]);
  });

  it('allows always-allowed globs to every writer, and to nobody without them', () => {
    const rules = rulesOf(DESIGN_MANIFEST, 'alwaysAllowed: ["**/*.md", ".github/**"]');
    const changes = [M('docs/guide.md'), A('README.md'), M('.github/workflows/ci.yml')];
    expect(checkChanges(rules, 'alice', changes)).toEqual([]);
    expect(checkChanges(rules, 'bob', changes)).toEqual([]);
    expect(summary(checkChanges(design, 'bob', changes))).toEqual(changes.map((c) => ['outside-claims', 'bob', c.path]));
  });

  it('refuses a writer outside its claims with outside-claims, one violation per path', () => {
    const vs = checkChanges(design, 'alice', [M('src/db/schema.sql'), A('README.md'), M('src/auth/ok.ts'), D('lib/util.ts')]);
    expect(vs).toEqual([
      { code: 'outside-claims', agent: 'alice', path: 'src/db/schema.sql', holders: [], waitFor: [] },
      { code: 'outside-claims', agent: 'alice', path: 'README.md', holders: [], waitFor: [] },
      { code: 'outside-claims', agent: 'alice', path: 'lib/util.ts', holders: [], waitFor: [] },
    ]);
  });

  it('refuses a writer with no claims on every path, and allows its empty commit', () => {
    const rules = rulesOf({ version: 1, agents: { idle: {} } });
    expect(summary(checkChanges(rules, 'idle', [M('a'), M('b/c')]))).toEqual([
      ['outside-claims', 'idle', 'a'],
      ['outside-claims', 'idle', 'b/c'],
    ]);
    expect(checkChanges(rules, 'idle', [])).toEqual([]);
  });

  it('allows a writer an empty change list', () => {
    expect(checkChanges(design, 'alice', [])).toEqual([]);
    expect(checkChanges(design, 'bob', [])).toEqual([]);
  });

  it('judges a path the bob claim held by a later agent as outside for alice, not held', () => {
    // bob comes after alice: his src/db/** does not hold alice back, but it is still not hers.
    expect(summary(checkChanges(design, 'alice', [M('src/db/x.sql')]))).toEqual([['outside-claims', 'alice', 'src/db/x.sql']]);
  });
});

// ---------------------------------------------------------------------------------------------
// Rule 3: paths held exclusively by other agents
// ---------------------------------------------------------------------------------------------

describe('paths held by other agents (rule 3)', () => {
  it('refuses a path another unordered agent claims exclusively, even inside the agent’s own claim', () => {
    const vs = checkChanges(rich, 'alice', [M('src/auth/shared-lib/tokens.go')]);
    expect(vs).toEqual([{ code: 'held-by-other', agent: 'alice', path: 'src/auth/shared-lib/tokens.go', holders: ['dave'], waitFor: [] }]);
  });

  it('lists every holder, each once', () => {
    const vs = checkChanges(rich, 'alice', [M('src/auth/shared-lib/tokens.ts')]);
    expect(vs).toHaveLength(1);
    expect(vs[0]!.code).toBe('held-by-other');
    expect([...vs[0]!.holders].sort()).toEqual(['dave', 'frank']);
    expect(vs[0]!.waitFor).toEqual([]);
  });

  it('refuses held paths the agent does not claim with held-by-other rather than outside-claims', () => {
    expect(checkChanges(rich, 'bob', [M('src/auth/login.ts')])).toEqual([
      { code: 'held-by-other', agent: 'bob', path: 'src/auth/login.ts', holders: ['alice'], waitFor: ['alice'] },
    ]);
    expect(checkChanges(rich, 'gina', [M('docs/dave/plan.md')])).toEqual([
      { code: 'held-by-other', agent: 'gina', path: 'docs/dave/plan.md', holders: ['dave'], waitFor: [] },
    ]);
  });

  it('a holder writing its own path is not held back by itself, but is by the other unordered holders', () => {
    expect(checkChanges(rich, 'dave', [M('docs/dave/plan.md')])).toEqual([]);
    // alice's src/auth/** and dave's src/auth/shared-lib/** overlap, and they are unordered: each holds the other
    expect(checkChanges(rich, 'dave', [M('src/auth/shared-lib/tokens.go')])).toEqual([
      { code: 'held-by-other', agent: 'dave', path: 'src/auth/shared-lib/tokens.go', holders: ['alice'], waitFor: [] },
    ]);
    const [v] = checkChanges(rich, 'dave', [M('src/auth/shared-lib/tokens.ts')]);
    expect([...v!.holders].sort()).toEqual(['alice', 'frank']);
  });

  it('an exclusive claim holds back always-allowed paths too', () => {
    const rules = rulesOf(DESIGN_MANIFEST, 'alwaysAllowed: ["**/*.md"]');
    expect(checkChanges(rules, 'bob', [M('src/auth/README.md')])).toEqual([
      { code: 'held-by-other', agent: 'bob', path: 'src/auth/README.md', holders: ['alice'], waitFor: ['alice'] },
    ]);
  });

  it('an exclusive claim holds back another agent’s shared path', () => {
    const rules = rulesOf({
      version: 1,
      agents: { a: { claims: ['docs/**'] }, b: { shared: ['docs/index.md'] } },
    });
    expect(checkChanges(rules, 'b', [M('docs/index.md')])).toEqual([
      { code: 'held-by-other', agent: 'b', path: 'docs/index.md', holders: ['a'], waitFor: [] },
    ]);
    // A shared path holds nobody back.
    expect(checkChanges(rules, 'a', [M('docs/index.md')])).toEqual([]);
  });
});

describe('ordering with after', () => {
  it('the earlier agent may write a path a later agent also claims', () => {
    expect(checkChanges(rich, 'alice', [M('src/auth/migrations/001.sql')])).toEqual([]);
  });

  it('the later agent is held back by the earlier one, which it must wait for', () => {
    expect(checkChanges(rich, 'bob', [M('src/auth/migrations/001.sql')])).toEqual([
      { code: 'held-by-other', agent: 'bob', path: 'src/auth/migrations/001.sql', holders: ['alice'], waitFor: ['alice'] },
    ]);
  });

  it('ordering is transitive: erin (after bob, after alice) does not hold alice back, and waits for alice', () => {
    expect(checkChanges(rich, 'alice', [M('src/auth/erin/x.ts')])).toEqual([]);
    expect(checkChanges(rich, 'bob', [M('src/db/erin/x.sql')])).toEqual([]);
    expect(checkChanges(rich, 'erin', [M('src/auth/erin/x.ts')])).toEqual([
      { code: 'held-by-other', agent: 'erin', path: 'src/auth/erin/x.ts', holders: ['alice'], waitFor: ['alice'] },
    ]);
    expect(checkChanges(rich, 'erin', [M('src/db/erin/x.sql')])).toEqual([
      { code: 'held-by-other', agent: 'erin', path: 'src/db/erin/x.sql', holders: ['bob'], waitFor: ['bob'] },
    ]);
  });

  it('waitFor lists only the holders that come before the agent', () => {
    const rules = rulesOf({
      version: 1,
      agents: {
        first: { claims: ['pkg/**'] },
        other: { claims: ['pkg/core/**'] },
        second: { claims: ['pkg/core/x/**'], after: ['first'] },
      },
    });
    const [v, ...rest] = checkChanges(rules, 'second', [M('pkg/core/x/a.ts')]);
    expect(rest).toEqual([]);
    expect(v!.code).toBe('held-by-other');
    expect([...v!.holders].sort()).toEqual(['first', 'other']);
    expect(v!.waitFor).toEqual(['first']);
  });

  it('two agents in the same group but unordered still hold each other back', () => {
    const rules = rulesOf({
      version: 1,
      agents: { a: { claims: ['x/**'], group: 'g' }, b: { claims: ['x/y/**'], group: 'g' } },
    });
    expect(summary(checkChanges(rules, 'a', [M('x/y/z')]))).toEqual([['held-by-other', 'a', 'x/y/z']]);
    expect(summary(checkChanges(rules, 'b', [M('x/y/z')]))).toEqual([['held-by-other', 'b', 'x/y/z']]);
  });
});

describe('case collisions', () => {
  /** alice and bob unordered; alice shares every TypeScript file, so only the claims can stop her. */
  const UNORDERED = {
    version: 1,
    agents: {
      lead: { role: 'lead' },
      alice: { claims: ['src/auth/**'], shared: ['**/*.ts'] },
      bob: { claims: ['src/db/**', 'lib/*.SQL'] },
      erin: { claims: ['src/erin/**'], after: ['bob'] },
    },
  };
  const rules = rulesOf(UNORDERED);

  it('refuses a path that differs only in case from one another agent holds, naming the holder and that path', () => {
    expect(checkChanges(rules, 'alice', [A('SRC/db/x.ts'), M('src/DB/y.ts')])).toEqual([
      { code: 'case-collision', agent: 'alice', path: 'SRC/db/x.ts', holders: ['bob'], waitFor: [], twin: 'src/db/x.ts' },
      { code: 'case-collision', agent: 'alice', path: 'src/DB/y.ts', holders: ['bob'], waitFor: [], twin: 'src/db/y.ts' },
    ]);
  });

  it('refuses the lead too', () => {
    expect(checkChanges(rules, 'lead', [A('SRC/db/x.ts')])).toEqual([
      { code: 'case-collision', agent: 'lead', path: 'SRC/db/x.ts', holders: ['bob'], waitFor: [], twin: 'src/db/x.ts' },
    ]);
  });

  it('refuses even inside the committer’s own claim, as rule 3 does for exact overlaps', () => {
    const wide = rulesOf({ version: 1, agents: { alice: { claims: ['src/**'] }, bob: { claims: ['src/db/**'] } } });
    expect(summary(checkChanges(wide, 'alice', [M('src/DB/x.ts'), M('src/db/x.ts'), M('src/dbx/x.ts')]))).toEqual([
      ['case-collision', 'alice', 'src/DB/x.ts'],
      ['held-by-other', 'alice', 'src/db/x.ts'],
    ]);
  });

  it('names no twin when the case differs in the wildcard part of the claim', () => {
    expect(checkChanges(rules, 'alice', [M('lib/a.sql')])).toEqual([
      { code: 'case-collision', agent: 'alice', path: 'lib/a.sql', holders: ['bob'], waitFor: [], twin: null },
    ]);
  });

  it('an agent’s own claims do not collide with themselves: a case variant is just outside them', () => {
    expect(summary(checkChanges(rules, 'bob', [M('SRC/db/x.sql'), M('lib/a.sql')]))).toEqual([
      ['outside-claims', 'bob', 'SRC/db/x.sql'],
      ['outside-claims', 'bob', 'lib/a.sql'],
    ]);
  });

  it('an exact holder wins: one held-by-other violation, not a collision as well', () => {
    const both = rulesOf({ version: 1, agents: { a: { claims: ['x/**'] }, b: { claims: ['X/**'] }, c: {} } });
    expect(checkChanges(both, 'c', [M('X/y')])).toEqual([{ code: 'held-by-other', agent: 'c', path: 'X/y', holders: ['b'], waitFor: [] }]);
    expect(checkChanges(both, 'c', [M('x/Y')])).toEqual([{ code: 'held-by-other', agent: 'c', path: 'x/Y', holders: ['a'], waitFor: [] }]);
    expect(checkChanges(both, 'c', [M('Xx/y')])).toEqual([{ code: 'outside-claims', agent: 'c', path: 'Xx/y', holders: [], waitFor: [] }]);
    // two claims that differ only in case refuse each other, like overlapping claims
    expect(summary(checkChanges(both, 'a', [M('x/y')]))).toEqual([['case-collision', 'a', 'x/y']]);
    expect(summary(checkChanges(both, 'b', [M('X/y')]))).toEqual([['case-collision', 'b', 'X/y']]);
  });

  it('follows after and landing like held-by-other: later holders hold nobody back, earlier ones are waited for', () => {
    expect(checkChanges(rules, 'erin', [M('Src/DB/x.ts')])).toEqual([
      { code: 'case-collision', agent: 'erin', path: 'Src/DB/x.ts', holders: ['bob'], waitFor: ['bob'], twin: 'src/db/x.ts' },
    ]);
    expect(summary(checkChanges(rules, 'bob', [M('src/Erin/x.sql')]))).toEqual([['outside-claims', 'bob', 'src/Erin/x.sql']]);
    expect(checkChanges(rulesOf(UNORDERED, '', ['bob']), 'alice', [M('SRC/db/x.ts')])).toEqual([]);
  });

  it('shared and always-allowed paths do not collide: they are not exclusive', () => {
    const open = rulesOf(UNORDERED, 'alwaysAllowed: ["docs/**"]');
    expect(checkChanges(open, 'lead', [M('SRC/auth/x.TS'), M('DOCS/a.md')])).toEqual([
      { code: 'case-collision', agent: 'lead', path: 'SRC/auth/x.TS', holders: ['alice'], waitFor: [], twin: 'src/auth/x.TS' },
    ]);
    expect(checkChanges(open, 'bob', [M('x.TS')])).toEqual([{ code: 'outside-claims', agent: 'bob', path: 'x.TS', holders: [], waitFor: [] }]);
  });

  it('folds ASCII only: "Über" and "über" are different paths here (as for git’s core.ignoreCase)', () => {
    const umlaut = rulesOf({ version: 1, agents: { a: { claims: ['docs/über/**'] }, lead: { role: 'lead' } } });
    expect(checkChanges(umlaut, 'lead', [M('docs/Über/x')])).toEqual([]);
    expect(summary(checkChanges(umlaut, 'lead', [M('Docs/über/x')]))).toEqual([['case-collision', 'lead', 'Docs/über/x']]);
  });

  it('property: a case variant of a path another agent holds is refused, unless the committer is the holder', () => {
    const bobGlobs = UNORDERED.agents.bob.claims.map(compileGlob);
    const segment = fc.string({ unit: fc.constantFrom('a', 'q', 'z', 'S', '0', '.', '-', ' ', 'é', 'ß'), minLength: 1, maxLength: 5 }).filter((s) => s !== '.' && s !== '..');
    const tail = fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('/'));
    const held = fc.oneof(
      tail.map((t) => `src/db/${t}`),
      segment.filter((s) => !s.includes('/')).map((s) => `lib/${s}.SQL`),
    );
    /** Each ASCII letter in the case `upper` says; "é" and "ß" stay as they are (ASCII folding only). */
    const recase = (path: string, upper: boolean[]) =>
      [...path].map((c, i) => (/[A-Za-z]/.test(c) ? (upper[i % upper.length] ? c.toUpperCase() : c.toLowerCase()) : c)).join('');
    fc.assert(
      fc.property(held, fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }), fc.constantFrom('alice', 'lead'), (path, upper, agent) => {
        const variant = recase(path, upper);
        const exact = bobGlobs.some((g) => globMatches(g, variant));
        const [v, ...rest] = checkChanges(rules, agent, [M(variant)]);
        expect(rest).toEqual([]);
        expect([v?.code, v?.holders]).toEqual([exact ? 'held-by-other' : 'case-collision', ['bob']]);
        // bob himself: his own path, or outside his claims, never a collision with himself
        const own = checkChanges(rules, 'bob', [M(variant)]);
        expect(own.every((o) => !o.holders.includes('bob'))).toBe(true);
        expect(own.length === 0).toBe(exact || own.some((o) => o.holders.length > 0));
      }),
      { numRuns: 500 },
    );
  });
});

describe('landed agents', () => {
  it('hold nobody back', () => {
    const rules = rulesOf(RICH_MANIFEST, '', ['alice']);
    expect(checkChanges(rules, 'bob', [M('src/auth/migrations/001.sql')])).toEqual([]);
    expect(checkChanges(rules, 'erin', [M('src/auth/erin/x.ts')])).toEqual([]);
    expect(checkChanges(rules, 'lead', [M('src/auth/login.ts')])).toEqual([]);
  });

  it('do not give their paths to anyone: a path only the landed agent claimed is still outside others’ claims', () => {
    const rules = rulesOf(DESIGN_MANIFEST, '', ['alice']);
    expect(summary(checkChanges(rules, 'bob', [M('src/auth/login.ts')]))).toEqual([['outside-claims', 'bob', 'src/auth/login.ts']]);
  });

  it('only the landed agents stop holding: other holders of the same path remain', () => {
    const rules = rulesOf(RICH_MANIFEST, '', ['dave']);
    expect(checkChanges(rules, 'alice', [M('src/auth/shared-lib/tokens.go')])).toEqual([]);
    expect(checkChanges(rules, 'alice', [M('src/auth/shared-lib/tokens.ts')])).toEqual([
      { code: 'held-by-other', agent: 'alice', path: 'src/auth/shared-lib/tokens.ts', holders: ['frank'], waitFor: [] },
    ]);
  });

  it('a landed agent can still write its own claims', () => {
    const rules = rulesOf(DESIGN_MANIFEST, '', ['alice']);
    expect(checkChanges(rules, 'alice', [M('src/auth/login.ts')])).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Leads and rule 4: the manifest and .swarmrc
// ---------------------------------------------------------------------------------------------

describe('leads', () => {
  it('may write anywhere nobody else holds', () => {
    expect(checkChanges(design, 'lead', [M('README.md'), A('anything/at/all.txt'), D('CHANGELOG.md'), M('src/unclaimed.ts')])).toEqual([]);
  });

  it('respect other agents’ exclusive claims', () => {
    expect(checkChanges(design, 'lead', [M('src/auth/login.ts'), M('src/db/x.sql'), M('test/auth/t.ts')])).toEqual([
      { code: 'held-by-other', agent: 'lead', path: 'src/auth/login.ts', holders: ['alice'], waitFor: [] },
      { code: 'held-by-other', agent: 'lead', path: 'src/db/x.sql', holders: ['bob'], waitFor: [] },
      { code: 'held-by-other', agent: 'lead', path: 'test/auth/t.ts', holders: ['alice'], waitFor: [] },
    ]);
  });

  it('may change the manifest and .swarmrc', () => {
    expect(checkChanges(design, 'lead', [M('.swarm/manifest.json'), M('.swarmrc')])).toEqual([]);
    expect(checkChanges(design, 'lead', [A('.swarm/manifest.json'), D('.swarmrc')])).toEqual([]);
  });

  it('may change a non-default manifest path', () => {
    const rules = rulesOf(DESIGN_MANIFEST, 'manifest: config/swarm.json');
    expect(checkChanges(rules, 'lead', [M('config/swarm.json'), M('.swarmrc')])).toEqual([]);
  });

  it('a lead that also claims paths is judged like a lead', () => {
    const rules = rulesOf({ version: 1, agents: { boss: { role: 'lead', claims: ['ops/**'] }, w: { claims: ['src/**'] } } });
    expect(checkChanges(rules, 'boss', [M('ops/x'), M('elsewhere/y')])).toEqual([]);
    expect(summary(checkChanges(rules, 'boss', [M('src/a.ts')]))).toEqual([['held-by-other', 'boss', 'src/a.ts']]);
  });
});

describe('the manifest and .swarmrc are lead-only (rule 4)', () => {
  it('refuses non-leads on the default manifest path and on .swarmrc', () => {
    for (const agent of ['alice', 'bob']) {
      expect(checkChanges(design, agent, [M('.swarm/manifest.json'), M('.swarmrc')])).toEqual([
        { code: 'lead-only', agent, path: '.swarm/manifest.json', holders: [], waitFor: [] },
        { code: 'lead-only', agent, path: '.swarmrc', holders: [], waitFor: [] },
      ]);
    }
  });

  it('refuses a non-lead even inside its own claims, for every kind of change', () => {
    for (const status of ['A', 'M', 'D', 'T'] as ChangeStatus[]) {
      expect(summary(checkChanges(rich, 'gina', [{ path: '.swarm/manifest.json', status }, { path: '.swarmrc', status }]))).toEqual([
        ['lead-only', 'gina', '.swarm/manifest.json'],
        ['lead-only', 'gina', '.swarmrc'],
      ]);
    }
    // the rest of gina's claims is hers
    expect(checkChanges(rich, 'gina', [M('.swarm/notes.json'), M('config/app.yml')])).toEqual([]);
  });

  it('refuses a non-lead even when the manifest is always allowed', () => {
    const rules = rulesOf(DESIGN_MANIFEST, 'alwaysAllowed: ["**"]');
    expect(summary(checkChanges(rules, 'alice', [M('.swarm/manifest.json'), M('.swarmrc'), M('anything')]))).toEqual([
      ['lead-only', 'alice', '.swarm/manifest.json'],
      ['lead-only', 'alice', '.swarmrc'],
    ]);
  });

  it('protects a non-default manifest path set in settings, and then the default path is an ordinary path', () => {
    const rules = rulesOf(RICH_MANIFEST, 'manifest: config/swarm.json');
    expect(summary(checkChanges(rules, 'gina', [M('config/swarm.json'), M('.swarmrc'), M('.swarm/manifest.json')]))).toEqual([
      ['lead-only', 'gina', 'config/swarm.json'],
      ['lead-only', 'gina', '.swarmrc'],
    ]);
    expect(summary(checkChanges(rules, 'alice', [M('config/swarm.json')]))).toEqual([['lead-only', 'alice', 'config/swarm.json']]);
  });

  it('only the exact paths are protected', () => {
    expect(checkChanges(rich, 'gina', [M('.swarm/manifest.json.bak'), M('.swarm/manifest.jsonx'), M('.swarm/manifest.json/x')])).toEqual([]);
    // a literal claim ".swarmrc" covers the path and what is below it, not ".swarmrc.example"
    expect(summary(checkChanges(rich, 'gina', [M('.swarmrc.example')]))).toEqual([['outside-claims', 'gina', '.swarmrc.example']]);
    expect(summary(checkChanges(design, 'alice', [M('sub/.swarmrc')]))).toEqual([['outside-claims', 'alice', 'sub/.swarmrc']]);
  });

  it('readers get reader, not lead-only, on the manifest', () => {
    expect(summary(checkChanges(design, 'carol', [M('.swarm/manifest.json')]))).toEqual([['reader', 'carol', '.swarm/manifest.json']]);
  });
});

// ---------------------------------------------------------------------------------------------
// Identity: unknown and unidentified agents
// ---------------------------------------------------------------------------------------------

describe('unknown and unidentified agents', () => {
  it('an unknown agent gets exactly one unknown-agent violation, whatever it changes', () => {
    const expected = [{ code: 'unknown-agent', agent: 'zed', path: null, holders: [], waitFor: [] }];
    expect(checkChanges(design, 'zed', [M('src/auth/login.ts'), M('README.md'), M('.swarmrc')])).toEqual(expected);
    expect(checkChanges(design, 'zed', [])).toEqual(expected);
  });

  it('agent names are case-sensitive', () => {
    expect(summary(checkChanges(design, 'Alice', [M('src/auth/login.ts')]))).toEqual([['unknown-agent', 'Alice', null]]);
  });

  it('names that collide with Object.prototype properties are unknown agents', () => {
    const rules = rulesOf(DESIGN_MANIFEST, 'alwaysAllowed: ["**/*.md"]');
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(summary(checkChanges(rules, name, [M('x')]))).toEqual([['unknown-agent', name, null]]);
      // not a writer with no claims that may touch always-allowed paths or commit nothing
      expect(summary(checkChanges(rules, name, [M('README.md')]))).toEqual([['unknown-agent', name, null]]);
      expect(summary(checkChanges(rules, name, []))).toEqual([['unknown-agent', name, null]]);
    }
  });

  it('unidentified commits are allowed by default (policy allow)', () => {
    expect(checkChanges(design, null, [M('src/auth/login.ts'), M('.swarm/manifest.json'), M('.swarmrc')])).toEqual([]);
    expect(checkChanges(design, null, [])).toEqual([]);
  });

  it('unidentified commits get one unidentified violation under policy deny', () => {
    const rules = rulesOf(DESIGN_MANIFEST, 'unidentified: deny');
    const expected = [{ code: 'unidentified', agent: null, path: null, holders: [], waitFor: [] }];
    expect(checkChanges(rules, null, [M('a'), M('b'), M('c')])).toEqual(expected);
    expect(checkChanges(rules, null, [])).toEqual(expected);
    // identified agents are unaffected by the policy
    expect(checkChanges(rules, 'alice', [M('src/auth/a.ts')])).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Kinds of change and awkward paths
// ---------------------------------------------------------------------------------------------

describe('kinds of change', () => {
  it('a rename is its delete plus its add, and each side is judged', () => {
    // out of the claims into them: the delete is refused
    expect(checkChanges(design, 'alice', [D('lib/session.ts'), A('src/auth/session.ts')])).toEqual([
      { code: 'outside-claims', agent: 'alice', path: 'lib/session.ts', holders: [], waitFor: [] },
    ]);
    // out of the claims: the add is refused
    expect(checkChanges(design, 'alice', [D('src/auth/session.ts'), A('lib/session.ts')])).toEqual([
      { code: 'outside-claims', agent: 'alice', path: 'lib/session.ts', holders: [], waitFor: [] },
    ]);
    // within the claims: nothing
    expect(checkChanges(design, 'alice', [D('src/auth/a.ts'), A('test/auth/a.ts')])).toEqual([]);
    // into someone else's claim
    expect(summary(checkChanges(design, 'bob', [D('src/db/a.ts'), A('src/auth/a.ts')]))).toEqual([['held-by-other', 'bob', 'src/auth/a.ts']]);
  });

  it('deleting a path is judged like any other change (D outside the claims is refused)', () => {
    expect(summary(checkChanges(design, 'alice', [D('src/db/schema.sql'), D('README.md')]))).toEqual([
      ['outside-claims', 'alice', 'src/db/schema.sql'],
      ['outside-claims', 'alice', 'README.md'],
    ]);
    expect(summary(checkChanges(design, 'bob', [D('src/auth/login.ts')]))).toEqual([['held-by-other', 'bob', 'src/auth/login.ts']]);
    expect(checkChanges(design, 'alice', [D('src/auth/login.ts')])).toEqual([]);
  });

  it('type changes, symlinks and submodules are just paths', () => {
    // a file turned into a symlink (T), a new symlink (A), a submodule (gitlink) moved forward (M)
    expect(checkChanges(design, 'alice', [T('src/auth/config'), A('src/auth/link-to-db'), M('src/auth/vendor/oauth')])).toEqual([]);
    expect(summary(checkChanges(design, 'alice', [T('src/db/config'), A('vendor/oauth'), M('lib/submodule')]))).toEqual([
      ['outside-claims', 'alice', 'src/db/config'],
      ['outside-claims', 'alice', 'vendor/oauth'],
      ['outside-claims', 'alice', 'lib/submodule'],
    ]);
  });

  it('the status never changes the verdict', () => {
    const paths = ['src/auth/a.ts', 'src/db/b.sql', 'README.md', '.swarmrc', 'CHANGELOG.md', 'src/auth/migrations/1.sql'];
    for (const agent of ['alice', 'bob', 'lead', 'carol', 'dave']) {
      const base = summary(checkChanges(rich, agent, paths.map(M)));
      for (const status of ['A', 'D', 'T'] as ChangeStatus[]) {
        expect(summary(checkChanges(rich, agent, paths.map((path) => ({ path, status }))))).toEqual(base);
      }
    }
  });
});

describe('awkward paths', () => {
  it('is case-sensitive: a case-only rename out of the own claim is refused as outside it', () => {
    expect(summary(checkChanges(design, 'alice', [D('src/auth/x.ts'), A('Src/Auth/x.ts')]))).toEqual([['outside-claims', 'alice', 'Src/Auth/x.ts']]);
    expect(summary(checkChanges(design, 'alice', [M('SRC/AUTH/x.ts'), M('src/Auth/x.ts'), M('changelog.md'), M('Test/auth/x')]))).toEqual([
      ['outside-claims', 'alice', 'SRC/AUTH/x.ts'],
      ['outside-claims', 'alice', 'src/Auth/x.ts'],
      ['outside-claims', 'alice', 'changelog.md'],
      ['outside-claims', 'alice', 'Test/auth/x'],
    ]);
    // for another agent, the case-changed path collides with the holder's (see "case collisions")
    expect(summary(checkChanges(design, 'bob', [M('Src/Auth/x.ts')]))).toEqual([['case-collision', 'bob', 'Src/Auth/x.ts']]);
  });

  it('paths with newlines are matched like any other character', () => {
    expect(checkChanges(design, 'alice', [A('src/auth/we\nird.ts'), A('src/auth/new\nline/x')])).toEqual([]);
    expect(summary(checkChanges(design, 'alice', [A('src/a\nuth/x.ts'), A('src/auth\n/x.ts'), A('\nsrc/auth/x.ts')]))).toEqual([
      ['outside-claims', 'alice', 'src/a\nuth/x.ts'],
      ['outside-claims', 'alice', 'src/auth\n/x.ts'],
      ['outside-claims', 'alice', '\nsrc/auth/x.ts'],
    ]);
    expect(summary(checkChanges(design, 'bob', [A('src/auth/we\nird.ts')]))).toEqual([['held-by-other', 'bob', 'src/auth/we\nird.ts']]);
  });

  it('paths with spaces', () => {
    expect(checkChanges(design, 'alice', [A('src/auth/with space.ts'), A('test/auth/ leading')])).toEqual([]);
    expect(summary(checkChanges(design, 'alice', [A('src/auth /x.ts'), A(' src/auth/x.ts')]))).toEqual([
      ['outside-claims', 'alice', 'src/auth /x.ts'],
      ['outside-claims', 'alice', ' src/auth/x.ts'],
    ]);
  });

  it('unicode paths', () => {
    expect(checkChanges(design, 'alice', [A('src/auth/ünïcødé/файл.ts'), A('src/auth/日本語.md'), A('src/auth/😀')])).toEqual([]);
    // a Cyrillic "а" looks like "a" but is not
    expect(summary(checkChanges(design, 'alice', [A('src/\u0430uth/x.ts')]))).toEqual([['outside-claims', 'alice', 'src/\u0430uth/x.ts']]);
    const rules = rulesOf({ version: 1, agents: { uber: { claims: ['dokumente/über/**'] }, o: { claims: ['*.txt'] } } });
    expect(checkChanges(rules, 'uber', [A('dokumente/über/ä.txt')])).toEqual([]);
    // NFC and NFD spellings of "ü" are different paths, as for git
    expect(summary(checkChanges(rules, 'uber', [A('dokumente/u\u0308ber/a.txt')]))).toEqual([['outside-claims', 'uber', 'dokumente/u\u0308ber/a.txt']]);
    expect(checkChanges(rules, 'o', [A('ü.txt')])).toEqual([]);
  });

  it('glob metacharacters in paths are literal characters', () => {
    const rules = rulesOf({ version: 1, agents: { w: { claims: ['lib/*.js'] } } });
    expect(checkChanges(rules, 'w', [A('lib/[x].js'), A('lib/*.js'), A('lib/a?b.js')])).toEqual([]);
    expect(summary(checkChanges(rules, 'w', [A('lib/sub/a.js')]))).toEqual([['outside-claims', 'w', 'lib/sub/a.js']]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

describe('properties', () => {
  /** Segment characters: letters, spaces, newlines, unicode, glob metacharacters; never "/". */
  const segment = fc
    .string({ unit: fc.constantFrom('a', 'B', 'z', '0', '.', '-', '_', ' ', '\n', 'é', '日', '*', '?', '[', ']', '{', '}', ','), minLength: 1, maxLength: 6 })
    .filter((s) => s !== '.' && s !== '..');
  const tail = fc.array(segment, { minLength: 1, maxLength: 3 }).map((segs) => segs.join('/'));

  type Verdict = 'ok' | 'outside-claims' | 'held-by-other' | 'lead-only';
  /** Paths with their verdict for alice under RICH_MANIFEST with alwaysAllowed ["**\/*.md"], built independently of the code. */
  const aliceCase: fc.Arbitrary<{ path: string; verdict: Verdict }> = fc.oneof(
    tail.map((t) => ({ path: `src/auth/f${t}`, verdict: 'ok' as Verdict })),
    tail.map((t) => ({ path: `test/auth/${t}`, verdict: 'ok' as Verdict })),
    tail.map((t) => ({ path: `src/auth/migrations/${t}`, verdict: 'ok' as Verdict })), // bob comes after alice
    tail.map((t) => ({ path: `src/auth/erin/${t}`, verdict: 'ok' as Verdict })), // erin comes after alice
    fc.constant({ path: 'CHANGELOG.md', verdict: 'ok' as Verdict }),
    tail.map((t) => ({ path: `notes/${t}.md`, verdict: 'ok' as Verdict })), // always allowed
    tail.map((t) => ({ path: `src/auth/shared-lib/${t}x`, verdict: 'held-by-other' as Verdict })), // dave
    tail.map((t) => ({ path: `docs/dave/${t}x`, verdict: 'held-by-other' as Verdict })),
    tail.map((t) => ({ path: `src/db/${t}x`, verdict: 'outside-claims' as Verdict })), // bob's, later: not hers
    tail.map((t) => ({ path: `lib/${t}x`, verdict: 'outside-claims' as Verdict })),
    tail.map((t) => ({ path: `Src/Auth/${t}x`, verdict: 'outside-claims' as Verdict })),
    fc.constantFrom(
      { path: '.swarm/manifest.json', verdict: 'lead-only' as Verdict },
      { path: '.swarmrc', verdict: 'lead-only' as Verdict },
    ),
  );
  const status = fc.constantFrom<ChangeStatus>('A', 'M', 'D', 'T');
  const rules = rulesOf(RICH_MANIFEST, 'alwaysAllowed: ["**/*.md"]');

  it('one violation per offending path, with the right code, in change order; none for own unheld paths', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(aliceCase, status), { selector: ([c]) => c.path, maxLength: 25 }), (cases) => {
        const changes = cases.map(([c, s]) => ({ path: c.path, status: s }));
        const vs = checkChanges(rules, 'alice', changes);
        const offending = cases.filter(([c]) => c.verdict !== 'ok').map(([c]) => [c.verdict, 'alice', c.path]);
        expect(summary(vs)).toEqual(offending);
        const own = new Set(cases.filter(([c]) => c.verdict === 'ok').map(([c]) => c.path));
        expect(vs.some((v) => v.path !== null && own.has(v.path))).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('for any agent and any paths: at most one violation per change, each naming its path, never one for an own claim nobody else holds', () => {
    const agents = Object.keys(RICH_MANIFEST.agents).filter((a) => a !== 'carol');
    const anyPath = fc.oneof(
      tail,
      fc.constantFrom('src/auth/', 'src/db/', 'test/auth/', 'src/auth/shared-lib/', 'docs/dave/', 'config/', '.swarm/').chain((p) => tail.map((t) => p + t)),
    );
    fc.assert(
      fc.property(fc.constantFrom(...agents), fc.uniqueArray(anyPath, { maxLength: 20 }), (agent, paths) => {
        const vs = checkChanges(rules, agent, paths.map(M));
        expect(vs.length).toBeLessThanOrEqual(paths.length);
        const flagged = vs.map((v) => v.path);
        expect(new Set(flagged).size).toBe(flagged.length);
        for (const v of vs) {
          expect(paths).toContain(v.path);
          expect(v.agent).toBe(agent);
        }
        // adding or removing other changes never changes the verdict on a path
        for (const p of paths) {
          const alone = summary(checkChanges(rules, agent, [M(p)]));
          expect(summary(vs.filter((v) => v.path === p))).toEqual(alone);
        }
        // a path matched by the agent's own claim and no other live exclusive claim (in any case) is never flagged
        const own = (p: string) => rules.index.match(p).some((t) => t.kind === 'claim' && t.agent === agent);
        const heldElsewhere = (p: string) => {
          const { exact, caseOnly } = rules.index.lookup(p);
          return [...exact, ...caseOnly].some((t) => t.kind === 'claim' && t.agent !== agent);
        };
        for (const p of paths) {
          if (own(p) && !heldElsewhere(p) && p !== '.swarm/manifest.json' && p !== '.swarmrc') expect(flagged).not.toContain(p);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('readers: exactly one reader violation per path, for any paths', () => {
    fc.assert(
      fc.property(fc.uniqueArray(tail, { minLength: 1, maxLength: 15 }), (paths) => {
        expect(summary(checkChanges(rules, 'carol', paths.map(M)))).toEqual(paths.map((p) => ['reader', 'carol', p]));
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// checkCommit: attribution plus ownership
// ---------------------------------------------------------------------------------------------

describe('checkCommit', () => {
  const commit = (trailerAgents: string[], changes: Change[], sha = 'c0ffee'.padEnd(40, '0')): CommitRecord => ({
    sha,
    leaseTokens: [],
    parents: ['1'.repeat(40)],
    trailerAgents,
    changes,
  });

  it('a commit on its agent’s branch with that agent’s trailer is checked as that agent', () => {
    expect(checkCommit(design, commit(['alice'], [M('src/auth/login.ts')]), 'alice')).toEqual([]);
    expect(checkCommit(design, commit(['alice'], [M('README.md')], 'a'.repeat(40)), 'alice')).toEqual([
      { code: 'outside-claims', agent: 'alice', path: 'README.md', holders: [], waitFor: [], commit: 'a'.repeat(40) },
    ]);
  });

  it('a commit without a trailer on an agent branch is an attribution violation, and is charged to the branch agent', () => {
    const sha = 'b'.repeat(40);
    expect(checkCommit(design, commit([], [M('src/auth/login.ts')], sha), 'alice')).toEqual([
      { code: 'attribution', agent: null, path: null, holders: ['alice'], waitFor: [], commit: sha },
    ]);
    expect(summary(checkCommit(design, commit([], [M('src/db/x.sql')], sha), 'alice'))).toEqual([
      ['attribution', null, null],
      ['outside-claims', 'alice', 'src/db/x.sql'],
    ]);
  });

  it('another agent’s trailer on an agent branch is an attribution violation, and the changes are charged to the trailer’s agent', () => {
    const vs = checkCommit(design, commit(['bob'], [M('src/auth/login.ts')]), 'alice');
    expect(vs.map((v) => [v.code, v.agent, v.path, v.holders])).toEqual([
      ['attribution', 'bob', null, ['alice']],
      ['held-by-other', 'bob', 'src/auth/login.ts', ['alice']],
    ]);
  });

  it('the last trailer wins', () => {
    expect(checkCommit(design, commit(['bob', 'alice'], [M('src/auth/login.ts')]), 'alice')).toEqual([]);
    const vs = checkCommit(design, commit(['alice', 'bob'], [M('src/db/x.sql')]), 'alice');
    expect(summary(vs)).toEqual([['attribution', 'bob', null]]);
    expect(checkCommit(design, commit(['alice', 'bob'], [M('src/db/x.sql')]), null)).toEqual([]);
  });

  it('a trailer naming an unknown agent', () => {
    expect(summary(checkCommit(design, commit(['zed'], [M('x')]), null))).toEqual([['unknown-agent', 'zed', null]]);
    expect(summary(checkCommit(design, commit(['zed'], [M('x')]), 'alice'))).toEqual([
      ['attribution', 'zed', null],
      ['unknown-agent', 'zed', null],
    ]);
  });

  it('a trailer-less commit off agent branches is unidentified: allowed by default, one violation under deny', () => {
    expect(checkCommit(design, commit([], [M('src/auth/login.ts'), M('.swarmrc')]), null)).toEqual([]);
    const deny = rulesOf(DESIGN_MANIFEST, 'unidentified: deny');
    const sha = 'd'.repeat(40);
    expect(checkCommit(deny, commit([], [M('src/auth/login.ts')], sha), null)).toEqual([
      { code: 'unidentified', agent: null, path: null, holders: [], waitFor: [], commit: sha },
    ]);
  });

  it('a trailer off agent branches identifies the agent (no attribution check)', () => {
    expect(checkCommit(design, commit(['alice'], [M('src/auth/a.ts')]), null)).toEqual([]);
    expect(summary(checkCommit(design, commit(['carol'], []), null))).toEqual([['reader', 'carol', null]]);
  });

  it('a reader’s commit on its own branch is refused even when empty', () => {
    expect(summary(checkCommit(design, commit(['carol'], []), 'carol'))).toEqual([['reader', 'carol', null]]);
  });

  it('every violation carries the commit sha', () => {
    const sha = 'e'.repeat(40);
    const vs = checkCommit(rich, commit(['bob'], [M('src/auth/x'), M('.swarmrc'), M('lib/x')], sha), 'alice');
    expect(vs.length).toBe(4);
    expect(vs.every((v) => v.commit === sha)).toBe(true);
  });

  it('respects landed agents through the rules', () => {
    const landed = rulesOf(RICH_MANIFEST, '', ['alice']);
    expect(checkCommit(landed, commit(['bob'], [M('src/auth/migrations/2.sql')]), 'bob')).toEqual([]);
    expect(summary(checkCommit(rich, commit(['bob'], [M('src/auth/migrations/2.sql')]), 'bob'))).toEqual([
      ['held-by-other', 'bob', 'src/auth/migrations/2.sql'],
    ]);
  });
});

describe('makeRules', () => {
  it('protects the configured manifest path and .swarmrc, and records the landed agents', () => {
    const rules = makeRules(policyOf(DESIGN_MANIFEST, 'manifest: config/swarm.json'), new Set(['bob']));
    expect([...rules.protectedPaths].sort()).toEqual(['.swarmrc', 'config/swarm.json']);
    expect([...rules.landed]).toEqual(['bob']);
    expect([...makeRules(policyOf()).landed]).toEqual([]);
  });

  it('the rules survive a JSON round trip of the compiled policy (the hook cache)', () => {
    const policy = JSON.parse(JSON.stringify(policyOf(RICH_MANIFEST))) as CompiledPolicy;
    const rules = makeRules(policy);
    const changes = [M('src/auth/a.ts'), M('src/auth/shared-lib/x.go'), M('src/db/x'), M('.swarmrc')];
    for (const agent of ['alice', 'bob', 'lead', 'carol', 'zed']) {
      expect(checkChanges(rules, agent, changes)).toEqual(checkChanges(rich, agent, changes));
    }
  });
});

describe('paths no checkout can hold', () => {
  it('are refused before any glob is tried, so a long path cannot stall the hooks or CI', () => {
    const rules = rulesOf({ version: 1, agents: { alice: { claims: ['**/*.spec.*.snap', '**/a/**/a/**/b', 'src/auth/**'] }, lead: { role: 'lead' } } });
    const long = `src/auth/${'x.spec.'.repeat(700)}snap`;
    const deep = `src/auth/${'a/'.repeat(2100)}b`;
    expect(checkChanges(rules, 'alice', [A(long), A(deep)]).map((v) => [v.code, v.path])).toEqual([
      ['unsafe-path', long],
      ['unsafe-path', deep],
    ]);
    expect(checkChanges(rules, 'lead', [A(long)]).map((v) => v.code)).toEqual(['unsafe-path']);
    // At the limits: a 255-byte name and a 4096-byte path are ordinary paths.
    expect(checkChanges(rules, 'alice', [A(`src/auth/${'n'.repeat(255)}`)])).toEqual([]);
    const atLimit = `src/auth/${'d/'.repeat(2042)}e`;
    expect(atLimit.length).toBe(4094);
    expect(checkChanges(rules, 'alice', [A(atLimit)]).map((v) => v.code)).toEqual([]);
    expect(checkChanges(rules, 'alice', [A(`src/auth/${'n'.repeat(256)}`)]).map((v) => v.code)).toEqual(['unsafe-path']);
  });
});
