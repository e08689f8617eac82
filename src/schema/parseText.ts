import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { SwarmError, type ErrorCode } from '../errors.js';
import { formatJsonPath, validationMessages as m } from '../messages/validation.js';
import { MAX_JSON_DEPTH, scanJson } from './jsonScan.js';
import { firstInvalidUtf8 } from './utf8.js';

/** Line and column of `offset` in `text`, both from 1. */
function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

/** The SwarmError for a syntax error at `offset`, with the key it stands in when that is known. */
function syntaxError(code: ErrorCode, file: string, text: string, offset: number, detail: string, key?: string): SwarmError {
  const { line, column } = position(text, offset);
  return new SwarmError(code, m.invalidSyntax(file, line, column, detail), key === undefined ? { file } : { file, key });
}

/** The SwarmError for keys given twice, each with its path and both lines, all at once. */
function duplicateKeysError(code: ErrorCode, file: string, text: string, duplicates: ReadonlyArray<{ path: PropertyKey[]; first: number; second: number }>): SwarmError {
  const problems = duplicates.map((d) => ({ key: formatJsonPath(d.path), message: m.duplicateKey(position(text, d.first).line, position(text, d.second).line) }));
  return new SwarmError(code, m.invalidFile(file, problems), { file, key: problems[0]!.key, problems });
}

/**
 * A file's content as text. Raw bytes must be UTF-8 throughout: a lenient decoder would turn a
 * stray byte into U+FFFD without a word, so the text validated would not be the file. One
 * leading byte order mark is dropped, whatever the format, since editors on some systems add it.
 */
export function decodeText(input: string | Uint8Array, file: string, code: ErrorCode): string {
  if (typeof input === 'string') return input.startsWith('\uFEFF') ? input.slice(1) : input;
  const bad = firstInvalidUtf8(input);
  if (bad >= 0) {
    const before = new TextDecoder().decode(input.subarray(0, bad));
    throw syntaxError(code, file, before, before.length, m.invalidUtf8(input[bad]!));
  }
  // fatal: should firstInvalidUtf8 ever pass a bad byte, this throws (a bug) instead of replacing it.
  return new TextDecoder('utf-8', { fatal: true }).decode(input);
}

/** Parses JSON, naming the file and the position of a syntax error, and refusing repeated keys. */
export function parseJsonText(text: string, file: string, code: ErrorCode): unknown {
  const scan = scanJson(text);
  if (!scan.ok) throw syntaxError(code, file, text, scan.offset, scan.reason === 'depth' ? m.tooDeep(MAX_JSON_DEPTH) : m.invalidJson(text[scan.offset]));
  if (scan.duplicates.length > 0) throw duplicateKeysError(code, file, text, scan.duplicates);
  return JSON.parse(text);
}

interface YamlFindings {
  duplicates: Array<{ path: PropertyKey[]; first: number; second: number }>;
  alias: { path: PropertyKey[]; offset: number } | null;
  tooDeep: number | null;
}

/** Repeated keys, the first alias and the first nesting too deep, each with its key path. */
function yamlFindings(doc: Document): YamlFindings {
  const found: YamlFindings = { duplicates: [], alias: null, tooDeep: null };
  const walk = (node: unknown, path: PropertyKey[]): void => {
    if (isAlias(node)) found.alias ??= { path, offset: node.range?.[0] ?? 0 };
    if (!isMap(node) && !isSeq(node)) return;
    if (path.length >= MAX_JSON_DEPTH) {
      found.tooDeep ??= node.range?.[0] ?? 0;
      return;
    }
    const seen = new Map<unknown, number>();
    node.items.forEach((item: unknown, index: number) => {
      if (!isPair(item)) return walk(item, [...path, index]);
      const key = isScalar(item.key) ? item.key.value : item.key;
      const at = [...path, String(key)];
      const offset = (item.key as { range?: number[] } | null)?.range?.[0] ?? 0;
      // The same comparison as the parser's uniqueKeys, which refused the document already.
      if (isScalar(item.key) && seen.has(key)) found.duplicates.push({ path: at, first: seen.get(key)!, second: offset });
      else seen.set(key, offset);
      walk(item.key, at);
      walk(item.value, at);
    });
  };
  walk(doc.contents, []);
  return found;
}

/**
 * Parses YAML (plain JSON is valid YAML); an empty document is an empty mapping. Keys must be
 * strings and unique, tags known. Aliases are refused: nothing in a settings file is worth
 * repeating, a reviewer should see each value where it applies, and without them neither an
 * exponential "billion laughs" expansion nor a self-referencing structure can reach validation.
 */
export function parseYamlText(text: string, file: string, code: ErrorCode): unknown {
  const doc = parseDocument(text, { uniqueKeys: true, stringKeys: true, prettyErrors: false });
  const found = yamlFindings(doc);
  const [error] = doc.errors;
  if (error?.code === 'DUPLICATE_KEY' && found.duplicates.length > 0) throw duplicateKeysError(code, file, text, found.duplicates);
  if (error?.code === 'RESOURCE_EXHAUSTION' || (!error && found.tooDeep !== null)) {
    throw syntaxError(code, file, text, error?.pos[0] ?? found.tooDeep!, m.tooDeep(MAX_JSON_DEPTH));
  }
  const problem = error ?? doc.warnings[0];
  if (problem) throw syntaxError(code, file, text, problem.pos[0], problem.message.split('\n')[0]!);
  if (found.alias) {
    const key = formatJsonPath(found.alias.path);
    throw syntaxError(code, file, text, found.alias.offset, m.yamlAlias(key), key);
  }
  return doc.toJS() ?? {};
}
