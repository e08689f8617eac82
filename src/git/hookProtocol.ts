/**
 * Everything git-swarm's hooks and its CLI must agree on, defined once: the hook names, the
 * pre-commit stamp (the TS writer and the shell reader are both generated from STAMP_FIELDS) and
 * the hook scripts themselves. Pure text: src/git/hooks.ts writes the files.
 */

/** The hooks git-swarm itself runs in; husky's stubs call these scripts. */
export const SWARM_HOOKS = ['pre-commit', 'prepare-commit-msg', 'commit-msg', 'pre-push'] as const;
export type SwarmHook = (typeof SWARM_HOOKS)[number];

/**
 * The hook of the optional guard on the integration branch (guardIntegration). husky has no stub
 * for it, so its script goes straight into core.hooksPath.
 */
export const GUARD_HOOK = 'reference-transaction';

/** The shell library every script sources. */
export const HOOK_LIBRARY = 'lib.sh';

/** The lease ledger's ref: the stamp binds its version, since leases decide what a commit may touch. */
export const LEDGER_REF = 'refs/swarm/leases';

/** The one-shot stamp pre-commit leaves beside the index (see writeStamp in stamp.ts). */
export const STAMP_FILE = 'swarm-verified';

/**
 * The stamp's lines, in order, each with the shell expression prepare-commit-msg computes to
 * compare (inside verified_agent, where $dir is the index's folder and $spec the stamp's first
 * line): together, everything pre-commit's decision read. The first line is the manifest's
 * revision expression (refs/heads/<integration>:<manifest>) the check resolved, for the shell to
 * resolve again, with the `.swarmrc` on the same tip. A last line carries the agent the check
 * passed for; it is the answer, not a condition.
 */
const STAMP_FIELDS = [
  // git ends the index with a checksum of everything before it: its size plus that checksum's
  // last 20 bytes identify the content without hashing it. Arithmetic expansion trims wc's
  // padding and echo joins od's lines, each sparing a process.
  { field: 'index', shell: '$(($(wc -c < "$GIT_INDEX_FILE"))) $(echo $(tail -c 20 "$GIT_INDEX_FILE" | od -An -v -tx1))' },
  { field: 'identity', shell: '${SWARM_AGENT:-$(git config --get swarm.agent)}' },
  // During a merge, what is charged depends on the other parents.
  { field: 'merge', shell: '$(swarm_join "$dir/MERGE_HEAD")' },
  // The commit the staged changes were taken against, the manifest blob and the .swarmrc blob on
  // the same branch tip, and the lease ledger's version, in one git call (echo joins its lines
  // with a space; a ledger that does not exist yet prints as its name).
  { field: 'revisions', shell: `$(echo $(git rev-parse HEAD "$spec" "\${spec%%:*}:.swarmrc" ${LEDGER_REF} 2>/dev/null))` },
  // Last: never empty, so the comparison cannot lose a trailing empty line.
  { field: 'head', shell: '$(IFS= read -r line < "$dir/HEAD"; printf %s "$line")' },
] as const;

export type StampValues = Record<(typeof STAMP_FIELDS)[number]['field'], string>;

export function formatStamp(spec: string, values: StampValues, agent: string): string {
  return [spec, ...STAMP_FIELDS.map((f) => values[f.field]), agent, ''].join('\n');
}

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** What the generated scripts need to know; every path absolute. */
export interface HookScriptParams {
  node: string;
  cli: string;
  commonDir: string;
  /** git-swarm's husky directory (<common dir>/swarm/hooks); core.hooksPath is its `_`. */
  home: string;
  /** The one line each hook prints when node or the CLI has gone since init. */
  nodeMissing: string;
  cliMissing: string;
}

