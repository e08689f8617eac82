import { z } from 'zod';
import type { Settings } from '../core/model.js';
import { branchField, durationField, durationSeconds, globField, isDuration, repoPathField } from './fields.js';

const positive = z.number().int().positive();

/** `.swarmrc`: every key optional, each default documented in .swarmrc.example. */
export const settingsSchema = z
  .strictObject({
    $schema: z.string().optional(),
    integration: branchField.default('main'),
    manifest: repoPathField.default('.swarm/manifest.json'),
    branchPattern: z
      .string()
      .refine((p) => p.split('{agent}').length === 2, 'must contain "{agent}" exactly once')
      .refine((p) => branchField.safeParse(p.replace('{agent}', 'x')).success, 'must give valid branch names')
      .default('swarm/{agent}'),
    worktrees: z.string().min(1).default('../{repo}.worktrees'),
    unidentified: z.enum(['allow', 'deny']).default('allow'),
    alwaysAllowed: z.array(globField).default([]),
    leases: z
      .strictObject({ defaultTtl: durationField.default('30m'), maxTtl: durationField.default('4h') })
      .refine((l) => !isDuration(l.defaultTtl) || !isDuration(l.maxTtl) || durationSeconds(l.defaultTtl) <= durationSeconds(l.maxTtl), {
        message: 'defaultTtl must not exceed maxTtl',
        path: ['defaultTtl'],
      })
      .prefault({}),
    limits: z
      .strictObject({
        maxActiveAgents: positive.default(16),
        maxClaimsPerAgent: positive.default(64),
        maxLandingBatch: positive.default(20),
      })
      .prefault({}),
    land: z.strictObject({ check: z.string().min(1).nullable().default(null) }).prefault({}),
    coordination: z.strictObject({ remote: z.string().min(1).nullable().default(null) }).prefault({}),
    guardIntegration: z.boolean().default(false),
  })
  .transform(({ $schema: _, ...settings }): Settings => settings);
