import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(ROOT, 'dist', 'cli.js');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The caller's environment without anything that would leak into a test repository: no GIT_*,
 * no SWARM_* or HUSKY, no global or system git config, and a private HOME.
 */
export function cleanEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(GIT_|SWARM_|HUSKY|CI$|GITHUB_|CI_)/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', ...extra };
}

const created: string[] = [];

export function tempDir(prefix = 'swarm-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export class TestRepo {
  readonly home: string;
  constructor(
    readonly dir: string,
    home?: string,
  ) {
    this.home = home ?? tempDir('swarm-home-');
  }

  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return cleanEnv(this.home, extra);
  }

  run(cmd: string, args: string[], opts: { env?: Record<string, string>; input?: string; cwd?: string } = {}): Run {
    const r = spawnSync(cmd, args, { cwd: opts.cwd ?? this.dir, env: this.env(opts.env), input: opts.input, encoding: 'utf8' });
    if (r.error) throw r.error;
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  }

  /** git, failing the test on a non-zero exit. */
  git(...args: string[]): string {
    const r = this.run('git', args);
    if (r.code !== 0) throw new Error(`git ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
    return r.stdout;
  }

  /** git that may fail: the caller asserts on the result. */
  tryGit(args: string[], env: Record<string, string> = {}, input?: string): Run {
    return this.run('git', args, { env, input });
  }

  /** The built CLI as a process, as git runs it from a hook. */
  swarm(args: string[], env: Record<string, string> = {}, cwd?: string): Run {
    return this.run(process.execPath, [CLI, ...args], { env, cwd });
  }

  write(path: string, content: string | Uint8Array = `${path}\n`): void {
    const file = join(this.dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }

  /** Writes files, stages them and commits; returns the git result without throwing. */
  commit(message: string, files: Record<string, string> | string[], env: Record<string, string> = {}, extra: string[] = []): Run {
    const entries = Array.isArray(files) ? files.map((f) => [f, `${f} ${Math.random()}\n`] as const) : Object.entries(files);
    for (const [path, content] of entries) this.write(path, content);
    if (entries.length > 0) this.git('add', '-A', '--', ...entries.map(([p]) => p));
    return this.tryGit(['commit', '-m', message, ...extra], env);
  }

  head(rev = 'HEAD'): string {
    return this.git('rev-parse', rev).trim();
  }

  message(rev = 'HEAD'): string {
    return this.git('log', '-1', '--format=%B', rev);
  }
}

export function initRepo(dir = tempDir(), branch = 'main'): TestRepo {
  const repo = new TestRepo(dir);
  repo.git('init', '-q', '-b', branch);
  repo.git('config', 'user.name', 'Test User');
  repo.git('config', 'user.email', 'test@example.com');
  repo.git('config', 'commit.gpgsign', 'false');
  return repo;
}

export const EXAMPLE_MANIFEST = {
  version: 1,
  agents: {
    lead: { role: 'lead' },
    alice: { task: 'auth refactor', claims: ['src/auth/**', 'test/auth/'], shared: ['CHANGELOG.md'] },
    bob: { claims: ['src/db/**'], after: ['alice'], group: 'backend' },
    carol: { role: 'reader', task: 'investigate flaky tests' },
  },
};

/** A repository with git-swarm installed and the example manifest committed on main. */
export function swarmRepo(manifest: object = EXAMPLE_MANIFEST, settings?: string): TestRepo {
  return copyOf(`swarmRepo ${JSON.stringify([manifest, settings ?? null])}`, () => buildSwarmRepo(manifest, settings));
}

function buildSwarmRepo(manifest: object, settings?: string): TestRepo {
  const repo = initRepo();
  repo.commit('initial', { 'README.md': '# project\n' });
  const init = repo.swarm(['init']);
  if (init.code !== 0) throw new Error(`init failed: ${init.stderr}${init.stdout}`);
  repo.write('.swarm/manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  if (settings !== undefined) repo.write('.swarmrc', settings);
  repo.git('add', '-A');
  const r = repo.tryGit(['commit', '-m', 'set up git-swarm'], { SWARM_AGENT: 'lead' });
  if (r.code !== 0) throw new Error(`setup commit failed: ${r.stderr}`);
  return repo;
}

/** Templates this file has found or built, by key. */
const templates = new Map<string, string>();

/**
 * A fresh copy of the repository `build` makes; `key` names what it makes, the same in every test
 * file. Building (init, commits through the hooks) costs seconds, a copy milliseconds, so each
 * template is built once for the whole run, in the folder globalSetup.ts provides (else once per
 * file). The copy is as if built in its own folder: init writes the repository's absolute path
 * into git-swarm's config and hook scripts, so every file in the git dir naming the template names
 * the copy instead (copyRepo), and the index is refreshed for the new inodes.
 */
export function copyOf(key: string, build: () => TestRepo): TestRepo {
  return copyRepo(templateFor(key, build));
}

/**
 * A copy of the repository at `dir` (its work tree and git dir, not its worktrees): the same
 * repository as if made again in a new folder, with a home of its own.
 */
export function copyRepo(dir: string): TestRepo {
  // Worktrees name their folders outside `dir`: a copy would share them with the original.
  if (existsSync(join(dir, '.git', 'worktrees'))) throw new Error(`copyRepo: ${dir} has worktrees`);
  const repo = new TestRepo(tempDir());
  cpSync(dir, repo.dir, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
  relocate(join(repo.dir, '.git'), dir, repo.dir);
  repo.git('update-index', '-q', '--refresh');
  return repo;
}

function templateFor(key: string, build: () => TestRepo): string {
  const known = templates.get(key);
  if (known !== undefined && existsSync(known)) return known;
  const shared = inject('templateDir');
  let template: string;
  if (shared === undefined) {
    template = build().dir;
  } else {
    template = join(shared, createHash('sha256').update(key).digest('hex').slice(0, 16));
    if (!existsSync(template)) {
      const built = build().dir;
      relocate(join(built, '.git'), built, template);
      try {
        renameSync(built, template);
      } catch (error) {
        // Another test file, in another worker, published the same template first.
        if (!['ENOTEMPTY', 'EEXIST'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
      }
    }
  }
  templates.set(key, template);
  return template;
}

/** Rewrites `from` to `to` in every file of the git dir `gitDir` but its objects. */
function relocate(gitDir: string, from: string, to: string, dir = gitDir): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (path !== join(gitDir, 'objects')) relocate(gitDir, from, to, path);
    } else if (entry.isFile()) {
      const text = readFileSync(path);
      if (text.includes(from)) writeFileSync(path, text.toString('latin1').replaceAll(from, to), 'latin1');
    }
  }
}
