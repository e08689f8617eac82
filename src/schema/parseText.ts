import { parse as parseYaml, YAMLParseError } from 'yaml';
import { SwarmError, type ErrorCode } from '../errors.js';
import { messages } from '../messages.js';

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before[before.length - 1]!.length + 1}`;
}

/** Parses JSON, naming the file and the position of a syntax error. */
export function parseJsonText(text: string, file: string, code: ErrorCode): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = (error as Error).message;
    const position = /position (\d+)/.exec(detail);
    const where = position ? lineColumn(text, Number(position[1])) : 'syntax';
    throw new SwarmError(code, messages.invalidSyntax(file, where, detail.replace(/ in JSON at position \d+.*$/, '')));
  }
}

/** Parses YAML (plain JSON is valid YAML); an empty document is an empty mapping. */
export function parseYamlText(text: string, file: string, code: ErrorCode): unknown {
  try {
    return parseYaml(text, { uniqueKeys: true, prettyErrors: false }) ?? {};
  } catch (error) {
    if (error instanceof YAMLParseError) {
      throw new SwarmError(code, messages.invalidSyntax(file, lineColumn(text, error.pos[0]), error.message.split('\n')[0]!));
    }
    throw error;
  }
}
