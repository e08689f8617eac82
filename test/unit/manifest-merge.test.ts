import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { manifestOf, mergeManifests, type AgentDocument, type ManifestDocument, type MergeConflict } from '../../src/core/manifestMerge.js';
import { SwarmError } from '../../src/errors.js';
import { mergeDriverMessages } from '../../src/messages/mergeDriver.js';
import { validateManifest, validateSettings } from '../../src/schema/validate.js';

const SETTINGS = validateSettings('{}', 'defaults');
const FILE = '.swarm/manifest.json';

const BASE: ManifestDocument = {
  version: 1,
  agents: {
    lead: { role: 'lead' },
    alice: { task: 'auth refactor', claims: ['src/auth/**'], shared: ['CHANGELOG.md'] },
    bob: { claims: ['src/db/**'], after: ['alice'], group: 'backend' },
    carol: { role: 'reader' },
  },
};

const text = (doc: ManifestDocument) => `${JSON.stringify(doc, null, 2)}\n`;
const copy = (doc: ManifestDocument): ManifestDocument => JSON.parse(JSON.stringify(doc)) as ManifestDocument;

/** BASE (or `from`) with its agents edited. */
function edit(change: (agents: Record<string, AgentDocument>) => void, from: ManifestDocument = BASE): ManifestDocument {
  const doc = copy(from);
  change(doc.agents);
  return doc;
}

function merge(base: ManifestDocument | null, ours: ManifestDocument, theirs: ManifestDocument) {
  return mergeManifests(base, ours, theirs, SETTINGS);
}

/** A clean merge's result, checked to be a valid manifest written as 2-space JSON. */
function cleanly(base: ManifestDocument | null, ours: ManifestDocument, theirs: ManifestDocument): ManifestDocument {
  const result = merge(base, ours, theirs);
  expect(result.conflicts).toEqual([]);
  expect(result.clean).toBe(true);
  validateManifest(result.text, FILE);
  const doc = JSON.parse(result.text) as ManifestDocument;
  expect(result.text).toBe(text(doc));
  return doc;
}

function conflicted(base: ManifestDocument | null, ours: ManifestDocument, theirs: ManifestDocument): { text: string; conflicts: MergeConflict[] } {
  const result = merge(base, ours, theirs);
  expect(result.clean).toBe(false);
  expect(result.conflicts.length).toBeGreaterThan(0);
  expect(() => validateManifest(result.text, FILE)).toThrow(SwarmError);
  return result;
}

/** One side of a conflicted text: the other side's blocks and the markers removed. */
function keep(conflictText: string, side: 'ours' | 'theirs'): string {
  const out: string[] = [];
  let inside: 'ours' | 'theirs' | null = null;
  for (const line of conflictText.split('\n')) {
    if (line === '<<<<<<< ours') inside = 'ours';
    else if (line === '=======') inside = 'theirs';
    else if (line === '>>>>>>> theirs') inside = null;
    else if (inside === null || inside === side) out.push(line);
  }
  return out.join('\n');
}

