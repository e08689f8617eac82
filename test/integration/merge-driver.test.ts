/**
 * The manifest's merge driver under real git: `init` registers it, and git merge, git rebase and
 * git merge-tree --write-tree run it on .swarm/manifest.json.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateManifest } from '../../src/schema/validate.js';
import { EXAMPLE_MANIFEST, removeTempDirs, swarmRepo, tempDir, type TestRepo } from '../helpers/repo.js';

afterAll(removeTempDirs);

const LEAD = { SWARM_AGENT: 'lead' };
const MANIFEST = '.swarm/manifest.json';

type Agents = Record<string, Record<string, unknown>>;

const json = (agents: Agents) => `${JSON.stringify({ version: 1, agents }, null, 2)}\n`;
const example = (): Agents => JSON.parse(JSON.stringify(EXAMPLE_MANIFEST.agents)) as Agents;

/** Commits the example manifest with `change` applied, as the lead, on the current branch. */
function commitManifest(repo: TestRepo, message: string, change: (agents: Agents) => void): void {
  const agents = example();
  change(agents);
  const r = repo.commit(message, { [MANIFEST]: json(agents) }, LEAD);
  if (r.code !== 0) throw new Error(`commit "${message}" failed: ${r.stderr}`);
}

/** A swarm repository with branch `side` changed by `theirs` and main by `ours`, main checked out. */
function diverged(ours: (agents: Agents) => void, theirs: (agents: Agents) => void): TestRepo {
  const repo = swarmRepo();
  repo.git('checkout', '-q', '-b', 'side');
  commitManifest(repo, 'theirs', theirs);
  repo.git('checkout', '-q', 'main');
  commitManifest(repo, 'ours', ours);
  return repo;
}

const manifestIn = (repo: TestRepo) => readFileSync(join(repo.dir, MANIFEST), 'utf8');

