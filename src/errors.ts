/** Every failure a user can cause carries a stable code; cli.ts maps codes to exit codes in one place. */
export type ErrorCode =
  | 'usage' // bad command line
  | 'config' // .swarmrc invalid
  | 'manifest' // manifest invalid
  | 'revision' // unknown revision, missing history
  | 'repository' // not a git repository, bare repository
  | 'git-version' // git too old
  | 'refused' // a rule refused the operation
  | 'contention' // a claim still held, a target that kept moving
  | 'git'; // git itself failed unexpectedly

export class SwarmError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SwarmError';
  }
}

/**
 * A SwarmError from any bundle: validation runs in dist/heavy.js, which has its own copy of the
 * class, so `instanceof` alone would miss it.
 */
export function isSwarmError(error: unknown): error is SwarmError {
  return error instanceof Error && error.name === 'SwarmError' && typeof (error as { code?: unknown }).code === 'string';
}

export const EXIT = { ok: 0, refused: 1, badInput: 2, contention: 3, internal: 70 } as const;

export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'refused':
      return EXIT.refused;
    case 'contention':
      return EXIT.contention;
    case 'usage':
    case 'config':
    case 'manifest':
    case 'revision':
    case 'repository':
    case 'git-version':
    case 'git':
      return EXIT.badInput;
  }
}