function library(p: HookScriptParams): string {
  const n = STAMP_FIELDS.length;
  return `# git-swarm's shell library, written by \`git swarm init\` (src/git/hookProtocol.ts); its hooks source it.
swarm_node=${shellQuote(p.node)}
swarm_cli=${shellQuote(p.cli)}
swarm_common=${shellQuote(p.commonDir)}
swarm_home=${shellQuote(p.home)}
swarm_nl='
'

# swarm <args>: runs the CLI. When node or the CLI has gone since init, one line says which and how
# to fix it, and the hook fails: a guard that cannot run refuses rather than letting work through.
swarm() {
  if [ ! -x "$swarm_node" ]; then echo ${shellQuote(p.nodeMissing)} >&2; return 1; fi
  if [ ! -f "$swarm_cli" ]; then echo ${shellQuote(p.cliMissing)} >&2; return 1; fi
  "$swarm_node" "$swarm_cli" "$@"
}

# swarm_chain: sets $chain to the hooks git would run without git-swarm, looked up now so a hook
# manager installed later (husky's prepare) is honoured: core.hooksPath from the repository's own
# config file (relative to the worktree top, where git runs hooks), else <common dir>/hooks; never
# git-swarm's own, which would recurse. The shell scans the file first: git starts only when the
# key is there.
swarm_chain() {
  chain=
  while IFS= read -r line || [ -n "$line" ]; do
    case $line in *[hH][oO][oO][kK][sS][pP][aA][tT][hH]*)
      chain=$(git config --file "$swarm_common/config" --type=path --get core.hooksPath) || chain=
      break ;;
    esac
  done < "$swarm_common/config"
  case $chain in '') chain="$swarm_common/hooks" ;; /*) ;; *) chain="$PWD/$chain" ;; esac
  if [ "$chain" -ef "$swarm_home/_" ] || [ "$chain" -ef "$swarm_home" ]; then chain="$swarm_common/hooks"; fi
}

# swarm_run_chained <name> <args>: runs the chained hook of that name, when there is one.
swarm_run_chained() {
  swarm_chain
  name=$1
  shift
  [ -x "$chain/$name" ] || return 0
  "$chain/$name" "$@"
}

# add_trailer <message-file> <agent> [<lease tokens>]: adds "Swarm-Agent: <agent>" (and
# "Swarm-Lease: <tokens>" when the commit relies on leases) with git's own trailer rules,
# replacing any other value, unless the message is empty (so git still aborts an empty commit).
add_trailer() {
  [ -n "$2" ] || return 0
  sed '/^# -* >8 -*$/,$d' "$1" | grep -v '^#' | grep -q '[^[:space:]]' || return 0
  # git merge writes its message without a final newline; interpret-trailers would then glue the
  # trailer to the subject line, where git no longer reads it as a trailer.
  [ -z "$(tail -c 1 "$1")" ] || echo >> "$1"
  if [ -n "\${3:-}" ]; then
    git interpret-trailers --in-place --if-exists replace --trailer "Swarm-Agent: $2" --trailer "Swarm-Lease: $3" "$1"
  else
    git interpret-trailers --in-place --if-exists replace --trailer "Swarm-Agent: $2" "$1"
  fi
}

# split_answer <answer>: the CLI answers the agent on its first line and the lease tokens the
# commit relies on, if any, on its second; sets $agent and $leases without starting a process.
split_answer() {
  agent=\${1%%"$swarm_nl"*}
  leases=
  case $1 in *"$swarm_nl"*) leases=\${1#*"$swarm_nl"} ;; esac
}

# trailer_record <agent> <leases>: what prepare-commit-msg trailered, for commit-msg to hold the message to.
trailer_record() {
  [ -n "\${GIT_INDEX_FILE:-}" ] || return 0
  printf '%s\n%s\n' "$1" "$2" > "$(dirname "$GIT_INDEX_FILE")/swarm-trailer"
}

# swarm_join <file>: the lines of a regular file joined by spaces, nothing when there is none; in
# the shell itself, as each process counts on the commit path.
swarm_join() {
  [ -f "$1" ] || return 0
  sep=
  while IFS= read -r line || [ -n "$line" ]; do printf '%s%s' "$sep" "$line"; sep=' '; done < "$1"
}

# verified_agent: when pre-commit passed this exact index, with the same identity input
# (SWARM_AGENT, else git config swarm.agent), HEAD (branch and commit), merge in progress, .swarmrc
# and manifest blob on the integration branch, in the last 5 minutes, prints the agent it passed
# for (possibly empty), uses the stamp up and succeeds; otherwise fails and the CLI must check.
# Anyone who can write the git dir can write a matching stamp: it spares a node start, it proves
# nothing, and CI's git swarm check judges every commit whatever the hooks said.
verified_agent() {
  [ -n "\${GIT_INDEX_FILE:-}" ] || return 1
  dir=$(dirname "$GIT_INDEX_FILE")
  stamp="$dir/${STAMP_FILE}"
  # A regular file, not a symlink: a named pipe in its place would block the reads below forever.
  [ -f "$stamp" ] && [ ! -h "$stamp" ] || return 1
  [ -n "$(find "$stamp" -mmin -5 2>/dev/null)" ] || return 1
  IFS= read -r spec < "$stamp" || return 1
  # pre-commit writes refs/heads/<integration>:<manifest>; nothing else may reach git's arguments.
  case $spec in refs/heads/*) ;; *) return 1 ;; esac
  expected="${STAMP_FIELDS.map((f) => f.shell).join('\n')}"
  [ "$(sed -n 2,${n + 1}p "$stamp")" = "$expected" ] || return 1
  sed -n ${n + 2}p "$stamp"
  rm -f "$stamp"
}
`;
}

