import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isSwarmError, SwarmError } from '../errors.js';
import { messages } from '../messages.js';
import type { Format } from './report.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Strict option parsing; anything unknown or malformed is a usage error (exit 2) naming the argument. */
export function parseOptions<O extends Options>(command: string, args: string[], options: O, maxPositionals = 0) {
  try {
    const parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
    if (parsed.positionals.length > maxPositionals) {
      throw new SwarmError('usage', messages.badOption(command, `unexpected argument "${parsed.positionals[maxPositionals]}"`));
    }
    return parsed;
  } catch (error) {
    if (isSwarmError(error)) throw error;
    throw new SwarmError('usage', messages.badOption(command, (error as Error).message.replace(/\. To specify .*$/s, '')));
  }
}

export function parseFormat(command: string, value: string | undefined, allowed: readonly Format[]): Format {
  const format = (value ?? 'text') as Format;
  if (!allowed.includes(format)) {
    throw new SwarmError('usage', messages.badOption(command, `--format must be one of ${allowed.join(', ')}, got "${value}"`));
  }
  return format;
}
