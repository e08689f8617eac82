import { describe, expect, it } from 'vitest';
import { manifestProblems } from '../../src/core/manifestRules.js';
import type { AgentSpec, Manifest } from '../../src/core/model.js';
import { SwarmError } from '../../src/errors.js';
import { manifestProblemText } from '../../src/messages/validation.js';
import { validateManifest } from '../../src/schema/validate.js';

const FILE = '.swarm/manifest.json';

const DESIGN_MANIFEST = {
  version: 1,
  agents: {
    lead: { role: 'lead', task: 'coordinates the swarm' },
    alice: { claims: ['src/auth/**', 'test/auth/'], shared: ['CHANGELOG.md'], group: 'backend' },
    bob: { claims: ['src/db/**'], after: ['alice'], group: 'backend' },
    carol: { role: 'reader' },
  },
};

/** Deep copy of the example with `edit` applied to its agents. */
function withAgents(edit: (agents: Record<string, Record<string, unknown>>) => void): unknown {
  const copy = JSON.parse(JSON.stringify(DESIGN_MANIFEST)) as { agents: Record<string, Record<string, unknown>> };
  edit(copy.agents);
  return copy;
}

/** The SwarmError validateManifest throws for `input` (an object is serialized as JSON). */
function rejection(input: unknown, file = FILE): SwarmError {
  const text = typeof input === 'string' || input instanceof Uint8Array ? input : JSON.stringify(input, null, 2);
  try {
    validateManifest(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(SwarmError);
    expect((error as SwarmError).code).toBe('manifest');
    return error as SwarmError;
  }
  throw new Error(`expected ${file} to be rejected: ${text}`);
}

/** The "path: message" lines of an invalid-file error. */
function problemLines(input: unknown, file = FILE): string[] {
  const message = rejection(input, file).message;
  const [head, ...lines] = message.split('\n');
  expect(head).toBe(`${file}: invalid`);
  return lines.map((l) => {
    expect(l.startsWith('  ')).toBe(true);
    return l.slice(2);
  });
}

describe('valid manifests', () => {
  it('accepts the DESIGN.md example and fills in defaults', () => {
    const m = validateManifest(JSON.stringify(DESIGN_MANIFEST), FILE);
    expect(m.version).toBe(1);
    expect(Object.keys(m.agents)).toEqual(['lead', 'alice', 'bob', 'carol']);
    expect(m.agents.lead).toEqual({ role: 'lead', task: 'coordinates the swarm', claims: [], shared: [], after: [] });
    expect(m.agents.alice).toEqual({ role: 'writer', claims: ['src/auth/**', 'test/auth/'], shared: ['CHANGELOG.md'], after: [], group: 'backend' });
    expect(m.agents.bob).toEqual({ role: 'writer', claims: ['src/db/**'], shared: [], after: ['alice'], group: 'backend' });
    expect(m.agents.carol).toEqual({ role: 'reader', claims: [], shared: [], after: [] });
  });

  it('an agent given as {} is a writer with no claims', () => {
    const m = validateManifest('{"version":1,"agents":{"w":{}}}', FILE);
    const expected: AgentSpec = { role: 'writer', claims: [], shared: [], after: [] };
    expect(m.agents.w).toEqual(expected);
  });

  it('accepts no agents at all', () => {
    expect(validateManifest('{"version":1,"agents":{}}', FILE)).toEqual({ version: 1, agents: {} });
  });

  it('drops $schema from the result', () => {
    const m = validateManifest(JSON.stringify({ $schema: './node_modules/git-swarm/schema/manifest.schema.json', ...DESIGN_MANIFEST }), FILE);
    expect(Object.keys(m)).toEqual(['version', 'agents']);
  });

  it('accepts every valid agent-name shape', () => {
    const names = ['a', 'A1', '9lives', 'x.y', 'under_score', 'dash-ed', 'a.b.c', 'Z-9_.q'];
    const agents = Object.fromEntries(names.map((n) => [n, {}]));
    expect(Object.keys(validateManifest(JSON.stringify({ version: 1, agents }), FILE).agents)).toEqual(names);
  });

  it('refuses agent names git could not put in a branch name', () => {
    for (const name of ['a..b', 'y.', 'x.lock']) {
      expect(() => validateManifest(JSON.stringify({ version: 1, agents: { [name]: {} } }), FILE), name).toThrow(/could not name its branch/);
    }
  });

  it('accepts the claim-glob features of DESIGN.md', () => {
    const m = validateManifest(
      JSON.stringify({ version: 1, agents: { a: { claims: ['src/*.ts', 'lib/?/x', 'docs/[a-z]*', '{x,y}/**', '.github/', 'README.md', '**/*.md'] } } }),
      FILE,
    );
    expect(m.agents.a!.claims).toHaveLength(7);
  });

  it('accepts leads and writers in a chain of after', () => {
    const m = validateManifest(JSON.stringify({ version: 1, agents: { a: {}, b: { after: ['a'] }, c: { after: ['a', 'b'] } } }), FILE);
    expect(m.agents.c!.after).toEqual(['a', 'b']);
  });

  it('the same glob in two different agents is not a duplicate (overlaps are for plan)', () => {
    expect(() => validateManifest(JSON.stringify({ version: 1, agents: { a: { claims: ['x/**'] }, b: { claims: ['x/**'] } } }), FILE)).not.toThrow();
  });
});

describe('rules across agents', () => {
  it('names an unknown after target with its JSON path and a did-you-mean', () => {
    const lines = problemLines(withAgents((a) => (a.bob!.after = ['alic'])));
    expect(lines).toHaveLength(1);
    expect(lines[0]!.startsWith('agents.bob.after[0]: unknown agent "alic" (did you mean "alice"?)')).toBe(true);
    expect(lines[0]).toContain('lead, alice, bob, carol');
  });

  it('names an unknown after target without a hint when nothing is close', () => {
    const lines = problemLines(withAgents((a) => (a.bob!.after = ['alice', 'zzzzzzzz'])));
    expect(lines).toEqual(['agents.bob.after[1]: unknown agent "zzzzzzzz"; agents: lead, alice, bob, carol']);
  });

  it('prints a two-agent cycle', () => {
    const lines = problemLines(withAgents((a) => (a.alice!.after = ['bob'])));
    expect(lines).toEqual(['agents.alice.after: "after" forms a cycle: alice → bob → alice']);
  });

  it('prints a longer cycle', () => {
    const lines = problemLines({ version: 1, agents: { a: { after: ['c'] }, b: { after: ['a'] }, c: { after: ['b'] } } });
    expect(lines).toEqual(['agents.a.after: "after" forms a cycle: a → c → b → a']);
  });

  it('rejects an agent that comes after itself, without also calling it a cycle', () => {
    const lines = problemLines(withAgents((a) => (a.bob!.after = ['alice', 'bob'])));
    expect(lines).toEqual(['agents.bob.after[1]: an agent cannot come after itself']);
  });

  it('rejects readers with claims or shared paths', () => {
    const lines = problemLines(
      withAgents((a) => {
        a.carol!.claims = ['docs/**'];
        a.carol!.shared = ['CHANGELOG.md'];
      }),
    );
    expect(lines).toEqual(['agents.carol.claims: a reader may not hold claims', 'agents.carol.shared: a reader may not hold shared paths']);
  });

  it('a reader with empty claims and shared is fine', () => {
    expect(() => validateManifest(JSON.stringify(withAgents((a) => Object.assign(a.carol!, { claims: [], shared: [] }))), FILE)).not.toThrow();
  });

  it('rejects duplicate claims, within claims and across claims and shared', () => {
    const lines = problemLines(
      withAgents((a) => {
        a.alice!.claims = ['src/auth/**', 'test/auth/', 'src/auth/**'];
        a.alice!.shared = ['CHANGELOG.md', 'test/auth/'];
      }),
    );
    expect(lines).toEqual([
      'agents.alice.claims[2]: duplicate claim "src/auth/**" (already at claims[0])',
      'agents.alice.shared[1]: duplicate claim "test/auth/" (already at claims[1])',
    ]);
  });

  it('rejects a duplicate within shared', () => {
    expect(problemLines(withAgents((a) => (a.alice!.shared = ['CHANGELOG.md', 'CHANGELOG.md'])))).toEqual([
      'agents.alice.shared[1]: duplicate claim "CHANGELOG.md" (already at shared[0])',
    ]);
  });

  it('lists every problem at once', () => {
    const lines = problemLines(
      withAgents((a) => {
        a.bob!.after = ['alic'];
        a.carol!.claims = ['x'];
        a.alice!.after = ['alice'];
      }),
    );
    expect(lines.map((l) => l.split(':')[0])).toEqual(['agents.alice.after[0]', 'agents.bob.after[0]', 'agents.carol.claims']);
  });

  it('manifestProblems reports data with paths as arrays, ready for formatJsonPath', () => {
    const manifest: Manifest = {
      version: 1,
      agents: { a: { role: 'writer', claims: [], shared: [], after: ['b'] }, b: { role: 'writer', claims: [], shared: [], after: ['a'] } },
    };
    const problems = manifestProblems(manifest);
    expect(problems).toEqual([{ path: ['agents', 'a', 'after'], code: 'after-cycle', data: { cycle: ['a', 'b', 'a'] } }]);
    expect(problems.map(manifestProblemText)).toEqual(['"after" forms a cycle: a → b → a']);
    expect(manifestProblems({ version: 1, agents: {} })).toEqual([]);
  });

  it('manifestProblems gives the data each message is worded from', () => {
    const agent = (spec: Partial<AgentSpec>): AgentSpec => ({ role: 'writer', claims: [], shared: [], after: [], ...spec });
    const manifest: Manifest = {
      version: 1,
      agents: { alice: agent({ claims: ['x', 'y'], shared: ['x'], after: ['alic'] }), carol: agent({ role: 'reader', shared: ['z'] }) },
    };
    expect(manifestProblems(manifest)).toEqual([
      { path: ['agents', 'alice', 'after', 0], code: 'unknown-agent', data: { agent: 'alic', hint: 'alice', known: ['alice', 'carol'] } },
      { path: ['agents', 'alice', 'shared', 0], code: 'duplicate-claim', data: { glob: 'x', first: { list: 'claims', index: 0 } } },
      { path: ['agents', 'carol', 'shared'], code: 'reader-holds', data: { agent: 'carol', list: 'shared' } },
    ]);
  });
});

describe('invalid globs', () => {
  const cases: Array<[string, string]> = [
    ['../outside', 'has a ".." segment'],
    ['src/../x', 'has a ".." segment'],
    ['/etc/passwd', 'is absolute (starts with "/")'],
    ['', 'is empty'],
    ['!src/**', 'starts with "!" (negation is not supported)'],
    ['./src', 'has a "." segment'],
    ['src//x', 'has an empty path segment ("//")'],
  ];
  for (const [glob, reason] of cases) {
    it(`rejects ${JSON.stringify(glob)} in claims and in shared`, () => {
      expect(problemLines(withAgents((a) => (a.alice!.claims = ['src/auth/**', glob])))).toEqual([
        `agents.alice.claims[1]: invalid glob ${JSON.stringify(glob)}: ${reason}`,
      ]);
      expect(problemLines(withAgents((a) => (a.alice!.shared = [glob])))).toEqual([`agents.alice.shared[0]: invalid glob ${JSON.stringify(glob)}: ${reason}`]);
    });
  }

  it('names the brace alternative that is invalid', () => {
    const [line] = problemLines(withAgents((a) => (a.alice!.claims = ['{src,..}/x'])));
    expect(line).toBe('agents.alice.claims[0]: invalid glob "{src,..}/x": brace alternative "../x" has a ".." segment');
  });

  it('rejects ** inside a segment with advice', () => {
    const [line] = problemLines(withAgents((a) => (a.alice!.claims = ['src/a**'])));
    expect(line!.startsWith('agents.alice.claims[0]: invalid glob "src/a**": has "**" inside the segment "a**"')).toBe(true);
  });
});

describe('structural errors', () => {
  it('rejects a wrong version', () => {
    expect(problemLines({ ...DESIGN_MANIFEST, version: 2 })).toEqual(['version: Invalid input: expected 1']);
    expect(problemLines({ ...DESIGN_MANIFEST, version: '1' })).toEqual(['version: Invalid input: expected 1']);
    const [line] = problemLines({ agents: {} });
    expect(line!.startsWith('version: ')).toBe(true);
  });

  it('rejects missing or mistyped agents', () => {
    expect(problemLines({ version: 1 })).toEqual(['agents: Invalid input: expected record, received undefined']);
    expect(problemLines({ version: 1, agents: [] })).toEqual(['agents: Invalid input: expected record, received array']);
  });

  it('rejects a document that is not an object', () => {
    expect(problemLines('[]')).toEqual(['(top level): Invalid input: expected object, received array']);
    expect(problemLines('null')).toEqual(['(top level): Invalid input: expected object, received null']);
  });

  it('rejects wrong types with the JSON path of each', () => {
    const lines = problemLines(
      withAgents((a) => {
        a.alice!.claims = 'src/auth/**';
        a.alice!.task = 42;
        a.bob!.after = [1];
        a.bob!.role = 'boss';
        a.carol!.group = '';
        a.lead!.shared = [null];
      }),
    );
    expect(lines).toEqual([
      'agents.lead.shared[0]: Invalid input: expected string, received null',
      'agents.alice.task: Invalid input: expected string, received number',
      'agents.alice.claims: Invalid input: expected array, received string',
      'agents.bob.role: Invalid option: expected one of "writer"|"reader"|"lead"',
      'agents.bob.after[0]: Invalid input: expected string, received number',
      'agents.carol.group: Too small: expected string to have >=1 characters',
    ]);
  });

  it('rejects an agent that is not an object', () => {
    const [line] = problemLines(withAgents((a) => ((a as Record<string, unknown>).bob = 'writer')));
    expect(line!.startsWith('agents.bob: ')).toBe(true);
    expect(line).toContain('expected object');
  });

  it('rejects invalid agent names with the JSON path and the naming rule', () => {
    for (const name of ['two words', '-dash', '.hidden', 'ü', 'a/b', '_x']) {
      const lines = problemLines({ version: 1, agents: { ok: {}, [name]: {} } });
      expect(lines).toEqual([`agents[${JSON.stringify(name)}]: agent names use letters, digits, ".", "_" and "-", and start with a letter or digit`]);
    }
  });

  it('rejects an agent named "__proto__" instead of silently dropping it', () => {
    const text = '{"version":1,"agents":{"__proto__":{"role":"lead"},"ok":{}}}';
    const message = rejection(text).message;
    expect(message).toContain('agents["__proto__"]');
  });
});

describe('unknown keys', () => {
  it('suggests claims for claim', () => {
    const lines = problemLines(withAgents((a) => (a.alice!.claim = ['x'])));
    expect(lines).toEqual(['agents.alice.claim: unknown key (did you mean "claims"?); allowed: role, task, claims, shared, after, group, signingKey']);
  });

  it('suggests role for roel (a transposition)', () => {
    const lines = problemLines(withAgents((a) => (a.carol!.roel = 'reader')));
    expect(lines).toHaveLength(1);
    expect(lines[0]!.startsWith('agents.carol.roel: unknown key (did you mean "role"?)')).toBe(true);
  });

  it('suggests other agent keys', () => {
    const cases: Array<[string, string]> = [
      ['share', 'shared'],
      ['afer', 'after'],
      ['groups', 'group'],
      ['Task', 'task'],
    ];
    for (const [key, hint] of cases) {
      const [line] = problemLines(withAgents((a) => (a.bob![key] = 'x')));
      expect(line!.startsWith(`agents.bob.${key}: unknown key (did you mean "${hint}"?)`)).toBe(true);
    }
  });

  it('gives no hint when nothing is close, but lists the allowed keys', () => {
    expect(problemLines(withAgents((a) => (a.bob!.permissions = 'x')))).toEqual([
      'agents.bob.permissions: unknown key; allowed: role, task, claims, shared, after, group, signingKey',
    ]);
  });

  it('suggests top-level keys and never offers $schema', () => {
    expect(problemLines({ ...DESIGN_MANIFEST, agent: {} })).toEqual(['agent: unknown key (did you mean "agents"?); allowed: version, agents']);
    expect(problemLines({ ...DESIGN_MANIFEST, verison: 1 })).toEqual(['verison: unknown key (did you mean "version"?); allowed: version, agents']);
  });

  it('reports each unknown key once with its own path', () => {
    const lines = problemLines(
      withAgents((a) => {
        a.alice!.claim = [];
        a.alice!.depends = [];
      }),
    );
    expect(lines.map((l) => l.split(':')[0])).toEqual(['agents.alice.claim', 'agents.alice.depends']);
  });
});

describe('syntax errors', () => {
  it('name the file, line and column', () => {
    const text = '{\n  "version": 1,\n  "agents": {\n    "a": {},\n  }\n}\n';
    const error = rejection(text);
    expect(error.message.startsWith(`${FILE}: line 5, column 3: `)).toBe(true);
    expect(error.message).not.toContain('position');
  });

  it('name the line and column of a missing comma', () => {
    const error = rejection('{"version": 1\n "agents": {}}');
    expect(error.message.startsWith(`${FILE}: line 2, column 2: `)).toBe(true);
  });

  it('name the line and column of an unexpected token', () => {
    const error = rejection('{\n  "version": 1,\n  "agents": yes\n}');
    expect(error.message).toMatch(new RegExp(`^${FILE.replace(/\./g, '\\.')}: line 3, column 13: `));
  });

  it('name the line and column of trailing garbage', () => {
    const error = rejection('{"version": 1, "agents": {}}\n// end\n');
    expect(error.message.startsWith(`${FILE}: line 2, column 1: `)).toBe(true);
  });
});

describe('the file label', () => {
  it('appears in every kind of error', () => {
    const file = 'origin/main:.swarm/manifest.json';
    expect(rejection('{', file).message.startsWith(`${file}: `)).toBe(true);
    expect(rejection({ version: 2, agents: {} }, file).message.startsWith(`${file}: invalid`)).toBe(true);
    expect(rejection(withAgents((a) => (a.bob!.after = ['alic'])), file).message.startsWith(`${file}: invalid`)).toBe(true);
  });
});

describe('signingKey', () => {
  // Real public keys (made with ssh-keygen for these tests; the private halves were discarded).
  const ED = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMo9Z0DhaFDlZ42qSTgaN0P4Eis7VZpv5QnTJyK6u3Yh alice@example';
  const ECDSA =
    'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBBsY/f8AIKz7iB7HzzREUptHmxwSswYjsn7gIAlr8ij8vafJ9cbBhKvU7wSbKVTyUXM+J3WyLvbd+TlSqLxDFtU=';

  it('accepts ed25519, ecdsa and rsa public key lines, with or without a comment', () => {
    const rsa = `ssh-rsa ${Buffer.concat([Buffer.from([0, 0, 0, 7]), Buffer.from('ssh-rsa'), Buffer.from([0, 0, 0, 1, 1])]).toString('base64')}`;
    for (const key of [ED, ECDSA, rsa, ED.split(' ').slice(0, 2).join(' '), `${ED} with spaces`]) {
      expect(validateManifest(JSON.stringify(withAgents((a) => (a.alice!.signingKey = key))), FILE).agents.alice!.signingKey).toBe(key);
    }
  });

  it('rejects what is not a public key line, and a key whose data is not of its type', () => {
    const shape = 'an SSH public key line such as "ssh-ed25519 AAAAC3Nz… alice@example" (the contents of a .pub file, not the private key)';
    expect(problemLines(withAgents((a) => (a.alice!.signingKey = `${ED}\n`)))).toEqual(['agents.alice.signingKey: contains the control character U+000A']);
    for (const key of ['', '-----BEGIN OPENSSH PRIVATE KEY-----', 'ssh-dss AAAAB3NzaC1kc3M=', 'ssh-ed25519', `ssh-ed25519  ${ED.split(' ')[1]}`]) {
      expect(problemLines(withAgents((a) => (a.alice!.signingKey = key)))).toEqual([`agents.alice.signingKey: ${shape}`]);
    }
    const mislabelled = `ssh-rsa ${ED.split(' ')[1]}`;
    const truncated = `ssh-ed25519 ${ED.split(' ')[1]!.slice(0, 8)}`;
    expect(problemLines(withAgents((a) => (a.alice!.signingKey = mislabelled)))).toEqual([
      'agents.alice.signingKey: the key data is not a ssh-rsa public key (truncated or mispasted?)',
    ]);
    expect(problemLines(withAgents((a) => (a.alice!.signingKey = truncated)))).toEqual([
      'agents.alice.signingKey: the key data is not a ssh-ed25519 public key (truncated or mispasted?)',
    ]);
  });

  it('rejects one key for two agents, whatever the comments say', () => {
    const lines = problemLines(
      withAgents((a) => {
        a.alice!.signingKey = ED;
        a.bob!.signingKey = ED.replace('alice@example', 'bob@example');
      }),
    );
    expect(lines).toEqual(['agents.bob.signingKey: the same key as agents.alice.signingKey: each agent needs its own key, or a signature cannot tell them apart']);
  });
});

describe('hostile input', () => {
  it('refuses a key given twice instead of keeping the last, naming its path and both lines', () => {
    const text = '{\n  "version": 1,\n  "agents": {\n    "bob": {"role": "writer"},\n    "bob": {"role": "lead"}\n  }\n}\n';
    const error = rejection(text);
    expect(error.message).toBe(`${FILE}: invalid\n  agents.bob: given twice (lines 4 and 5): only the last would count; keep one`);
    expect(error.data).toMatchObject({ file: FILE, key: 'agents.bob' });
  });

  it('reports every repeated key, at any depth, however it is spelt', () => {
    const text = '{"version": 1, "version": 1,\n "agents": {"a": {"role": "reader", "r\\u006fle": "lead"}, "b": {}, "\\u0062": {}}}';
    expect(problemLines(text)).toEqual([
      'version: given twice (both on line 1): only the last would count; keep one',
      'agents.a.role: given twice (both on line 2): only the last would count; keep one',
      'agents.b: given twice (both on line 2): only the last would count; keep one',
    ]);
    expect(problemLines('{"version":1,"agents":{"__proto__":{},"__proto__":{}}}')).toEqual([
      'agents["__proto__"]: given twice (both on line 1): only the last would count; keep one',
    ]);
  });

  it('refuses an agent listed twice in after, at the second', () => {
    expect(problemLines(withAgents((a) => (a.bob!.after = ['alice', 'alice'])))).toEqual(['agents.bob.after[1]: "alice" is already listed at after[0]']);
    expect(rejection(withAgents((a) => (a.bob!.after = ['lead', 'alice', 'lead']))).data.key).toBe('agents.bob.after[2]');
  });

  it('refuses an after naming a property every object has', () => {
    expect(problemLines({ version: 1, agents: { a: { after: ['toString'] }, b: { after: ['constructor'] } } })).toEqual([
      'agents.a.after[0]: unknown agent "toString"; agents: a, b',
      'agents.b.after[0]: unknown agent "constructor"; agents: a, b',
    ]);
  });

  it('refuses control characters, bidirectional controls and unpaired surrogates in values and keys', () => {
    expect(problemLines(withAgents((a) => (a.alice!.task = 'auth\u0000 refactor')))).toEqual(['agents.alice.task: contains the control character U+0000']);
    expect(problemLines(withAgents((a) => (a.alice!.claims = ['src/\u0000/**'])))).toEqual(['agents.alice.claims[0]: contains the control character U+0000']);
    expect(problemLines(withAgents((a) => (a.lead!.task = '\u001b[2Jall clear')))).toEqual(['agents.lead.task: contains the control character U+001B']);
    expect(problemLines(withAgents((a) => (a.alice!.task = 'line one\nbob: lead')))).toEqual(['agents.alice.task: contains the control character U+000A']);
    expect(problemLines(withAgents((a) => (a.bob!.shared = ['docs/\u2066x\u2069'])))).toEqual([
      'agents.bob.shared[0]: contains the bidirectional control U+2066, which makes text display in another order than it is stored',
    ]);
    expect(problemLines('{"version":1,"agents":{"a":{"task":"\\udc00"}}}')).toEqual(['agents.a.task: contains an unpaired surrogate U+DC00, which is not a character']);
    expect(problemLines('{"version":1,"agents":{"a\\u0000":{}}}')).toEqual(['agents["a\\u0000"]: the key contains the control character U+0000']);
    // Characters outside the Basic Multilingual Plane are pairs, not unpaired halves.
    expect(validateManifest('{"version":1,"agents":{"a":{"task":"ship it \\ud83d\\ude80"}}}', FILE).agents.a!.task).toBe('ship it 🚀');
  });

  it('refuses invalid UTF-8 naming its line and column, instead of reading U+FFFD', () => {
    const bytes = Buffer.from('{"version": 1,\n "agents": {"a": {"task": "x\xff\xfe"}}}', 'latin1');
    const error = rejection(bytes);
    expect(error.message).toBe(`${FILE}: line 2, column 29: not valid UTF-8 (byte 0xff): save the file as UTF-8`);
    expect(error.data).toEqual({ file: FILE });
    expect(rejection(Buffer.from('{"version": 1, "agents": {"\xc3": {}}}', 'latin1')).message).toContain('line 1, column 28: not valid UTF-8 (byte 0xc3)');
    expect(validateManifest(Buffer.from('{"version":1,"agents":{"a":{"task":"naïve ✓"}}}'), FILE).agents.a!.task).toBe('naïve ✓');
  });

  it('accepts a leading byte order mark, as text or bytes', () => {
    const json = JSON.stringify(DESIGN_MANIFEST);
    expect(validateManifest(`\uFEFF${json}`, FILE)).toEqual(validateManifest(json, FILE));
    expect(validateManifest(Buffer.from(`\uFEFF${json}`), FILE)).toEqual(validateManifest(json, FILE));
    expect(rejection(`\uFEFF\uFEFF${json}`).message).toBe(`${FILE}: line 1, column 1: not valid JSON: unexpected "\uFEFF"`);
  });

  it('refuses nesting deeper than 64 levels without exhausting the stack', () => {
    const deep = (n: number) => `{"version":1,"agents":{"a":{"task":${'['.repeat(n)}${']'.repeat(n)}}}}`;
    expect(rejection(deep(100_000)).message).toBe(`${FILE}: line 1, column 97: nested deeper than 64 levels`);
    expect(rejection('['.repeat(100_000)).message).toBe(`${FILE}: line 1, column 65: nested deeper than 64 levels`);
    expect(problemLines(deep(61))).toEqual(['agents.a.task: Invalid input: expected string, received array']);
  });

  it('finds a cycle through thousands of agents without exhausting the stack', () => {
    const n = 20_000;
    const agents = Object.fromEntries(Array.from({ length: n }, (_, i) => [`a${i}`, { after: [`a${(i + 1) % n}`] }]));
    const [line] = problemLines({ version: 1, agents });
    expect(line!.startsWith('agents.a0.after: "after" forms a cycle: a0 → a1 → a2')).toBe(true);
    expect(line!.endsWith('a19999 → a0')).toBe(true);
  });
});