describe('mergeManifests: agents', () => {
  it('combines agents added on each side: ours first, then theirs', () => {
    const ours = edit((a) => (a.dave = { claims: ['docs/**'] }));
    const theirs = edit((a) => (a.erin = { claims: ['web/**'], after: ['bob'] }));
    const merged = cleanly(BASE, ours, theirs);
    expect(Object.keys(merged.agents)).toEqual(['lead', 'alice', 'bob', 'carol', 'dave', 'erin']);
    expect(merged.agents.dave).toEqual({ claims: ['docs/**'] });
    expect(merged.agents.erin).toEqual({ claims: ['web/**'], after: ['bob'] });
  });

  it('an agent added on both sides: the same once, lists joined, a scalar set differently is a conflict', () => {
    const same = edit((a) => (a.dave = { claims: ['docs/**'] }));
    expect(cleanly(BASE, same, same).agents.dave).toEqual({ claims: ['docs/**'] });
    const merged = cleanly(BASE, same, edit((a) => (a.dave = { claims: ['docs/**', 'web/**'], task: undefined })));
    expect(merged.agents.dave).toEqual({ claims: ['docs/**', 'web/**'] });
    const { conflicts } = conflicted(BASE, edit((a) => (a.dave = { role: 'lead' })), edit((a) => (a.dave = { claims: ['docs/**'] })));
    expect(conflicts).toEqual([{ kind: 'field', agent: 'dave', field: 'role', added: true, base: undefined, ours: 'lead', theirs: 'writer' }]);
  });

  it('an agent deleted on one side and unchanged (in meaning) on the other is deleted', () => {
    const deleted = edit((a) => delete a.carol);
    expect(Object.keys(cleanly(BASE, deleted, BASE).agents)).toEqual(['lead', 'alice', 'bob']);
    expect(Object.keys(cleanly(BASE, BASE, deleted).agents)).toEqual(['lead', 'alice', 'bob']);
    expect(Object.keys(cleanly(BASE, deleted, deleted).agents)).toEqual(['lead', 'alice', 'bob']);
    // Written differently, meaning the same: a list reordered, a default spelled out.
    const restyled = edit((a) => {
      a.carol = { role: 'reader', claims: [], after: [] };
      a.alice!.claims = ['src/auth/**'];
    });
    expect(Object.keys(cleanly(BASE, deleted, restyled).agents)).toEqual(['lead', 'alice', 'bob']);
  });

  it('an agent deleted on one side and changed on the other is a conflict showing both', () => {
    const deleted = edit((a) => delete a.bob);
    const changed = edit((a) => a.bob!.claims!.push('migrations/**'));
    const result = conflicted(BASE, deleted, changed);
    expect(result.conflicts).toEqual([{ kind: 'deleted', agent: 'bob', deletedBy: 'ours' }]);
    expect(conflicted(BASE, changed, deleted).conflicts).toEqual([{ kind: 'deleted', agent: 'bob', deletedBy: 'theirs' }]);
    expect(result.text).toContain('<<<<<<< ours\n=======\n    "bob": {\n      "claims": [\n        "src/db/**",\n        "migrations/**"\n');
    expect(JSON.parse(keep(result.text, 'ours'))).toEqual(deleted);
    expect(JSON.parse(keep(result.text, 'theirs'))).toEqual(changed);
  });

  it('with no base (the manifest added on both sides), every agent is added on both sides', () => {
    const ours: ManifestDocument = { version: 1, agents: { lead: { role: 'lead' }, alice: { claims: ['a/**'] } } };
    const theirs: ManifestDocument = { version: 1, agents: { lead: { role: 'lead' }, alice: { claims: ['b/**'] }, bob: {} } };
    expect(cleanly(null, ours, theirs)).toEqual({ version: 1, agents: { lead: { role: 'lead' }, alice: { claims: ['a/**', 'b/**'] }, bob: {} } });
  });
});

