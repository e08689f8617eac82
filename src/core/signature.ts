import { agentSpec, type Manifest } from './model.js';
import type { Violation } from './ownership.js';

/**
 * A commit's signature as `git log` reports it with an allowed-signers file built from the
 * manifest: `%G?` and `%GK`. For SSH on git 2.39: G good and the key is an allowed signer,
 * U valid but the key is not in the file, B does not verify (no key named), N unsigned; E, X, Y
 * and R come from OpenPGP (no key, expired signature or key, revoked key).
 */
export interface CommitSignature {
  status: string;
  /** The signing key (SHA256 fingerprint for SSH, key id for OpenPGP); null when git names none. */
  key: string | null;
}

/** Each agent's signing key fingerprint, from the manifest being enforced. */
export type SignerKeys = ReadonlyMap<string, string>;

/**
 * Under `identity: signed`: is the commit signed by the key of the agent it claims (its trailer)?
 * The fingerprint decides, not git's principal (%GS): only the key the manifest gives that agent
 * counts, whatever else git or gpg would call good. A commit that names no agent, or an agent not
 * in the manifest, is refused by the ownership rule already.
 */
export function checkSignature(manifest: Manifest, signers: SignerKeys, claimed: string | null, signature: CommitSignature): Violation[] {
  if (claimed === null || !agentSpec(manifest, claimed)) return [];
  const violation = (code: Violation['code'], signer?: Violation['signer']): Violation[] => [
    { code, agent: claimed, path: null, holders: [], waitFor: [], ...(signer ? { signer } : {}) },
  ];
  const expected = signers.get(claimed);
  if (expected === undefined) return violation('no-signing-key');
  if (signature.status === 'N') return violation('unsigned');
  if (signature.status === 'G' && signature.key === expected) return [];
  // Its own key without a good status (git refused it, or a minimum trust level did): not proven.
  if (signature.status === 'B' || signature.key === null || signature.key === expected) {
    return violation('bad-signature', { key: signature.key, agent: signature.key === expected ? claimed : null });
  }
  const owner = [...signers].find(([, key]) => key === signature.key)?.[0] ?? null;
  return violation('wrong-signer', { key: signature.key, agent: owner });
}
