import { renderGithub } from './github.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import type { Format, RangeReport } from './report.js';
import { renderText } from './text.js';

export type { Format, RangeReport } from './report.js';

/** One renderer per format. */
export const RENDERERS: Record<Format, (report: RangeReport) => string> = {
  text: renderText,
  json: renderJson,
  github: renderGithub,
  markdown: renderMarkdown,
};
