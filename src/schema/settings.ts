import { z } from 'zod';
import { DEFAULT_BRANCH_PATTERN, type Settings } from '../core/model.js';
import { branchField, durationField, durationSeconds, globField, isDuration, repoPathField } from './fields.js';

const positive = z.number().int().positive();

/** `.swarmrc`: every key optional, each default documented in .swarmrc.example. */
export const settingsSchema = z
  .strictObject({
    $schema: z.string().optional(),
    integration: branchField.default('main').describe('The branch work lands on; its tip holds the manifest that binds agents.'),
    manifest: repoPathField.default('.swarm/manifest.json').describe('Path of the manifest in the repository.'),
    branchPattern: z
      .string()
      .refine((p) => p.split('{agent}').length === 2, 'must contain "{agent}" exactly once')
      .refine((p) => branchField.safeParse(p.replace('{agent}', 'x')).success, 'must give valid branch names')
      .default(DEFAULT_BRANCH_PATTERN)
      .describe('Branch name of an agent; {agent} is its name. A branch matching it identifies the agent.'),
    worktrees: z.string().min(1).default('../{repo}.worktrees').describe('Folder for agent worktrees (spawn); {repo} is the repository folder name.'),
    unidentified: z.enum(['allow', 'deny']).default('allow').describe('Commits with no agent identity: allow (people keep working) or deny.'),
    alwaysAllowed: z.array(globField).default([]).describe('Globs any writer may change (still subject to other agents\' exclusive claims).'),
    leases: z
      .strictObject({
        defaultTtl: durationField.default('30m').describe('Lease length when git swarm claim is given none.'),
        maxTtl: durationField.default('4h').describe('Longest lease anyone may take.'),
      })
      .refine((l) => !isDuration(l.defaultTtl) || !isDuration(l.maxTtl) || durationSeconds(l.defaultTtl) <= durationSeconds(l.maxTtl), {
        message: 'defaultTtl must not exceed maxTtl',
        path: ['defaultTtl'],
      })
      .prefault({}),
    limits: z
      .strictObject({
        maxActiveAgents: positive.default(16).describe('Agents with unlanded work at once.'),
        maxClaimsPerAgent: positive.default(64).describe('Claims plus leases one agent may hold.'),
        maxLandingBatch: positive.default(20).describe('Agents one land may publish at once.'),
      })
      .prefault({}),
    land: z
      .strictObject({ check: z.string().min(1).nullable().default(null).describe('Command run on the landing result before publishing (null: none).') })
      .prefault({}),
    coordination: z
      .strictObject({ remote: z.string().min(1).nullable().default(null).describe('Remote whose refs/swarm/* coordinate agents across machines (null: this machine only).') })
      .prefault({}),
    guardIntegration: z.boolean().default(false).describe('Refuse updates of the integration branch that do not come from land (reference-transaction hook).'),
  })
  .transform(({ $schema: _, ...settings }): Settings => settings);