function header(p: HookScriptParams, what: string): string {
  return `# ${what}
# Written by \`git swarm init\` (src/git/hookProtocol.ts); run it again to rewrite this file.
. ${shellQuote(`${p.home}/${HOOK_LIBRARY}`)}
`;
}

const BYPASS = '# Bypass for one command: SWARM_SKIP=1 or HUSKY=0; CI (`git swarm check`) still catches what it lets through.';

const SCRIPTS: Record<SwarmHook, (p: HookScriptParams) => string> = {
  // The chained hook runs first, so the check (and its stamp) sees the index it leaves.
  'pre-commit': (p) => `${header(p, 'git-swarm pre-commit hook: the chained pre-commit, then the ownership check.')}${BYPASS}
swarm_run_chained pre-commit "$@" || exit $?
swarm hook pre-commit "$@"
`,
  // Git runs it even with --no-verify: it repeats the check unless pre-commit passed this very index.
  'prepare-commit-msg': (p) => `${header(p, 'git-swarm prepare-commit-msg hook: repeats the check (unless pre-commit passed this index) and adds the Swarm-Agent trailer.')}swarm_run_chained prepare-commit-msg "$@" || exit $?
# An amend (source "commit") is judged against the amended commit's parent: never by pre-commit's stamp.
{ [ "$2" != commit ] && answer=$(verified_agent); } || answer=$(swarm hook prepare-commit-msg "$@") || exit $?
split_answer "$answer"
trailer_record "$agent" "$leases"
add_trailer "$1" "$agent" "$leases"
`,
  // The message may have been written (or its trailers rewritten) in the editor after
  // prepare-commit-msg ran: only what prepare-commit-msg found names the committer and its leases.
  'commit-msg': (p) => `${header(p, 'git-swarm commit-msg hook: holds the Swarm-Agent and Swarm-Lease trailers to what prepare-commit-msg found.')}swarm_run_chained commit-msg "$@" || exit $?
record="$(dirname "\${GIT_INDEX_FILE:-.}")/swarm-trailer"
if [ -n "\${GIT_INDEX_FILE:-}" ] && [ -f "$record" ]; then
  { IFS= read -r agent; IFS= read -r leases; } < "$record" || true
  rm -f "$record"
  { grep -vi -e '^swarm-agent[[:space:]]*:' -e '^swarm-lease[[:space:]]*:' "$1" || true; } > "$1.swarm" && mv "$1.swarm" "$1"
  add_trailer "$1" "$agent" "$leases"
elif ! grep -qi '^Swarm-Agent:' "$1"; then
  agent=$(swarm hook commit-msg "$1") || exit $?
  add_trailer "$1" "$agent"
fi
`,
  'pre-push': (p) => `${header(p, 'git-swarm pre-push hook: checks every commit the remote lacks, as CI will, then the chained pre-push.')}${BYPASS}
input=$(cat)
printf '%s\\n' "$input" | swarm hook pre-push "$@" || exit $?
printf '%s\\n' "$input" | swarm_run_chained pre-push "$@"
`,
};

