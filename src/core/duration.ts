/** A duration such as 90s, 30m, 4h or 2d: a positive whole number and a unit. */
export const DURATION = /^[1-9]\d*[smhd]$/;

/**
 * The longest duration accepted anywhere. A lease covers work in progress, for which a month is
 * already long; the bound also keeps every duration an exact number of seconds, where a
 * 400-digit one would be Infinity.
 */
export const MAX_DURATION = '30d';

export function durationSeconds(duration: string): number {
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[duration.slice(-1) as 's' | 'm' | 'h' | 'd'];
  return Number(duration.slice(0, -1)) * unit;
}

const MAX_SECONDS = durationSeconds(MAX_DURATION);

/** A duration no longer than MAX_DURATION. */
export function isDuration(value: unknown): value is string {
  return typeof value === 'string' && DURATION.test(value) && durationSeconds(value) <= MAX_SECONDS;
}
