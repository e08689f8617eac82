/** The compare-and-swap of refs (src/git/refs.ts) against real git: losing a race is a typed result. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareAndSwap } from '../../src/git/refs.js';
import { initRepo, removeTempDirs, type TestRepo } from '../helpers/repo.js';

afterAll(removeTempDirs);

let repo: TestRepo;
let a: string;
let b: string;
const KEYS = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_CONFIG_GLOBAL', 'GIT_CONFIG_NOSYSTEM'] as const;
const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));

beforeAll(() => {
  // compareAndSwap runs git in this process's environment: nothing may point it elsewhere, and
  // no global or system config may change what it does.
  for (const key of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE']) delete process.env[key];
  process.env.GIT_CONFIG_GLOBAL = '/dev/null';
  process.env.GIT_CONFIG_NOSYSTEM = '1';
  repo = initRepo();
  repo.commit('a', ['a.txt']);
  a = repo.head();
  repo.commit('b', ['b.txt']);
  b = repo.head();
});
afterAll(() => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

const at = (ref: string) => repo.tryGit(['rev-parse', '-q', '--verify', ref]).stdout.trim() || null;

describe('compareAndSwap', () => {
  it('creates a ref only where none exists, and reports "moved" where one does', async () => {
    expect(await compareAndSwap([{ ref: 'refs/swarm/t1', next: a, expected: null }], repo.dir)).toEqual({ ok: true });
    expect(await compareAndSwap([{ ref: 'refs/swarm/t1', next: b, expected: null }], repo.dir)).toEqual({ ok: false, reason: 'moved', ref: 'refs/swarm/t1' });
    expect(at('refs/swarm/t1')).toBe(a);
  });

  it('updates from the expected value only', async () => {
    await compareAndSwap([{ ref: 'refs/swarm/t2', next: a, expected: null }], repo.dir);
    expect(await compareAndSwap([{ ref: 'refs/swarm/t2', next: a, expected: b }], repo.dir)).toEqual({ ok: false, reason: 'moved', ref: 'refs/swarm/t2' });
    expect(await compareAndSwap([{ ref: 'refs/swarm/t2', next: b, expected: a }], repo.dir)).toEqual({ ok: true });
    expect(at('refs/swarm/t2')).toBe(b);
  });

  it('applies several updates all or none', async () => {
    await compareAndSwap([{ ref: 'refs/swarm/t3', next: a, expected: null }], repo.dir);
    const lost = await compareAndSwap(
      [
        { ref: 'refs/swarm/t3', next: b, expected: a },
        { ref: 'refs/swarm/t4', next: a, expected: b },
      ],
      repo.dir,
    );
    expect(lost).toEqual({ ok: false, reason: 'moved', ref: 'refs/swarm/t4' });
    expect(at('refs/swarm/t3')).toBe(a);
    expect(at('refs/swarm/t4')).toBeNull();
    expect(await compareAndSwap([{ ref: 'refs/swarm/t3', next: null, expected: a }], repo.dir)).toEqual({ ok: true });
    expect(at('refs/swarm/t3')).toBeNull();
    expect(await compareAndSwap([{ ref: 'refs/swarm/t3', next: null, expected: a }], repo.dir)).toEqual({ ok: false, reason: 'moved', ref: 'refs/swarm/t3' });
  });

  it('reports "locked" while another process holds the ref lock, and throws for real failures', async () => {
    await compareAndSwap([{ ref: 'refs/swarm/t5', next: a, expected: null }], repo.dir);
    const lock = join(repo.git('rev-parse', '--path-format=absolute', '--git-common-dir').trim(), 'refs', 'swarm', 't5.lock');
    writeFileSync(lock, '');
    expect(await compareAndSwap([{ ref: 'refs/swarm/t5', next: b, expected: a }], repo.dir)).toEqual({ ok: false, reason: 'locked', ref: 'refs/swarm/t5' });
    await expect(compareAndSwap([{ ref: 'refs/swarm/bad..name', next: a, expected: null }], repo.dir)).rejects.toMatchObject({
      code: 'git',
      data: { command: ['update-ref', '--stdin', '-z'] },
    });
  });
});