describe('mergeManifests: fields', () => {
  it('claims, shared and after merge as sets: additions from both kept, removals from either applied', () => {
    const ours = edit((a) => {
      a.alice!.claims = ['src/auth/**', 'test/auth/**'];
      a.alice!.shared = [];
      a.bob!.after = [];
    });
    const theirs = edit((a) => {
      a.alice!.claims = ['lib/auth/**', 'src/auth/**'];
      a.alice!.shared = ['CHANGELOG.md', 'NOTES.md'];
      a.bob!.after = ['alice', 'lead'];
    });
    const merged = cleanly(BASE, ours, theirs);
    expect(merged.agents.alice).toEqual({ task: 'auth refactor', claims: ['src/auth/**', 'test/auth/**', 'lib/auth/**'], shared: ['NOTES.md'] });
    expect(merged.agents.bob).toEqual({ claims: ['src/db/**'], after: ['lead'], group: 'backend' });
  });

  it('a claim removed on one side while the other adds one: the removal holds, the addition too', () => {
    const ours = edit((a) => (a.bob!.claims = []));
    const theirs = edit((a) => a.bob!.claims!.push('migrations/**'));
    expect(cleanly(BASE, ours, theirs).agents.bob!.claims).toEqual(['migrations/**']);
  });

  it('a scalar takes the side that changed it; the same change on both sides is no conflict', () => {
    const ours = edit((a) => (a.alice!.task = 'auth rewrite'));
    const theirs = edit((a) => {
      a.bob!.group = 'data';
      a.carol!.role = 'writer';
    });
    const merged = cleanly(BASE, ours, theirs);
    expect(merged.agents.alice!.task).toBe('auth rewrite');
    expect(merged.agents.bob!.group).toBe('data');
    expect(merged.agents.carol).toEqual({ role: 'writer' });
    expect(cleanly(BASE, ours, ours).agents.alice!.task).toBe('auth rewrite');
    // Unset on one side, its default written out on the other: the same meaning.
    expect(cleanly(BASE, edit((a) => (a.carol!.role = 'writer')), edit((a) => delete a.carol!.role)).agents.carol).toEqual({ role: 'writer' });
  });

  it('the same scalar changed differently on both sides is a conflict naming the agent, the field and all three values', () => {
    const ours = edit((a) => (a.alice!.task = 'auth rewrite'));
    const theirs = edit((a) => {
      delete a.alice!.task;
      a.bob!.claims!.push('migrations/**');
    });
    const result = conflicted(BASE, ours, theirs);
    expect(result.conflicts).toEqual([{ kind: 'field', agent: 'alice', field: 'task', added: false, base: 'auth refactor', ours: 'auth rewrite', theirs: undefined }]);
    // Only alice is shown twice; bob's change merged.
    expect(result.text.match(/<<<<<<< ours/g)).toHaveLength(1);
    expect(JSON.parse(keep(result.text, 'ours')).agents.bob.claims).toEqual(['src/db/**', 'migrations/**']);
    expect(JSON.parse(keep(result.text, 'theirs')).agents.alice).toEqual({ claims: ['src/auth/**'], shared: ['CHANGELOG.md'] });
    expect(mergeDriverMessages.conflicts(FILE, result.conflicts)).toContain('agents.alice.task: changed on both sides: ours "auth rewrite", theirs (not set) (base "auth refactor")');
  });

  it('role, group and signingKey conflict the same way; a role not set reads as writer', () => {
    const result = conflicted(BASE, edit((a) => (a.carol!.role = 'lead')), edit((a) => delete a.carol!.role));
    expect(result.conflicts).toEqual([{ kind: 'field', agent: 'carol', field: 'role', added: false, base: 'reader', ours: 'lead', theirs: 'writer' }]);
    const groups = conflicted(BASE, edit((a) => (a.bob!.group = 'x')), edit((a) => (a.bob!.group = 'y'))).conflicts;
    expect(groups).toMatchObject([{ field: 'group', ours: 'x', theirs: 'y' }]);
  });

  it('$schema merges like a scalar, and a conflict on it is marked at the top level', () => {
    const withSchema = (url: string): ManifestDocument => ({ $schema: url, ...copy(BASE) });
    expect(cleanly(BASE, withSchema('a.json'), BASE).$schema).toBe('a.json');
    const result = conflicted(BASE, withSchema('a.json'), withSchema('b.json'));
    expect(result.conflicts).toEqual([{ kind: 'field', agent: null, field: '$schema', added: true, base: undefined, ours: 'a.json', theirs: 'b.json' }]);
    expect(result.text.startsWith('{\n<<<<<<< ours\n  "$schema": "a.json",\n=======\n  "$schema": "b.json",\n>>>>>>> theirs\n  "version": 1,')).toBe(true);
  });
});

