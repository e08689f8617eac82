// `npm run demo`: a scripted story on a temporary repository, printing what happens.
// It also checks each outcome, so a demo that tells a false story fails (exit 1).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = join(dirname(fileURLToPath(import.meta.url)), 'cli.js');
const root = mkdtempSync(join(tmpdir(), 'git-swarm-demo-'));
const bin = join(root, 'bin');
mkdirSync(bin);
symlinkSync(cli, join(bin, 'git-swarm'));

const baseEnv: NodeJS.ProcessEnv = {};
for (const [k, v] of Object.entries(process.env)) if (!/^(GIT_|SWARM_|HUSKY)/.test(k)) baseEnv[k] = v;
Object.assign(baseEnv, { HOME: root, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', PATH: `${bin}:${process.env.PATH}` });

const keep = process.argv.includes('--keep');
const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
let failures = 0;
let shownDir = root;

function say(text: string): void {
  process.stdout.write(`\n${bold(text)}\n`);
}

/**
 * Runs a shell command in `cwd` exactly as printed (environment variables are part of the command
 * line), so every step can be pasted into a shell; prints a `cd` whenever the folder changes.
 */
function sh(cwd: string, command: string, expect: 'ok' | 'refused'): string {
  if (cwd !== shownDir) {
    process.stdout.write(`  $ cd ${relative(shownDir, cwd) || '.'}\n`);
    shownDir = cwd;
  }
  const r = spawnSync('sh', ['-c', command], { cwd, env: baseEnv, encoding: 'utf8' });
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
const alice = join(root, 'alice');
const bob = join(root, 'bob');
try {
  say('0. The story runs in a temporary folder, with git-swarm on PATH as `git-swarm` (so `git swarm` works)');
  process.stdout.write(`  $ cd ${root}\n  $ export PATH="$PWD/bin:$PATH"\n`);

  say('1. An existing repository gets git-swarm with one command');
  sh(root, 'mkdir app', 'ok');
  sh(repo, 'git init -q -b main && git config user.name Demo && git config user.email demo@example.com', 'ok');
  sh(repo, "echo '# app' > README.md && git add -A && git commit -q -m 'initial commit'", 'ok');
  sh(repo, 'git swarm init', 'ok');

  say('2. The lead writes the manifest (who owns what) and commits it on main');
  const agents = Object.entries(manifest.agents).map(([name, spec]) => `    ${JSON.stringify(name)}: ${JSON.stringify(spec)}`);
  sh(repo, `cat > .swarm/manifest.json <<'EOF'\n{\n  "version": 1,\n  "agents": {\n${agents.join(',\n')}\n  }\n}\nEOF`, 'ok');
  sh(repo, 'git add -A && SWARM_AGENT=lead git commit -q -m "Set up git-swarm"', 'ok');

  say('3. Each writer gets its own worktree and branch, its identity set there (no environment variable)');
  sh(repo, 'git swarm spawn alice --path ../alice && git swarm spawn bob --path ../bob', 'ok');
  sh(alice, 'git swarm whoami', 'ok');

  say('4. alice commits inside her claims: allowed, and attributed');
  sh(alice, 'mkdir -p src/auth && echo "export const login = 1;" > src/auth/login.ts && git add -A && git commit -q -m "Add login"', 'ok');
  sh(alice, 'git log -1 --format=%B', 'ok');

  say("5. bob reaches into alice's files: refused, with who holds them and what to do");
  sh(bob, 'mkdir -p src/auth && echo "export const s = 1;" > src/auth/session.ts && git add -A && git commit -q -m "Add session"', 'refused');

  say('6. carol is a read-only investigator: any commit is refused');
  sh(repo, 'echo "flaky: test/db" > NOTES.md && git add NOTES.md && SWARM_AGENT=carol git commit -q -m "notes"', 'refused');
  sh(repo, 'git reset -q && rm NOTES.md', 'ok');

  say('7. bob tries --no-verify: prepare-commit-msg runs anyway and refuses');
  sh(bob, 'git commit -q --no-verify -m "Add session (no verify)"', 'refused');

  say('8. bob disables the hooks altogether (HUSKY=0): the commit goes through locally…');
  sh(bob, 'HUSKY=0 git commit -q -m "Add session (hooks off)"', 'ok');
  say('   …and CI catches it: git swarm check judges every commit against the manifest at the base');
  sh(bob, 'git swarm check', 'refused');
  sh(bob, 'git swarm check --format github', 'refused');

  say('9. doctor proves the guard runs in a worktree made later');
  sh(bob, 'git swarm doctor', 'ok');

  say('10. Leases: alice takes docs/** for 30 minutes, without touching the manifest; her commits there carry the token');
  sh(alice, "git swarm claim 'docs/**' --ttl 30m", 'ok');
  sh(alice, 'mkdir -p docs && echo "# API" > docs/api.md && git add -A && git commit -q -m "Document the API" && git log -1 --format=%B', 'ok');
  sh(bob, 'git reset -q --hard && mkdir -p docs && echo "# DB" > docs/db.md && git add -A && git commit -q -m "Document the DB"', 'refused');

  say('11. bob waits in line for docs/db.md; alice releases docs/**, and bob is served');
  sh(bob, "git swarm claim docs/db.md --wait=2m & sleep 2; git swarm claims; (cd ../alice && git swarm release 'docs/**'); wait $!", 'ok');
  sh(bob, 'git commit -q -m "Document the DB" && git log -1 --format=%B', 'ok');
  sh(bob, 'git log --format="%an: %s" refs/swarm/leases', 'ok');

  say('12. plan catches a manifest edit that would make two writers refuse each other, before any work starts');
  sh(repo, `sed -i 's|"carol": {|"dave": {"claims":["src/**"]}, "carol": {|' .swarm/manifest.json && git swarm plan`, 'refused');
  sh(repo, 'git add -A && SWARM_AGENT=lead git commit -q -m "Add dave"', 'refused');
  sh(repo, 'git reset -q --hard', 'ok');

  say('13. Across machines: clones share the ledger through a shared remote (coordination.remote)');
  sh(repo, `printf 'coordination:\\n  remote: origin\\n' >> .swarmrc && git add -A && SWARM_AGENT=lead git commit -q -m "Coordinate through origin"`, 'ok');
  sh(root, 'git clone -q --mirror app shared.git && git -C app remote add origin ../shared.git && git clone -q shared.git m1 && git clone -q shared.git m2', 'ok');
  for (const [clone, agent] of [['m1', 'alice'], ['m2', 'bob']] as const) {
    const setup = `git config user.name ${agent} && git config user.email ${agent}@example.com && git swarm init >/dev/null`;
    sh(join(root, clone), `${setup} && git swarm spawn ${agent} --path ../${clone}-${agent} >/dev/null`, 'ok');
  }
  sh(join(root, 'm1-alice'), "git swarm claim 'ops/**'", 'ok');
  sh(join(root, 'm2-bob'), 'git swarm claim ops/deploy.sh', 'refused');
  sh(root, 'git --git-dir=shared.git log --format="%an: %s" refs/swarm/leases', 'ok');
  sh(join(root, 'm1-alice'), "git swarm release 'ops/**'", 'ok');

  say('14. Landing: frank joins bob\'s group; alice, bob and frank mark their work ready (bob and frank both edit CHANGELOG.md)');
  sh(repo, `sed -i 's|"carol": {|"frank": {"claims":["ops/**"],"shared":["CHANGELOG.md"],"group":"backend"}, "carol": {|' .swarm/manifest.json && sed -i 's|"claims":\\["src/db/\\*\\*"\\]|"claims":["src/db/**"],"shared":["CHANGELOG.md"]|' .swarm/manifest.json && git add -A && SWARM_AGENT=lead git commit -q -m "frank joins the backend group" && git push -q origin main && git swarm spawn frank --path ../frank >/dev/null`, 'ok');
  sh(alice, 'git swarm ready', 'ok');
  sh(bob, 'git reset -q --hard main && mkdir -p src/db && echo "create table t;" > src/db/schema.sql && echo "- bob: schema" > CHANGELOG.md && git add -A && git commit -q -m "Add the schema" && git swarm ready', 'ok');
  sh(join(root, 'frank'), 'mkdir -p ops && echo "deploy" > ops/deploy.sh && echo "- frank: deploy" > CHANGELOG.md && git add -A && git commit -q -m "Add deploy" && git swarm ready', 'ok');

  say('15. The lead lands everything ready, through the shared remote: alice lands; the backend group lands whole or not at all, and frank conflicts with bob');
  sh(repo, 'SWARM_AGENT=lead git swarm land --all', 'refused');
  sh(repo, 'git log --first-parent --format="%s" -3 && git swarm landings', 'ok');

  say("16. ...and a landing can be undone, atomically: alice's claims hold again");
  sh(repo, 'SWARM_AGENT=lead git swarm undo "$(git swarm landings --format json | node -e \'process.stdin.on("data",d=>console.log(JSON.parse(d).landings[0].id))\')"', 'ok');
  sh(repo, 'git log --first-parent --format="%s" -2', 'ok');
} finally {
  if (keep) process.stdout.write(`\nThe folder is kept: ${root}\n`);
  else rmSync(root, { recursive: true, force: true });
}

process.stdout.write(failures === 0 ? '\nThe demo behaved as described.\n' : `\n${failures} step(s) did not behave as described.\n`);
if (!keep) process.stdout.write('To replay it by hand, keep the folder: npm run demo -- --keep\n');
process.exitCode = failures === 0 ? 0 : 1;
