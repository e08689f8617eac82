import { expect } from 'vitest';
import type { Run } from './repo.js';

/** Bad input: exit 2, a message naming the file and key or the argument, never a stack trace. */
export function expectBadInput(r: Run, ...needles: string[]): void {
  expect(r.code).toBe(2);
  for (const n of needles) expect(r.stderr).toContain(n);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr).not.toContain('internal error');
}