describe('mergeManifests: the result must be valid', () => {
  it('two writers newly overlapping with neither after the other: a conflict naming the pair, the globs and a witness', () => {
    const ours = edit((a) => (a.dave = { claims: ['src/api/**'] }));
    const theirs = edit((a) => (a.erin = { claims: ['src/api/v2/*.ts'] }));
    const result = conflicted(BASE, ours, theirs);
    expect(result.conflicts).toEqual([
      {
        kind: 'writers',
        pair: { a: 'dave', b: 'erin', status: 'conflict', first: null, overlaps: [{ a: { pattern: 'src/api/**', kind: 'claim' }, b: { pattern: 'src/api/v2/*.ts', kind: 'claim' }, witness: 'src/api/v2/a.ts' }] },
      },
    ]);
    expect(mergeDriverMessages.conflicts(FILE, result.conflicts)).toContain(
      `dave and erin would hold overlapping claims and neither comes after the other: dave's src/api/** and erin's src/api/v2/*.ts both match src/api/v2/a.ts; order them (add "dave" to agents.erin.after)`,
    );
    expect(JSON.parse(keep(result.text, 'ours'))).toEqual(ours);
    expect(JSON.parse(keep(result.text, 'theirs'))).toEqual(theirs);
    // Ordered by after, the same claims merge.
    cleanly(BASE, ours, edit((a) => (a.erin = { claims: ['src/api/v2/*.ts'], after: ['dave'] })));
  });

  it('a claim added on one side and an after removed on the other can also set writers in conflict', () => {
    const ours = edit((a) => a.bob!.claims!.push('src/auth/tokens/**'));
    const theirs = edit((a) => (a.bob!.after = []));
    expect(conflicted(BASE, ours, theirs).conflicts).toMatchObject([{ kind: 'writers', pair: { a: 'alice', b: 'bob' } }]);
  });

  it('a pair in conflict on one side already is not charged to the merge', () => {
    const ours = edit((a) => (a.dave = { claims: ['src/db/migrations/**'] }));
    const theirs = edit((a) => (a.erin = { claims: ['web/**'] }));
    expect(Object.keys(cleanly(BASE, ours, theirs).agents)).toEqual(['lead', 'alice', 'bob', 'carol', 'dave', 'erin']);
  });

  it('the rules across agents: an after on a deleted agent, a cycle, a reader holding claims, a duplicate glob', () => {
    const rule = (ours: ManifestDocument, theirs: ManifestDocument) => conflicted(BASE, ours, theirs).conflicts.map((c) => (c.kind === 'rule' ? c.problem.code : c.kind));
    expect(rule(edit((a) => delete a.carol), edit((a) => (a.bob!.after = ['alice', 'carol'])))).toEqual(['unknown-agent']);
    expect(rule(edit((a) => (a.alice!.after = ['bob'])), edit((a) => (a.lead!.after = ['alice'])))).toEqual(['after-cycle']);
    expect(rule(edit((a) => (a.bob!.role = 'reader')), edit((a) => a.bob!.claims!.push('x/**')))).toEqual(['reader-holds']);
    expect(rule(edit((a) => a.alice!.claims!.push('NOTES.md')), edit((a) => a.alice!.shared!.push('NOTES.md')))).toEqual(['duplicate-claim']);
    const deleted = conflicted(BASE, edit((a) => delete a.carol), edit((a) => (a.bob!.after = ['alice', 'carol'])));
    // carol is shown as ours (deleted) and theirs, beside bob.
    expect(JSON.parse(keep(deleted.text, 'theirs')).agents.carol).toEqual({ role: 'reader' });
    expect(mergeDriverMessages.conflicts(FILE, deleted.conflicts)).toContain('agents.bob.after[1]: unknown agent "carol"');
  });
});

describe('mergeManifests: the text', () => {
  it('keeps what each side wrote: no defaults filled in, key order as written', () => {
    const ours = edit((a) => (a.alice = { claims: ['src/auth/**'], task: 'auth refactor', shared: ['CHANGELOG.md'], group: 'auth' }));
    const theirs = edit((a) => (a.lead!.task = 'leads'));
    const result = merge(BASE, ours, theirs);
    expect(result.text).toBe(text(edit((a) => (a.lead!.task = 'leads'), ours)));
  });

  it('agents in the order of ours, unless only theirs reordered them; an agent only one side has stays after the one it followed', () => {
    const reordered: ManifestDocument = { version: 1, agents: { carol: BASE.agents.carol!, bob: BASE.agents.bob!, alice: BASE.agents.alice!, lead: BASE.agents.lead! } };
    const changed = edit((a) => (a.dave = {}), reordered);
    expect(Object.keys(cleanly(BASE, BASE, changed).agents)).toEqual(['carol', 'bob', 'alice', 'lead', 'dave']);
    expect(Object.keys(cleanly(BASE, edit((a) => (a.erin = {})), changed).agents)).toEqual(['carol', 'erin', 'bob', 'alice', 'lead', 'dave']);
    const inserted = edit((a) => {
      delete a.carol;
      a.erin = {};
    });
    const middle: ManifestDocument = { version: 1, agents: { lead: BASE.agents.lead!, alice: BASE.agents.alice!, dave: {}, bob: BASE.agents.bob!, carol: BASE.agents.carol! } };
    expect(Object.keys(cleanly(BASE, inserted, middle).agents)).toEqual(['lead', 'alice', 'dave', 'bob', 'erin']);
  });

  it('manifestOf fills in the defaults the schema does', () => {
    const doc = edit((a) => (a.dave = {}));
    expect(manifestOf(doc)).toEqual(validateManifest(text(doc), FILE));
  });
});

