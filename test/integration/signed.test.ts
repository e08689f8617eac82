/**
 * identity: signed. Keys are made here with ssh-keygen; commits are signed with git's own SSH
 * signing, configured per command through GIT_CONFIG_* (never the caller's config). `check` and
 * pre-push verify each commit against the key the base's manifest gives the agent it claims.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, EXAMPLE_MANIFEST, removeTempDirs, swarmRepo, tempDir, type TestRepo } from '../helpers/repo.js';

afterAll(removeTempDirs);

const SIGNED = 'integration: main\nidentity: signed\nunidentified: deny\n';

interface Key {
  /** Private key file. */
  file: string;
  /** Public key line, as an agent's signingKey. */
  line: string;
  /** SHA256 fingerprint as ssh-keygen prints it: the oracle for what the report names. */
  fingerprint: string;
}

const keyDir = tempDir('swarm-keys-');

function ssh(args: string[]): string {
  const r = spawnSync('ssh-keygen', args, { cwd: keyDir, env: cleanEnv(keyDir), encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

function makeKey(name: string): Key {
  const file = join(keyDir, name);
  ssh(['-q', '-t', 'ed25519', '-N', '', '-C', `${name}@swarm`, '-f', file]);
  return { file, line: readFileSync(`${file}.pub`, 'utf8').trim(), fingerprint: ssh(['-l', '-E', 'sha256', '-f', `${file}.pub`]).split(' ')[1]! };
}

const keys = { lead: makeKey('lead'), alice: makeKey('alice'), mallory: makeKey('mallory') };

/** git config for one command that signs commits (merges too) with `key`, as README's setup does. */
function signWith(key: Key, extra: Record<string, string> = {}): Record<string, string> {
  const config = [
    ['gpg.format', 'ssh'],
    ['user.signingKey', key.file],
    ['commit.gpgSign', 'true'],
  ];
  const env: Record<string, string> = { GIT_CONFIG_COUNT: String(config.length), ...extra };
  config.forEach(([k, v], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = k!;
    env[`GIT_CONFIG_VALUE_${i}`] = v!;
  });
  return env;
}

interface JsonViolation {
  commit: string;
  agent: string | null;
  path: string | null;
  code: string;
  message: string;
  fix: string;
  signer?: { key: string | null; agent: string | null };
}

function check(repo: TestRepo, args: string[] = [], env: Record<string, string> = {}): { code: number; ok: boolean; checked: number; violations: JsonViolation[] } {
  const r = repo.swarm(['check', '--format', 'json', ...args], env);
  expect(r.stderr).toBe('');
  return { code: r.code, ...(JSON.parse(r.stdout) as { ok: boolean; checked: number; violations: JsonViolation[] }) };
}

const codes = (vs: JsonViolation[]) => vs.map((v) => `${v.code}:${v.agent}`);

/** The example manifest with keys for lead and alice (bob has none), committed on main. */
function signedRepo(settings = SIGNED): TestRepo {
  const manifest = structuredClone(EXAMPLE_MANIFEST) as { agents: Record<string, Record<string, unknown>> };
  manifest.agents.lead!.signingKey = keys.lead.line;
  manifest.agents.alice!.signingKey = keys.alice.line;
  return swarmRepo(manifest, settings);
}

describe('identity: signed', () => {
  it('passes a commit signed with the key of the agent it claims', () => {
    const repo = signedRepo();
    repo.git('checkout', '-q', '-b', 'swarm/alice');
    expect(repo.commit('alice signs', ['src/auth/a.ts'], signWith(keys.alice)).code).toBe(0);
    // Without an allowed-signers file git 2.39 calls an SSH-signed commit unsigned: check must supply one.
    expect(repo.git('log', '-1', '--format=%G?')).toBe('N\n');
    expect(check(repo)).toMatchObject({ code: 0, ok: true, checked: 1, violations: [] });
  });

  it("refuses alice's commit claiming the lead, signed with alice's key, naming her key", () => {
    const repo = signedRepo();
    repo.git('checkout', '-q', '-b', 'feature');
    const manifest = JSON.parse(repo.git('show', 'main:.swarm/manifest.json'));
    manifest.agents.alice.claims.push('src/db/**');
    expect(repo.commit('grab', { '.swarm/manifest.json': JSON.stringify(manifest) }, signWith(keys.alice, { SWARM_AGENT: 'lead' })).code).toBe(0);
    expect(repo.message()).toMatch(/Swarm-Agent: lead/);
    const r = check(repo, ['--base', 'main']);
    expect(r.code).toBe(1);
    expect(r.violations).toEqual([
      expect.objectContaining({ commit: repo.head(), agent: 'lead', code: 'wrong-signer', signer: { key: keys.alice.fingerprint, agent: 'alice' } }),
    ]);
    expect(r.violations[0]!.message).toBe(`the commit claims lead but is signed with alice's key (${keys.alice.fingerprint})`);
    const text = repo.swarm(['check', '--base', 'main']);
    expect(text.stdout).toContain(`✗ ${repo.head().slice(0, 10)} lead: the commit claims lead but is signed with alice's key (${keys.alice.fingerprint})`);
    expect(text.stdout).toContain('fix (wrong-signer):');
  });

  it('refuses an unsigned commit and a commit signed with a key that is no agent\'s', () => {
    const repo = signedRepo();
    repo.git('checkout', '-q', '-b', 'swarm/alice');
    expect(repo.commit('unsigned', ['src/auth/u.ts']).code).toBe(0);
    const unsigned = repo.head();
    expect(repo.commit('stranger', ['src/auth/m.ts'], signWith(keys.mallory)).code).toBe(0);
    const r = check(repo);
    expect(r.code).toBe(1);
    expect(r.violations).toEqual([
      expect.objectContaining({ commit: repo.head(), agent: 'alice', code: 'wrong-signer', signer: { key: keys.mallory.fingerprint, agent: null } }),
      expect.objectContaining({ commit: unsigned, agent: 'alice', code: 'unsigned' }),
    ]);
    expect(r.violations[1]!.fix).toContain('git config gpg.format ssh');
  });

  it("passes the lead's manifest change signed by the lead", () => {
    const repo = signedRepo();
    repo.git('checkout', '-q', '-b', 'lead-work');
    const manifest = JSON.parse(repo.git('show', 'main:.swarm/manifest.json'));
    manifest.agents.bob.signingKey = keys.mallory.line;
    expect(repo.commit('give bob a key', { '.swarm/manifest.json': JSON.stringify(manifest) }, signWith(keys.lead, { SWARM_AGENT: 'lead' })).code).toBe(0);
    expect(check(repo, ['--base', 'main'])).toMatchObject({ code: 0, checked: 1, violations: [] });
  });

  it('refuses a commit by an agent without a signingKey, however it is signed', () => {
    const repo = signedRepo();
    repo.git('checkout', '-q', '-b', 'swarm/bob');
    expect(repo.commit('bob', ['src/db/b.ts'], signWith(keys.mallory)).code).toBe(0);
    const r = check(repo);
    expect(codes(r.violations)).toEqual(['no-signing-key:bob']);
    expect(r.violations[0]!.fix).toContain('agents.bob.signingKey');
  });

  it('refuses a commit whose signature no longer matches it', () => {
    const repo = signedRepo();
    repo.git('checkout', '-q', '-b', 'swarm/alice');
    expect(repo.commit('honest', ['src/auth/a.ts'], signWith(keys.alice)).code).toBe(0);
    const raw = repo.git('cat-file', 'commit', 'HEAD').replace('honest', 'tampered');
    const forged = repo.run('git', ['hash-object', '-t', 'commit', '-w', '--stdin'], { input: raw }).stdout.trim();
    repo.git('reset', '-q', '--hard', forged);
    const r = check(repo);
    expect(r.violations).toEqual([expect.objectContaining({ commit: forged, agent: 'alice', code: 'bad-signature', signer: { key: null, agent: null } })]);
  });

  it('merges must be signed too: a signed merge passes, an unsigned one is refused', () => {
    const repo = signedRepo();
    repo.git('checkout', '-q', '-b', 'swarm/alice');
    expect(repo.commit('alice', ['src/auth/a.ts'], signWith(keys.alice)).code).toBe(0);
    repo.git('checkout', '-q', 'main');
    expect(repo.commit('lead docs', ['docs/x.md'], signWith(keys.lead, { SWARM_AGENT: 'lead' })).code).toBe(0);
    repo.git('checkout', '-q', 'swarm/alice');
    expect(repo.tryGit(['merge', '--no-edit', 'main'], signWith(keys.alice)).code).toBe(0);
    expect(repo.git('rev-list', '--parents', '-1', 'HEAD').trim().split(' ')).toHaveLength(3);
    expect(check(repo)).toMatchObject({ code: 0, checked: 2, violations: [] });
    repo.git('reset', '-q', '--hard', 'HEAD~1');
    expect(repo.tryGit(['merge', '--no-edit', 'main']).code).toBe(0);
    const r = check(repo);
    expect(r.violations).toEqual([expect.objectContaining({ commit: repo.head(), agent: 'alice', code: 'unsigned' })]);
  });

  it('pre-push verifies too, against the integration tip\'s keys', () => {
    const repo = signedRepo();
    const origin = tempDir('swarm-remote-');
    repo.run('git', ['init', '-q', '--bare', origin]);
    repo.git('remote', 'add', 'origin', origin);
    repo.git('checkout', '-q', '-b', 'swarm/alice');
    expect(repo.commit('signed', ['src/auth/a.ts'], signWith(keys.alice)).code).toBe(0);
    const good = repo.tryGit(['push', '-q', 'origin', 'swarm/alice']);
    expect(good.stderr).not.toContain('refused');
    expect(good.code).toBe(0);
    expect(repo.commit('unsigned', ['src/auth/b.ts']).code).toBe(0);
    const bad = repo.tryGit(['push', '-q', 'origin', 'swarm/alice']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('push refused: 1 violation in 1 commit');
    expect(bad.stderr).toContain('the commit claims alice but is not signed');
  });

  it('a fake ssh-keygen inside the work tree cannot call a signature good', () => {
    const repo = signedRepo();
    repo.git('checkout', '-q', '-b', 'swarm/alice');
    expect(repo.commit('stranger', ['src/auth/m.ts'], signWith(keys.mallory)).code).toBe(0);
    const tools = join(repo.dir, 'tools');
    repo.write('tools/ssh-keygen', '#!/bin/sh\ncase "$*" in *find-principals*) echo alice ;; *) echo "Good \\"git\\" signature for alice with ED25519 key $FP" ;; esac\n');
    chmodSync(join(tools, 'ssh-keygen'), 0o755);
    const env = { PATH: `${tools}:${process.env.PATH}`, FP: keys.alice.fingerprint };
    // The fake does fool git when git finds it on PATH:
    const signers = join(tempDir(), 'allowed');
    writeFileSync(signers, `alice ${keys.alice.line}\n`);
    const fooled = repo.run('git', ['-c', `gpg.ssh.allowedSignersFile=${signers}`, 'log', '-1', '--format=%G? %GK'], { env });
    expect(fooled.stdout.trim()).toBe(`G ${keys.alice.fingerprint}`);
    // check pins gpg.ssh.program to the ssh-keygen found outside the work tree:
    expect(codes(check(repo, [], env).violations)).toEqual(['wrong-signer:alice']);
  });

  it('log.showSignature in the repository config does not disturb the stream', () => {
    const repo = signedRepo();
    repo.git('config', 'log.showSignature', 'true');
    repo.git('checkout', '-q', '-b', 'swarm/alice');
    expect(repo.commit('alice', ['src/auth/a.ts'], signWith(keys.alice)).code).toBe(0);
    expect(check(repo)).toMatchObject({ code: 0, checked: 1 });
  });

  it('identity: asserted believes the trailer, signed or not', () => {
    const repo = signedRepo('integration: main\n');
    repo.git('checkout', '-q', '-b', 'feature');
    expect(repo.commit('unsigned', ['docs/a.md'], { SWARM_AGENT: 'lead' }).code).toBe(0);
    expect(repo.commit('lead by alice', { '.swarmrc': 'integration: main\n# lead-only file\n' }, signWith(keys.alice, { SWARM_AGENT: 'lead' })).code).toBe(0);
    expect(check(repo, ['--base', 'main'])).toMatchObject({ code: 0, checked: 2, violations: [] });
  });
});
