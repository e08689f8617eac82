/**
 * Every failure a user can cause carries a stable code and the data that explains it (file, key,
 * ref, holder…), and serialises to JSON; cli.ts maps codes to exit codes in one place. Layers that
 * must not write prose (src/git, src/core) throw with data only; src/messages words them.
 */
export type ErrorCode =
  | 'usage' // bad command line
  | 'config' // .swarmrc invalid
  | 'manifest' // manifest invalid
  | 'ledger' // a document under refs/swarm/* is corrupt or foreign
  | 'revision' // unknown revision, missing history
  | 'repository' // not a git repository, bare repository
  | 'git-version' // git too old or missing
  | 'filesystem' // a file git-swarm must read or write is missing, a directory, unreadable…
  | 'refused' // a rule refused the operation
  | 'contention' // a claim still held, a target that kept moving
  | 'interrupted' // stopped by a signal (Ctrl-C), after cleaning up
  | 'git'; // git itself failed unexpectedly

/** Fields an error may carry, beside its code. Each is optional; `file` and `key` locate bad input. */
export interface ErrorData {
  file?: string;
  key?: string;
  argument?: string;
  ref?: string;
  holder?: string;
  /** For 'git': the git arguments, its exit code and what it printed on stderr. */
  command?: readonly string[];
  exitCode?: number;
  stderr?: string;
  /** For 'git-version': what was found and what is needed. */
  found?: string;
  needed?: string;
  /** For 'filesystem': the operating system's error code (EISDIR, EACCES…). */
  errno?: string;
  /** For validation errors: every problem found, each with its key. */
  problems?: ReadonlyArray<{ key: string; message: string }>;
}

export class SwarmError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly data: ErrorData = {},
  ) {
    super(message);
    this.name = 'SwarmError';
  }

  toJSON(): { code: ErrorCode; message: string } & ErrorData {
    return { code: this.code, message: this.message, ...this.data };
  }
}

/**
 * A SwarmError from any bundle: validation runs in dist/heavy.js, which has its own copy of the
 * class, so `instanceof` alone would miss it.
 */
export function isSwarmError(error: unknown): error is SwarmError {
  return error instanceof Error && error.name === 'SwarmError' && typeof (error as { code?: unknown }).code === 'string';
}

/** interrupted: 128 + SIGINT, as a shell reports a command stopped by Ctrl-C. */
export const EXIT = { ok: 0, refused: 1, badInput: 2, contention: 3, internal: 70, interrupted: 130 } as const;

export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'refused':
      return EXIT.refused;
    case 'contention':
      return EXIT.contention;
    case 'interrupted':
      return EXIT.interrupted;
    case 'usage':
    case 'config':
    case 'manifest':
    case 'ledger':
    case 'revision':
    case 'repository':
    case 'git-version':
    case 'filesystem':
    case 'git':
      return EXIT.badInput;
  }
}
