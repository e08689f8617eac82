/**
 * Everything said about invalid settings and manifests: syntax errors, zod's custom messages, the
 * problems src/core reports as data (globs, rules across agents), and the field descriptions the
 * JSON Schemas show in editors.
 */
import { MAX_DURATION } from '../core/duration.js';
import type { GlobProblem } from '../core/glob.js';
import type { Problem } from '../core/manifestRules.js';
import type { BadCharacter } from '../schema/characters.js';
import { didYouMean } from './common.js';

/** A validation path the way people write it: agents.bob.after[0], agents["two words"]. */
export function formatJsonPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^(\$schema|[A-Za-z][\w-]*)$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out || '(top level)';
}

/** Why a pattern is not a claim glob, e.g. 'is absolute (starts with "/")'. */
export function globReason(problem: GlobProblem): string {
  const reason = globProblemReason(problem);
  return problem.alternative === undefined ? reason : `brace alternative ${JSON.stringify(problem.alternative)} ${reason}`;
}

function globProblemReason(problem: GlobProblem): string {
  switch (problem.code) {
    case 'empty':
      return 'is empty';
    case 'nul':
      return 'contains a NUL character';
    case 'too-many-alternatives':
      return `has more than ${problem.limit} brace alternatives`;
    case 'negation':
      return 'starts with "!" (negation is not supported)';
    case 'absolute':
      return 'is absolute (starts with "/")';
    case 'empty-segment':
      return 'has an empty path segment ("//")';
    case 'dot-segment':
      return `has a "${problem.segment}" segment`;
    case 'trailing-escape':
      return `ends the segment "${problem.segment}" with a "\\" that escapes nothing ("/" cannot be escaped)`;
    case 'star-star-in-segment':
      return `has "**" inside the segment "${problem.segment}": "**" must be a whole path segment (write "**/*.c" for any depth, "src/a*/**" for everything below)`;
    case 'unclosed-class':
      return `has an unclosed "[" in "${problem.segment}" (write "\\[" for a literal "["; a class cannot contain "/")`;
    case 'unknown-class':
      return `has an unknown character class "[:${problem.name}:]"`;
  }
}

/** A rule across agents that the manifest breaks, without its path. */
export function manifestProblemText(problem: Problem): string {
  switch (problem.code) {
    case 'after-self':
      return 'an agent cannot come after itself';
    case 'unknown-agent': {
      const { agent, hint, known } = problem.data;
      return `unknown agent "${agent}"${didYouMean(hint)}; agents: ${known.join(', ')}`;
    }
    case 'reader-holds':
      return problem.data.list === 'claims' ? 'a reader may not hold claims' : 'a reader may not hold shared paths';
    case 'duplicate-claim': {
      const { glob, first } = problem.data;
      return `duplicate claim "${glob}" (already at ${formatJsonPath([first.list, first.index])})`;
    }
    case 'duplicate-after':
      return `"${problem.data.agent}" is already listed at ${formatJsonPath(['after', problem.data.first])}`;
    case 'after-cycle':
      return `"after" forms a cycle: ${problem.data.cycle.join(' → ')}`;
    case 'shared-signing-key':
      return `the same key as agents.${problem.data.first}.signingKey: each agent needs its own key, or a signature cannot tell them apart`;
  }
}

function codePoint(n: number): string {
  return `U+${n.toString(16).toUpperCase().padStart(4, '0')}`;
}

function badCharacterText(bad: BadCharacter): string {
  switch (bad.kind) {
    case 'control':
      return `the control character ${codePoint(bad.codePoint)}`;
    case 'bidi':
      return `the bidirectional control ${codePoint(bad.codePoint)}, which makes text display in another order than it is stored`;
    case 'surrogate':
      return `an unpaired surrogate ${codePoint(bad.codePoint)}, which is not a character`;
  }
}

