import { spawn } from 'node:child_process';

/**
 * A user's shell command (`land.check`), run with `sh -c` in `cwd`; stdout and stderr together,
 * as a person would read them, also handed to `onOutput` as they come. Not git: it lives here
 * because only src/git starts processes.
 */
export function runShell(command: string, cwd: string, onOutput?: (text: string) => void): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', command], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    const take = (d: Buffer) => {
      chunks.push(d);
      onOutput?.(d.toString('utf8'));
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', () => resolve({ code: 127, output: `sh could not start: ${command}` }));
    child.on('close', (code) => resolve({ code: code ?? 128, output: Buffer.concat(chunks).toString('utf8') }));
  });
}
