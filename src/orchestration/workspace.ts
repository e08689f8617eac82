import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveIdentity, type Identity } from '../core/identity.js';
import { SETTINGS_FILE, type Settings } from '../core/model.js';
import { isSwarmError, SwarmError } from '../errors.js';
import { errorText } from '../messages/errors.js';
import type { CompiledPolicy } from '../core/policy.js';
import type { PolicyScope } from '../core/policyStore.js';
import { readBlob } from '../git/blob.js';
import { branchTip, knownBranches, pathHistory, probeRepo, resolveCommit, resolveObject, swarmConfig, type RepoPaths, type SwarmConfigEntry } from '../git/repo.js';
import { assertGitVersionCached } from '../git/version.js';
import { hookMessages } from '../messages/hook.js';
import { JsonCache } from './cache.js';
import { manifestFromBytes, policyFrom, settingsAt, settingsFrom, settingsFromBlob } from './policy.js';
import { guessSettings, tipSpec } from '../core/settingsGuess.js';
import { LEASES_FILE, LEASES_REF } from './ledgerNames.js';

const LEDGER_SPECS = [LEASES_REF, `${LEASES_REF}:${LEASES_FILE}`];

export interface Workspace {
  paths: RepoPaths;
  settings: Settings;
  /** The blob id of the integration tip's `.swarmrc` the settings came from, null otherwise (the stamp binds it). */
  settingsBlob: string | null;
  cache: JsonCache;
  branch: string | null;
  /** swarm.agent from this worktree's own config (config.worktree), the only place it counts. */
  configAgent: string | undefined;
  /** swarm.agent found in a shared scope (local, global…): ignored, and doctor says so. */
  sharedAgent: SwarmConfigEntry | null;
  /** Blob id of the manifest on the integration branch tip, null when it has none. */
  integrationManifest: string | null;
  /** The revision settings and manifest are read at: the local integration branch, or a remote's copy. */
  tip: string;
  /** Where the settings came from ("main:.swarmrc"); a notice when it is the working tree's copy. */
  settingsSource: string;
  settingsOrigin: 'tip' | 'last-valid' | 'working-tree';
  settingsNotice: string | null;
  /** refs/swarm/leases and the blob of its document, as the probe found them (null: no such ref, or no document in it). */
  ledger: { commit: string | null; document: string | null };
}

/** A user's file as bytes, null when it does not exist; a directory or an unreadable file is exit 2 naming it. */
async function readBytes(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code;
    if (errno === 'ENOENT') return null;
    throw new SwarmError('filesystem', '', { file, errno });
  }
}

export interface Repository {
  paths: RepoPaths;
  cache: JsonCache;
  branch: string | null;
}

/**
 * The repository alone, without reading anything from its work tree: what `check` needs, which
 * must take nothing from the head it judges, nor from the cache, which any agent can write.
 */
export async function openRepository(cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): Promise<Repository> {
  const { paths, branch } = await probeRepo(cwd);
  const cacheDir = join(paths.commonDir, 'swarm', 'cache');
  await assertGitVersionCached(cacheDir, env);
  return { paths, cache: new JsonCache(null), branch };
}

/**
 * Everything a command needs about this worktree. Settings, like the manifest, come from the tip
 * of the integration branch, never from the agent's own copy (the working tree's only until the
 * branch has them, with a notice). The integration branch is the one `git swarm init` recorded
 * (git config swarm.integration). The working tree's `.swarmrc` is read only to guess which
 * blobs to ask for in the one rev-parse that also finds the repository.
 */
