/** One benchmark figure, printed beside its baseline from the same run. */
export interface Figure {
  name: string;
  unit: 'ms' | 'runs';
  value: number;
  baselineName: string;
  baseline: number;
  target: string;
  pass: boolean;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function formatFigure(f: Figure): string {
  const ratio = f.baseline > 0 ? f.value / f.baseline : NaN;
  return [
    `${f.pass ? 'PASS' : 'MISS'}  ${f.name}`,
    `      ${f.value.toFixed(1)} ${f.unit}  vs  ${f.baselineName}: ${f.baseline.toFixed(1)} ${f.unit}`,
    `      ratio ${ratio.toFixed(3)}×${ratio < 1 ? ` (${(1 / ratio).toFixed(1)}× faster)` : ''}  target: ${f.target}`,
  ].join('\n');
}
