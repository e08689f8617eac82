import { probeRepo } from '../git/repo.js';
import { uninstallMessages } from '../messages/uninstall.js';
import { uninstallGuard } from '../orchestration/install.js';
import { parseOptions } from './args.js';

export async function run(args: string[]): Promise<number> {
  parseOptions('uninstall', args, {});
  const { toplevel, commonDir } = (await probeRepo(process.cwd())).paths;
  const { removed, chain } = await uninstallGuard(toplevel, commonDir);
  const text = removed.length === 0 ? uninstallMessages.nothingToDo(toplevel) : uninstallMessages.done(toplevel, removed, chain);
  process.stdout.write(`${text}\n`);
  return 0;
}
