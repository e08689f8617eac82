# Sourced by git-swarm's prepare-commit-msg and commit-msg hooks.
# add_trailer <message-file> <agent>: adds "Swarm-Agent: <agent>" with git's own trailer rules,
# replacing any other value, unless the message is empty (so git still aborts an empty commit).
add_trailer() {
  [ -n "$2" ] || return 0
  sed '/^# -* >8 -*$/,$d' "$1" | grep -v '^#' | grep -q '[^[:space:]]' || return 0
  # git merge writes its message without a final newline; interpret-trailers would then glue the
  # trailer to the subject line, where git no longer reads it as a trailer.
  [ -z "$(tail -c 1 "$1")" ] || echo >> "$1"
  git interpret-trailers --in-place --if-exists replace --trailer "Swarm-Agent: $2" "$1"
}

# verified_agent: when pre-commit passed this exact index, with the same identity inputs
# (SWARM_AGENT, else git config swarm.agent) and HEAD, in the last 5 minutes, prints the agent it
# passed for (possibly empty), uses the stamp up and succeeds; otherwise fails and the CLI must
# check. The stamp is written by `git swarm hook pre-commit` (src/config/stamp.ts).
verified_agent() {
  [ -n "${GIT_INDEX_FILE:-}" ] || return 1
  dir=$(dirname "$GIT_INDEX_FILE")
  stamp="$dir/swarm-verified"
  [ -n "$(find "$stamp" -mmin -5 2>/dev/null)" ] || return 1
  expected="$(wc -c < "$GIT_INDEX_FILE" | tr -d ' ') $(tail -c 20 "$GIT_INDEX_FILE" | od -An -v -tx1 | tr -d ' \n')
${SWARM_AGENT:-$(git config --get swarm.agent)}
$(sed -n 1p "$dir/HEAD")"
  [ "$(sed -n 1,3p "$stamp")" = "$expected" ] || return 1
  sed -n 4p "$stamp"
  rm -f "$stamp"
}