describe('mergeManifests: properties', () => {
  /** A well-formed ed25519 public key line, its 32 bytes of key from `seed`. */
  const edKey = (seed: string) => {
    const field = (bytes: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, bytes.length]), bytes]);
    const blob = Buffer.concat([field(Buffer.from('ssh-ed25519')), field(Buffer.from(seed.padEnd(32, '.').slice(0, 32)))]);
    return `ssh-ed25519 ${blob.toString('base64')} ${seed}`;
  };
  const NAMES = ['lead', 'alice', 'bob', 'carol', 'dave'];
  const GLOBS = ['src/**', 'src/a/**', 'src/a/x.ts', 'docs/*.md', 'README.md', 'test/**', 'lib/[ab]*'];
  const agent = (name: string, earlier: string[]) =>
    fc
      .record({
        scalars: fc.record(
          {
            role: fc.constantFrom('writer', 'lead', 'reader'),
            task: fc.constantFrom('build', 'fix', 'review'),
            group: fc.constantFrom('a', 'b'),
            signingKey: fc.constantFrom(edKey(`${name}1`), edKey(`${name}2`)),
          },
          { requiredKeys: [] },
        ),
        globs: fc.uniqueArray(fc.constantFrom(...GLOBS), { maxLength: 4 }),
        split: fc.nat(4),
        after: fc.subarray(earlier),
        // Whether an empty list is written out or left to its default.
        explicit: fc.boolean(),
      })
      .map(({ scalars, globs, split, after, explicit }): AgentDocument => {
        const lists = { claims: scalars.role === 'reader' ? [] : globs.slice(0, split), shared: scalars.role === 'reader' ? [] : globs.slice(split), after };
        return { ...scalars, ...Object.fromEntries(Object.entries(lists).filter(([, list]) => explicit || list.length > 0)) };
      });
  const manifest: fc.Arbitrary<ManifestDocument> = fc
    .tuple(fc.subarray(NAMES), fc.boolean())
    .chain(([names, schema]) =>
      fc.tuple(...names.map((name, i) => agent(name, names.slice(0, i)))).map((specs) => ({
        ...(schema ? { $schema: 'schema.json' } : {}),
        version: 1 as const,
        agents: Object.fromEntries(names.map((name, i) => [name, specs[i]!])),
      })),
    );

  it('the generated manifests are valid', () => {
    fc.assert(fc.property(manifest, (m) => void validateManifest(text(m), FILE)));
  });

  it('theirs unchanged gives ours, ours unchanged gives theirs, and the same change on both sides gives it, as written', () => {
    fc.assert(
      fc.property(fc.option(manifest, { nil: null }), manifest, (base, x) => {
        for (const result of [merge(base, x, x), ...(base ? [merge(base, x, base), merge(base, base, x)] : [])]) {
          expect(result.conflicts).toEqual([]);
          expect(result.text).toBe(text(x));
        }
      }),
    );
  });

  /** What a manifest says, whatever the order of its agents, keys and lists. */
  const meaning = (doc: ManifestDocument) =>
    Object.entries(manifestOf(doc).agents)
      .map(([name, spec]) => JSON.stringify([name, spec.role, spec.task, [...spec.claims].sort(), [...spec.shared].sort(), [...spec.after].sort(), spec.group, spec.signingKey]))
      .sort();

  it('swapping ours and theirs changes the order only; a clean result is valid, a conflicted one is refused', () => {
    fc.assert(
      fc.property(manifest, manifest, manifest, (base, ours, theirs) => {
        const [one, two] = [merge(base, ours, theirs), merge(base, theirs, ours)];
        expect(two.clean).toBe(one.clean);
        expect(two.conflicts.length).toBe(one.conflicts.length);
        if (one.clean) {
          validateManifest(one.text, FILE);
          expect(meaning(JSON.parse(two.text) as ManifestDocument)).toEqual(meaning(JSON.parse(one.text) as ManifestDocument));
        } else {
          expect(() => validateManifest(one.text, FILE)).toThrow(SwarmError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('a revocation against an equivalent glob (found by an adversarial pass)', () => {
  it('conflicts when one side takes a glob away and the other gives the agent one covering the same paths', () => {
    const base = edit((a) => {
      a.bob = { claims: ['src/db/**'], after: ['alice'] };
    });
    const ours = edit((a) => {
      a.bob = { claims: [], after: ['alice'] };
      a.alice = { ...a.alice, claims: [...(a.alice!.claims ?? []), 'src/db/**'] };
    }, base);
    const theirs = edit((a) => {
      a.bob = { claims: ['src/db/'], after: ['alice'] };
    }, base);
    const { conflicts } = conflicted(base, ours, theirs);
    expect(conflicts).toContainEqual(expect.objectContaining({ kind: 'revoked', agent: 'bob', field: 'claims', removedBy: 'ours', removed: 'src/db/**', added: 'src/db/' }));
  });
});
