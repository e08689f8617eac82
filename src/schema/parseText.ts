import { parse as parseYaml, YAMLParseError } from 'yaml';
import { SwarmError, type ErrorCode } from '../errors.js';
import { errorMessages } from '../messages/errors.js';
import { jsonErrorOffset } from './jsonErrorOffset.js';

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before[before.length - 1]!.length + 1}`;
}

/** Parses JSON, naming the file and the position of a syntax error. */
export function parseJsonText(text: string, file: string, code: ErrorCode): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const offset = Math.max(0, Math.min(jsonErrorOffset(text), text.length));
    const found = offset >= text.length ? 'end of file' : JSON.stringify(text[offset]);
    throw new SwarmError(code, errorMessages.invalidSyntax(file, lineColumn(text, offset), `not valid JSON: unexpected ${found}`), { file });
  }
}

/** Parses YAML (plain JSON is valid YAML); an empty document is an empty mapping. */
export function parseYamlText(text: string, file: string, code: ErrorCode): unknown {
  try {
    return parseYaml(text, { uniqueKeys: true, prettyErrors: false }) ?? {};
  } catch (error) {
    if (error instanceof YAMLParseError) {
      throw new SwarmError(code, errorMessages.invalidSyntax(file, lineColumn(text, error.pos[0]), error.message.split('\n')[0]!), { file });
    }
    throw error;
  }
}
