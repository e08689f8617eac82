/**
 * Local state an agent can write (the cache and the git version marker in the common git dir, the
 * stamp beside the index) fails closed: damaged, it is rebuilt and the commit is judged as ever,
 * never hangs and never lets a forbidden commit through; forged, it fools at most the hooks, and
 * `git swarm check` refuses what got through.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, EXAMPLE_MANIFEST, removeTempDirs, swarmRepo, type TestRepo } from '../helpers/repo.js';
import { HOOK_LIBRARY } from '../../src/git/hookProtocol.js';
import { cacheKey, JsonCache } from '../../src/orchestration/cache.js';

afterAll(removeTempDirs);

const MANIFEST = {
  ...EXAMPLE_MANIFEST,
  agents: { ...EXAMPLE_MANIFEST.agents, alice: { ...EXAMPLE_MANIFEST.agents.alice, claims: ['src/auth/**', '**/*.md'] } },
};

function gitPath(repo: TestRepo, what: '--git-dir' | '--git-common-dir'): string {
  return repo.git('rev-parse', '--path-format=absolute', what).trim();
}

/** The hook as git runs it, with a deadline: a hang fails the test instead of stalling it. */
function preCommit(repo: TestRepo, agent: string): { code: number | null; stderr: string } {
  const env = repo.env({
    SWARM_AGENT: agent,
    GIT_INDEX_FILE: join(gitPath(repo, '--git-dir'), 'index'),
    GIT_EXEC_PATH: repo.git('--exec-path').trim(),
  });
  const r = spawnSync(process.execPath, [CLI, 'hook', 'pre-commit'], { cwd: repo.dir, env, encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, stderr: r.stderr };
}

/** Every cache entry, by path below the cache directory, with its bytes. */
function entries(cacheDir: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith('.json')) found.set(path.slice(cacheDir.length + 1), readFileSync(path, 'utf8'));
    }
  };
  walk(cacheDir);
  return found;
}

type Damage = (file: string, text: string) => void;

const DAMAGES: Record<string, Damage> = {
  '{}': (file) => writeFileSync(file, '{}'),
  '[]': (file) => writeFileSync(file, '[]'),
  truncated: (file, text) => writeFileSync(file, text.slice(0, Math.floor(text.length / 2))),
  'a directory': (file) => {
    rmSync(file);
    mkdirSync(join(file, 'inside'), { recursive: true });
  },
  'a FIFO': (file) => {
    rmSync(file);
    expect(spawnSync('mkfifo', [file]).status).toBe(0);
  },
};

