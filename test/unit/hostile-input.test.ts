/**
 * Whatever bytes reach the validators, the only way out besides a result is a SwarmError naming
 * the file: never a TypeError, a RangeError or a stack overflow (exit 70 in the CLI). Seeded, so a
 * failure reproduces; the oracles are the platform's own TextDecoder and JSON.parse.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSwarmError } from '../../src/errors.js';
import { scanJson } from '../../src/schema/jsonScan.js';
import { firstInvalidUtf8 } from '../../src/schema/utf8.js';
import { validateManifest, validateSettings } from '../../src/schema/validate.js';

const SEED = 20240611;
const RUNS = { seed: SEED, numRuns: 400 };

/** Runs `validate` and fails the property on anything but a result or a SwarmError of `code` naming `file`. */
function onlySwarmErrors(validate: (content: string | Uint8Array, file: string) => unknown, code: string, content: string | Uint8Array): void {
  const file = 'label:file';
  try {
    validate(content, file);
  } catch (error) {
    if (!isSwarmError(error)) throw error;
    expect(error.code).toBe(code);
    expect(error.data.file).toBe(file);
    expect(error.message.startsWith(`${file}: `)).toBe(true);
  }
}

const MANIFEST = JSON.stringify({
  version: 1,
  agents: { lead: { role: 'lead', task: 'coordinates' }, alice: { claims: ['src/**'], shared: ['README.md'], group: 'g' }, bob: { after: ['alice'] } },
});
const SETTINGS = 'integration: main\nmanifest: .swarm/manifest.json\nalwaysAllowed: ["**/*.md"]\nleases:\n  defaultTtl: 30m\n  maxTtl: 4h\nland:\n  check: npm test\n';

/** `text` with a few random edits: characters inserted, removed or replaced, anywhere. */
function mutated(text: string): fc.Arbitrary<string> {
  const edit = fc.tuple(fc.nat(), fc.nat(3), fc.string({ unit: 'binary', maxLength: 3 }));
  return fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) =>
    edits.reduce((t, [at, remove, insert]) => {
      const i = at % (t.length + 1);
      return t.slice(0, i) + insert + t.slice(i + remove);
    }, text),
  );
}

/** YAML-ish text from the tokens that reach the parser's corners: anchors, aliases, tags, flow, documents. */
const yamlish = fc
  .array(
    fc.constantFrom('integration', 'limits', 'maxActiveAgents', 'leases', 'maxTtl', '<<', 'a', '&a ', '*a', '!!binary ', '!x ', '? ', ': ', '- ', '[', ']', '{', '}', ',', '"', "'", '\n', '  ', '\t', '---\n', '%YAML 1.1\n', '# c', '|', '>', '~', '1e400', '\\0', '\u0000', '\uFEFF', '\u202E', '30d'),
    { maxLength: 40 },
  )
  .map((tokens) => tokens.join(''));

describe('firstInvalidUtf8 agrees with TextDecoder', () => {
  const fatal = new TextDecoder('utf-8', { fatal: true });
  const decodes = (bytes: Uint8Array) => {
    try {
      fatal.decode(bytes);
      return true;
    } catch {
      return false;
    }
  };

  it('on random bytes, and the prefix before the reported byte decodes', () => {
    const bytes = fc.oneof(fc.uint8Array({ maxLength: 24 }), fc.string({ unit: 'binary' }).map((s) => new Uint8Array(Buffer.from(s))), fc.uint8Array({ min: 0x80, max: 0xff, maxLength: 6 }));
    fc.assert(
      fc.property(bytes, (b) => {
        const bad = firstInvalidUtf8(b);
        expect(bad === -1).toBe(decodes(b));
        if (bad >= 0) expect(decodes(b.subarray(0, bad))).toBe(true);
      }),
      { ...RUNS, numRuns: 1000 },
    );
  });
});

describe('scanJson agrees with JSON.parse', () => {
  const parses = (text: string) => {
    try {
      JSON.parse(text);
      return true;
    } catch {
      return false;
    }
  };

  it('on JSON and on JSON with random edits', () => {
    const texts = fc.oneof(fc.json({ maxDepth: 4 }), fc.json({ maxDepth: 3 }).chain(mutated), mutated(MANIFEST));
    fc.assert(
      fc.property(texts, (text) => {
        expect(scanJson(text).ok).toBe(parses(text));
      }),
      { ...RUNS, numRuns: 1000 },
    );
  });

  it('finds exactly the repeated keys of an object', () => {
    const entries = fc.array(fc.tuple(fc.constantFrom('a', 'b', '\\u0061', 'c'), fc.integer()), { maxLength: 6 });
    fc.assert(
      fc.property(entries, (list) => {
        const text = `{${list.map(([k, v]) => `"${k}": ${v}`).join(', ')}}`;
        const scan = scanJson(text);
        expect(scan.ok).toBe(true);
        const keys = list.map(([k]) => (k === '\\u0061' ? 'a' : k));
        const repeated = keys.filter((k, i) => keys.indexOf(k) !== i);
        expect(scan.ok && scan.duplicates.map((d) => d.path[0])).toEqual(repeated);
      }),
      RUNS,
    );
  });
});

describe('only SwarmErrors come out of the validators', () => {
  const anyBytes = fc.uint8Array({ maxLength: 64 });
  const anyText = fc.string({ unit: 'binary', maxLength: 64 });

  it('validateManifest: random bytes, random text, random JSON, edited manifests, odd values at real keys', () => {
    const oddValue = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.string({ unit: 'binary' }), fc.constantFrom('toString', '__proto__', 'constructor', 'alice'));
    const oddAgent = fc.dictionary(fc.constantFrom('role', 'task', 'claims', 'shared', 'after', 'group', '__proto__'), fc.oneof(oddValue, fc.array(oddValue, { maxLength: 3 })));
    const oddManifest = fc
      .record({ version: fc.oneof(fc.constant(1), oddValue), agents: fc.dictionary(fc.oneof(fc.constantFrom('alice', 'bob', 'toString'), fc.string()), oddAgent, { maxKeys: 4 }) })
      .map((m) => JSON.stringify(m));
    const content = fc.oneof(anyBytes, anyText, fc.json({ maxDepth: 4 }), mutated(MANIFEST), oddManifest, fc.string({ unit: 'binary' }).map((s) => Buffer.from(MANIFEST.replace('coordinates', s), 'latin1')));
    fc.assert(
      fc.property(content, (c) => onlySwarmErrors(validateManifest, 'manifest', c)),
      { ...RUNS, numRuns: 1200 },
    );
  });

  it('validateSettings: random bytes, random text, random JSON, edited settings, YAML corners', () => {
    const content = fc.oneof(anyBytes, anyText, fc.json({ maxDepth: 4 }), mutated(SETTINGS), yamlish, yamlish.map((y) => Buffer.from(y, 'latin1')));
    fc.assert(
      fc.property(content, (c) => onlySwarmErrors(validateSettings, 'config', c)),
      { ...RUNS, numRuns: 1200 },
    );
  });
});
