import { listed, type RangeReport } from './report.js';

/** For programs: one line of JSON. `total` counts every violation, `violations` lists up to the limit. */
export function renderJson(report: RangeReport): string {
  const { shown, omitted } = listed(report.violations, report.limit);
  return JSON.stringify({
    ok: report.violations.length === 0,
    checked: report.checked,
    manifest: report.manifest,
    total: report.violations.length,
    omitted,
    violations: shown,
  });
}