export const validationMessages = {
  invalidSyntax: (file: string, line: number, column: number, detail: string) => `${file}: line ${line}, column ${column}: ${detail}`,
  /** `found` is the offending character, undefined at the end of the text. */
  invalidJson: (found: string | undefined) => `not valid JSON: unexpected ${found === undefined ? 'end of file' : JSON.stringify(found)}`,
  invalidUtf8: (byte: number) => `not valid UTF-8 (byte 0x${byte.toString(16).padStart(2, '0')}): save the file as UTF-8`,
  tooDeep: (max: number) => `nested deeper than ${max} levels`,
  duplicateKey: (firstLine: number, secondLine: number) =>
    `given twice (${firstLine === secondLine ? `both on line ${firstLine}` : `lines ${firstLine} and ${secondLine}`}): only the last would count; keep one`,
  yamlAlias: (key: string) => `${key}: YAML aliases (*name) are not allowed here; write the value out`,
  badCharacter: (bad: BadCharacter, inKey: boolean) => `${inKey ? 'the key contains' : 'contains'} ${badCharacterText(bad)}`,
  invalidFile: (file: string, problems: ReadonlyArray<{ key: string; message: string }>) =>
    `${file}: invalid\n${problems.map((p) => `  ${p.key}: ${p.message}`).join('\n')}`,
  /** `allowed` excludes $schema, which every file accepts but nobody needs suggested. */
  unknownKey: (hint: string | null, allowed: readonly string[]) => `unknown key${didYouMean(hint)}; allowed: ${allowed.join(', ')}`,
  invalidGlob: (pattern: string, problem: GlobProblem) => `invalid glob ${JSON.stringify(pattern)}: ${globReason(problem)}`,
  agentName: 'agent names use letters, digits, ".", "_" and "-", and start with a letter or digit',
  agentNameBranch: 'agent names may not contain "..", nor end with "." or ".lock" (git could not name its branch)',
  repoPath: (path: string) => `must be a relative file path inside the repository, got ${JSON.stringify(path)}`,
  duration: 'a duration such as 90s, 30m, 4h or 2d',
  durationTooLong: `at most ${MAX_DURATION}`,
  branchName: 'not a valid git branch name',
  branchPatternAgentOnce: 'must contain "{agent}" exactly once',
  branchPatternBranches: 'must give valid branch names',
  ttlOrder: 'defaultTtl must not exceed maxTtl',
  sshPublicKey: 'an SSH public key line such as "ssh-ed25519 AAAAC3Nz… alice@example" (the contents of a .pub file, not the private key)',
  sshKeyBlob: (type: string) => `the key data is not a ${type} public key (truncated or mispasted?)`,
  ledgerTokens: 'a lease holds a token not below nextToken: fencing tokens would repeat',
  ledgerTickets: 'a ticket is not below nextTicket: queue places would repeat',
  ledgerDuplicateToken: 'two leases hold the same fencing token',
  ledgerLeaseTooLong: 'a lease longer than 30 days: no TTL allows it',
  ledgerTooBig: (bytes: number, max: number) => `${bytes} bytes, more than the ${max} a ledger document may hold`,
  signedNeedsDeny: 'identity: signed needs unidentified: deny (a commit with no Swarm-Agent trailer names no agent whose signature could be checked)',
} as const;

/** Titles and field descriptions of the generated JSON Schemas (schema/*.schema.json), for editors. */
export const schemaDocs = {
  manifestTitle: 'git-swarm manifest (.swarm/manifest.json)',
  settingsTitle: 'git-swarm settings (.swarmrc)',
  agent: {
    role: 'writer (default), reader (may not commit) or lead (may edit the manifest)',
    task: 'What the agent is working on, for people and reports.',
    claims: 'Globs this agent may change, exclusively.',
    shared: 'Globs this agent may change, shared with others.',
    after: 'Agents that must land before this one.',
    group: 'Agents of one group land together or not at all.',
    signingKey: 'SSH public key line (ssh-ed25519 AAAA… comment) that signs this agent\'s commits; required for agents that commit under identity: signed.',
  },
  settings: {
    integration: 'The branch work lands on; its tip holds the manifest that binds agents.',
    manifest: 'Path of the manifest in the repository.',
    branchPattern: 'Branch name of an agent; {agent} is its name. A branch matching it identifies the agent.',
    worktrees: 'Folder for agent worktrees (spawn); {repo} is the repository folder name.',
    unidentified: 'Commits with no agent identity: allow (people keep working) or deny.',
    identity: 'asserted: the Swarm-Agent trailer is believed; signed: every commit must carry a good SSH signature by its agent\'s signingKey (needs unidentified: deny).',
    alwaysAllowed: "Globs any writer may change (still subject to other agents' exclusive claims).",
    defaultTtl: 'Lease length when git swarm claim is given none (at most maxTtl).',
    maxTtl: 'Longest lease anyone may take (at most 30d).',
    maxActiveAgents: 'Agents with unlanded work at once.',
    maxClaimsPerAgent: 'Claims plus leases one agent may hold.',
    maxLandingBatch: 'Agents one land may publish at once.',
    check: 'Command run on the landing result before publishing (null: none).',
    checkTimeout: 'How long the check may run before it is stopped and counts as failed.',
    remote: 'Remote whose refs/swarm/* coordinate agents across machines (null: this machine only).',
    guardIntegration: 'Refuse moves of the integration branch by anyone but a lead, so only land and undo move it (a reference-transaction hook, installed by init).',
  },
} as const;
