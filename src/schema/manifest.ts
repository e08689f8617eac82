import { z } from 'zod';
import type { AgentSpec, Manifest } from '../core/model.js';
import { schemaDocs } from '../messages/validation.js';
import { agentNameField, globField, sshPublicKeyField } from './fields.js';

const docs = schemaDocs.agent;

const agentSchema = z.strictObject({
  role: z.enum(['writer', 'reader', 'lead']).default('writer').describe(docs.role),
  task: z.string().optional().describe(docs.task),
  claims: z.array(globField).default([]).describe(docs.claims),
  shared: z.array(globField).default([]).describe(docs.shared),
  after: z.array(z.string()).default([]).describe(docs.after),
  group: z.string().min(1).optional().describe(docs.group),
  signingKey: sshPublicKeyField.optional().describe(docs.signingKey),
}) satisfies z.ZodType<AgentSpec, unknown>;

/** `.swarm/manifest.json`, structurally; manifestProblems adds the rules across agents. */
export const manifestSchema = z
  .strictObject({
    $schema: z.string().optional(),
    version: z.literal(1),
    agents: z.record(agentNameField, agentSchema),
  })
  .transform(({ $schema: _, ...manifest }): Manifest => manifest);
