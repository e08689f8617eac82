import { SwarmError } from '../errors.js';
import { mergeFileInPlace } from '../git/mergeFile.js';
import { errorMessages } from '../messages/errors.js';
import { refuseExtraArguments } from './args.js';

/**
 * git's merge driver for the manifest (`%O %A %B %P`). Until the semantic three-way merge arrives
 * with landing, it performs git's own line merge, so registering it never makes merges worse.
 */
export async function run(args: string[]): Promise<number> {
  refuseExtraArguments('merge-driver', args, 4);
  const [base, ours, theirs, path = 'manifest'] = args;
  if (!base || !ours || !theirs) throw new SwarmError('usage', errorMessages.badOption('merge-driver', errorMessages.mergeDriverArguments()));
  return (await mergeFileInPlace({ base, ours, theirs }, path)) === 0 ? 0 : 1;
}
