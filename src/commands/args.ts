import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isSwarmError, SwarmError } from '../errors.js';
import { errorMessages } from '../messages/errors.js';
import type { Format } from '../render/report.js';

type Options = NonNullable<ParseArgsConfig['options']>;

function usage(command: string, detail: string, argument: string | undefined): SwarmError {
  return new SwarmError('usage', errorMessages.badOption(command, detail), argument === undefined ? {} : { argument });
}

/**
 * Strict option parsing; anything unknown or malformed is a usage error (exit 2) naming the
 * argument. So is what would otherwise pass unnoticed: an argument beyond `maxPositionals`, a
 * string option given an empty value (`--base ''` is a mistake in a script, never a revision),
 * and an option given twice (parseArgs keeps the last without a word).
 */
export function parseOptions<O extends Options>(command: string, args: string[], options: O, maxPositionals = 0) {
  try {
    const parsed = parseArgs({ args, options, allowPositionals: true, strict: true, tokens: true });
    if (parsed.positionals.length > maxPositionals) {
      const extra = parsed.positionals[maxPositionals]!;
      throw usage(command, errorMessages.unexpectedArgument(extra), extra);
    }
    const given = new Set<string>();
    for (const token of parsed.tokens) {
      if (token.kind !== 'option') continue;
      const option = `--${token.name}`;
      if (token.value !== undefined && token.value.trim() === '') throw usage(command, errorMessages.needsValue(option), option);
      if (given.has(token.name)) throw usage(command, errorMessages.repeatedOption(option), option);
      given.add(token.name);
    }
    return parsed;
  } catch (error) {
    if (isSwarmError(error)) throw error;
    const detail = (error as Error).message.replace(/\. To specify .*$/s, '');
    throw usage(command, detail, /'([^']+)'/.exec(detail)?.[1]);
  }
}

export function parseFormat(command: string, value: string | undefined, allowed: readonly Format[]): Format {
  const format = (value ?? 'text') as Format;
  if (!allowed.includes(format)) throw usage(command, errorMessages.badFormat(allowed, value), '--format');
  return format;
}

/** A whole number from 1 to 1,000,000 for `option`, else a usage error naming it. */
export function parseCount(command: string, option: string, value: string): number {
  const n = /^[1-9]\d{0,6}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n > 1_000_000) throw usage(command, errorMessages.badCount(option, value, 1_000_000), option);
  return n;
}

/**
 * For commands git calls with positional arguments only (hooks, the merge driver): more than
 * `max` is a usage error naming the first extra one.
 */
export function refuseExtraArguments(command: string, args: readonly string[], max: number): void {
  if (args.length > max) throw usage(command, errorMessages.unexpectedArgument(args[max]!), args[max]);
}
