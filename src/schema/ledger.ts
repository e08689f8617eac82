import { z } from 'zod';
import type { LeaseDocument } from '../core/leases.js';
import { SwarmError } from '../errors.js';
import { formatJsonPath, validationMessages as m } from '../messages/validation.js';
import { agentNameField, globField } from './fields.js';
import { decodeText, parseJsonText } from './parseText.js';

/** Counters stay below what a Swarm-Lease trailer can name (15 digits): a token no commit could carry would fail every commit. */
export const MAX_COUNTER = 999_999_999_999_999;
/** Far beyond any swarm's state; a bigger document is an attack on every reader's time and memory. */
export const MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;
const MAX_LEASE_MS = 30 * 24 * 3600_000;

const count = z.number().int().nonnegative().max(MAX_COUNTER);
const positive = count.min(1);
const time = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

const leaseSchema = z
  .strictObject({ token: positive, agent: agentNameField, pattern: globField, shared: z.boolean(), granted: time, expires: time })
  .refine((l) => l.expires - l.granted <= MAX_LEASE_MS, { message: m.ledgerLeaseTooLong, path: ['expires'] });
const ticketSchema = z.strictObject({
  ticket: positive,
  agent: agentNameField,
  patterns: z.array(globField).min(1),
  shared: z.boolean(),
  ttl: positive,
  enqueued: time,
  expires: time,
});

/** refs/swarm/leases: the leases in force and the wait queue, with the counters that only grow. */
export const leaseDocumentSchema = z
  .strictObject({ version: z.literal(1), nextToken: positive, nextTicket: positive, leases: z.array(leaseSchema), queue: z.array(ticketSchema) })
  .refine((d) => d.leases.every((l) => l.token < d.nextToken), { message: m.ledgerTokens, path: ['nextToken'] })
  .refine((d) => d.queue.every((t) => t.ticket < d.nextTicket), { message: m.ledgerTickets, path: ['nextTicket'] })
  .refine((d) => new Set(d.leases.map((l) => l.token)).size === d.leases.length, { message: m.ledgerDuplicateToken, path: ['leases'] });

/**
 * A ledger document read from `where` (the ref and file): a corrupt or foreign document is an
 * error naming it, never an empty ledger, which would hand out paths somebody holds.
 */
export function validateLeaseDocument(content: Uint8Array, where: string): LeaseDocument {
  if (content.length > MAX_DOCUMENT_BYTES) {
    throw new SwarmError('ledger', m.invalidFile(where, [{ key: '(document)', message: m.ledgerTooBig(content.length, MAX_DOCUMENT_BYTES) }]), { file: where, ref: where.split(' ')[0]! });
  }
  const raw = parseJsonText(decodeText(content, where, 'ledger'), where, 'ledger');
  const result = leaseDocumentSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => ({ key: formatJsonPath(i.path), message: i.message }));
  throw new SwarmError('ledger', m.invalidFile(where, problems), { file: where, ref: where.split(' ')[0]!, key: problems[0]?.key, problems });
}

const oid = z.string().regex(/^[0-9a-f]{40,64}$/);

/** refs/swarm/landings: one record per landing run that published. */
export const landingRecordSchema = z.object({
  id: z.string().regex(/^[0-9a-f]{6,64}$/),
  at: z.string(),
  lander: agentNameField,
  integration: z.string(),
  from: oid,
  to: oid,
  landed: z.array(z.object({ agent: agentNameField, commit: oid, merge: oid })),
  failed: z.array(z.object({ unit: z.string(), agent: z.string(), reason: z.string(), detail: z.array(z.string()) })),
  /** Set on the record of an undo: the landing it reverted. */
  undoes: z.string().optional(),
});

export type LandingRecord = z.infer<typeof landingRecordSchema>;

/** A landing record read from `where`; a corrupt one is an error naming it. */
export function validateLandingRecord(content: Uint8Array, where: string): LandingRecord {
  const raw = parseJsonText(decodeText(content, where, 'ledger'), where, 'ledger');
  const result = landingRecordSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => ({ key: formatJsonPath(i.path), message: i.message }));
  throw new SwarmError('ledger', m.invalidFile(where, problems), { file: where, ref: where.split(' ')[0]!, key: problems[0]?.key, problems });
}
