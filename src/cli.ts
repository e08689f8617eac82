import { closest } from './core/didYouMean.js';
import { EXIT, exitCodeFor, isSwarmError, SwarmError } from './errors.js';
import { help, messages } from './messages.js';
import { VERSION } from './version.js';

type Runner = (args: string[]) => Promise<number>;

/** Commands load lazily: a hook must not pay for the code of `init` or `doctor`. */
const COMMANDS: Record<string, () => Promise<{ run: Runner }>> = {
  init: () => import('./commands/init.js'),
  doctor: () => import('./commands/doctor.js'),
  whoami: () => import('./commands/whoami.js'),
  check: () => import('./commands/check.js'),
  hook: () => import('./commands/hook.js'),
  'merge-driver': () => import('./commands/mergeDriver.js'),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${help.main(VERSION)}\n`);
    return name === undefined ? EXIT.badInput : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  const load = COMMANDS[name];
  if (!load) throw new SwarmError('usage', messages.unknownCommand(name, closest(name, Object.keys(COMMANDS)), Object.keys(COMMANDS)));
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${help.command(name)}\n`);
    return EXIT.ok;
  }
  return (await load()).run(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (isSwarmError(error)) {
      process.stderr.write(`${error.message.startsWith('git-swarm') ? '' : 'git-swarm: '}${error.message}\n`);
      process.exitCode = exitCodeFor(error.code);
    } else {
      process.stderr.write(`${messages.internal(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`);
      process.exitCode = EXIT.internal;
    }
  },
);
