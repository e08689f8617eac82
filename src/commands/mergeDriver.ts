import { readFile, writeFile } from 'node:fs/promises';
import type { ManifestDocument } from '../core/manifestMerge.js';
import { isSwarmError, SwarmError } from '../errors.js';
import { mergeFileInPlace } from '../git/mergeFile.js';
import { errorMessages, errorText } from '../messages/errors.js';
import { mergeDriverMessages as m } from '../messages/mergeDriver.js';
import { refuseExtraArguments } from './args.js';

type Heavy = typeof import('../orchestration/heavy.js');
type Side = 'base' | 'ours' | 'theirs';

type Read = { ok: true; doc: ManifestDocument | null } | { ok: false; error: SwarmError };

/**
 * The manifest as written, once it validates; null for an empty base (the manifest was added on
 * both sides); the manifest error when it does not validate.
 */
function document(heavy: Heavy, bytes: Uint8Array, label: string, side: Side): Read {
  if (side === 'base' && bytes.length === 0) return { ok: true, doc: null };
  try {
    heavy.validateManifest(bytes, label);
  } catch (error) {
    if (isSwarmError(error) && error.code === 'manifest') return { ok: false, error };
    throw error;
  }
  // Valid, so it is JSON of the manifest's shape; the decoder drops a byte order mark.
  return { ok: true, doc: JSON.parse(new TextDecoder().decode(bytes)) as ManifestDocument };
}

/**
 * git's merge driver for the manifest (`%O %A %B %P`): the semantic three-way merge
 * (core/manifestMerge.ts), written into %A. Exit 1 leaves a conflict for a lead. An input that is
 * no valid manifest gets git's own line merge instead, so nothing either side wrote is lost.
 */
export async function run(args: string[]): Promise<number> {
  refuseExtraArguments('merge-driver', args, 4);
  const [base, ours, theirs, path = 'manifest'] = args;
  if (!base || !ours || !theirs) throw new SwarmError('usage', errorMessages.badOption('merge-driver', errorMessages.mergeDriverArguments()));
  const read = (file: string) =>
    readFile(file).catch((error: NodeJS.ErrnoException) => {
      throw new SwarmError('filesystem', '', { file, errno: error.code ?? 'EIO' });
    });
  const [heavy, ...bytes] = await Promise.all([import('../orchestration/heavy.js'), read(base), read(ours), read(theirs)]);
  const sides = (['base', 'ours', 'theirs'] as const).map((side, i) => ({ side, read: document(heavy, bytes[i]!, `${path} (${side})`, side) }));
  for (const { side, read } of sides) {
    if (read.ok) continue;
    process.stderr.write(`${m.fallback(path, side, errorText(read.error))}\n`);
    // The line merge keeps both sides' text, but nothing vouches for what it made (an inner merge of
    // a criss-cross history hands an invalid base): always a conflict, for a person to look at.
    await mergeFileInPlace({ base, ours, theirs }, path);
    return 1;
  }
  // Only the base may be empty: an empty ours or theirs is no valid manifest.
  const [b, o, t] = sides.map(({ read }) => (read.ok ? read.doc : null)) as [ManifestDocument | null, ManifestDocument, ManifestDocument];
  // Only the agents' globs decide a conflict between writers, so the default settings serve.
  const merged = heavy.mergeManifests(b, o, t, heavy.validateSettings('{}', 'the default settings'));
  await writeFile(ours, merged.text);
  if (merged.clean) return 0;
  process.stderr.write(`${m.conflicts(path, merged.conflicts)}\n`);
  return 1;
}
