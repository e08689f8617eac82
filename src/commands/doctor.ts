import { access, constants, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { identify, integrationPolicy, openWorkspace, type Workspace } from '../orchestration/workspace.js';
import { agentSpec, SETTINGS_FILE } from '../core/model.js';
import { isSwarmError } from '../errors.js';
import { chainInfo, effectiveHooksPath, guardFile, hooksHome, hooksPathFor, includeState, MERGE_DRIVER, swarmConfigFile } from '../git/hooks.js';
import { guardedRef, HOOK_LIBRARY, installedRuntime, sourcesLibrary, SWARM_HOOKS } from '../git/hookProtocol.js';
import { getConfig, repoPaths } from '../git/repo.js';
import { attributeOf } from '../git/attributes.js';
import { assertGitVersion } from '../git/version.js';
import { identityOrigin } from '../messages/common.js';
import { errorText } from '../messages/errors.js';
import { doctorMessages as m, type Finding } from '../messages/doctor.js';
import { parseFormat, parseOptions } from './args.js';
import { liveLeaseRules } from '../orchestration/leaseRules.js';

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

/** Whether core.hooksPath reaches git-swarm's hooks here, and if not, which layer overrides it. */
async function hooksPathFindings(commonDir: string, toplevel: string): Promise<Finding[]> {
  const expected = hooksPathFor(commonDir);
  const [include, effective] = await Promise.all([includeState(commonDir), effectiveHooksPath(process.cwd())]);
  const findings: Finding[] = [];
  if (!include.present) findings.push(bad(m.includeMissing(swarmConfigFile(commonDir)), m.fixInit));
  else if (!include.last) findings.push(bad(m.includeNotLast(), m.fixInit));
  else findings.push(ok(m.includeOk(swarmConfigFile(commonDir))));
  if (effective?.value === expected) findings.push(ok(m.hooksPathOk(expected)));
  else if (effective?.scope === 'worktree') findings.push(bad(m.hooksPathOverridden(effective.value, m.scopeWorktree(effective.origin)), m.fixWorktreeConfig));
  else if (effective?.scope === 'command') findings.push(bad(m.hooksPathOverridden(effective.value, m.scopeCommand), m.fixCommand));
  else findings.push(bad(m.hooksPathWrong(effective?.value, expected), m.fixInit));
  const chain = await chainInfo(toplevel, commonDir);
  findings.push(ok(chain.present ? m.chainOk(chain.dir, chain.husky) : m.chainAbsent(chain.dir, chain.husky)));
  return findings;
}

async function hookFindings(commonDir: string): Promise<Finding[]> {
  const stubs = hooksPathFor(commonDir);
  const home = hooksHome(commonDir);
  const findings: Finding[] = [];
  for (const hook of SWARM_HOOKS) {
    const stub = join(stubs, hook);
    const stubText = await readFile(stub, 'utf8').catch(() => '');
    if (!(await executable(stub)) || !stubText.includes('/h"') || !(await readable(join(stubs, 'h')))) {
      findings.push(bad(m.stubMissing(hook, stub), m.fixInit));
      continue;
    }
    const script = join(home, hook);
    if (!sourcesLibrary(await readFile(script, 'utf8').catch(() => ''), home)) findings.push(bad(m.scriptMissing(hook, script), m.fixInit));
  }
  const library = join(home, HOOK_LIBRARY);
  const runtime = installedRuntime(await readFile(library, 'utf8').catch(() => ''));
  if (!runtime) return [...findings, bad(m.scriptMissing('shared', library), m.fixInit)];
  if (!(await executable(runtime.node))) findings.push(bad(m.nodeMissing(runtime.node), m.fixReinstall));
  else if (!(await readable(runtime.cli))) findings.push(bad(m.cliMissing(runtime.cli), m.fixReinstall));
  else if (findings.length === 0) findings.push(ok(m.hooksOk(SWARM_HOOKS, runtime.node, runtime.cli)));
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

/** The guard on the integration branch: installed, for the right branch, when the tip's .swarmrc asks for it. */
async function guardFindings(ws: Workspace): Promise<Finding[]> {
  const file = guardFile(ws.paths.commonDir);
  const installed = (await executable(file)) ? guardedRef(await readFile(file, 'utf8').catch(() => '')) : null;
  const ref = `refs/heads/${ws.settings.integration}`;
  const wanted = ws.settings.guardIntegration && ws.settingsOrigin !== 'working-tree';
  if (!wanted) return installed ? [ok(m.guardIdle(ws.settingsSource))] : [];
  if (installed === ref) return [ok(m.guardOk(ws.settings.integration))];
  return [bad(installed ? m.guardStale(installed, ref) : m.guardMissing(ws.settingsSource, file), m.fixInit)];
}

async function configFindings(ws: Workspace): Promise<Finding[]> {
  const findings: Finding[] = [
    ws.settingsOrigin === 'tip'
      ? ok(m.settingsOk(ws.settingsSource))
      : ws.settingsOrigin === 'last-valid'
        ? bad(m.brokenFile(ws.settingsNotice ?? ''), m.fixManifest(SETTINGS_FILE))
        : bad(m.settingsUncommitted(ws.settingsSource), m.commitSettings(ws.settings.integration)),
  ];
  if (ws.sharedAgent) findings.push(bad(m.sharedAgent(ws.sharedAgent.value, ws.sharedAgent.scope), m.fixSharedAgent(ws.sharedAgent.value, ws.sharedAgent.scope)));
  try {
    const loaded = await integrationPolicy(ws);
    if (!loaded.policy) return [...findings, bad(m.noManifest(ws.settings.manifest), m.fixInit)];
    if (loaded.origin === 'tip') findings.push(ok(m.manifestOk(loaded.source)));
    else if (loaded.origin === 'working-tree') findings.push(bad(m.manifestUncommitted(loaded.source), m.commitManifest(ws.settings.integration, ws.settings.manifest)));
    else findings.push(bad(m.brokenFile(loaded.notice ?? ''), m.fixManifest(ws.settings.manifest)));
    const identity = identify(ws);
    const agents = loaded.policy.manifest.agents;
    const spec = identity.agent ? agentSpec(loaded.policy.manifest, identity.agent) : undefined;
    if (identity.agent && !spec) findings.push(bad(m.unknownAgent(identity.agent, identityOrigin(identity)), m.knownAgents(Object.keys(agents))));
    else if (!identity.agent && ws.settings.unidentified === 'deny') findings.push(bad(m.unidentifiedDenied(), m.identify(ws.settings.branchPattern)));
    else findings.push(ok(identity.agent ? m.identityOk(identity.agent, identityOrigin(identity), spec!.role) : m.unidentifiedAllowed()));
  } catch (error) {
    if (!isSwarmError(error)) throw error;
    findings.push(bad(errorText(error), m.fixManifest(ws.settings.manifest)));
  }
  return findings;
}

/** The lease ledger: readable (a corrupt one binds through its last valid version), and this agent's leases about to lapse. */
async function ledgerFindings(ws: Workspace): Promise<Finding[]> {
  if (ws.ledger.commit === null) return [];
  const now = Date.now();
  try {
    const live = await liveLeaseRules(ws, now);
    if (live.notice) return [bad(live.notice, m.fixLedger)];
    const agent = identify(ws).agent;
    const leases = live.rules ? live.rules.leases.filter((l) => l.expires > now) : [];
    const mine = leases.filter((l) => l.agent === agent);
    return [ok(m.ledgerOk(leases.length, agent, mine.length, mine.length ? Math.min(...mine.map((l) => l.expires)) : null))];
  } catch (error) {
    if (!isSwarmError(error)) throw error;
    return [bad(errorText(error), m.fixLedger)];
  }
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
  findings.push(...(await hooksPathFindings(paths.commonDir, paths.toplevel)), ...(await hookFindings(paths.commonDir)));
  for (const variable of ['SWARM_SKIP', 'HUSKY'] as const) {
    const value = process.env[variable];
    if ((variable === 'SWARM_SKIP' && value === '1') || (variable === 'HUSKY' && value === '0')) findings.push(bad(m.bypassSet(variable, value!), m.unsetBypass(variable)));
  }
  try {
    const ws = await openWorkspace();
    findings.push(...(await mergeDriverFindings(ws)), ...(await configFindings(ws)), ...(await guardFindings(ws)), ...(await ledgerFindings(ws)));
  } catch (error) {
    if (!isSwarmError(error)) throw error;
    findings.push(bad(errorText(error), m.fixSettings()));
  }
  const healthy = findings.every((f) => f.ok);
  process.stdout.write(`${format === 'json' ? JSON.stringify({ ok: healthy, findings }) : m.render(findings)}\n`);
  return healthy ? 0 : 1;
}
