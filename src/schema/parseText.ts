import { parse as parseYaml, YAMLParseError } from 'yaml';
import { SwarmError, type ErrorCode } from '../errors.js';
import { validationMessages as m } from '../messages/validation.js';
import { jsonErrorOffset } from './jsonErrorOffset.js';

/** The SwarmError for a syntax error at `offset`, counted in lines and columns from 1. */
function syntaxError(code: ErrorCode, file: string, text: string, offset: number, detail: string): SwarmError {
  const before = text.slice(0, offset).split('\n');
  return new SwarmError(code, m.invalidSyntax(file, before.length, before[before.length - 1]!.length + 1, detail), { file });
}

/** Parses JSON, naming the file and the position of a syntax error. */
export function parseJsonText(text: string, file: string, code: ErrorCode): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const offset = Math.max(0, Math.min(jsonErrorOffset(text), text.length));
    throw syntaxError(code, file, text, offset, m.invalidJson(text[offset]));
  }
}

/** Parses YAML (plain JSON is valid YAML); an empty document is an empty mapping. */
export function parseYamlText(text: string, file: string, code: ErrorCode): unknown {
  try {
    return parseYaml(text, { uniqueKeys: true, prettyErrors: false }) ?? {};
  } catch (error) {
    if (error instanceof YAMLParseError) {
      throw syntaxError(code, file, text, error.pos[0], error.message.split('\n')[0]!);
    }
    throw error;
  }
}