describe('cache entries are verified on every read', () => {
  // Each kind with a one-byte change that, trusted, would let the commit below through.
  const KINDS = [
    // The settings' manifest path: the hook would find no manifest and allow everything.
    { kind: 'settings', file: /^settings-/, flip: ['.swarm/manifest.json', '.swarm/manifest.jsoo'] },
    // carol's role: a reader would become a writer of nothing, but "leader" is no role at all.
    { kind: 'policy head', file: /^policy-[0-9a-f]+\.json$/, flip: ['"reader"', '"leader"'] },
    // alice's "**/*.md", its last segment ("\u0101" is the compiled "*"): it would claim other/notes.mc for her.
    { kind: 'policy shard', file: /\/shard-/, flip: ['"\u0101.md"', '"\u0101.mc"'] },
  ] as const;
  const forbidden: Record<(typeof KINDS)[number]['kind'], { agent: string; path: string; says: string }> = {
    settings: { agent: 'bob', path: 'src/auth/steal.ts', says: 'held exclusively by alice' },
    'policy head': { agent: 'carol', path: 'notes/carol.txt', says: 'carol is a reader' },
    'policy shard': { agent: 'alice', path: 'other/notes.mc', says: "outside alice's claims" },
  };

  for (const { kind, file, flip } of KINDS) {
    it(`a ${kind} entry: a flipped byte, {}, [], a truncated file, a directory or a FIFO is rebuilt, and the commit still refused`, () => {
      const repo = swarmRepo(MANIFEST);
      const cacheDir = join(gitPath(repo, '--git-common-dir'), 'swarm', 'cache');
      const { agent, path, says } = forbidden[kind];
      // Only what this commit reads: the setup commit cached the working tree's manifest too.
      rmSync(cacheDir, { recursive: true, force: true });
      repo.write(path);
      repo.git('add', '--', path);
      expect(preCommit(repo, agent)).toMatchObject({ code: 1, stderr: expect.stringContaining(says) });
      const built = entries(cacheDir);
      const targets = [...built.keys()].filter((k) => file.test(k));
      expect(targets.length).toBeGreaterThan(0);
      const flipped: Damage = (f, text) => {
        if (text.includes(flip[0])) writeFileSync(f, text.replace(flip[0], flip[1]));
      };
      expect(targets.some((t) => built.get(t)!.includes(flip[0]))).toBe(true);
      for (const [name, damage] of [['a flipped byte', flipped], ...Object.entries(DAMAGES)] as const) {
        for (const t of targets) damage(join(cacheDir, t), built.get(t)!);
        const r = preCommit(repo, agent);
        expect({ name, code: r.code }).toEqual({ name, code: 1 });
        expect(r.stderr).toContain(says);
        // Rebuilt in place: a regular file again, byte for byte what a clean build writes.
        for (const t of targets) {
          expect(lstatSync(join(cacheDir, t)).isFile(), `${name}: ${t}`).toBe(true);
          expect(readFileSync(join(cacheDir, t), 'utf8'), `${name}: ${t}`).toBe(built.get(t));
        }
      }
    });
  }

  it('the git version marker: a FIFO, a directory or other text is asked again and replaced', () => {
    const repo = swarmRepo();
    const marker = join(gitPath(repo, '--git-common-dir'), 'swarm', 'cache', 'git-version-ok');
    repo.write('src/auth/a.ts');
    repo.git('add', '-A');
    expect(preCommit(repo, 'alice').code).toBe(0);
    const good = readFileSync(marker, 'utf8');
    for (const damage of [DAMAGES['a FIFO']!, DAMAGES['a directory']!, (f: string) => writeFileSync(f, 'yes')]) {
      damage(marker, good);
      expect(preCommit(repo, 'alice').code).toBe(0);
      expect(statSync(marker).isFile()).toBe(true);
      expect(readFileSync(marker, 'utf8')).toBe(good);
    }
  });

  it('a forged but consistent entry fools the hooks at most; check reads no cache and refuses the range', async () => {
    const repo = swarmRepo();
    repo.git('checkout', '-q', '-b', 'swarm/bob');
    const cache = new JsonCache(join(gitPath(repo, '--git-common-dir'), 'swarm', 'cache'));
    expect(repo.commit('bob work', ['src/db/ok.ts']).code).toBe(0);
    // Recomputing the digest is as easy for an agent as it is here: settings pointing nowhere.
    const settingsFile = readdirSync(join(gitPath(repo, '--git-common-dir'), 'swarm', 'cache')).find((n) => n.startsWith('settings-'))!;
    const text = readFileSync(join(gitPath(repo, '--git-common-dir'), 'swarm', 'cache', settingsFile), 'utf8');
    const settings = JSON.parse(text.slice(text.indexOf('\n') + 1)) as Record<string, unknown>;
    // Settings bind from the integration tip's .swarmrc, cached by its blob id.
    await cache.set('settings', cacheKey('settings-blob', repo.git('rev-parse', 'main:.swarmrc').trim()), { ...settings, manifest: 'nowhere.json' });
    expect(repo.commit('take auth', ['src/auth/taken.ts']).code).toBe(0);
    const check = repo.swarm(['check', '--base', 'main']);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('src/auth/taken.ts');
    expect(check.stdout).toContain('held exclusively by alice');
  });
});

