import { closest } from './core/didYouMean.js';
import { EXIT, exitCodeFor, isSwarmError, SwarmError } from './errors.js';
import { errorMessages, errorText } from './messages/errors.js';
import { help, type CommandName } from './messages/help.js';
import { VERSION } from './version.js';

type Runner = (args: string[]) => Promise<number>;

/**
 * Commands load lazily: a hook must not pay for the code of `init` or `doctor`. Typed by the help
 * texts' keys, so a command without help (or help without a command) does not compile.
 */
const COMMANDS: Record<CommandName, () => Promise<{ run: Runner }>> = {
  init: () => import('./commands/init.js'),
  uninstall: () => import('./commands/uninstall.js'),
  doctor: () => import('./commands/doctor.js'),
  whoami: () => import('./commands/whoami.js'),
  check: () => import('./commands/check.js'),
  plan: () => import('./commands/plan.js'),
  claim: () => import('./commands/claim.js'),
  release: () => import('./commands/release.js'),
  renew: () => import('./commands/renew.js'),
  claims: () => import('./commands/claims.js'),
  ready: () => import('./commands/ready.js'),
  land: () => import('./commands/land.js'),
  landings: () => import('./commands/landings.js'),
  undo: () => import('./commands/undo.js'),
  spawn: () => import('./commands/spawn.js'),
  retire: () => import('./commands/retire.js'),
  hook: () => import('./commands/hook.js'),
  'merge-driver': () => import('./commands/mergeDriver.js'),
};

/** Own keys only: `toString` is not a command. */
function isCommand(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}

/** `help`, `help <command>`, `<command> --help`: printed, exit 0; an unknown topic is a usage error. */
function printHelp(topic: string | undefined): number {
  if (topic === undefined) {
    process.stdout.write(`${help.main(VERSION)}\n`);
    return EXIT.ok;
  }
  if (!isCommand(topic)) throw unknownCommand(topic);
  process.stdout.write(`${help.command(topic)}\n`);
  return EXIT.ok;
}

function unknownCommand(name: string): SwarmError {
  const names = Object.keys(COMMANDS);
  return new SwarmError('usage', errorMessages.unknownCommand(name, closest(name, names), names), { argument: name });
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined) {
    process.stdout.write(`${help.main(VERSION)}\n`);
    return EXIT.badInput;
  }
  if (name === '--help' || name === '-h') return printHelp(undefined);
  if (name === 'help') return printHelp(args[0]);
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  if (!isCommand(name)) throw unknownCommand(name);
  if (args.includes('--help') || args.includes('-h')) return printHelp(name);
  return (await COMMANDS[name]()).run(args);
}

/** Errors are JSON too when the command line asks for JSON, so a program never parses prose. */
function wantsJson(argv: readonly string[]): boolean {
  return argv.some((a, i) => a === '--format=json' || (a === '--format' && argv[i + 1] === 'json'));
}

const FILE_ERRORS = new Set(['EISDIR', 'ENOTDIR', 'EACCES', 'EPERM', 'ENOENT', 'EROFS', 'ENOSPC', 'ELOOP', 'ENAMETOOLONG']);

/** A file that is a directory, unreadable, on a full disk…: the user's to fix (exit 2), not a bug. */
function asFilesystemError(error: unknown): SwarmError | null {
  const e = error as NodeJS.ErrnoException | null;
  if (!e || typeof e.code !== 'string' || typeof e.path !== 'string' || !FILE_ERRORS.has(e.code)) return null;
  return new SwarmError('filesystem', '', { file: e.path, errno: e.code });
}

const argv = process.argv.slice(2);
main(argv).then(
  (code) => {
    process.exitCode = code;
  },
  (thrown: unknown) => {
    const error = asFilesystemError(thrown) ?? thrown;
    if (isSwarmError(error)) {
      const text = errorText(error);
      if (wantsJson(argv)) process.stdout.write(`${JSON.stringify({ ok: false, error: { ...error.toJSON(), message: text } })}\n`);
      process.stderr.write(`${text.startsWith('git-swarm') ? '' : 'git-swarm: '}${text}\n`);
      process.exitCode = exitCodeFor(error.code);
    } else {
      process.stderr.write(`${errorMessages.internal(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`);
      process.exitCode = EXIT.internal;
    }
  },
);
