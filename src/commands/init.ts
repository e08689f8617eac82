import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { agentFromBranch } from '../core/branchPattern.js';
import { DEFAULT_BRANCH_PATTERN, SETTINGS_FILE } from '../core/model.js';
import { SwarmError } from '../errors.js';
import { MERGE_DRIVER } from '../git/hooks.js';
import { probeRepo } from '../git/repo.js';
import { attributeOf } from '../git/attributes.js';
import { assertGitVersion } from '../git/version.js';
import { initMessages } from '../messages/init.js';
import { guardWanted, installGuard } from '../orchestration/install.js';
import { parseOptions } from './args.js';

async function exists(file: string): Promise<boolean> {
  return readFile(file).then(
    () => true,
    () => false,
  );
}

async function writeIfMissing(file: string, content: string): Promise<boolean> {
  if (await exists(file)) return false;
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, content, { flag: 'wx' });
  return true;
}

export async function run(args: string[]): Promise<number> {
  const { values } = parseOptions('init', args, {
    integration: { type: 'string' },
  });
  await assertGitVersion();
  const { paths, branch } = await probeRepo(process.cwd());
  const { toplevel, commonDir } = paths;
  const created: string[] = [];

  const onAgentBranch = agentFromBranch(DEFAULT_BRANCH_PATTERN, branch) !== null;
  const integration = values.integration ?? (branch && !onAgentBranch ? branch : 'main');
  const settingsText = initMessages.settingsFile(integration);
  // Nothing is written from a bad --integration: validate first.
  (await import('../orchestration/heavy.js')).validateSettings(settingsText, `--integration ${integration}`);
  if (await writeIfMissing(join(toplevel, SETTINGS_FILE), settingsText)) created.push(SETTINGS_FILE);
  else if (values.integration) process.stderr.write(`${initMessages.settingsKept(values.integration)}\n`);

  // The setup being installed is this work tree's (an invalid .swarmrc stops init here, exit 2);
  // init records its integration branch, where the hooks read settings and manifest from then on.
  const settings = (await import('../orchestration/heavy.js')).validateSettings(await readFile(join(toplevel, SETTINGS_FILE), 'utf8'), SETTINGS_FILE);
  const manifest = settings.manifest;
  if (await writeIfMissing(join(toplevel, manifest), initMessages.manifestFile())) created.push(manifest);

  if ((await attributeOf('merge', manifest, toplevel)) !== MERGE_DRIVER) {
    const file = join(toplevel, '.gitattributes');
    const before = (await exists(file)) ? await readFile(file, 'utf8') : '';
    await appendFile(file, `${before && !before.endsWith('\n') ? '\n' : ''}${manifest} merge=${MERGE_DRIVER}\n`);
    created.push('.gitattributes entry');
  }

  const guard = await guardWanted(settings, toplevel);
  const { hooksPath, chain } = await installGuard(toplevel, commonDir, settings.integration, guard);
  process.stdout.write(`${initMessages.done({ toplevel, hooksPath, created, chain, integration: settings.integration, manifest, guard })}\n`);
  return 0;
}