describe('the pre-commit stamp is bound to everything the decision read', () => {
  function stampHarness(repo: TestRepo) {
    const gitDir = gitPath(repo, '--git-dir');
    const library = join(gitPath(repo, '--git-common-dir'), 'swarm', 'hooks', HOOK_LIBRARY);
    const env = { GIT_INDEX_FILE: join(gitDir, 'index') };
    return {
      gitDir,
      stamp: () => expect(repo.swarm(['hook', 'pre-commit'], env).code).toBe(0),
      verified: () => repo.run('sh', ['-c', `. '${library}'; verified_agent`], { env }),
    };
  }

  it("the shell refuses the stamp once HEAD, a merge in progress, or the integration tip's .swarmrc or manifest differs", () => {
    const repo = swarmRepo();
    repo.git('checkout', '-q', '-b', 'swarm/alice');
    expect(repo.commit('first', ['src/auth/one.ts']).code).toBe(0);
    repo.write('src/auth/two.ts');
    repo.git('add', '-A');
    const { gitDir, stamp, verified } = stampHarness(repo);
    // main, with its .swarmrc edited: a commit made with plumbing, so the staged index stays as it is.
    const edited = () => {
      const env = { GIT_INDEX_FILE: join(gitDir, 'scratch-index') };
      repo.run('git', ['read-tree', 'main'], { env });
      const blob = repo.run('git', ['hash-object', '-w', '--stdin'], { input: 'integration: main\n# edited\n' }).stdout.trim();
      repo.run('git', ['update-index', '--cacheinfo', `100644,${blob},.swarmrc`], { env });
      const tree = repo.run('git', ['write-tree'], { env }).stdout.trim();
      return repo.git('commit-tree', tree, '-p', 'main', '-m', 'edit settings').trim();
    };
    const variations: Array<[string, () => void, () => void]> = [
      ['HEAD commit', () => repo.git('update-ref', 'HEAD', 'HEAD~1'), () => repo.git('update-ref', 'HEAD', 'HEAD@{1}')],
      ['MERGE_HEAD', () => writeFileSync(join(gitDir, 'MERGE_HEAD'), `${repo.head('main')}\n`), () => rmSync(join(gitDir, 'MERGE_HEAD'))],
      ['.swarmrc', () => repo.git('update-ref', 'refs/heads/main', edited()), () => repo.git('update-ref', 'refs/heads/main', 'main@{1}')],
      ['manifest', () => repo.git('update-ref', 'refs/heads/main', 'main~1'), () => repo.git('update-ref', 'refs/heads/main', 'main@{1}')],
    ];
    for (const [what, change, restore] of variations) {
      stamp();
      change();
      expect(verified().code, what).not.toBe(0);
      restore();
      // The stamp stays until used: restored inputs match it again.
      expect(verified(), what).toMatchObject({ code: 0, stdout: 'alice\n' });
    }
  });

  it('a stamp left by a failed commit never lets a later, different commit through', () => {
    const repo = swarmRepo();
    repo.git('checkout', '-q', '-b', 'swarm/alice');
    const before = repo.head();
    expect(repo.commit('bob file, let through', ['src/db/b.ts'], { SWARM_SKIP: '1' }).code).toBe(0);
    // The hooks that were in effect before init (git-swarm chains them): one fails once.
    const hooksDir = join(gitPath(repo, '--git-common-dir'), 'hooks');
    const once = join(repo.home, 'failed-once');
    writeFileSync(join(hooksDir, 'prepare-commit-msg'), `#!/bin/sh\n[ -f '${once}' ] && exit 0\ntouch '${once}'; exit 1\n`);
    chmodSync(join(hooksDir, 'prepare-commit-msg'), 0o755);
    // pre-commit passes src/auth/x.ts against HEAD; the chained hook then fails the commit.
    expect(repo.commit('alice', ['src/auth/x.ts']).code).not.toBe(0);
    expect(readdirSync(gitPath(repo, '--git-dir'))).toContain('swarm-verified');
    // Same index, identity and branch, but HEAD moved back: the index now also adds bob's file.
    repo.git('update-ref', 'HEAD', before);
    const r = repo.tryGit(['commit', '--no-verify', '-m', 'sneaky']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("outside alice's claims");
    expect(r.stderr).toContain('src/db/b.ts');
  });

  it('a stamp forged by hand gets a bad commit past the hooks; check still refuses it', () => {
    const repo = swarmRepo();
    repo.git('checkout', '-q', '-b', 'swarm/alice');
    // Everything the shell compares is readable by the agent: its own chained hook, which runs
    // first, writes a matching stamp for the index git is about to commit.
    const hook = join(gitPath(repo, '--git-common-dir'), 'hooks', 'prepare-commit-msg');
    writeFileSync(
      hook,
      `#!/bin/sh
dir=$(dirname "$GIT_INDEX_FILE")
spec=refs/heads/main:.swarm/manifest.json
{
  echo "$spec"
  echo "$(($(wc -c < "$GIT_INDEX_FILE"))) $(echo $(tail -c 20 "$GIT_INDEX_FILE" | od -An -v -tx1))"
  echo
  echo
  git rev-parse HEAD "$spec" "\${spec%%:*}:.swarmrc" refs/swarm/leases 2>/dev/null | paste -sd ' ' -
  sed -n 1p "$dir/HEAD"
  echo alice
} > "$dir/swarm-verified"
`,
    );
    chmodSync(hook, 0o755);
    const r = repo.commit('forged stamp', ['src/db/forged.ts'], {}, ['--no-verify']);
    expect(r.code).toBe(0);
    expect(repo.message()).toMatch(/Swarm-Agent: alice/);
    const check = repo.swarm(['check', '--base', 'main']);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('src/db/forged.ts');
  });
});
