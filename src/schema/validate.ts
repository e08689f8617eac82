import { z } from 'zod';
import { closest } from '../core/didYouMean.js';
import { manifestProblems } from '../core/manifestRules.js';
import type { Manifest, Settings } from '../core/model.js';
import { SwarmError } from '../errors.js';
import { formatJsonPath, manifestProblemText, validationMessages as m } from '../messages/validation.js';
import { characterFindings } from './characters.js';
import { manifestSchema } from './manifest.js';
import { decodeText, parseJsonText, parseYamlText } from './parseText.js';
import { settingsSchema } from './settings.js';

interface Finding {
  path: PropertyKey[];
  message: string;
}

/** The keys an object schema accepts at `path`, for "did you mean". */
function knownKeysAt(schema: z.ZodType, path: PropertyKey[]): string[] {
  let node: z.ZodType | undefined = schema;
  const unwrap = (n: z.ZodType): z.ZodType => {
    const def = n._zod.def as { type: string; in?: z.ZodType; innerType?: z.ZodType };
    if (def.type === 'pipe' && def.in) return unwrap(def.in);
    if (def.innerType && ['default', 'prefault', 'optional', 'nullable'].includes(def.type)) return unwrap(def.innerType);
    return n;
  };
  for (const key of path) {
    if (!node) return [];
    const def = unwrap(node)._zod.def as { type: string; shape?: Record<string, z.ZodType>; valueType?: z.ZodType; element?: z.ZodType };
    if (def.type === 'object') node = def.shape?.[String(key)];
    else if (def.type === 'record') node = def.valueType;
    else if (def.type === 'array') node = def.element;
    else return [];
  }
  const def = node ? (unwrap(node)._zod.def as { type: string; shape?: Record<string, z.ZodType> }) : undefined;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

function zodFindings(schema: z.ZodType, error: z.ZodError): Finding[] {
  const out: Finding[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, issue.path);
      const allowed = known.filter((k) => k !== '$schema');
      for (const key of issue.keys) out.push({ path: [...issue.path, key], message: m.unknownKey(closest(key, known), allowed) });
    } else if (issue.code === 'invalid_key' && issue.issues.length > 0) {
      out.push({ path: issue.path, message: issue.issues[0]!.message });
    } else {
      out.push({ path: issue.path, message: issue.message });
    }
  }
  return out;
}

function fail(code: 'config' | 'manifest', file: string, findings: Finding[]): never {
  const problems = findings.map((f) => ({ key: formatJsonPath(f.path), message: f.message }));
  throw new SwarmError(code, m.invalidFile(file, problems), { file, key: problems[0]?.key, problems });
}

/** Refuses a key or value holding a character it has no use for (see characters.ts). */
function refuseBadCharacters(code: 'config' | 'manifest', file: string, raw: unknown, multiline: ReadonlySet<string>): void {
  const found = characterFindings(raw, (path) => multiline.has(formatJsonPath(path)));
  if (found.length > 0) fail(code, file, found.map((f) => ({ path: f.path, message: m.badCharacter(f.bad, f.inKey) })));
}

/** The one setting that may span lines: a shell command, written as a YAML block. */
const MULTILINE_SETTINGS: ReadonlySet<string> = new Set(['land.check']);

/**
 * `.swarmrc` (YAML or JSON) to settings: its raw bytes, which must be UTF-8, or text already
 * decoded; `file` names where it came from in errors.
 */
export function validateSettings(content: string | Uint8Array, file: string): Settings {
  const raw = parseYamlText(decodeText(content, file, 'config'), file, 'config');
  refuseBadCharacters('config', file, raw, MULTILINE_SETTINGS);
  const result = settingsSchema.safeParse(raw);
  if (!result.success) fail('config', file, zodFindings(settingsSchema, result.error));
  return result.data;
}

/** The manifest's JSON (bytes or text, as for settings) to a manifest that also satisfies the rules across agents. */
export function validateManifest(content: string | Uint8Array, file: string): Manifest {
  const raw = parseJsonText(decodeText(content, file, 'manifest'), file, 'manifest');
  refuseBadCharacters('manifest', file, raw, new Set());
  // zod drops a "__proto__" key without a word; it is no valid agent name either.
  const agents = (raw as { agents?: unknown } | null)?.agents;
  if (agents && typeof agents === 'object' && Object.hasOwn(agents, '__proto__')) {
    fail('manifest', file, [{ path: ['agents', '__proto__'], message: m.agentName }]);
  }
  const result = manifestSchema.safeParse(raw);
  if (!result.success) fail('manifest', file, zodFindings(manifestSchema, result.error));
  const problems = manifestProblems(result.data);
  if (problems.length > 0) fail('manifest', file, problems.map((p) => ({ path: p.path, message: manifestProblemText(p) })));
  return result.data;
}
