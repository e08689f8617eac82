import { z } from 'zod';
import { schemaDocs } from '../messages/validation.js';
import { manifestSchema } from './manifest.js';
import { settingsSchema } from './settings.js';

/** JSON Schemas for editors, generated from the zod schemas (input side: what a person writes). */
export function jsonSchemas(): Record<string, unknown> {
  const make = (schema: z.ZodType, title: string) => ({
    ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }),
    title,
  });
  return {
    'schema/manifest.schema.json': make(manifestSchema, schemaDocs.manifestTitle),
    'schema/swarmrc.schema.json': make(settingsSchema, schemaDocs.settingsTitle),
  };
}
