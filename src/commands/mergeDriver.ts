import { SwarmError } from '../errors.js';
import { runGit } from '../git/run.js';
import { messages } from '../messages.js';

/**
 * git's merge driver for the manifest (`%O %A %B %P`). Until the semantic three-way merge arrives
 * with landing, it performs git's own line merge, so registering it never makes merges worse.
 */
export async function run(args: string[]): Promise<number> {
  const [base, ours, theirs, path = 'manifest'] = args;
  if (!base || !ours || !theirs) throw new SwarmError('usage', messages.badOption('merge-driver', 'expected %O %A %B [%P]'));
  const result = await runGit(['merge-file', '-L', `${path} (ours)`, '-L', `${path} (base)`, '-L', `${path} (theirs)`, ours, base, theirs]);
  if (result.code < 0 || result.code > 127) throw new SwarmError('git', result.stderr.trim());
  return result.code === 0 ? 0 : 1;
}
