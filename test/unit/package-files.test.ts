import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { jsonSchemas } from '../../src/schema/jsonSchema.js';
import { validateSettings } from '../../src/schema/validate.js';
import { VERSION } from '../../src/version.js';
import { ROOT } from '../helpers/repo.js';

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

function keyPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keyPaths(v, prefix ? `${prefix}.${k}` : k));
}

describe('files shipped with the package', () => {
  it('JSON Schemas match the zod schemas (regenerate with npm run schema)', () => {
    for (const [file, schema] of Object.entries(jsonSchemas())) {
      expect(JSON.parse(read(file)), file).toEqual(schema);
    }
  });

  it('.swarmrc.example is valid, shows every default and documents every key', () => {
    const text = read('.swarmrc.example');
    const defaults = validateSettings('', '.swarmrc');
    expect(validateSettings(text, '.swarmrc.example')).toEqual(defaults);
    expect(keyPaths(parse(text)).sort()).toEqual(keyPaths(defaults).sort());
    for (const key of keyPaths(defaults)) {
      const leaf = key.split('.').pop()!;
      const line = text.split('\n').findIndex((l) => l.trimStart().startsWith(`${leaf}:`));
      expect(text.split('\n')[line - 1], `comment above ${key}`).toMatch(/^\s*#/);
    }
  });

  it('VERSION matches package.json', () => {
    expect(JSON.parse(read('package.json')).version).toBe(VERSION);
  });
});
