import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from '../../src/messages/help.js';
import { manPages, roffText } from '../../src/render/man.js';
import { VERSION } from '../../src/version.js';
import { ROOT } from '../helpers/repo.js';

describe('manual pages', () => {
  it('package.json "man" lists git-swarm.1 and one page per command, as the build writes them', () => {
    const { man } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { man: string[] };
    const expected = ['git-swarm.1', ...COMMAND_NAMES.map((name) => `git-swarm-${name}.1`)];
    expect([...man].sort()).toEqual(expected.map((f) => `dist/man/${f}`).sort());
    expect([...manPages(VERSION).keys()].sort()).toEqual(expected.sort());
  });

  it('roff text: backslashes, hyphens and a leading dot or quote print literally', () => {
    expect(roffText('a\\b --x')).toBe('a\\eb \\-\\-x');
    expect(roffText(".SH not a request\n'also not\nmid.dle 'ok'")).toBe("\\&.SH not a request\n\\&'also not\nmid.dle 'ok'");
  });

  it('every page starts with a .TH header naming it, and no text line reads as a request', () => {
    for (const [file, page] of manPages(VERSION)) {
      const name = file.replace(/\.1$/, '');
      expect(page.split('\n')[0]).toBe(`.TH "${roffText(name.toUpperCase())}" 1 "" "git\\-swarm ${VERSION}" "git\\-swarm manual"`);
      // Only the writer's own macros start a line; text that would (a leading . or ') was escaped.
      for (const line of page.split('\n').filter((l) => /^[.']/.test(l))) {
        expect(['.TH', '.nh', '.ad', '.SH', '.SS', '.PP', '.TP', '.nf', '.fi'], `${file}: ${line}`).toContain(line.split(' ')[0]);
      }
    }
  });
});
