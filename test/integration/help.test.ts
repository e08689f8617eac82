import { afterAll, describe, expect, it } from 'vitest';
import { COMMAND_NAMES, help } from '../../src/messages/help.js';
import { initRepo, removeTempDirs } from '../helpers/repo.js';

afterAll(removeTempDirs);

describe('git swarm help', () => {
  const repo = initRepo();

  it('help <command> and <command> --help print that command\'s help, exit 0', () => {
    for (const name of COMMAND_NAMES) {
      for (const args of [['help', name], [name, '--help']]) {
        const r = repo.swarm(args);
        expect(r.code, args.join(' ')).toBe(0);
        expect(r.stdout).toBe(`${help.command(name)}\n`);
      }
    }
  });

  it('help <unknown> is a usage error naming it, inherited object keys included', () => {
    for (const args of [['help', 'chek'], ['help', 'toString'], ['constructor']]) {
      const r = repo.swarm(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(`unknown command "${args.at(-1)}"`);
      expect(r.stdout).toBe('');
    }
  });
});
