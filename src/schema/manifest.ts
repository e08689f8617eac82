import { z } from 'zod';
import type { AgentSpec, Manifest } from '../core/model.js';
import { agentNameField, globField } from './fields.js';

const agentSchema = z.strictObject({
  role: z.enum(['writer', 'reader', 'lead']).default('writer'),
  task: z.string().optional(),
  claims: z.array(globField).default([]),
  shared: z.array(globField).default([]),
  after: z.array(z.string()).default([]),
  group: z.string().min(1).optional(),
}) satisfies z.ZodType<AgentSpec, unknown>;

/** `.swarm/manifest.json`, structurally; manifestProblems adds the rules across agents. */
export const manifestSchema = z
  .strictObject({
    $schema: z.string().optional(),
    version: z.literal(1),
    agents: z.record(agentNameField, agentSchema),
  })
  .transform(({ $schema: _, ...manifest }): Manifest => manifest);