describe('git merge runs the manifest merge driver', () => {
  it('two branches that each add an agent merge cleanly into one valid manifest', () => {
    const repo = diverged(
      (a) => (a.dave = { claims: ['docs/**'] }),
      (a) => (a.erin = { claims: ['web/**'], after: ['bob'] }),
    );
    const r = repo.tryGit(['merge', '--no-edit', 'side'], LEAD);
    expect(r.code, r.stderr).toBe(0);
    const merged = example();
    merged.dave = { claims: ['docs/**'] };
    merged.erin = { claims: ['web/**'], after: ['bob'] };
    expect(manifestIn(repo)).toBe(json(merged));
    expect(validateManifest(manifestIn(repo), MANIFEST).agents.erin!.after).toEqual(['bob']);
    expect(repo.git('log', '-1', '--format=%P').trim().split(' ')).toHaveLength(2);
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('claims added to the same agent on both sides are joined', () => {
    const repo = diverged(
      (a) => (a.alice!.claims = ['src/auth/**', 'test/auth/', 'lib/auth/**']),
      (a) => (a.alice!.claims = ['src/auth/**', 'test/auth/', 'docs/auth.md']),
    );
    const r = repo.tryGit(['merge', '--no-edit', 'side'], LEAD);
    expect(r.code, r.stderr).toBe(0);
    expect(validateManifest(manifestIn(repo), MANIFEST).agents.alice!.claims).toEqual(['src/auth/**', 'test/auth/', 'lib/auth/**', 'docs/auth.md']);
  });

  it('the same field changed differently is a conflict: both versions in the file, the reason on stderr, unmerged in git status', () => {
    const repo = diverged(
      (a) => (a.alice!.task = 'auth rewrite'),
      (a) => {
        a.alice!.task = 'auth cleanup';
        a.bob!.claims = ['src/db/**', 'migrations/**'];
      },
    );
    const r = repo.tryGit(['merge', '--no-edit', 'side'], LEAD);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toContain(`CONFLICT (content): Merge conflict in ${MANIFEST}`);
    expect(r.stderr).toContain(`git-swarm: the changes to ${MANIFEST} conflict:\n  agents.alice.task: changed on both sides: ours "auth rewrite", theirs "auth cleanup" (base "auth refactor")\n`);
    expect(r.stderr).toContain(`git add ${MANIFEST}`);
    expect(repo.git('status', '--porcelain')).toBe(`UU ${MANIFEST}\n`);
    const text = manifestIn(repo);
    expect(text).toContain('<<<<<<< ours\n    "alice": {\n      "task": "auth rewrite",');
    expect(text).toContain('=======\n    "alice": {\n      "task": "auth cleanup",');
    // bob's change merged outside the markers.
    expect(text).toContain('"bob": {\n      "claims": [\n        "src/db/**",\n        "migrations/**"\n      ],');

    // Committed unresolved, the hooks refuse it: it is no manifest.
    repo.git('add', MANIFEST);
    const unresolved = repo.tryGit(['commit', '--no-edit'], LEAD);
    expect(unresolved.code).not.toBe(0);
    expect(unresolved.stderr).toContain(`${MANIFEST} is invalid`);

    // Keeping theirs: delete ours and the markers.
    repo.write(MANIFEST, text.replace(/<<<<<<< ours\n[^]*?=======\n/, '').replace('>>>>>>> theirs\n', ''));
    repo.git('add', MANIFEST);
    const resolved = repo.tryGit(['commit', '--no-edit'], LEAD);
    expect(resolved.code, resolved.stderr).toBe(0);
    const final = validateManifest(manifestIn(repo), MANIFEST);
    expect(final.agents.alice!.task).toBe('auth cleanup');
    expect(final.agents.bob!.claims).toEqual(['src/db/**', 'migrations/**']);
  });

  it('a merge that sets two unordered writers over the same paths is a conflict naming them, their globs and a path', () => {
    const repo = diverged(
      (a) => (a.dave = { claims: ['src/api/**'] }),
      (a) => (a.erin = { claims: ['src/api/v2/*.ts'] }),
    );
    const r = repo.tryGit(['merge', '--no-edit', 'side'], LEAD);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      `dave and erin would hold overlapping claims and neither comes after the other: dave's src/api/** and erin's src/api/v2/*.ts both match src/api/v2/a.ts; order them (add "dave" to agents.erin.after) or narrow a claim`,
    );
    expect(repo.git('status', '--porcelain')).toBe(`UU ${MANIFEST}\n`);
    expect(manifestIn(repo)).toContain('<<<<<<< ours');
    expect(() => validateManifest(manifestIn(repo), MANIFEST)).toThrow();
  });

  it('an agent deleted on one side and unchanged on the other is deleted; changed on the other, a conflict', () => {
    const clean = diverged(
      (a) => delete a.carol,
      (a) => (a.dave = { claims: ['docs/**'] }),
    );
    expect(clean.tryGit(['merge', '--no-edit', 'side'], LEAD).code).toBe(0);
    expect(Object.keys(validateManifest(manifestIn(clean), MANIFEST).agents)).toEqual(['lead', 'alice', 'bob', 'dave']);

    const repo = diverged(
      (a) => delete a.carol,
      (a) => (a.carol!.task = 'investigate the flaky merge tests'),
    );
    const r = repo.tryGit(['merge', '--no-edit', 'side'], LEAD);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('agents.carol: deleted by ours, changed by theirs');
  });
});

describe('git rebase and git merge-tree run it too', () => {
  it('git rebase replays a manifest change onto a changed manifest', () => {
    const repo = diverged(
      (a) => (a.dave = { claims: ['docs/**'] }),
      (a) => (a.bob!.claims = ['src/db/**', 'migrations/**']),
    );
    repo.git('checkout', '-q', 'side');
    const r = repo.tryGit(['rebase', 'main'], LEAD);
    expect(r.code, r.stderr).toBe(0);
    expect(repo.git('rev-parse', 'side~1').trim()).toBe(repo.head('main'));
    const rebased = validateManifest(repo.git('show', `side:${MANIFEST}`), MANIFEST);
    expect(rebased.agents.dave!.claims).toEqual(['docs/**']);
    expect(rebased.agents.bob!.claims).toEqual(['src/db/**', 'migrations/**']);
  });

  it('git rebase stops on a conflict the driver reports', () => {
    const repo = diverged(
      (a) => (a.bob!.group = 'data'),
      (a) => (a.bob!.group = 'storage'),
    );
    repo.git('checkout', '-q', 'side');
    const r = repo.tryGit(['rebase', 'main'], LEAD);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('agents.bob.group: changed on both sides: ours "data", theirs "storage" (base "backend")');
    expect(repo.git('status', '--porcelain')).toBe(`UU ${MANIFEST}\n`);
    repo.git('rebase', '--abort');
  });

  it('git merge-tree --write-tree writes the merged manifest into its tree, and the conflict text on a conflict', () => {
    const repo = diverged(
      (a) => (a.dave = { claims: ['docs/**'] }),
      (a) => (a.alice!.claims = ['src/auth/**', 'test/auth/', 'lib/auth/**']),
    );
    const head = repo.head();
    const r = repo.tryGit(['merge-tree', '--write-tree', 'main', 'side']);
    expect(r.code, r.stderr).toBe(0);
    const tree = r.stdout.trim();
    const merged = example();
    merged.alice!.claims = ['src/auth/**', 'test/auth/', 'lib/auth/**'];
    merged.dave = { claims: ['docs/**'] };
    expect(repo.git('cat-file', 'blob', `${tree}:${MANIFEST}`)).toBe(json(merged));
    // Nothing checked out changed.
    expect(repo.head()).toBe(head);
    expect(repo.git('status', '--porcelain')).toBe('');

    commitManifest(repo, 'ours again', (a) => {
      a.dave = { claims: ['docs/**'] };
      a.alice!.task = 'auth rewrite';
    });
    repo.git('checkout', '-q', 'side');
    commitManifest(repo, 'theirs again', (a) => {
      a.alice!.claims = ['src/auth/**', 'test/auth/', 'lib/auth/**'];
      a.alice!.task = 'auth cleanup';
    });
    const conflicted = repo.tryGit(['merge-tree', '--write-tree', 'main', 'side']);
    expect(conflicted.code).toBe(1);
    expect(conflicted.stderr).toContain('agents.alice.task: changed on both sides');
    const conflictTree = conflicted.stdout.split('\n')[0]!;
    const text = repo.git('cat-file', 'blob', `${conflictTree}:${MANIFEST}`);
    expect(text).toContain('<<<<<<< ours\n    "alice": {\n      "task": "auth rewrite",');
    expect(text).toContain('>>>>>>> theirs\n    "bob": {');
  });
});

describe('git swarm merge-driver by hand', () => {
  function driverFiles(base: string, ours: string, theirs: string): string[] {
    const dir = tempDir('swarm-driver-');
    const files = { base, ours, theirs };
    return Object.entries(files).map(([name, text]) => {
      const file = join(dir, name);
      writeFileSync(file, text);
      return file;
    });
  }

  it('an input that is no valid manifest gets git line merge instead, says so, and leaves it a conflict for a person', () => {
    const repo = swarmRepo();
    const base = json(example());
    const ours = base.replace('"auth refactor"', '"auth rewrite"');
    // theirs names an unknown agent: valid JSON, but no valid manifest.
    const theirs = base.replace('"after": [\n        "alice"\n      ]', '"after": [\n        "alicia"\n      ]');
    const [o, a, b] = driverFiles(base, ours, theirs);
    const r = repo.swarm(['merge-driver', o!, a!, b!, MANIFEST]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`git-swarm: the theirs version of ${MANIFEST} is not a valid manifest, so git's line merge merged it instead:`);
    expect(r.stderr).toContain('agents.bob.after[0]: unknown agent "alicia"');
    // Nothing lost: both changes are in the line merge.
    const merged = readFileSync(a!, 'utf8');
    expect(merged).toContain('"auth rewrite"');
    expect(merged).toContain('"alicia"');
  });

  it('a directory in place of an input is exit 2 naming it, not a crash', () => {
    const repo = swarmRepo();
    const [o, a] = driverFiles(json(example()), json(example()), json(example()));
    const r = repo.swarm(['merge-driver', o!, a!, repo.dir, MANIFEST]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(repo.dir);
  });

  it('an empty base (the manifest added on both sides) merges the agents both added', () => {
    const repo = swarmRepo();
    const [o, a, b] = driverFiles('', json({ lead: { role: 'lead' }, alice: { claims: ['a/**'] } }), json({ lead: { role: 'lead' }, bob: { claims: ['b/**'] } }));
    const r = repo.swarm(['merge-driver', o!, a!, b!, MANIFEST]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(a!, 'utf8')).toBe(json({ lead: { role: 'lead' }, alice: { claims: ['a/**'] }, bob: { claims: ['b/**'] } }));
  });
});
