import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, ROOT, tempDir } from '../helpers/repo.js';

describe('npm run demo', () => {
  it('plays the whole story and every step behaves as it says', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'demo.js')], { env: cleanEnv(tempDir()), encoding: 'utf8' });
    expect(r.stdout).toContain('The demo behaved as described.');
    expect(r.stdout).toContain("held exclusively by alice");
    expect(r.stdout).toContain('carol is a reader');
    expect(r.stdout).toMatch(/::error file=src\/auth\/session\.ts/);
    expect(r.status).toBe(0);
  });
});
