import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A clean environment for benchmark repositories: nothing from the caller's git setup leaks in. */
export function benchEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(GIT_|SWARM_|HUSKY)/.test(k)) env[k] = v;
  return { ...env, HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', ...extra };
}

export class BenchRepo {
  readonly home = mkdtempSync(join(tmpdir(), 'swarm-bench-home-'));
  constructor(readonly dir: string) {}

  run(cmd: string, args: string[], extra: Record<string, string> = {}, input?: string): string {
    const r = spawnSync(cmd, args, { cwd: this.dir, env: benchEnv(this.home, extra), input, encoding: 'utf8', maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
    return r.stdout;
  }

  git(...args: string[]): string {
    return this.run('git', args);
  }

  write(path: string, content: string): void {
    const file = join(this.dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

export function newRepo(): BenchRepo {
  const repo = new BenchRepo(mkdtempSync(join(tmpdir(), 'swarm-bench-')));
  repo.git('init', '-q', '-b', 'main');
  repo.git('config', 'user.name', 'Bench');
  repo.git('config', 'user.email', 'bench@example.com');
  return repo;
}

export const AGENTS = 50;
export const CLAIMS_PER_AGENT = 10;
export const FILES = 10_000;

export const agentName = (i: number) => `agent-${String(i).padStart(2, '0')}`;

/** File i of the generated tree: agent k owns mod-k/, ten parts of twenty files each. */
export function filePath(i: number): string {
  const agent = i % AGENTS;
  const part = Math.floor(i / AGENTS) % CLAIMS_PER_AGENT;
  return `mod-${agent}/part-${part}/file-${i}.ts`;
}

/** 50 agents with 10 claims each (500 globs), in the shapes people write. */
export function benchManifest(): object {
  const agents: Record<string, object> = { lead: { role: 'lead' } };
  for (let a = 0; a < AGENTS; a++) {
    const claims = Array.from({ length: CLAIMS_PER_AGENT }, (_, p) =>
      p % 3 === 0 ? `mod-${a}/part-${p}/**` : p % 3 === 1 ? `mod-${a}/part-${p}/` : `mod-${a}/part-${p}/*.ts`,
    );
    agents[agentName(a)] = { claims, shared: [`docs/${agentName(a)}.md`] };
  }
  return { version: 1, agents };
}

/** Builds the 10,000-file tree and the manifest (the bench's, unless given) in one `git fast-import` and checks it out. */
export function seedTree(repo: BenchRepo, manifest: object = benchManifest()): void {
  const lines: string[] = ['commit refs/heads/main', 'committer Bench <bench@example.com> 1700000000 +0000', 'data 5', 'seed'];
  const add = (path: string, content: string) => {
    lines.push(`M 100644 inline ${path}`, `data ${Buffer.byteLength(content)}`, content);
  };
  for (let i = 0; i < FILES; i++) add(filePath(i), `export const v${i} = ${i};\n`);
  add('.swarm/manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  add('.swarmrc', 'integration: main\n');
  repo.run('git', ['fast-import', '--quiet'], {}, `${lines.join('\n')}\n`);
  repo.git('reset', '-q', '--hard', 'main');
}
