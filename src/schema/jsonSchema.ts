import { z } from 'zod';
import { manifestSchema } from './manifest.js';
import { settingsSchema } from './settings.js';

/** JSON Schemas for editors, generated from the zod schemas (input side: what a person writes). */
export function jsonSchemas(): Record<string, unknown> {
  const make = (schema: z.ZodType, title: string) => ({
    ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }),
    title,
  });
  return {
    'schema/manifest.schema.json': make(manifestSchema, 'git-swarm manifest (.swarm/manifest.json)'),
    'schema/swarmrc.schema.json': make(settingsSchema, 'git-swarm settings (.swarmrc)'),
  };
}