export async function openWorkspace(cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): Promise<Workspace> {
  const guessedBytes = await readBytes(join(cwd, SETTINGS_FILE));
  // Lenient decoding is enough for a guess; validation decodes strictly.
  const guess = guessSettings(guessedBytes?.toString('utf8') ?? null);
  const [probe, config] = await Promise.all([
    probeRepo(cwd, [tipSpec(`refs/heads/${guess.integration}`, guess.manifest), tipSpec(`refs/heads/${guess.integration}`, SETTINGS_FILE), ...LEDGER_SPECS]),
    swarmConfig(cwd),
  ]);
  const { paths } = probe;
  const cwdTop = paths.toplevel;
  const cacheDir = join(paths.commonDir, 'swarm', 'cache');
  const cache = new JsonCache(cacheDir);
  const integration = config.find((e) => e.key === 'swarm.integration')?.value || guess.integration;
  let guessed = integration === guess.integration;
  let tip = `refs/heads/${integration}`;
  let tipName = integration;
  // git answered the settings spec only if it found the manifest, which it was asked for first.
  let settingsBlob = guessed && probe.blobs[0] !== null ? probe.blobs[1]! : await resolveObject(tipSpec(tip, SETTINGS_FILE), cwdTop);
  // No local integration branch: a remote's copy binds; with none anywhere, only the very first
  // commit of a new repository (on that branch) may go by the working tree.
  let branchMissing = false;
  if (settingsBlob === null && (await resolveCommit(tip, cwdTop)) === null) {
    const remote = await branchTip(integration, cwdTop);
    if (remote !== null) {
      [tip, tipName, guessed] = [remote, `${integration} (${remote.slice(0, 10)}, a remote's copy)`, false];
      settingsBlob = await resolveObject(tipSpec(tip, SETTINGS_FILE), cwdTop);
    } else branchMissing = true;
  }
  let settings: Settings;
  let settingsSource: string;
  let settingsOrigin: Workspace['settingsOrigin'] = 'tip';
  let settingsNotice: string | null = null;
  if (settingsBlob !== null) {
    settingsSource = `${tipName}:${SETTINGS_FILE}`;
    const blob = settingsBlob;
    try {
      settings = await settingsFromBlob({ id: blob, file: settingsSource, bytes: async () => (await readBlob(blob, cwdTop)) ?? new Uint8Array() }, cache);
    } catch (error) {
      if (!isSwarmError(error) || error.code !== 'config') throw error;
      const last = await lastValidSettings(tip, blob, cache, cwdTop);
      if (!last) throw error;
      [settings, settingsSource, settingsOrigin] = [last.settings, last.source, 'last-valid'];
      settingsNotice = hookMessages.brokenSettings(`${tipName}:${SETTINGS_FILE}`, errorText(error), last.source);
    }
  } else {
    settingsSource = `working tree ${SETTINGS_FILE}`;
    settingsOrigin = 'working-tree';
    const bytes = cwdTop === cwd ? guessedBytes : await readBytes(join(cwdTop, SETTINGS_FILE));
    settings = await settingsFrom(bytes ?? new Uint8Array(), SETTINGS_FILE, cache);
    if (bytes !== null) settingsNotice = hookMessages.settingsFromWorkingTree(integration);
    if (branchMissing && probe.branch !== settings.integration) {
      throw new SwarmError('config', hookMessages.noIntegrationBranch(settings.integration, await knownBranches(cwdTop)), { key: 'integration', ref: settings.integration });
    }
  }
  await assertGitVersionCached(cacheDir, env);
  if (settings.integration !== integration) {
    throw new SwarmError('config', hookMessages.integrationMismatch(integration, settingsSource, settings.integration), { file: settingsSource, key: 'integration' });
  }
  const integrationManifest =
    guessed && settings.manifest === guess.manifest && probe.blobs[0] !== null ? probe.blobs[0]! : await resolveObject(tipSpec(tip, settings.manifest), cwdTop);
  const agents = config.filter((e) => e.key === 'swarm.agent');
  // git stops at the first spec that names nothing: past a missing one, ask again.
  const [ledgerCommit, ledgerDocument] =
    probe.blobs[0] !== null && probe.blobs[1] !== null ? [probe.blobs[2]!, probe.blobs[3]!] : await Promise.all(LEDGER_SPECS.map((spec) => resolveObject(spec, cwdTop)));
  return {
    paths,
    settings,
    cache,
    branch: probe.branch,
    configAgent: agents.find((e) => e.scope === 'worktree')?.value,
    sharedAgent: agents.find((e) => e.scope !== 'worktree') ?? null,
    integrationManifest,
    tip,
    settingsBlob,
    settingsSource,
    settingsOrigin,
    settingsNotice,
    ledger: { commit: ledgerCommit ?? null, document: ledgerCommit ? (ledgerDocument ?? null) : null },
  };
}

export function identify(ws: Workspace, env: NodeJS.ProcessEnv = process.env): Identity {
  return resolveIdentity({ env: env.SWARM_AGENT, config: ws.configAgent, branch: ws.branch, branchPattern: ws.settings.branchPattern });
}

export interface LoadedPolicy {
  policy: CompiledPolicy | null;
  /** Where the manifest came from, for messages: "main:.swarm/manifest.json". */
  source: string;
  /** tip: the integration branch's; last-valid: an older one, the tip's being invalid; none: no manifest anywhere. */
  origin: 'tip' | 'last-valid' | 'working-tree' | 'none';
  /** What the hooks print before judging (the settings' notice included), null when all is as it should be. */
  notice: string | null;
}

/**
 * The integration tip's `.swarmrc` is invalid (a bad edit landed): its last valid version binds
 * meanwhile, as for the manifest (see lastValidPolicy), so a lead can land the repair.
 */
async function lastValidSettings(tip: string, broken: string, cache: JsonCache, cwd: string): Promise<{ settings: Settings; source: string } | null> {
  for (const commit of await pathHistory(tip, SETTINGS_FILE, VALID_MANIFEST_SEARCH, cwd)) {
    const id = await resolveObject(`${commit}:${SETTINGS_FILE}`, cwd);
    if (id === null || id === broken) continue;
    const source = `${commit.slice(0, 10)}:${SETTINGS_FILE}`;
    try {
      return { settings: await settingsFromBlob({ id, file: source, bytes: async () => (await readBlob(id, cwd)) ?? new Uint8Array() }, cache), source };
    } catch (error) {
      if (!isSwarmError(error) || error.code !== 'config') throw error;
    }
  }
  return null;
}

