/**
 * A seam for the crash tests: SWARM_TEST_CRASH_AT=<point> kills this process with SIGKILL at that
 * named step of a landing, so a test can show the state a crash there leaves. It grants nothing:
 * anyone who can set it can kill the process anyway.
 */
export function crashPoint(name: string): void {
  if (process.env.SWARM_TEST_CRASH_AT === name) process.kill(process.pid, 'SIGKILL');
}
