import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from '../../src/messages/help.js';
import { serveRegistry, type Packed } from '../helpers/registry.js';
import { cleanEnv, EXAMPLE_MANIFEST, initRepo, removeTempDirs, ROOT, tempDir, type Run } from '../helpers/repo.js';

/**
 * What a user gets: `npm pack` on a fresh checkout (no dist/), the tarball installed globally into
 * a temporary prefix, and the INSTALLED git-swarm guarding a new repository. Packing and installing
 * take seconds, so it happens once and every test below reads the same install.
 */

afterAll(removeTempDirs);

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  files: string[];
  man: string[];
  bin: Record<string, string>;
  dependencies: Record<string, string>;
};

/**
 * npm in a private HOME (its own empty cache and user config), without the npm_* variables of an
 * enclosing `npm test` (its prefix, its project). Asynchronous: the local registry answers from
 * this process while npm runs.
 */
async function npm(args: string[], cwd: string, home: string): Promise<Run> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  const child = spawn('npm', args, { cwd, env: { ...env, HOME: home } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) throw new Error(`npm ${args.join(' ')} failed (${code}): ${stderr}${stdout}`);
  return { code, stdout, stderr };
}

/** Packs `dir` into `dest` (prepack runs, as for a publish). */
async function pack(dir: string, dest: string, home: string): Promise<Packed & { files: string[] }> {
  const { stdout } = await npm(['pack', '--json', '--pack-destination', dest, dir], dest, home);
  const [result] = JSON.parse(stdout) as Array<{ filename: string; integrity: string; files: Array<{ path: string }> }>;
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Packed['manifest'];
  return { manifest, tarball: join(dest, result!.filename), integrity: result!.integrity, files: result!.files.map((f) => f.path) };
}

/** A copy of the working tree as a fresh checkout has it: tracked and unignored files, so no dist/. */
function freshCheckout(dir: string): void {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, env: cleanEnv(tempDir()), encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split('\0')) {
    // A file deleted in the working tree is still listed from the index.
    if (file === '' || !existsSync(join(ROOT, file))) continue;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(dir, file));
  }
  // What `npm ci` would install; the build (tsc, esbuild) needs the development dependencies.
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
}

let prefix: string;
let packed: string[];
let installed: string;
/** What npm asked the local registry for during the install. */
let requests: string[];
/** PATH with the prefix's bin first, so `git swarm` is the installed git-swarm. */
let path: string;

beforeAll(async () => {
  const work = tempDir('swarm-pack-');
  // Separate homes (so separate caches): the install gets everything from the registry below.
  const home = join(work, 'home-pack');
  const checkout = join(work, 'checkout');
  freshCheckout(checkout);
  // The runtime dependencies (husky, which has none of its own), packed from node_modules as
  // `npm ci` installed them, are all the registry holds: nothing comes from the network.
  const [swarm, ...dependencies] = await Promise.all([
    pack(checkout, work, home),
    ...Object.keys(pkg.dependencies).map((name) => pack(join(ROOT, 'node_modules', name), work, home)),
  ]);
  packed = swarm!.files;
  const registry = await serveRegistry(dependencies);
  prefix = join(work, 'prefix');
  try {
    await npm(['install', '--global', '--prefix', prefix, '--registry', registry.url, '--no-audit', '--no-fund', '--no-update-notifier', swarm!.tarball], work, join(work, 'home-install'));
  } finally {
    await registry.close();
  }
  requests = registry.requests;
  installed = join(prefix, 'lib', 'node_modules', 'git-swarm');
  path = `${join(prefix, 'bin')}${delimiter}${process.env.PATH}`;
}, 180_000);

describe('the packed and installed package', () => {
  it('is built on pack and ships the bin, the manual pages and every "files" entry', () => {
    for (const file of [...Object.values(pkg.bin), ...pkg.man]) expect(packed, file).toContain(file);
    for (const entry of pkg.files) {
      expect(packed.some((f) => f === entry || f.startsWith(`${entry}/`)), entry).toBe(true);
      expect(existsSync(join(installed, entry)), entry).toBe(true);
    }
    expect(packed.filter((f) => /^(src|test|scripts|bench)\//.test(f))).toEqual([]);
    for (const name of Object.keys(pkg.dependencies)) {
      expect(existsSync(join(installed, 'node_modules', name, 'package.json')), name).toBe(true);
      expect(requests, name).toContainEqual(expect.stringMatching(new RegExp(`^/${name}/-/${name}-.*\\.tgz$`)));
    }
  });

  it('guards a new repository: init, the lead commits the manifest, a writer outside its claims is refused', () => {
    const repo = initRepo();
    repo.commit('initial', { 'README.md': '# project\n' });
    const init = repo.run('git', ['swarm', 'init'], { env: { PATH: path } });
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    // Again by its own name: idempotent.
    expect(repo.run(join(prefix, 'bin', 'git-swarm'), ['init']).code).toBe(0);

    repo.write('.swarm/manifest.json', `${JSON.stringify(EXAMPLE_MANIFEST, null, 2)}\n`);
    repo.git('add', '-A');
    const lead = repo.tryGit(['commit', '-m', 'Set up git-swarm'], { SWARM_AGENT: 'lead' });
    expect(lead.code, lead.stderr).toBe(0);
    expect(repo.message()).toContain('Swarm-Agent: lead');

    const doctor = repo.run('git', ['swarm', 'doctor'], { env: { PATH: path, SWARM_AGENT: 'alice' } });
    expect(doctor.stdout).toContain(`pre-commit, prepare-commit-msg, commit-msg, pre-push hooks call ${process.execPath} ${realpathSync(join(installed, 'dist', 'cli.js'))}`);
    expect(doctor.code, doctor.stdout).toBe(0);

    const before = repo.head();
    const alice = repo.commit('touch README', { 'README.md': 'changed\n' }, { SWARM_AGENT: 'alice' });
    expect(alice.code).not.toBe(0);
    expect(alice.stderr).toContain("outside alice's claims");
    expect(alice.stderr).toMatch(/^\s+README\.md$/m);
    expect(repo.head()).toBe(before);
  });

  it('git swarm --help and man show the manual pages, with the same texts as git swarm help <command>', () => {
    const dir = tempDir();
    const env = cleanEnv(tempDir(), { PATH: path, MANPATH: join(prefix, 'share', 'man'), PAGER: 'cat', MANPAGER: 'cat' });
    const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { cwd: dir, env, encoding: 'utf8' });
    const flat = (text: string) => text.replace(/\s+/g, ' ').trim();

    const main = run('git', ['swarm', '--help']);
    expect(main.status, main.stderr).toBe(0);
    expect(main.stdout).toMatch(/^GIT-SWARM\(1\)/);
    for (const name of COMMAND_NAMES) {
      const terminal = run('git', ['swarm', 'help', name]).stdout;
      const page = flat(run('/usr/bin/man', [`git-swarm-${name}`]).stdout);
      expect(page, name).toContain(`GIT-SWARM-${name.toUpperCase()}(1)`);
      // Synopsis, description and options: each block of the terminal help, refilled, is on the page.
      for (const block of terminal.trim().split(/\n\n/)) expect(page, name).toContain(flat(block));
      expect(flat(main.stdout), name).toContain(flat(terminal.split('\n')[0]!));
    }
  });
});
