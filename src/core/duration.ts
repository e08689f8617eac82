/** A duration such as 90s, 30m, 4h or 2d: a positive whole number and a unit. */
export const DURATION = /^[1-9]\d*[smhd]$/;

export function isDuration(value: unknown): value is string {
  return typeof value === 'string' && DURATION.test(value);
}

export function durationSeconds(duration: string): number {
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[duration.slice(-1) as 's' | 'm' | 'h' | 'd'];
  return Number(duration.slice(0, -1)) * unit;
}
