import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { manPages } from '../src/render/man.js';
import { VERSION } from '../src/version.js';

/** Writes the manual pages into the directory given (build.mjs: dist/man), replacing what was there. */
const dir = process.argv[2];
if (!dir) throw new Error('usage: node dist/write-man.js <directory>');
// A removed command must not leave its page behind.
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
for (const [file, page] of manPages(VERSION)) writeFileSync(join(dir, file), page);
