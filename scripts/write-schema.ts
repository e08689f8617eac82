import { writeFileSync } from 'node:fs';
import { jsonSchemas } from '../src/schema/jsonSchema.js';

for (const [file, schema] of Object.entries(jsonSchemas())) {
  writeFileSync(file, `${JSON.stringify(schema, null, 2)}\n`);
  process.stdout.write(`wrote ${file}\n`);
}
