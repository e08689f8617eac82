import { renderGithub } from './github.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderPlanJson } from './planJson.js';
import { renderPlanMarkdown } from './planMarkdown.js';
import type { PlanFormat, PlanReport } from './planReport.js';
import { renderPlanText } from './planText.js';
import type { Format, RangeReport } from './report.js';
import { renderText } from './text.js';

export type { Format, RangeReport } from './report.js';
export type { PlanFormat, PlanReport } from './planReport.js';

/** One renderer per format. */
export const RENDERERS: Record<Format, (report: RangeReport) => string> = {
  text: renderText,
  json: renderJson,
  github: renderGithub,
  markdown: renderMarkdown,
};

/** One renderer per format of `git swarm plan`. */
export const PLAN_RENDERERS: Record<PlanFormat, (report: PlanReport) => string> = {
  text: renderPlanText,
  json: renderPlanJson,
  markdown: renderPlanMarkdown,
};