/** How far back a broken manifest on the integration branch is searched for a valid version. */
const VALID_MANIFEST_SEARCH = 50;

/**
 * The integration branch's manifest is invalid (a bad edit landed): rather than lock everyone out,
 * the hooks keep enforcing its last valid version, and say so, so that a lead can land the repair
 * (a lead may always change the manifest) while the others keep working under the old rules.
 * With no valid version at all, the error stands: nothing is allowed on a guess.
 */
async function lastValidPolicy(ws: Workspace, broken: SwarmError): Promise<LoadedPolicy> {
  const { integration, manifest } = ws.settings;
  const cwd = ws.paths.toplevel;
  for (const commit of await pathHistory(ws.tip, manifest, VALID_MANIFEST_SEARCH, cwd)) {
    const id = await resolveObject(`${commit}:${manifest}`, cwd);
    if (id === null || id === ws.integrationManifest) continue;
    const source = `${commit.slice(0, 10)}:${manifest}`;
    try {
      const policy = await policyFrom(ws.settings, { id, file: source, bytes: async () => (await readBlob(id, cwd)) ?? new Uint8Array() }, ws.cache);
      return { policy, source, origin: 'last-valid', notice: hookMessages.brokenManifest(`${integration}:${manifest}`, errorText(broken), source, policy.manifest) };
    } catch (error) {
      if (!isSwarmError(error) || error.code !== 'manifest') throw error;
    }
  }
  throw broken;
}

/**
 * The manifest that binds agents locally: the integration branch tip's, never the agent's own copy
 * (its last valid version while the tip's is broken). Until the integration branch has one, the
 * working tree's, with a notice.
 */
export async function integrationPolicy(ws: Workspace, scope: PolicyScope | null = null): Promise<LoadedPolicy> {
  const loaded = await loadPolicy(ws, scope);
  const notice = [ws.settingsNotice, loaded.notice].filter((n) => n !== null).join('\n');
  return { ...loaded, notice: notice || null };
}

/** With a scope, only what decides those paths and names those agents (see policyFrom). */
async function loadPolicy(ws: Workspace, scope: PolicyScope | null): Promise<LoadedPolicy> {
  const { integration, manifest } = ws.settings;
  const blob = ws.integrationManifest;
  if (blob !== null) {
    const source = `${integration}:${manifest}`;
    const ref = { id: blob, file: source, bytes: async () => (await readBlob(blob, ws.paths.toplevel)) ?? new Uint8Array() };
    try {
      return { policy: await policyFrom(ws.settings, ref, ws.cache, scope), source, origin: 'tip', notice: null };
    } catch (error) {
      if (!isSwarmError(error) || error.code !== 'manifest') throw error;
      return lastValidPolicy(ws, error);
    }
  }
  const local = await readBytes(join(ws.paths.toplevel, manifest));
  if (local === null) return { policy: null, source: manifest, origin: 'none', notice: hookMessages.noManifest(manifest) };
  return {
    policy: await policyFrom(ws.settings, manifestFromBytes(local, manifest), ws.cache, scope),
    source: `working tree ${manifest}`,
    origin: 'working-tree',
    notice: hookMessages.manifestFromWorkingTree(integration, manifest),
  };
}

/**
 * The settings and manifest a lead is planning: the working tree's (the files being edited) when
 * `rev` is null, else both at that commit. No manifest there is bad input (exit 2), as is an invalid one.
 */
export async function plannedPolicy(repo: Repository, rev: { commit: string; label: string } | null): Promise<{ policy: CompiledPolicy; source: string }> {
  const top = repo.paths.toplevel;
  if (rev !== null) {
    const settings = await settingsAt(rev.commit, repo.cache, top);
    const source = `${rev.label}:${settings.manifest}`;
    const id = await resolveObject(`${rev.commit}:${settings.manifest}`, top);
    if (id === null) throw new SwarmError('manifest', '', { file: source, errno: 'ENOENT' });
    return { policy: await policyFrom(settings, { id, file: source, bytes: async () => (await readBlob(id, top)) ?? new Uint8Array() }, repo.cache), source };
  }
  const settings = await settingsFrom((await readBytes(join(top, SETTINGS_FILE))) ?? new Uint8Array(), SETTINGS_FILE, repo.cache);
  const bytes = await readBytes(join(top, settings.manifest));
  if (bytes === null) throw new SwarmError('manifest', '', { file: settings.manifest, errno: 'ENOENT' });
  return { policy: await policyFrom(settings, manifestFromBytes(bytes, settings.manifest), repo.cache), source: settings.manifest };
}
