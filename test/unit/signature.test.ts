/** The verdict on one commit's signature (src/core/signature.ts), over every status git reports. */
import { describe, expect, it } from 'vitest';
import { checkCommit, type CommitRecord } from '../../src/core/commitCheck.js';
import { compilePolicy } from '../../src/core/compilePolicy.js';
import { makeRules } from '../../src/core/ownership.js';
import { checkSignature } from '../../src/core/signature.js';
import { validateManifest, validateSettings } from '../../src/schema/validate.js';

const ALICE_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMo9Z0DhaFDlZ42qSTgaN0P4Eis7VZpv5QnTJyK6u3Yh alice@example';
const manifest = validateManifest(
  JSON.stringify({ version: 1, agents: { lead: { role: 'lead' }, alice: { claims: ['src/**'], signingKey: ALICE_KEY }, bob: { claims: ['db/**'] } } }),
  'm.json',
);
const ALICE = 'SHA256:alice';
const LEAD = 'SHA256:lead';
const signers = new Map([
  ['alice', ALICE],
  ['lead', LEAD],
]);
const verdict = (claimed: string | null, status: string, key: string | null) =>
  checkSignature(manifest, signers, claimed, { status, key }).map((v) => [v.code, v.agent, v.signer ?? null]);

describe('checkSignature', () => {
  it('accepts only a good signature by the claimed agent\'s own key', () => {
    expect(verdict('alice', 'G', ALICE)).toEqual([]);
    expect(verdict('lead', 'G', LEAD)).toEqual([]);
  });

  it('names the agent whose key signed, or none for a stranger\'s (U) or an OpenPGP key (G, E)', () => {
    expect(verdict('lead', 'G', ALICE)).toEqual([['wrong-signer', 'lead', { key: ALICE, agent: 'alice' }]]);
    expect(verdict('alice', 'U', 'SHA256:mallory')).toEqual([['wrong-signer', 'alice', { key: 'SHA256:mallory', agent: null }]]);
    expect(verdict('alice', 'G', '85D4B7A457F2F551')).toEqual([['wrong-signer', 'alice', { key: '85D4B7A457F2F551', agent: null }]]);
    expect(verdict('alice', 'E', '85D4B7A457F2F551')).toEqual([['wrong-signer', 'alice', { key: '85D4B7A457F2F551', agent: null }]]);
  });

  it('unsigned, bad, and the right key without a good status', () => {
    expect(verdict('alice', 'N', null)).toEqual([['unsigned', 'alice', null]]);
    expect(verdict('alice', 'B', null)).toEqual([['bad-signature', 'alice', { key: null, agent: null }]]);
    expect(verdict('alice', 'U', ALICE)).toEqual([['bad-signature', 'alice', { key: ALICE, agent: 'alice' }]]);
  });

  it('an agent without a key cannot pass, whatever signed; no agent or an unknown one is left to the ownership rule', () => {
    expect(verdict('bob', 'G', ALICE)).toEqual([['no-signing-key', 'bob', null]]);
    expect(verdict(null, 'N', null)).toEqual([]);
    expect(verdict('zed', 'N', null)).toEqual([]);
  });
});

describe('checkCommit under each identity mode', () => {
  const commit = (signature?: CommitRecord['signature']): CommitRecord => ({
    sha: 'a'.repeat(40),
    leaseTokens: [],
    parents: [],
    trailerAgents: ['alice'],
    changes: [{ path: 'src/x.ts', status: 'M' }],
    ...(signature ? { signature } : {}),
  });
  const rules = (yaml: string) => makeRules(compilePolicy(validateSettings(yaml, '.swarmrc'), manifest));

  it('asserted ignores signatures; signed refuses a commit read without one (fail closed)', () => {
    expect(checkCommit(rules(''), commit({ status: 'N', key: null }), null, signers)).toEqual([]);
    const signed = rules('identity: signed\nunidentified: deny\n');
    expect(checkCommit(signed, commit({ status: 'G', key: ALICE }), null, signers)).toEqual([]);
    expect(checkCommit(signed, commit(), null, signers).map((v) => v.code)).toEqual(['unsigned']);
    expect(checkCommit(signed, commit({ status: 'G', key: ALICE }), null).map((v) => v.code)).toEqual(['no-signing-key']);
  });
});
