import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initRepo, removeTempDirs, swarmRepo, tempDir, TestRepo } from '../helpers/repo.js';
import { expectBadInput } from '../helpers/expect.js';

afterAll(removeTempDirs);


describe('bad input is exit 2 with a precise message', () => {
  it('unknown command and unknown option', () => {
    const repo = initRepo();
    expectBadInput(repo.swarm(['chek']), 'unknown command "chek"', 'did you mean "check"');
    expectBadInput(repo.swarm(['check', '--bsae', 'x']), "check: Unknown option '--bsae'");
    expectBadInput(repo.swarm(['whoami', 'extra']), 'whoami: unexpected argument "extra"');
    expectBadInput(repo.swarm(['whoami', '--format', 'yaml']), '--format must be one of text, json');
    expect(repo.swarm([]).code).toBe(2);
    expect(repo.swarm(['--help']).stdout).toContain('Commands:');
    expect(repo.swarm(['check', '--help']).stdout).toContain('git swarm check [--base <rev>]');
  });

  it('every command refuses extra arguments, empty option values and repeated options, naming the argument', () => {
    const repo = swarmRepo();
    const usage = (args: string[], argument: string, needle: string) => {
      const json = ['check', 'whoami', 'doctor'].includes(args[0]!);
      const r = repo.swarm(json ? [...args, '--format', 'json'] : args);
      expectBadInput(r, needle);
      if (json) expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'usage', argument } });
    };
    usage(['check', 'main'], 'main', 'check: unexpected argument "main"');
    usage(['doctor', 'now'], 'now', 'doctor: unexpected argument "now"');
    usage(['uninstall', 'all'], 'all', 'uninstall: unexpected argument "all"');
    usage(['init', 'here'], 'here', 'init: unexpected argument "here"');
    for (const option of ['--branch', '--head', '--base', '--integration', '--max-violations']) {
      usage(['check', option, ''], option, `check: ${option} needs a value`);
      usage(['check', `${option}=`], option, `check: ${option} needs a value`);
    }
    usage(['check', '--head', '  '], '--head', 'check: --head needs a value');
    usage(['whoami', '--format='], '--format', 'whoami: --format needs a value');
    usage(['init', '--integration', ''], '--integration', 'init: --integration needs a value');
    usage(['check', '--base', 'main', '--base', 'HEAD'], '--base', 'check: --base is given more than once');
    usage(['merge-driver', 'o', 'a', 'b', 'p', 'extra'], 'extra', 'merge-driver: unexpected argument "extra"');
    // uninstall refused before doing anything.
    expect(existsSync(join(repo.dir, '.git', 'swarm'))).toBe(true);
  });

  it('init writes nothing from a bad --integration', () => {
    const repo = initRepo();
    expectBadInput(repo.swarm(['init', '--integration', 'bad name']), '--integration bad name: invalid', 'integration: not a valid git branch name');
    expect(existsSync(join(repo.dir, '.swarmrc'))).toBe(false);
    expect(repo.tryGit(['config', 'core.hooksPath']).code).not.toBe(0);
  });

  it('--format json: errors are JSON on stdout too, with code, message and what is wrong', () => {
    const repo = swarmRepo();
    const rev = repo.swarm(['check', '--base', 'nope', '--format', 'json']);
    expectBadInput(rev, '--base: unknown revision "nope"');
    expect(JSON.parse(rev.stdout)).toEqual({
      ok: false,
      error: { code: 'revision', message: '--base: unknown revision "nope" (not a commit in this repository)', argument: '--base' },
    });
    // Settings bind from the integration tip; a clone without them there reads its working tree's.
    const fresh = initRepo();
    fresh.write('.swarmrc', 'integation: main\n');
    const config = fresh.swarm(['whoami', '--format=json']);
    expectBadInput(config, '.swarmrc: invalid');
    const { error } = JSON.parse(config.stdout) as { error: Record<string, unknown> };
    expect(error).toMatchObject({ code: 'config', file: '.swarmrc', key: 'integation' });
    expect(error.message).toContain('unknown key (did you mean "integration"?)');
    const usage = repo.swarm(['check', '--format', 'json', '--nope']);
    expectBadInput(usage, "Unknown option '--nope'");
    expect(JSON.parse(usage.stdout)).toMatchObject({ ok: false, error: { code: 'usage', argument: '--nope' } });
  });

  it('a .swarmrc (or manifest) that is a directory: exit 2 naming it, no stack trace', () => {
    const repo = initRepo();
    mkdirSync(join(repo.dir, '.swarmrc'));
    expectBadInput(repo.swarm(['whoami']), '.swarmrc is a directory where git-swarm expects a file');
    const doctor = repo.swarm(['doctor']);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain('.swarmrc is a directory where git-swarm expects a file');
    const other = initRepo();
    other.commit('initial', ['README.md']);
    mkdirSync(join(other.dir, '.swarm', 'manifest.json'), { recursive: true });
    expectBadInput(other.swarm(['whoami']), 'manifest.json is a directory');
  });

  it('refuses a git older than 2.38 with the version it found', () => {
    const repo = initRepo();
    const bin = tempDir();
    const realGit = repo.run('sh', ['-c', 'command -v git']).stdout.trim();
    writeFileSync(join(bin, 'git'), `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "git version 2.30.9"; exit 0; fi\nexec '${realGit}' "$@"\n`);
    chmodSync(join(bin, 'git'), 0o755);
    const r = repo.swarm(['whoami'], { PATH: `${bin}:${process.env.PATH}` });
    expectBadInput(r, 'git-swarm needs git 2.38 or newer; this machine has git version 2.30.9');
  });

  it('outside a repository', () => {
    const r = new TestRepo(tempDir()).swarm(['whoami']);
    expectBadInput(r, 'is not inside a git work tree');
  });

  it('.swarmrc: unknown key with a suggestion, bad values, YAML syntax', () => {
    const repo = initRepo();
    repo.write('.swarmrc', 'integation: main\n');
    expectBadInput(repo.swarm(['whoami']), '.swarmrc: invalid', 'integation: unknown key (did you mean "integration"?)');
    repo.write('.swarmrc', 'limits:\n  maxAgents: 3\n');
    expectBadInput(repo.swarm(['whoami']), 'limits.maxAgents: unknown key', 'maxActiveAgents');
    repo.write('.swarmrc', 'unidentified: maybe\nleases:\n  defaultTtl: 10h\n  maxTtl: 1h\n');
    expectBadInput(repo.swarm(['whoami']), 'unidentified:', 'leases.defaultTtl: defaultTtl must not exceed maxTtl');
    repo.write('.swarmrc', 'integration: [main\n');
    expectBadInput(repo.swarm(['whoami']), '.swarmrc: line');
    repo.write('.swarmrc', '{"integration": "main", "alwaysAllowed": ["../up"]}');
    expectBadInput(repo.swarm(['whoami']), 'alwaysAllowed[0]: invalid glob "../up"');
  });

  it('manifest: names the file and the JSON path, in hooks too', () => {
    const repo = initRepo();
    repo.commit('initial', ['README.md']);
    expect(repo.swarm(['init']).code).toBe(0);
    repo.write(
      '.swarm/manifest.json',
      JSON.stringify({
        version: 1,
        agents: { alice: { claims: ['src/**'] }, bob: { after: ['alic'] }, carol: { role: 'reader', claims: ['x/'] } },
      }),
    );
    expectBadInput(
      repo.swarm(['whoami']),
      '.swarm/manifest.json: invalid',
      'agents.bob.after[0]: unknown agent "alic" (did you mean "alice"?)',
      'agents.carol.claims: a reader may not hold claims',
    );
    repo.git('add', '-A');
    const commit = repo.tryGit(['commit', '-m', 'bad manifest']);
    expect(commit.code).not.toBe(0);
    expect(commit.stderr).toContain('agents.bob.after[0]');
    repo.write('.swarm/manifest.json', JSON.stringify({ version: 1, agents: { a: { after: ['b'] }, b: { after: ['a'] } } }));
    expectBadInput(repo.swarm(['whoami']), '"after" forms a cycle: a → b → a');
    repo.write('.swarm/manifest.json', '{ "version": 1, "agents": { } ');
    expectBadInput(repo.swarm(['whoami']), '.swarm/manifest.json: line 1');
  });

  it('an invalid manifest on the integration branch stops check with exit 2', () => {
    const repo = swarmRepo();
    repo.write('.swarm/manifest.json', '{"version": 2, "agents": {}}');
    repo.git('add', '-A');
    expect(repo.tryGit(['commit', '-m', 'break it'], { SWARM_SKIP: '1' }).code).toBe(0);
    repo.git('checkout', '-q', '-b', 'swarm/alice');
    expectBadInput(repo.swarm(['check']), ':.swarm/manifest.json: invalid', 'version');
  });
});
