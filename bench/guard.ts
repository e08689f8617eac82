// The guard on the integration branch (guardIntegration) costs every ref update, fetches
// included: a `git fetch` of 1,000 new refs and one moving 1,000 refs, in a clone guarded by it,
// against the same clone without it (git-swarm's other hooks installed in both) and against an
// empty reference-transaction hook (`exit 0`: the floor of any such hook, which is git's fork and
// exec). git 2.39 fetches in one transaction per ref and runs the hook twice for each (prepared,
// committed): the runs are counted from git's own trace. `--atomic` is one transaction per fetch.
// Measured as CPU time (user + system) of git and every process it started, from the shell's
// `times`: on a shared, loaded machine wall time varies by half from one fetch to the next, while
// this is what the hooks cost, and steady.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, type Figure } from './figure.js';
import { newRepo, type BenchRepo } from './fixture.js';

const REFS = 1_000;
const RUNS = 5;
const HOOK = '.git/swarm/hooks/_/reference-transaction';

/** The remote: REFS branches, all at one of two commits (toggled to make a fetch move every one). */
function source(): { repo: BenchRepo; toggle: () => void } {
  const repo = newRepo();
  repo.git('commit', '-q', '--allow-empty', '-m', 'one');
  repo.git('commit', '-q', '--allow-empty', '-m', 'two');
  const [two, one] = [repo.git('rev-parse', 'HEAD').trim(), repo.git('rev-parse', 'HEAD~1').trim()];
  // Exactly REFS refs to fetch: no main beside them.
  repo.git('checkout', '-q', '--detach');
  repo.git('update-ref', '-d', 'refs/heads/main');
  const set = (oid: string) => repo.run('git', ['update-ref', '--stdin'], {}, Array.from({ length: REFS }, (_, i) => `update refs/heads/b${i} ${oid}\n`).join(''));
  set(one);
  let at = one;
  return {
    repo,
    toggle: () => {
      at = at === one ? two : one;
      set(at);
    },
  };
}

/** A clone with git-swarm installed, guarded or not, the integration branch main checked out. */
function clone(cli: string, guarded: boolean): BenchRepo {
  const repo = newRepo();
  repo.write('.swarm/manifest.json', `${JSON.stringify({ version: 1, agents: { lead: { role: 'lead' } } })}\n`);
  repo.write('.swarmrc', `integration: main\nguardIntegration: ${guarded}\n`);
  repo.git('add', '-A');
  repo.git('commit', '-q', '-m', 'setup');
  // Nothing else runs after a fetch: no auto gc, no commit graph.
  for (const [key, value] of [['gc.auto', '0'], ['maintenance.auto', 'false'], ['fetch.writeCommitGraph', 'false']] as const) repo.git('config', key, value);
  repo.run(process.execPath, [cli, 'init']);
  if (existsSync(join(repo.dir, HOOK)) !== guarded) throw new Error(`init ${guarded ? 'did not install' : 'installed'} the guard`);
  return repo;
}

export async function guardBench(cli: string): Promise<Figure[]> {
  const src = source();
  const guarded = clone(cli, true);
  const plain = clone(cli, false);
  const empty = clone(cli, false);
  writeFileSync(join(empty.dir, HOOK), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  const clones = { guarded, plain, empty };

  const fetch = (repo: BenchRepo, extra: string[] = [], env: Record<string, string> = {}): number => {
    const out = repo.run('sh', ['-c', 'git "$@" && times', 'sh', 'fetch', '-q', ...extra, src.repo.dir, '+refs/heads/*:refs/remotes/src/*'], env);
    // times prints the shell's own user and system time, then its children's: "0m1.230000s 0m0.450000s".
    const children = out.trim().split('\n').at(-1) ?? '';
    return [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce((ms, m) => ms + Number(m[1]) * 60_000 + Number(m[2]) * 1000, 0);
  };
  const forget = (repo: BenchRepo) => repo.run('git', ['update-ref', '--stdin'], {}, repo.git('for-each-ref', '--format=delete %(refname)', 'refs/remotes/src/'));
  const times = { created: new Map<string, number[]>(), moved: new Map<string, number[]>(), atomic: new Map<string, number[]>() };
  const add = (m: Map<string, number[]>, key: string, ms: number) => m.set(key, [...(m.get(key) ?? []), ms]);

  // Interleaved, so that drift in the machine's speed touches every clone alike.
  for (let run = 0; run < RUNS; run++) {
    for (const [name, repo] of Object.entries(clones)) {
      forget(repo);
      add(times.created, name, fetch(repo));
    }
    src.toggle();
    for (const [name, repo] of Object.entries(clones)) add(times.moved, name, fetch(repo));
    for (const [name, repo] of Object.entries({ guarded, plain })) {
      forget(repo);
      add(times.atomic, name, fetch(repo, ['--atomic']));
    }
  }

  forget(guarded);
  const trace = join(mkdtempSync(join(tmpdir(), 'swarm-bench-trace-')), 'trace.json');
  fetch(guarded, [], { GIT_TRACE2_EVENT: trace });
  const runs = readFileSync(trace, 'utf8').split('\n').filter((l) => l.includes('"event":"child_start"') && l.includes('"hook_name":"reference-transaction"')).length;

  const m = (which: Map<string, number[]>, name: string) => median(which.get(name)!);
  const figure = (what: string, which: Map<string, number[]>, against: 'plain' | 'empty', target: string, limit: number | null): Figure => {
    const [value, baseline] = [m(which, 'guarded'), m(which, against)];
    return {
      name: `CPU time of git fetch ${what}, the clone guarded by guardIntegration`,
      unit: 'ms',
      value,
      baselineName: against === 'plain' ? 'the same clone without the guard' : 'the same clone with an empty reference-transaction hook (exit 0)',
      baseline,
      target,
      pass: limit === null || value <= baseline * limit,
    };
  };
  const perRef = 'informational: git 2.39 forks the hook twice per ref (one transaction each), whatever it does';
  return [
    figure(`of ${REFS.toLocaleString('en')} new refs`, times.created, 'plain', perRef, null),
    figure(`of ${REFS.toLocaleString('en')} new refs`, times.created, 'empty', '≤ 1.2× (the guard costs no more than any hook)', 1.2),
    figure(`moving ${REFS.toLocaleString('en')} refs`, times.moved, 'plain', perRef, null),
    figure(`moving ${REFS.toLocaleString('en')} refs`, times.moved, 'empty', '≤ 1.2× (the guard costs no more than any hook)', 1.2),
    figure(`--atomic of ${REFS.toLocaleString('en')} new refs (one transaction)`, times.atomic, 'plain', '≤ 1.5×', 1.5),
    {
      name: `reference-transaction runs in one git fetch of ${REFS.toLocaleString('en')} new refs (git's trace2)`,
      unit: 'runs',
      value: runs,
      baselineName: 'refs fetched',
      baseline: REFS,
      target: 'informational: 2 per ref on git 2.39 (prepared, committed); 2 per fetch with --atomic',
      pass: true,
    },
  ];
}
