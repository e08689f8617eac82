import { z } from 'zod';
import { DURATION, isDuration } from '../core/duration.js';
import { globProblem } from '../core/glob.js';
import { validationMessages as m } from '../messages/validation.js';

/** A claim glob; invalid shapes are reported with the reason. */
export const globField = z.string().superRefine((pattern, ctx) => {
  const problem = globProblem(pattern);
  if (problem) ctx.addIssue({ code: 'custom', message: m.invalidGlob(pattern, problem) });
});

export const AGENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export const agentNameField = z.string().regex(AGENT_NAME, m.agentName);

/** A repository-relative file path such as `.swarm/manifest.json`. */
export const repoPathField = z.string().superRefine((path, ctx) => {
  if (path === '' || /[\x00-\x1f\x7f]/.test(path) || path.startsWith('/') || path.endsWith('/') || path.split('/').some((s) => s === '' || s === '.' || s === '..')) {
    ctx.addIssue({ code: 'custom', message: m.repoPath(path) });
  }
});

/**
 * A regex rather than a refine for the shape, so the JSON Schema carries it as "pattern"; the
 * bound is reported only for a well-shaped duration, so a bad one gets one message.
 */
export const durationField = z
  .string()
  .regex(DURATION, m.duration)
  .refine((d) => !DURATION.test(d) || isDuration(d), m.durationTooLong);

/** A branch name git would accept, checked for the shapes that matter here. */
export const branchField = z
  .string()
  .min(1)
  .refine((b) => !/[\s~^:?*[\\]|\.\.|@\{|^[-/]|\/$|\.lock$|^\.|\/\./.test(b), m.branchName);
