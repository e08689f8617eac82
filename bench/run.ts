// `npm run bench`: every figure beside its baseline from the same run, as a ratio.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adversarialBench } from './adversarial.js';
import { checkBench } from './check.js';
import { commitBench } from './commit.js';
import { formatFigure } from './figure.js';
import { largeBench } from './large.js';
import { leaseBench } from './leases.js';
import { matchBench } from './match.js';
import { planBench } from './plan.js';
import { landingBench } from './landing.js';
import { guardBench } from './guard.js';

const cli = join(dirname(fileURLToPath(import.meta.url)), 'cli.js');
const only = process.argv[2];

async function main(): Promise<number> {
  let missed = 0;
  const print = (text: string) => process.stdout.write(`${text}\n`);
  print(`git-swarm benchmarks (node ${process.version}, ${new Date().toISOString()})\n`);
  if (!only || only === 'match') {
    const f = await matchBench();
    print(formatFigure(f));
    if (!f.pass) missed++;
  }
  if (!only || only === 'adversarial') {
    const f = await adversarialBench();
    print(formatFigure(f));
    if (!f.pass) missed++;
  }
  if (!only || only === 'commit') {
    const { figures, detail } = await commitBench(cli);
    for (const f of figures) {
      print(formatFigure(f));
      if (!f.pass) missed++;
    }
    print(detail);
  }
  if (!only || only === 'large') {
    const { figure, detail } = await largeBench(cli);
    print(formatFigure(figure));
    if (!figure.pass) missed++;
    print(detail);
  }
  if (!only || only === 'check') {
    for (const f of await checkBench(cli)) {
      print(formatFigure(f));
      if (!f.pass) missed++;
    }
  }
  if (!only || only === 'plan') {
    for (const f of await planBench(cli)) {
      print(formatFigure(f));
      if (!f.pass) missed++;
    }
  }
  if (!only || only === 'landing') {
    for (const f of await landingBench(cli)) {
      print(formatFigure(f));
      if (!f.pass) missed++;
    }
  }
  if (!only || only === 'leases') {
    const { figures, detail } = await leaseBench(cli, join(dirname(cli), 'lease-worker.js'));
    for (const f of figures) {
      print(formatFigure(f));
      if (!f.pass) missed++;
    }
    print(detail);
  }
  if (!only || only === 'guard') {
    for (const f of await guardBench(cli)) {
      print(formatFigure(f));
      if (!f.pass) missed++;
    }
  }
  print(missed === 0 ? '\nall targets met' : `\n${missed} target(s) missed`);
  return missed === 0 ? 0 : 1;
}

main().then((code) => (process.exitCode = code));
