import { describe, expect, it } from 'vitest';
import type { Settings } from '../../src/core/model.js';
import { SwarmError } from '../../src/errors.js';
import { validateSettings } from '../../src/schema/validate.js';

const FILE = '.swarmrc';

const DEFAULTS: Settings = {
  integration: 'main',
  manifest: '.swarm/manifest.json',
  branchPattern: 'swarm/{agent}',
  worktrees: '../{repo}.worktrees',
  unidentified: 'allow',
  identity: 'asserted',
  alwaysAllowed: [],
  leases: { defaultTtl: '30m', maxTtl: '4h' },
  limits: { maxActiveAgents: 16, maxClaimsPerAgent: 64, maxLandingBatch: 20 },
  land: { check: null, checkTimeout: '30m' },
  coordination: { remote: null },
  guardIntegration: false,
};

function rejection(text: string | Uint8Array, file = FILE): SwarmError {
  try {
    validateSettings(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(SwarmError);
    expect((error as SwarmError).code).toBe('config');
    return error as SwarmError;
  }
  throw new Error(`expected ${file} to be rejected:\n${text}`);
}

/** The "path: message" lines of an invalid-file error. */
function problemLines(text: string | Uint8Array, file = FILE): string[] {
  const [head, ...lines] = rejection(text, file).message.split('\n');
  expect(head).toBe(`${file}: invalid`);
  return lines.map((l) => {
    expect(l.startsWith('  ')).toBe(true);
    return l.slice(2);
  });
}

describe('defaults', () => {
  it('an empty file gives every default', () => {
    expect(validateSettings('', FILE)).toEqual(DEFAULTS);
  });

  it('a file with only comments or blank lines gives every default', () => {
    expect(validateSettings('# nothing here\n\n   \n# still nothing\n', FILE)).toEqual(DEFAULTS);
  });

  it('an empty JSON object gives every default', () => {
    expect(validateSettings('{}', FILE)).toEqual(DEFAULTS);
  });

  it('nested objects given partially keep their other defaults', () => {
    const s = validateSettings('limits:\n  maxActiveAgents: 3\nleases:\n  maxTtl: 8h\n', FILE);
    expect(s.limits).toEqual({ maxActiveAgents: 3, maxClaimsPerAgent: 64, maxLandingBatch: 20 });
    expect(s.leases).toEqual({ defaultTtl: '30m', maxTtl: '8h' });
    expect(s.integration).toBe('main');
  });

  it('$schema is accepted and dropped', () => {
    const s = validateSettings('$schema: ./node_modules/git-swarm/schema/swarmrc.schema.json\n', FILE);
    expect(s).toEqual(DEFAULTS);
    expect(Object.keys(s)).not.toContain('$schema');
  });
});

describe('formats', () => {
  const full = {
    integration: 'develop',
    manifest: 'config/swarm.json',
    branchPattern: 'agents/{agent}/work',
    worktrees: '/tmp/wt/{repo}',
    unidentified: 'deny',
    identity: 'signed',
    alwaysAllowed: ['**/*.md', '.github/'],
    leases: { defaultTtl: '90s', maxTtl: '2d' },
    limits: { maxActiveAgents: 4, maxClaimsPerAgent: 8, maxLandingBatch: 2 },
    land: { check: 'npm test', checkTimeout: '2h' },
    coordination: { remote: 'upstream' },
    guardIntegration: true,
  };

  it('accepts YAML', () => {
    const yaml = [
      'integration: develop',
      'manifest: config/swarm.json',
      'branchPattern: "agents/{agent}/work"',
      'worktrees: /tmp/wt/{repo}',
      'unidentified: deny',
      'identity: signed',
      'alwaysAllowed:',
      '  - "**/*.md"',
      '  - .github/',
      'leases:',
      '  defaultTtl: 90s',
      '  maxTtl: 2d',
      'limits: { maxActiveAgents: 4, maxClaimsPerAgent: 8, maxLandingBatch: 2 }',
      'land:',
      '  check: npm test',
      '  checkTimeout: 2h',
      'coordination:',
      '  remote: upstream',
      'guardIntegration: true',
    ].join('\n');
    expect(validateSettings(yaml, FILE)).toEqual(full);
  });

  it('accepts JSON', () => {
    expect(validateSettings(JSON.stringify(full, null, 2), FILE)).toEqual(full);
    expect(validateSettings(JSON.stringify(full), FILE)).toEqual(full);
  });

  it('accepts explicit nulls for land.check and coordination.remote', () => {
    const s = validateSettings('land:\n  check: null\ncoordination:\n  remote: ~\n', FILE);
    expect(s.land.check).toBeNull();
    expect(s.coordination.remote).toBeNull();
  });
});

describe('unknown keys', () => {
  it('names a misspelt top-level key and suggests the right one', () => {
    const lines = problemLines('integation: main\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.startsWith('integation: unknown key (did you mean "integration"?); allowed: integration, manifest, branchPattern')).toBe(true);
    expect(lines[0]).not.toContain('$schema');
  });

  it('suggests for other misspellings', () => {
    const cases: Array<[string, string]> = [
      ['unidentifed: deny', 'unidentified'],
      ['branchpattern: "x/{agent}"', 'branchPattern'],
      ['alwaysAllow: []', 'alwaysAllowed'],
      ['lease: {}', 'leases'],
      ['guardintegration: true', 'guardIntegration'],
    ];
    for (const [yaml, hint] of cases) {
      const [line] = problemLines(yaml);
      expect(line).toContain(`(did you mean "${hint}"?)`);
    }
  });

  it('names a nested unknown key with its full path and lists the keys allowed there', () => {
    expect(problemLines('limits:\n  maxAgents: 3\n')).toEqual(['limits.maxAgents: unknown key; allowed: maxActiveAgents, maxClaimsPerAgent, maxLandingBatch']);
  });

  it('suggests nested keys', () => {
    expect(problemLines('leases:\n  defaultTTL: 1h\n')).toEqual(['leases.defaultTTL: unknown key (did you mean "defaultTtl"?); allowed: defaultTtl, maxTtl']);
    expect(problemLines('land:\n  checks: npm test\n')).toEqual(['land.checks: unknown key (did you mean "check"?); allowed: check, checkTimeout']);
    expect(problemLines('coordination:\n  remotes: origin\n')).toEqual(['coordination.remotes: unknown key (did you mean "remote"?); allowed: remote']);
  });

  it('reports several problems at once', () => {
    const lines = problemLines('integation: main\nunidentified: maybe\nlimits:\n  maxAgents: 3\n');
    expect(lines.map((l) => l.split(':')[0]).sort()).toEqual(['integation', 'limits.maxAgents', 'unidentified']);
  });
});

describe('value validation', () => {
  it('unidentified is allow or deny', () => {
    expect(problemLines('unidentified: maybe')).toEqual(['unidentified: Invalid option: expected one of "allow"|"deny"']);
    expect(problemLines('unidentified: Allow')).toHaveLength(1);
    expect(validateSettings('unidentified: deny', FILE).unidentified).toBe('deny');
  });

  it('integration must be a valid branch name', () => {
    for (const bad of ['"has space"', 'a..b', '"-x"', 'main.lock', '""', 'a~1', '"a:b"', 'feat/', '.hidden', 'a/.b', '"x@{y"']) {
      const [line, ...rest] = problemLines(`integration: ${bad}`);
      expect(rest).toEqual([]);
      expect(line!.startsWith('integration: ')).toBe(true);
    }
    expect(validateSettings('integration: release/v1.2', FILE).integration).toBe('release/v1.2');
  });

  it('manifest must be a relative file path inside the repository', () => {
    for (const bad of ['/abs/manifest.json', '../up.json', 'a/../b.json', './m.json', 'dir/', '""', 'a//b']) {
      const lines = problemLines(`manifest: ${bad}`);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^manifest: must be a relative file path inside the repository, got /);
    }
    expect(validateSettings('manifest: .swarm/other.json', FILE).manifest).toBe('.swarm/other.json');
  });

  it('branchPattern must contain {agent} exactly once', () => {
    expect(problemLines('branchPattern: swarm/agent')).toEqual(['branchPattern: must contain "{agent}" exactly once']);
    expect(problemLines('branchPattern: "{agent}/{agent}"')).toEqual(['branchPattern: must contain "{agent}" exactly once']);
    expect(problemLines('branchPattern: "swarm/{agent}-{agent}"')).toEqual(['branchPattern: must contain "{agent}" exactly once']);
  });

  it('branchPattern must give valid branch names', () => {
    expect(problemLines('branchPattern: "swarm {agent}"')).toEqual(['branchPattern: must give valid branch names']);
    expect(problemLines('branchPattern: "swarm/{agent}/"')).toEqual(['branchPattern: must give valid branch names']);
    expect(validateSettings('branchPattern: "{agent}"', FILE).branchPattern).toBe('{agent}');
    expect(validateSettings('branchPattern: "wip-{agent}.x"', FILE).branchPattern).toBe('wip-{agent}.x');
  });

  it('worktrees may not be empty', () => {
    const [line] = problemLines('worktrees: ""');
    expect(line!.startsWith('worktrees: ')).toBe(true);
  });

  it('alwaysAllowed globs are validated, each with its index', () => {
    expect(problemLines('alwaysAllowed: ["**/*.md", "../x", "/abs", "", "!neg"]')).toEqual([
      'alwaysAllowed[1]: invalid glob "../x": has a ".." segment',
      'alwaysAllowed[2]: invalid glob "/abs": is absolute (starts with "/")',
      'alwaysAllowed[3]: invalid glob "": is empty',
      'alwaysAllowed[4]: invalid glob "!neg": starts with "!" (negation is not supported)',
    ]);
    const [line] = problemLines('alwaysAllowed: "**/*.md"');
    expect(line).toBe('alwaysAllowed: Invalid input: expected array, received string');
  });

  it('durations are a positive number and a unit s, m, h or d', () => {
    for (const bad of ['0s', '"10"', '1w', '1.5h', '-5m', '"05m"', '" 5m"', '""', 'h', '30 m', '5M']) {
      const lines = problemLines(`leases:\n  maxTtl: ${bad}\n  defaultTtl: 1s\n`);
      expect(lines[0]).toBe('leases.maxTtl: a duration such as 90s, 30m, 4h or 2d');
      expect(lines.filter((l) => l.startsWith('leases.maxTtl'))).toHaveLength(1);
    }
    const [line] = problemLines('leases:\n  defaultTtl: 30\n');
    expect(line).toBe('leases.defaultTtl: Invalid input: expected string, received number');
  });

  it('a bad duration is not also reported as defaultTtl exceeding maxTtl', () => {
    expect(problemLines('leases:\n  maxTtl: 1w\n')).toEqual(['leases.maxTtl: a duration such as 90s, 30m, 4h or 2d']);
    expect(problemLines('leases:\n  defaultTtl: 0s\n')).toEqual(['leases.defaultTtl: a duration such as 90s, 30m, 4h or 2d']);
  });

  it('defaultTtl may not exceed maxTtl, in any units', () => {
    expect(problemLines('leases:\n  defaultTtl: 5h\n')).toEqual(['leases.defaultTtl: defaultTtl must not exceed maxTtl']);
    expect(problemLines('leases:\n  maxTtl: 10m\n')).toEqual(['leases.defaultTtl: defaultTtl must not exceed maxTtl']);
    expect(problemLines('leases:\n  defaultTtl: 2d\n  maxTtl: 47h\n')).toEqual(['leases.defaultTtl: defaultTtl must not exceed maxTtl']);
    expect(problemLines('leases:\n  defaultTtl: 121s\n  maxTtl: 2m\n')).toEqual(['leases.defaultTtl: defaultTtl must not exceed maxTtl']);
    expect(validateSettings('leases:\n  defaultTtl: 120s\n  maxTtl: 2m\n', FILE).leases).toEqual({ defaultTtl: '120s', maxTtl: '2m' });
    expect(validateSettings('leases:\n  defaultTtl: 4h\n', FILE).leases).toEqual({ defaultTtl: '4h', maxTtl: '4h' });
  });

  it('limits are positive integers', () => {
    expect(problemLines('limits:\n  maxActiveAgents: 0\n  maxClaimsPerAgent: -1\n  maxLandingBatch: 1.5\n')).toEqual([
      'limits.maxActiveAgents: Too small: expected number to be >0',
      'limits.maxClaimsPerAgent: Too small: expected number to be >0',
      'limits.maxLandingBatch: Invalid input: expected int, received number',
    ]);
    expect(problemLines('limits:\n  maxActiveAgents: "4"\n')).toEqual(['limits.maxActiveAgents: Invalid input: expected number, received string']);
  });

  it('land.check and coordination.remote are non-empty strings or null', () => {
    expect(problemLines('land:\n  check: ""\n')[0]!.startsWith('land.check: ')).toBe(true);
    expect(problemLines('coordination:\n  remote: ""\n')[0]!.startsWith('coordination.remote: ')).toBe(true);
    expect(problemLines('land:\n  check: [npm, test]\n')[0]!.startsWith('land.check: ')).toBe(true);
  });

  it('guardIntegration is a boolean', () => {
    expect(problemLines('guardIntegration: "yes"')).toEqual(['guardIntegration: Invalid input: expected boolean, received string']);
    expect(validateSettings('guardIntegration: false', FILE).guardIntegration).toBe(false);
  });

  it('nested sections must be objects', () => {
    expect(problemLines('limits: 5')).toEqual(['limits: Invalid input: expected object, received number']);
  });

  it('the document must be a mapping', () => {
    expect(problemLines('just a string')).toEqual(['(top level): Invalid input: expected object, received string']);
    expect(problemLines('- a\n- b\n')).toEqual(['(top level): Invalid input: expected object, received array']);
  });
});

describe('syntax errors', () => {
  it('name the file and the line of a YAML syntax error', () => {
    const error = rejection('integration: main\nalwaysAllowed: [\n  "a",\nlimits: {\n');
    expect(error.message).toMatch(/^\.swarmrc: line \d+, column \d+: /);
  });

  it('name the line and column of bad indentation', () => {
    expect(rejection('integration: main\nlimits:\n\t- x\n').message).toBe('.swarmrc: line 3, column 1: Tabs are not allowed as indentation');
  });

  it('name a line for an unclosed quote', () => {
    expect(rejection('integration: main\nmanifest: "oops\n').message).toMatch(/^\.swarmrc: line \d+, column \d+: Missing closing "quote/);
  });

  it('reject duplicate keys, naming the key and the lines of both', () => {
    const error = rejection('integration: main\nunidentified: deny\nintegration: dev\n');
    expect(error.message).toBe('.swarmrc: invalid\n  integration: given twice (lines 1 and 3): only the last would count; keep one');
    expect(error.data).toMatchObject({ file: FILE, key: 'integration' });
  });

  it('reject duplicate nested keys, every one of them', () => {
    expect(problemLines('limits:\n  maxActiveAgents: 1\n  maxActiveAgents: 2\nland: {check: a, check: b}\n')).toEqual([
      'limits.maxActiveAgents: given twice (lines 2 and 3): only the last would count; keep one',
      'land.check: given twice (both on line 4): only the last would count; keep one',
    ]);
  });

  it('reject duplicate keys in a JSON .swarmrc too, however the key is spelt', () => {
    expect(problemLines('{\n  "integration": "main",\n  "integration": "dev"\n}\n')).toEqual([
      'integration: given twice (lines 2 and 3): only the last would count; keep one',
    ]);
    expect(problemLines('{"integration": "main",\n "integr\\u0061tion": "dev"}')).toHaveLength(1);
    expect(problemLines("integration: main\n'integration': dev\n")).toHaveLength(1);
  });

  it('name the line of a JSON syntax error too', () => {
    const error = rejection('{\n  "integration": "main",\n  "unidentified": "deny"\n  "limits": {}\n}\n');
    expect(error.message).toMatch(/^\.swarmrc: line 4, column \d+: /);
  });
});

describe('the file label', () => {
  it('appears in syntax and validation errors', () => {
    const file = 'abc1234567:.swarmrc';
    expect(rejection('a: [', file).message.startsWith(`${file}: `)).toBe(true);
    expect(rejection('integation: main', file).message.startsWith(`${file}: invalid\n`)).toBe(true);
  });
});

describe('identity', () => {
  it('signed needs unidentified: deny', () => {
    expect(problemLines('identity: signed\n')).toEqual([
      'identity: identity: signed needs unidentified: deny (a commit with no Swarm-Agent trailer names no agent whose signature could be checked)',
    ]);
    expect(validateSettings('identity: signed\nunidentified: deny\n', FILE)).toMatchObject({ identity: 'signed', unidentified: 'deny' });
    expect(problemLines('identity: gpg\n')).toEqual(['identity: Invalid option: expected one of "asserted"|"signed"']);
  });
});

describe('hostile input', () => {
  /** A .swarmrc as raw bytes, as the CLI reads it: `\xNN` in `latin1` stands for the byte NN. */
  const bytes = (text: string) => Buffer.from(text, 'latin1');

  it('refuses a YAML alias bomb, naming the file, the key and the line of the first alias', () => {
    const rows = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [name, prev] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e'], ['g', 'f'], ['h', 'g'], ['i', 'h']]) {
      rows.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const error = rejection(`${rows.join('\n')}\n`);
    expect(error.message).toBe('.swarmrc: line 2, column 8: b[0]: YAML aliases (*name) are not allowed here; write the value out');
    expect(error.data).toEqual({ file: FILE, key: 'b[0]' });
  });

  it('refuses any alias, even a harmless or a self-referencing one', () => {
    expect(rejection('integration: &i main\nbranchPattern: *i\n').message).toBe(
      '.swarmrc: line 2, column 16: branchPattern: YAML aliases (*name) are not allowed here; write the value out',
    );
    expect(rejection('alwaysAllowed: &x [*x]\n').data.key).toBe('alwaysAllowed[0]');
    expect(rejection('limits:\n  <<: *base\n').data.key).toBe('limits["<<"]');
  });

  it('refuses invalid UTF-8 naming its line and column, instead of reading U+FFFD', () => {
    expect(rejection(bytes('integration: main\nland:\n  check: ab\xff\xfe\n')).message).toBe(
      '.swarmrc: line 3, column 12: not valid UTF-8 (byte 0xff): save the file as UTF-8',
    );
    // An overlong "/" and an encoded surrogate are not UTF-8 either.
    expect(rejection(bytes('manifest: a\xc0\xafb\n')).message).toBe('.swarmrc: line 1, column 12: not valid UTF-8 (byte 0xc0): save the file as UTF-8');
    expect(rejection(bytes('worktrees: \xed\xa0\x80\n')).message).toContain('line 1, column 12: not valid UTF-8 (byte 0xed)');
    // The character U+FFFD itself, correctly encoded, is just a character.
    expect(validateSettings(Buffer.from('land:\n  check: echo \uFFFD\n'), FILE).land.check).toBe('echo \uFFFD');
    expect(validateSettings(Buffer.from('worktrees: ../wörk-✓\n'), FILE).worktrees).toBe('../wörk-✓');
  });

  it('refuses control characters in values and keys, naming the key', () => {
    expect(problemLines('land:\n  check: "npm\\0 test"\n')).toEqual(['land.check: contains the control character U+0000']);
    expect(problemLines(bytes('integration: ma\x00in\n'))).toEqual(['integration: contains the control character U+0000']);
    expect(problemLines('worktrees: "\\e[2J../wt"\n')).toEqual(['worktrees: contains the control character U+001B']);
    expect(problemLines('coordination:\n  remote: "origin\\x85"\n')).toEqual(['coordination.remote: contains the control character U+0085']);
    expect(problemLines('alwaysAllowed: ["docs/\\u202Egpj.exe"]\n')).toEqual([
      'alwaysAllowed[0]: contains the bidirectional control U+202E, which makes text display in another order than it is stored',
    ]);
    expect(problemLines('{"integration": "\\ud800"}')).toEqual(['integration: contains an unpaired surrogate U+D800, which is not a character']);
    expect(problemLines('"limits\\t": {}\n')).toEqual(['["limits\\t"]: the key contains the control character U+0009']);
    expect(rejection('integration: "a\\nb"\n').data).toMatchObject({ file: FILE, key: 'integration' });
  });

  it('lets land.check span lines (a shell command as a YAML block), with tabs, but nothing else', () => {
    expect(validateSettings('land:\n  check: |\n    npm test\n    \tnpm run lint\n', FILE).land.check).toBe('npm test\n\tnpm run lint\n');
    expect(problemLines('land:\n  check: "npm test\\r"\n')).toEqual(['land.check: contains the control character U+000D']);
    expect(problemLines('worktrees: "a\\tb"\n')).toEqual(['worktrees: contains the control character U+0009']);
  });

  it('accepts a leading byte order mark in YAML and in JSON, as text or bytes', () => {
    expect(validateSettings('\uFEFFintegration: dev\n', FILE).integration).toBe('dev');
    expect(validateSettings(Buffer.from('\uFEFFintegration: dev\n'), FILE).integration).toBe('dev');
    expect(validateSettings(Buffer.from('\uFEFF{"integration": "dev"}'), FILE).integration).toBe('dev');
    // Only one, and only at the start: positions after it are counted without it.
    expect(rejection(Buffer.from('\uFEFFintegration: [dev\n')).message).toMatch(/^\.swarmrc: line \d+, column \d+: /);
  });

  it('bounds durations at 30 days, in any unit, before they can overflow', () => {
    const huge = `1${'0'.repeat(400)}m`;
    expect(problemLines(`leases:\n  defaultTtl: ${huge}\n`)).toEqual(['leases.defaultTtl: at most 30d']);
    expect(problemLines(`leases:\n  defaultTtl: ${huge}\n  maxTtl: ${huge}\n`)).toEqual(['leases.defaultTtl: at most 30d', 'leases.maxTtl: at most 30d']);
    for (const over of ['31d', '721h', '43201m', '2592001s']) expect(problemLines(`leases:\n  maxTtl: ${over}\n`)).toEqual(['leases.maxTtl: at most 30d']);
    for (const max of ['30d', '720h', '43200m', '2592000s']) expect(validateSettings(`leases:\n  maxTtl: ${max}\n  defaultTtl: ${max}\n`, FILE).leases.maxTtl).toBe(max);
    expect(problemLines('leases:\n  maxTtl: 30d\n  defaultTtl: 2592001s\n')).toEqual(['leases.defaultTtl: at most 30d']);
    expect(problemLines('leases:\n  maxTtl: 719h\n  defaultTtl: 30d\n')).toEqual(['leases.defaultTtl: defaultTtl must not exceed maxTtl']);
  });

  it('refuses nesting deeper than 64 levels, unknown tags and keys that are not strings', () => {
    expect(rejection(`a: ${'['.repeat(5000)}${']'.repeat(5000)}\n`).message).toMatch(/^\.swarmrc: line 1, column \d+: nested deeper than 64 levels$/);
    expect(rejection(`a: ${'['.repeat(65)}${']'.repeat(65)}\n`).message).toBe('.swarmrc: line 1, column 67: nested deeper than 64 levels');
    expect(rejection('integration: !shell main\n').message).toBe('.swarmrc: line 1, column 14: Unresolved tag: !shell');
    expect(rejection('? [a, b]\n: c\n').message).toBe('.swarmrc: line 1, column 3: With stringKeys, all keys must be strings');
  });
});
