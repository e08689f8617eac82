import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, cleanEnv, removeTempDirs, ROOT, tempDir } from '../helpers/repo.js';

afterAll(removeTempDirs);

/** The commands the demo printed (`  $ …`, heredocs whole), and the exit status it reported for each. */
function transcript(stdout: string): { commands: string[]; exits: number[] } {
  const commands: string[] = [];
  const exits: number[] = [];
  const lines = stdout.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const exit = /^ {4}→ exit (\d+)/.exec(line);
    if (exit) exits.push(Number(exit[1]));
    if (!line.startsWith('  $ ')) continue;
    let command = line.slice(4);
    if (command.includes("<<'EOF'")) {
      while (lines[++i] !== 'EOF') command += `\n${lines[i]}`;
      command += '\nEOF';
    }
    commands.push(command);
  }
  return { commands, exits };
}

describe('npm run demo', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'demo.js')], { env: cleanEnv(tempDir()), encoding: 'utf8' });

  it('plays the whole story and every step behaves as it says', () => {
    expect(r.stdout).toContain('The demo behaved as described.');
    expect(r.stdout).toContain('held exclusively by alice');
    expect(r.stdout).toContain('carol is a reader');
    expect(r.stdout).toMatch(/::error file=src\/auth\/session\.ts/);
    expect(r.stdout).toContain('held exclusively by alice (lease 1 on docs/** until');
    expect(r.stdout).toMatch(/Swarm-Agent: bob\n +│ Swarm-Lease: 2/);
    expect(r.stdout).toContain('✗ alice × dave: src/auth/** vs src/** e.g. src/auth/a');
    expect(r.stdout).toMatch(/✓ alice at [0-9a-f]{10}/);
    expect(r.stdout).toContain('✗ group backend (none of it landed): frank conflicts with what lands before it in 1 path: CHANGELOG.md');
    expect(r.stdout).toMatch(/Undo landing [0-9a-f]{12}: alice/);
    expect(r.stdout).toMatch(/refused: bob cannot take ops\/deploy\.sh; nothing was taken\.\n.*alice holds ops\/\*\* \(lease 3/);
    // The landing went through the shared remote the clones coordinate through.
    expect(r.stdout).toMatch(/landed through origin on main \([0-9a-f]{10} → [0-9a-f]{10}\)/);
    expect(r.stdout).toMatch(/undid landing [0-9a-f]{12} on main through origin/);
    expect(r.status).toBe(0);
  });

  it('can be pasted: its printed commands, run as one shell script elsewhere, exit as the demo said', () => {
    const { commands, exits } = transcript(r.stdout);
    expect(commands[0]).toMatch(/^cd \//);
    expect(commands[1]).toBe('export PATH="$PWD/bin:$PATH"');
    const root = tempDir('swarm-replay-');
    mkdirSync(join(root, 'bin'));
    symlinkSync(CLI, join(root, 'bin', 'git-swarm'));
    const steps = commands.slice(2).map((c) => (c.startsWith('cd ') ? c : `${c}\necho "exit $?" >&3`));
    const script = [`cd '${root}'`, commands[1]!, ...steps].join('\n');
    const replay = spawnSync('bash', ['-c', `exec 3>"${join(root, 'exits')}"\n${script}`], { env: cleanEnv(tempDir()), encoding: 'utf8' });
    expect(replay.status).toBe(0);
    const replayed = spawnSync('cat', [join(root, 'exits')], { encoding: 'utf8' }).stdout.trim().split('\n').map((l) => Number(l.slice(5)));
    expect(replayed).toEqual(exits);
    expect(exits.filter((e) => e !== 0).length).toBeGreaterThanOrEqual(4);
  });
});
