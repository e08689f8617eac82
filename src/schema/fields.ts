import { z } from 'zod';
import { DURATION, isDuration } from '../core/duration.js';
import { globProblem } from '../core/glob.js';
import { validationMessages as m } from '../messages/validation.js';

/** A claim glob; invalid shapes are reported with the reason. */
export const globField = z.string().superRefine((pattern, ctx) => {
  const problem = globProblem(pattern);
  if (problem) ctx.addIssue({ code: 'custom', message: m.invalidGlob(pattern, problem) });
});

export const AGENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Also a name git accepts in a branch (swarm/<agent>): no "..", no trailing "." or ".lock". */
export const agentNameField = z
  .string()
  .regex(AGENT_NAME, m.agentName)
  .refine((n) => !n.includes('..') && !n.endsWith('.') && !n.endsWith('.lock'), m.agentNameBranch);

/** A repository-relative file path such as `.swarm/manifest.json`. */
export const repoPathField = z.string().superRefine((path, ctx) => {
  if (path === '' || /[\x00-\x1f\x7f]/.test(path) || path.startsWith('/') || path.endsWith('/') || path.split('/').some((s) => s === '' || s === '.' || s === '..')) {
    ctx.addIssue({ code: 'custom', message: m.repoPath(path) });
  }
});

/**
 * A regex rather than a refine for the shape, so the JSON Schema carries it as "pattern"; the
 * bound is reported only for a well-shaped duration, so a bad one gets one message.
 */
export const durationField = z
  .string()
  .regex(DURATION, m.duration)
  .refine((d) => !DURATION.test(d) || isDuration(d), m.durationTooLong);

/** A branch name git would accept, checked for the shapes that matter here. */
export const branchField = z
  .string()
  .min(1)
  .refine((b) => !/[\s~^:?*[\\]|\.\.|@\{|^[-/]|\/$|\.lock$|^\.|\/\./.test(b), m.branchName);

/** Key types git's SSH signing can use (ssh-dss is refused by OpenSSH for signatures). */
const SSH_KEY_TYPES = [
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
] as const;

const SSH_PUBLIC_KEY = new RegExp(`^(${SSH_KEY_TYPES.map((t) => t.replace(/[.]/g, '\\.')).join('|')}) ([A-Za-z0-9+/]+={0,2})(?: [^\\x00-\\x1f\\x7f]*)?$`);

/** The key type written inside a public key blob (its first SSH string), or null if there is none. */
function blobKeyType(base64: string): string | null {
  const blob = Buffer.from(base64, 'base64');
  if (blob.length < 4) return null;
  const length = blob.readUInt32BE(0);
  return length > 0 && 4 + length < blob.length ? blob.subarray(4, 4 + length).toString('latin1') : null;
}

/**
 * An SSH public key line as in a `.pub` file: type, base64 key, optional comment. The type written
 * inside the key must match the one in front, which catches truncated or mispasted keys here
 * rather than as a mysterious "unknown key" at check time.
 */
export const sshPublicKeyField = z.string().superRefine((line, ctx) => {
  const match = SSH_PUBLIC_KEY.exec(line);
  if (!match) ctx.addIssue({ code: 'custom', message: m.sshPublicKey });
  else if (blobKeyType(match[2]!) !== match[1]) ctx.addIssue({ code: 'custom', message: m.sshKeyBlob(match[1]!) });
});
