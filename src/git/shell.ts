import { spawn } from 'node:child_process';

export interface ShellRun {
  code: number;
  output: string;
  /** Stopped because it ran past its time. */
  timedOut: boolean;
  /** Stopped because this process was asked to stop (SIGINT, SIGTERM). */
  interrupted: boolean;
}

/** How long a stopped command has between SIGTERM and SIGKILL. */
const GRACE_MS = 5_000;

/**
 * A user's shell command (`land.check`), run with `sh -c` in `cwd`; stdout and stderr together,
 * as a person would read them, also handed to `onOutput` as they come. It runs in a process group
 * of its own, so that a timeout, or a Ctrl-C of ours, stops everything it started (a test runner's
 * workers included) and not just `sh`. Not git: it lives here because only src/git starts processes.
 */
export function runShell(command: string, cwd: string, options: { onOutput?: (text: string) => void; timeoutMs?: number } = {}): Promise<ShellRun> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', command], { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const chunks: Buffer[] = [];
    let timedOut = false;
    let interrupted = false;
    const signal = (name: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, name);
      } catch {
        // The group is gone already.
      }
    };
    const stop = () => {
      signal('SIGTERM');
      setTimeout(() => signal('SIGKILL'), GRACE_MS).unref();
    };
    const onSignal = () => {
      interrupted = true;
      stop();
    };
    const timer = options.timeoutMs === undefined ? null : setTimeout(() => ((timedOut = true), stop()), options.timeoutMs);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const done = (code: number, output: string) => {
      if (timer) clearTimeout(timer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve({ code, output, timedOut, interrupted });
    };
    const take = (d: Buffer) => {
      chunks.push(d);
      options.onOutput?.(d.toString('utf8'));
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', () => done(127, `sh could not start: ${command}`));
    child.on('close', (code) => done(code ?? 128, Buffer.concat(chunks).toString('utf8')));
  });
}
