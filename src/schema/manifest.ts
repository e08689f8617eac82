import { z } from 'zod';
import type { AgentSpec, Manifest } from '../core/model.js';
import { agentNameField, globField } from './fields.js';

const agentSchema = z.strictObject({
  role: z.enum(['writer', 'reader', 'lead']).default('writer').describe('writer (default), reader (may not commit) or lead (may edit the manifest)'),
  task: z.string().optional().describe('What the agent is working on, for people and reports.'),
  claims: z.array(globField).default([]).describe('Globs this agent may change, exclusively.'),
  shared: z.array(globField).default([]).describe('Globs this agent may change, shared with others.'),
  after: z.array(z.string()).default([]).describe('Agents that must land before this one.'),
  group: z.string().min(1).optional().describe('Agents of one group land together or not at all.'),
}) satisfies z.ZodType<AgentSpec, unknown>;

/** `.swarm/manifest.json`, structurally; manifestProblems adds the rules across agents. */
export const manifestSchema = z
  .strictObject({
    $schema: z.string().optional(),
    version: z.literal(1),
    agents: z.record(agentNameField, agentSchema),
  })
  .transform(({ $schema: _, ...manifest }): Manifest => manifest);
