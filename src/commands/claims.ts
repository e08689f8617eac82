import { liveLeases } from '../core/leases.js';
import { EXIT } from '../errors.js';
import { ledgerMessages as m } from '../messages/ledger.js';
import { LeaseLedger } from '../orchestration/ledger.js';
import { openWorkspace } from '../orchestration/workspace.js';
import { parseFormat, parseOptions } from './args.js';

/** Everything in force: leases (holder, pattern, token, expiry) and the wait queue in order. */
export async function run(args: string[]): Promise<number> {
  const { values } = parseOptions('claims', args, { format: { type: 'string', default: 'text' } });
  const format = parseFormat('claims', values.format, ['text', 'json']);
  const ws = await openWorkspace();
  const ledger = await LeaseLedger.open(ws.paths, ws.settings.coordination.remote, 'reader');
  try {
    const state = await ledger.read();
    const now = Date.now();
    const leases = liveLeases(state.document, now);
    const queue = state.document.queue.filter((t) => t.expires > now);
    if (format === 'json') {
      process.stdout.write(`${JSON.stringify({ ledger: state.commit, now, leases, queue })}\n`);
    } else if (leases.length === 0 && queue.length === 0) {
      process.stdout.write(`${m.noLeases}\n`);
    } else {
      const lines = leases.length ? [m.leasesTitle(leases.length), ...leases.map((l) => m.leaseLine(l, now))] : [];
      if (queue.length) lines.push(m.queueTitle(queue.length), ...queue.map((t) => m.ticketLine(t, now)));
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    return EXIT.ok;
  } finally {
    ledger.close();
  }
}
