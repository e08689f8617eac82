// `npm run demo`: a scripted story on a temporary repository, printing what happens.
// It also checks each outcome, so a demo that tells a false story fails (exit 1).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = join(dirname(fileURLToPath(import.meta.url)), 'cli.js');
const root = mkdtempSync(join(tmpdir(), 'git-swarm-demo-'));
const bin = join(root, 'bin');
mkdirSync(bin);
symlinkSync(cli, join(bin, 'git-swarm'));

const baseEnv: NodeJS.ProcessEnv = {};
for (const [k, v] of Object.entries(process.env)) if (!/^(GIT_|SWARM_|HUSKY)/.test(k)) baseEnv[k] = v;
Object.assign(baseEnv, { HOME: root, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', PATH: `${bin}:${process.env.PATH}` });

const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
let failures = 0;

function say(text: string): void {
  process.stdout.write(`\n${bold(text)}\n`);
}

/** Runs a shell command in `cwd`, prints it and its output, and checks the exit status. */
function sh(cwd: string, command: string, expect: 'ok' | 'refused', env: Record<string, string> = {}): string {
  const r = spawnSync('sh', ['-c', command], { cwd, env: { ...baseEnv, ...env }, encoding: 'utf8' });
  for (const [k, v] of Object.entries(env)) process.stdout.write(`  $ export ${k}=${v}\n`);
  process.stdout.write(`  $ ${command}\n`);
  const lines = `${r.stdout}${r.stderr}`.replace(/\n+$/, '').split('\n');
  const output = lines.filter((l) => !l.startsWith('husky - ') && (l !== '' || lines.length > 1)).map((l) => `    │ ${l}`);
  if (output.length > 0) process.stdout.write(`${output.join('\n')}\n`);
  const ok = r.status === 0;
  const matched = expect === 'ok' ? ok : !ok;
  process.stdout.write(`    → ${ok ? 'exit 0' : `exit ${r.status}`}${expect === 'refused' && !ok ? ' (refused, as it should be)' : ''}${matched ? '' : '   ✗ UNEXPECTED'}\n`);
  if (!matched) failures++;
  return r.stdout;
}

const manifest = {
  version: 1,
  agents: {
    lead: { role: 'lead', task: 'coordinates the swarm' },
    alice: { task: 'auth refactor', claims: ['src/auth/**', 'test/auth/'], shared: ['CHANGELOG.md'] },
    bob: { task: 'database layer', claims: ['src/db/**'], after: ['alice'], group: 'backend' },
    carol: { role: 'reader', task: 'investigate flaky tests' },
  },
};

const repo = join(root, 'app');
mkdirSync(join(repo, 'src'), { recursive: true });
try {
  say('1. An existing repository gets git-swarm with one command');
  sh(repo, 'git init -q -b main && git config user.name Demo && git config user.email demo@example.com', 'ok');
  writeFileSync(join(repo, 'README.md'), '# app\n');
  sh(repo, 'git add -A && git commit -q -m "initial commit"', 'ok');
  sh(repo, 'git swarm init', 'ok');

  say('2. The lead writes the manifest (who owns what) and commits it on main');
  writeFileSync(join(repo, '.swarm', 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  sh(repo, 'cat .swarm/manifest.json', 'ok');
  sh(repo, 'git add -A && git commit -q -m "Set up git-swarm"', 'ok', { SWARM_AGENT: 'lead' });

  say('3. Each writer gets its own worktree, made with plain `git worktree add`');
  sh(repo, 'git worktree add -q ../alice -b swarm/alice && git worktree add -q ../bob -b swarm/bob', 'ok');
  const alice = join(root, 'alice');
  const bob = join(root, 'bob');
  sh(alice, 'git swarm whoami', 'ok');

  say('4. alice commits inside her claims: allowed, and attributed');
  sh(alice, 'mkdir -p src/auth && echo "export const login = 1;" > src/auth/login.ts && git add -A && git commit -q -m "Add login"', 'ok');
  sh(alice, 'git log -1 --format=%B', 'ok');

  say("5. bob reaches into alice's files: refused, with who holds them and what to do");
  sh(bob, 'mkdir -p src/auth && echo "export const s = 1;" > src/auth/session.ts && git add -A && git commit -q -m "Add session"', 'refused');

  say('6. carol is a read-only investigator: any commit is refused');
  sh(repo, 'echo "flaky: test/db" > NOTES.md && git add NOTES.md && git commit -q -m "notes"', 'refused', { SWARM_AGENT: 'carol' });
  sh(repo, 'git reset -q && rm NOTES.md', 'ok');

  say('7. bob tries --no-verify: prepare-commit-msg runs anyway and refuses');
  sh(bob, 'git commit -q --no-verify -m "Add session (no verify)"', 'refused');

  say('8. bob disables the hooks altogether (HUSKY=0): the commit goes through locally…');
  sh(bob, 'git commit -q -m "Add session (hooks off)"', 'ok', { HUSKY: '0' });
  say('   …and CI catches it: git swarm check judges every commit against the manifest at the base');
  sh(bob, 'git swarm check', 'refused');
  sh(bob, 'git swarm check --format github', 'refused');

  say('9. doctor proves the guard runs in a worktree made later');
  sh(bob, 'git swarm doctor', 'ok');
} finally {
  rmSync(root, { recursive: true, force: true });
}

process.stdout.write(failures === 0 ? '\nThe demo behaved as described.\n' : `\n${failures} step(s) did not behave as described.\n`);
process.exitCode = failures === 0 ? 0 : 1;
