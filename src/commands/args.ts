import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isSwarmError, SwarmError } from '../errors.js';
import { errorMessages } from '../messages/errors.js';
import type { Format } from '../render/report.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Strict option parsing; anything unknown or malformed is a usage error (exit 2) naming the argument. */
export function parseOptions<O extends Options>(command: string, args: string[], options: O, maxPositionals = 0) {
  try {
    const parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
    if (parsed.positionals.length > maxPositionals) {
      const extra = parsed.positionals[maxPositionals]!;
      throw new SwarmError('usage', errorMessages.badOption(command, `unexpected argument "${extra}"`), { argument: extra });
    }
    return parsed;
  } catch (error) {
    if (isSwarmError(error)) throw error;
    const detail = (error as Error).message.replace(/\. To specify .*$/s, '');
    throw new SwarmError('usage', errorMessages.badOption(command, detail), { argument: /'([^']+)'/.exec(detail)?.[1] });
  }
}

export function parseFormat(command: string, value: string | undefined, allowed: readonly Format[]): Format {
  const format = (value ?? 'text') as Format;
  if (!allowed.includes(format)) {
    throw new SwarmError('usage', errorMessages.badOption(command, `--format must be one of ${allowed.join(', ')}, got "${value}"`), { argument: '--format' });
  }
  return format;
}

/** A whole number from 1 to 1,000,000 for `option`, else a usage error naming it. */
export function parseCount(command: string, option: string, value: string): number {
  const n = /^[1-9]\d{0,6}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n > 1_000_000) {
    throw new SwarmError('usage', errorMessages.badOption(command, `${option} needs a whole number from 1 to 1000000, got "${value}"`), { argument: option });
  }
  return n;
}
