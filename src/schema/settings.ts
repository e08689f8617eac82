import { z } from 'zod';
import { durationSeconds, isDuration } from '../core/duration.js';
import { DEFAULT_BRANCH_PATTERN, type Settings } from '../core/model.js';
import { validationMessages as m, schemaDocs } from '../messages/validation.js';
import { branchField, durationField, globField, repoPathField } from './fields.js';

const docs = schemaDocs.settings;

const positive = z.number().int().positive();

/** `.swarmrc`: every key optional, each default documented in .swarmrc.example. */
export const settingsSchema = z
  .strictObject({
    $schema: z.string().optional(),
    integration: branchField.default('main').describe(docs.integration),
    manifest: repoPathField.default('.swarm/manifest.json').describe(docs.manifest),
    branchPattern: z
      .string()
      .refine((p) => p.split('{agent}').length === 2, m.branchPatternAgentOnce)
      .refine((p) => branchField.safeParse(p.replace('{agent}', 'x')).success, m.branchPatternBranches)
      .default(DEFAULT_BRANCH_PATTERN)
      .describe(docs.branchPattern),
    worktrees: z.string().min(1).default('../{repo}.worktrees').describe(docs.worktrees),
    unidentified: z.enum(['allow', 'deny']).default('allow').describe(docs.unidentified),
    identity: z.enum(['asserted', 'signed']).default('asserted').describe(docs.identity),
    alwaysAllowed: z.array(globField).default([]).describe(docs.alwaysAllowed),
    leases: z
      .strictObject({
        defaultTtl: durationField.default('30m').describe(docs.defaultTtl),
        maxTtl: durationField.default('4h').describe(docs.maxTtl),
      })
      .refine((l) => !isDuration(l.defaultTtl) || !isDuration(l.maxTtl) || durationSeconds(l.defaultTtl) <= durationSeconds(l.maxTtl), {
        message: m.ttlOrder,
        path: ['defaultTtl'],
      })
      .prefault({}),
    limits: z
      .strictObject({
        maxActiveAgents: positive.default(16).describe(docs.maxActiveAgents),
        maxClaimsPerAgent: positive.default(64).describe(docs.maxClaimsPerAgent),
        maxLandingBatch: positive.default(20).describe(docs.maxLandingBatch),
      })
      .prefault({}),
    land: z
      .strictObject({
        check: z.string().min(1).nullable().default(null).describe(docs.check),
        checkTimeout: durationField.default('30m').describe(docs.checkTimeout),
      })
      .prefault({}),
    coordination: z.strictObject({ remote: z.string().min(1).nullable().default(null).describe(docs.remote) }).prefault({}),
    guardIntegration: z.boolean().default(false).describe(docs.guardIntegration),
  })
  // A commit without a trailer names no agent whose signature could be required, so under
  // unidentified: allow it would pass unsigned: verified identity would be a door left open.
  .refine((s) => s.identity !== 'signed' || s.unidentified === 'deny', { message: m.signedNeedsDeny, path: ['identity'] })
  .transform(({ $schema: _, ...settings }): Settings => settings);