/** git-swarm's own files for its husky directory: the four hook scripts and their library. */
export function hookScripts(p: HookScriptParams): Record<string, string> {
  const files: Record<string, string> = { [HOOK_LIBRARY]: library(p) };
  for (const hook of SWARM_HOOKS) files[hook] = SCRIPTS[hook](p);
  return files;
}

/**
 * The script git runs directly (from core.hooksPath) for a hook of any other name: it runs the
 * chained hook of that name, so post-checkout, git-lfs's hooks or husky's own keep working.
 */
export function passThroughScript(p: HookScriptParams, name: string): string {
  return `#!/bin/sh
${header(p, `git-swarm pass-through: runs the ${name} hook git would run without git-swarm.`)}swarm_run_chained ${name} "$@"
`;
}

/**
 * A case pattern matching `text` in any letter case: on a case-insensitive file system
 * refs/heads/MAIN is the file of refs/heads/main. Everything but letters is quoted.
 */
function foldedPattern(text: string): string {
  return [...text]
    .map((c) => {
      const [lower, upper] = [c.toLowerCase(), c.toUpperCase()];
      return lower !== upper && lower.length === 1 && upper.length === 1 ? `[${lower}${upper}]` : shellQuote(c);
    })
    .join('');
}

/**
 * The guard git runs for every reference transaction, fetches included (in git 2.39 a fetch runs
 * one transaction per ref, each twice: prepared, committed). Everything but a prepared transaction
 * that moves the integration branch ends in the shell, with no process started; only that one
 * goes to the CLI, given the lines naming the branch. The branch is baked in by init together
 * with swarm.integration, which every hook checks against the tip's .swarmrc: a renamed
 * integration branch makes the old name's updates fail closed, and doctor names the mismatch.
 * With a chained reference-transaction hook (there at init), that hook gets every state and line.
 */
export function guardScript(p: HookScriptParams, integration: string, chained: boolean): string {
  const library = shellQuote(`${p.home}/${HOOK_LIBRARY}`);
  const collect = `updates=
while IFS= read -r line; do
${chained ? '  input="$input$line$swarm_nl"\n' : ''}  case $line in *${foldedPattern(` refs/heads/${integration}`)}) updates="$updates$line$swarm_nl" ;; esac
done`;
  const judge = 'printf %s "$updates" | swarm hook reference-transaction "$1"';
  const body = chained
    ? `. ${library}
input=
${collect}
if [ "$1" = prepared ] && [ -n "$updates" ]; then ${judge} || exit $?; fi
printf %s "$input" | swarm_run_chained reference-transaction "$@"
`
    : `case $1 in prepared) ;; *) exit 0 ;; esac
swarm_nl='
'
${collect}
[ -n "$updates" ] || exit 0
. ${library}
${judge}
`;
  return `#!/bin/sh
# git-swarm reference-transaction hook: refuses updates of ${integration} that do not come from a lead (git swarm land).
# Written by \`git swarm init\` (src/git/hookProtocol.ts) because .swarmrc sets guardIntegration; run it again to rewrite this file.
# The guarded ref, as git swarm doctor reads it back; the case pattern below matches it in any letter case.
swarm_guarded=${shellQuote(` refs/heads/${integration}`)}
${body}`;
}

/** The integration branch an installed guard script watches (refs/heads/…), null when the text is no guard of git-swarm's. */
export function guardedRef(scriptText: string): string | null {
  const m = /^swarm_guarded=' ((?:[^']|'\\'')*)'$/m.exec(scriptText);
  return m ? m[1]!.replace(/'\\''/g, "'") : null;
}

/** Reads back what an installed library calls, for doctor: null when it is not git-swarm's. */
export function installedRuntime(libraryText: string): { node: string; cli: string } | null {
  const value = (name: string) => {
    const m = new RegExp(`^${name}='((?:[^']|'\\\\'')*)'$`, 'm').exec(libraryText);
    return m ? m[1]!.replace(/'\\''/g, "'") : null;
  };
  const node = value('swarm_node');
  const cli = value('swarm_cli');
  return node && cli ? { node, cli } : null;
}

/** Whether a file in git-swarm's husky directory is one git-swarm wrote and that sources its library. */
export function sourcesLibrary(scriptText: string, home: string): boolean {
  return scriptText.includes(`. ${shellQuote(`${home}/${HOOK_LIBRARY}`)}\n`);
}
