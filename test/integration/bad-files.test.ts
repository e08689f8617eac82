/**
 * Hostile .swarmrc and manifest files through the real CLI, from the working tree and from git
 * blobs: exit 2, the file and the key (or line) named, never a stack trace, never accepted.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { initRepo, removeTempDirs, swarmRepo } from '../helpers/repo.js';
import { expectBadInput } from '../helpers/expect.js';

afterAll(removeTempDirs);


/** Bytes from a string whose `\xNN` characters stand for the bytes NN. */
const bytes = (text: string) => Buffer.from(text, 'latin1');

describe('hostile .swarmrc', () => {
  it('an alias bomb: exit 2 naming the file and the key, at once', () => {
    const repo = initRepo();
    const rows = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [name, prev] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e'], ['g', 'f'], ['h', 'g'], ['i', 'h']]) {
      rows.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    repo.write('.swarmrc', `${rows.join('\n')}\n`);
    const r = repo.swarm(['whoami', '--format', 'json']);
    expectBadInput(r, '.swarmrc: line 2, column 8: b[0]: YAML aliases (*name) are not allowed here');
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'config', file: '.swarmrc', key: 'b[0]' } });
  });

  it('invalid UTF-8 is refused with its line and column; a leading BOM is accepted', () => {
    const repo = initRepo();
    repo.write('.swarmrc', bytes('integration: main\nland:\n  check: npm test \xff\n'));
    expectBadInput(repo.swarm(['whoami']), '.swarmrc: line 3, column 19: not valid UTF-8 (byte 0xff)');
    repo.write('.swarmrc', Buffer.from('\uFEFFunidentified: deny\n'));
    expect(repo.swarm(['whoami']).code).toBe(0);
  });

  it('the verdict cached for a file is not reused for bytes a lenient decoder would read alike', () => {
    const repo = initRepo();
    repo.write('.swarmrc', Buffer.from('land:\n  check: echo \uFFFD\n'));
    expect(repo.swarm(['whoami']).code).toBe(0);
    repo.write('.swarmrc', bytes('land:\n  check: echo \xff\n'));
    expectBadInput(repo.swarm(['whoami']), '.swarmrc: line 2, column 15: not valid UTF-8');
  });

  it('a NUL, a duplicate key and a 400-digit TTL each name their key', () => {
    const repo = initRepo();
    repo.write('.swarmrc', 'integration: "ma\\0in"\n');
    expectBadInput(repo.swarm(['whoami']), '.swarmrc: invalid', 'integration: contains the control character U+0000');
    repo.write('.swarmrc', '{"integration": "main",\n "integration": "dev"}\n');
    expectBadInput(repo.swarm(['whoami']), 'integration: given twice (lines 1 and 2)');
    repo.write('.swarmrc', `leases:\n  defaultTtl: 1${'0'.repeat(400)}m\n`);
    expectBadInput(repo.swarm(['whoami']), 'leases.defaultTtl: at most 30d');
  });
});

describe('hostile manifest', () => {
  it('duplicate keys: refused at commit; landed anyway, the hooks warn and check stops, naming the path and both lines', () => {
    const repo = swarmRepo();
    const text = '{\n  "version": 1,\n  "agents": {\n    "lead": {"role": "lead"},\n    "bob": {"role": "writer"},\n    "bob": {"role": "lead"}\n  }\n}\n';
    repo.write('.swarm/manifest.json', text);
    repo.git('add', '-A');
    const refused = repo.tryGit(['commit', '-m', 'two bobs'], { SWARM_AGENT: 'lead' });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('agents.bob: given twice (lines 5 and 6)');
    expect(repo.tryGit(['commit', '-m', 'two bobs'], { SWARM_AGENT: 'lead', SWARM_SKIP: '1' }).code).toBe(0);
    repo.git('checkout', '-q', '-b', 'swarm/bob');
    repo.write('src/db/notes.txt');
    repo.git('add', 'src/db/notes.txt');
    const commit = repo.tryGit(['commit', '-m', 'work']);
    expect(commit.code).toBe(0);
    expect(commit.stderr).toContain('main:.swarm/manifest.json is invalid, so the hooks enforce its last valid version');
    expect(commit.stderr).toContain('agents.bob: given twice (lines 5 and 6)');
    const check = repo.swarm(['check', '--format', 'json']);
    expectBadInput(check, ':.swarm/manifest.json: invalid', 'agents.bob: given twice (lines 5 and 6)');
    expect(JSON.parse(check.stdout)).toMatchObject({ ok: false, error: { code: 'manifest', key: 'agents.bob' } });
  });

  it('invalid UTF-8 in a committed manifest is refused, read from the blob', () => {
    const repo = swarmRepo();
    repo.write('.swarm/manifest.json', bytes('{"version": 1, "agents": {"lead": {"role": "lead", "task": "x\xfe"}}}\n'));
    repo.git('add', '-A');
    expect(repo.tryGit(['commit', '-m', 'bad bytes'], { SWARM_SKIP: '1' }).code).toBe(0);
    expectBadInput(repo.swarm(['check', '--base', 'HEAD', '--head', 'HEAD']), ':.swarm/manifest.json: line 1, column 62: not valid UTF-8 (byte 0xfe)');
  });

  it('a control character in a task, a duplicate after, and a BOM', () => {
    const repo = initRepo();
    repo.commit('initial', ['README.md']);
    repo.write('.swarm/manifest.json', JSON.stringify({ version: 1, agents: { a: { task: 'fix \u001b[2J' } } }));
    expectBadInput(repo.swarm(['whoami']), 'agents.a.task: contains the control character U+001B');
    repo.write('.swarm/manifest.json', JSON.stringify({ version: 1, agents: { alice: {}, bob: { after: ['alice', 'alice'] } } }));
    expectBadInput(repo.swarm(['whoami']), 'agents.bob.after[1]: "alice" is already listed at after[0]');
    repo.write('.swarm/manifest.json', `\uFEFF${JSON.stringify({ version: 1, agents: { alice: {} } })}`);
    const ok = repo.swarm(['whoami'], { SWARM_AGENT: 'alice' });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('alice');
  });
});
