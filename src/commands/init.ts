import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { agentFromBranch } from '../core/branchPattern.js';
import { DEFAULT_BRANCH_PATTERN, SETTINGS_FILE } from '../core/model.js';
import { openWorkspace } from '../orchestration/workspace.js';
import { SwarmError } from '../errors.js';
import { effectiveHooksDir, hooksPathFor, installHooks, shellQuote } from '../git/hooks.js';
import { getConfig, probeRepo, setConfig } from '../git/repo.js';
import { attributeOf } from '../git/attributes.js';
import { assertGitVersion } from '../git/version.js';
import { errorMessages } from '../messages/errors.js';
import { initMessages } from '../messages/init.js';
import { cliPath, hookTemplatesDir } from '../packagePaths.js';
import { parseOptions } from './args.js';

export const MERGE_DRIVER = 'swarm-manifest';
const CHAIN_KEY = 'swarm.chainHooks';

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

/** Which hooks keep running after git-swarm's: the ones in effect before, unless they are git-swarm's own. */
async function chainTarget(toplevel: string, commonDir: string, adoptForeign: boolean): Promise<string> {
  const ours = hooksPathFor(commonDir);
  const configured = await getConfig('core.hooksPath', toplevel);
  const recorded = await getConfig(CHAIN_KEY, toplevel);
  if (configured === ours) return recorded ?? '';
  if (configured && !adoptForeign) throw new SwarmError('refused', initMessages.foreignHooksPath(configured));
  return effectiveHooksDir(configured, toplevel, commonDir);
}

export async function run(args: string[]): Promise<number> {
  const { values } = parseOptions('init', args, {
    integration: { type: 'string' },
    'chain-hooks': { type: 'boolean', default: false },
  });
  if (values.integration !== undefined && values.integration.trim() === '') {
    throw new SwarmError('usage', errorMessages.badOption('init', '--integration needs a branch name'));
  }
  await assertGitVersion();
  const { paths, branch } = await probeRepo(process.cwd());
  const { toplevel, commonDir } = paths;
  const created: string[] = [];
  // Refuse a foreign core.hooksPath before anything is written.
  const chain = await chainTarget(toplevel, commonDir, values['chain-hooks']);

  const onAgentBranch = agentFromBranch(DEFAULT_BRANCH_PATTERN, branch) !== null;
  const integration = values.integration ?? (branch && !onAgentBranch ? branch : 'main');
  const settingsText = initMessages.settingsFile(integration);
  // Nothing is written from a bad --integration: validate first.
  (await import('../orchestration/heavy.js')).validateSettings(settingsText, `--integration ${integration}`);
  if (await writeIfMissing(join(toplevel, SETTINGS_FILE), settingsText)) created.push(SETTINGS_FILE);
  else if (values.integration) process.stderr.write(`${initMessages.settingsKept(values.integration)}\n`);

  // Validates .swarmrc (an invalid one stops init here, exit 2) and gives the manifest path.
  const ws = await openWorkspace(toplevel);
  const manifest = ws.settings.manifest;
  if (await writeIfMissing(join(toplevel, manifest), initMessages.manifestFile())) created.push(manifest);

  if ((await attributeOf('merge', manifest, toplevel)) !== MERGE_DRIVER) {
    const file = join(toplevel, '.gitattributes');
    const before = (await exists(file)) ? await readFile(file, 'utf8') : '';
    await appendFile(file, `${before && !before.endsWith('\n') ? '\n' : ''}${manifest} merge=${MERGE_DRIVER}\n`);
    created.push('.gitattributes entry');
  }

  const node = process.execPath;
  const cli = cliPath();
  await installHooks({ toplevel, commonDir, node, cli, templates: hookTemplatesDir(), chain });
  await setConfig(CHAIN_KEY, chain, toplevel);
  await setConfig(`merge.${MERGE_DRIVER}.name`, 'git-swarm manifest merge', toplevel);
  await setConfig(`merge.${MERGE_DRIVER}.driver`, `${shellQuote(node)} ${shellQuote(cli)} merge-driver %O %A %B %P`, toplevel);

  process.stdout.write(`${initMessages.done(toplevel, hooksPathFor(commonDir), created, chain, ws.settings.integration, manifest)}\n`);
  return 0;
}
