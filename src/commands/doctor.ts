import { access, constants, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { identify, integrationPolicy, openWorkspace, type Workspace } from '../orchestration/workspace.js';
import { agentSpec } from '../core/model.js';
import { isSwarmError } from '../errors.js';
import { hooksHome, hooksPathFor, SWARM_HOOKS } from '../git/hooks.js';
import { getConfig, repoPaths } from '../git/repo.js';
import { attributeOf } from '../git/attributes.js';
import { assertGitVersion } from '../git/version.js';
import { errorText } from '../messages/errors.js';
import { doctorMessages as m, type Finding } from '../messages/doctor.js';
import { parseFormat, parseOptions } from './args.js';
import { MERGE_DRIVER } from './init.js';

async function executable(file: string): Promise<boolean> {
  return access(file, constants.X_OK).then(
    () => true,
    () => false,
  );
}

async function readable(file: string): Promise<boolean> {
  return access(file, constants.R_OK).then(
    () => true,
    () => false,
  );
}

const ok = (title: string): Finding => ({ ok: true, title, fix: null });
const bad = (title: string, fix: string): Finding => ({ ok: false, title, fix });

async function hookFindings(commonDir: string, toplevel: string): Promise<Finding[]> {
  const expected = hooksPathFor(commonDir);
  const configured = await getConfig('core.hooksPath', toplevel);
  if (configured !== expected) return [bad(m.hooksPathWrong(configured, expected), m.fixInit)];
  const findings: Finding[] = [ok(m.hooksPathOk(expected))];
  const home = hooksHome(commonDir);
  for (const hook of SWARM_HOOKS) {
    const stub = join(expected, hook);
    const script = join(home, hook);
    const stubText = await readFile(stub, 'utf8').catch(() => '');
    if (!(await executable(stub)) || !stubText.includes('/h"') || !(await readable(join(expected, 'h')))) {
      findings.push(bad(m.stubMissing(hook, stub), m.fixInit));
      continue;
    }
    const text = await readFile(script, 'utf8').catch(() => null);
    const run = text === null ? null : /'((?:[^']|'\\'')*)' '((?:[^']|'\\'')*)' hook /.exec(text);
    if (!run) {
      findings.push(bad(m.scriptMissing(hook, script), m.fixInit));
      continue;
    }
    const [node, cli] = [run[1]!, run[2]!].map((s) => s.replace(/'\\''/g, "'"));
    if (!(await executable(node!))) findings.push(bad(m.nodeMissing(hook, node!), m.fixInit));
    else if (!(await readable(cli!))) findings.push(bad(m.cliMissing(hook, cli!), m.fixInit));
    else findings.push(ok(m.hookOk(hook, cli!)));
  }
  return findings;
}

async function mergeDriverFindings(ws: Workspace): Promise<Finding[]> {
  const driver = await getConfig(`merge.${MERGE_DRIVER}.driver`, ws.paths.toplevel);
  const attr = await attributeOf('merge', ws.settings.manifest, ws.paths.toplevel);
  return [
    driver ? ok(m.driverOk(MERGE_DRIVER)) : bad(m.driverMissing(MERGE_DRIVER), m.fixInit),
    attr === MERGE_DRIVER ? ok(m.attrOk(ws.settings.manifest)) : bad(m.attrMissing(ws.settings.manifest, MERGE_DRIVER), m.fixInit),
  ];
}

async function configFindings(ws: Workspace): Promise<Finding[]> {
  const findings: Finding[] = [ok(m.settingsOk())];
  try {
    const loaded = await integrationPolicy(ws);
    if (!loaded.policy) return [...findings, bad(m.noManifest(ws.settings.manifest), m.fixInit)];
    findings.push(loaded.notice ? bad(m.manifestUncommitted(loaded.source), m.commitManifest(ws.settings.integration, ws.settings.manifest)) : ok(m.manifestOk(loaded.source)));
    const identity = identify(ws);
    const agents = loaded.policy.manifest.agents;
    const spec = identity.agent ? agentSpec(loaded.policy.manifest, identity.agent) : undefined;
    if (identity.agent && !spec) findings.push(bad(m.unknownAgent(identity.agent, identity.origin!), m.knownAgents(Object.keys(agents))));
    else if (!identity.agent && ws.settings.unidentified === 'deny') findings.push(bad(m.unidentifiedDenied(), m.identify()));
    else findings.push(ok(identity.agent ? m.identityOk(identity.agent, identity.origin!, spec!.role) : m.unidentifiedAllowed()));
  } catch (error) {
    if (!isSwarmError(error)) throw error;
    findings.push(bad(errorText(error), m.fixManifest(ws.settings.manifest)));
  }
  return findings;
}

export async function run(args: string[]): Promise<number> {
  const { values } = parseOptions('doctor', args, { format: { type: 'string', default: 'text' } });
  const format = parseFormat('doctor', values.format, ['text', 'json']);
  const findings: Finding[] = [];
  try {
    await assertGitVersion();
    findings.push(ok(m.gitOk()));
  } catch (error) {
    if (!isSwarmError(error)) throw error;
    findings.push(bad(errorText(error), m.upgradeGit()));
  }
  const paths = await repoPaths();
  findings.push(...(await hookFindings(paths.commonDir, paths.toplevel)));
  for (const variable of ['SWARM_SKIP', 'HUSKY'] as const) {
    const value = process.env[variable];
    if ((variable === 'SWARM_SKIP' && value === '1') || (variable === 'HUSKY' && value === '0')) findings.push(bad(m.bypassSet(variable, value!), m.unsetBypass(variable)));
  }
  try {
    const ws = await openWorkspace();
    findings.push(...(await mergeDriverFindings(ws)), ...(await configFindings(ws)));
  } catch (error) {
    if (!isSwarmError(error)) throw error;
    findings.push(bad(errorText(error), m.fixSettings()));
  }
  const healthy = findings.every((f) => f.ok);
  process.stdout.write(`${format === 'json' ? JSON.stringify({ ok: healthy, findings }) : m.render(findings)}\n`);
  return healthy ? 0 : 1;
}
