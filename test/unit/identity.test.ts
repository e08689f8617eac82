import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { agentFromBranch, branchForAgent } from '../../src/core/branchPattern.js';
import { resolveIdentity, type IdentityInputs } from '../../src/core/identity.js';

const inputs = (over: Partial<IdentityInputs>): IdentityInputs => ({
  env: undefined,
  config: undefined,
  branch: null,
  branchPattern: 'swarm/{agent}',
  ...over,
});

describe('resolveIdentity: first hit wins', () => {
  it('SWARM_AGENT wins over git config and branch', () => {
    expect(resolveIdentity(inputs({ env: 'alice', config: 'bob', branch: 'swarm/carol' }))).toEqual({
      agent: 'alice',
      source: 'env',
      branch: null,
    });
  });

  it('git config swarm.agent wins over the branch', () => {
    expect(resolveIdentity(inputs({ config: 'bob', branch: 'swarm/carol' }))).toEqual({
      agent: 'bob',
      source: 'config',
      branch: null,
    });
  });

  it('the branch pattern is the last resort, and it names the branch', () => {
    expect(resolveIdentity(inputs({ branch: 'swarm/carol' }))).toEqual({ agent: 'carol', source: 'branch', branch: 'swarm/carol' });
  });

  it('nothing resolves to an unidentified identity', () => {
    const none = { agent: null, source: null, branch: null };
    expect(resolveIdentity(inputs({}))).toEqual(none);
    expect(resolveIdentity(inputs({ branch: 'main' }))).toEqual(none);
    expect(resolveIdentity(inputs({ branch: 'feature/x' }))).toEqual(none);
    expect(resolveIdentity(inputs({ branch: 'swarm/' }))).toEqual(none);
    expect(resolveIdentity(inputs({ branch: 'swarm/a/b' }))).toEqual(none);
  });

  it('empty and blank values are skipped, not taken as names', () => {
    expect(resolveIdentity(inputs({ env: '', config: 'bob' })).agent).toBe('bob');
    expect(resolveIdentity(inputs({ env: '   ', config: '\t', branch: 'swarm/carol' }))).toEqual({
      agent: 'carol',
      source: 'branch',
      branch: 'swarm/carol',
    });
    expect(resolveIdentity(inputs({ env: ' \n', config: '' })).agent).toBeNull();
  });

  it('surrounding whitespace is trimmed (a value written with a trailing newline)', () => {
    expect(resolveIdentity(inputs({ env: ' alice\n' }))).toEqual({ agent: 'alice', source: 'env', branch: null });
    expect(resolveIdentity(inputs({ config: 'bob\n' })).agent).toBe('bob');
  });

  it('uses the configured branch pattern', () => {
    expect(resolveIdentity(inputs({ branch: 'agents/dave/work', branchPattern: 'agents/{agent}/work' }))).toEqual({
      agent: 'dave',
      source: 'branch',
      branch: 'agents/dave/work',
    });
    expect(resolveIdentity(inputs({ branch: 'swarm/dave', branchPattern: 'agents/{agent}/work' })).agent).toBeNull();
  });

  it('a detached HEAD (branch null) falls through to unidentified', () => {
    expect(resolveIdentity(inputs({ branch: null })).agent).toBeNull();
  });
});

describe('agentFromBranch', () => {
  it('matches the default pattern', () => {
    expect(agentFromBranch('swarm/{agent}', 'swarm/alice')).toBe('alice');
    expect(agentFromBranch('swarm/{agent}', 'swarm/a.b-c_d')).toBe('a.b-c_d');
  });

  it('is anchored at both ends', () => {
    expect(agentFromBranch('swarm/{agent}', 'x/swarm/alice')).toBeNull();
    expect(agentFromBranch('swarm/{agent}', 'swarm/alice/more')).toBeNull();
    expect(agentFromBranch('swarm/{agent}', 'refs/heads/swarm/alice')).toBeNull();
    expect(agentFromBranch('swarm/{agent}', 'swarmalice')).toBeNull();
  });

  it('is case-sensitive', () => {
    expect(agentFromBranch('swarm/{agent}', 'Swarm/alice')).toBeNull();
    expect(agentFromBranch('swarm/{agent}', 'swarm/Alice')).toBe('Alice');
  });

  it('an agent name is one segment and never empty', () => {
    expect(agentFromBranch('swarm/{agent}', 'swarm/')).toBeNull();
    expect(agentFromBranch('agents/{agent}/work', 'agents//work')).toBeNull();
    expect(agentFromBranch('agents/{agent}/work', 'agents/a/b/work')).toBeNull();
  });

  it('no branch (detached HEAD, unborn) is no agent', () => {
    expect(agentFromBranch('swarm/{agent}', null)).toBeNull();
    expect(agentFromBranch('swarm/{agent}', undefined)).toBeNull();
    expect(agentFromBranch('swarm/{agent}', '')).toBeNull();
  });

  it('treats regex metacharacters in the pattern literally', () => {
    expect(agentFromBranch('team.x/{agent}', 'team.x/alice')).toBe('alice');
    expect(agentFromBranch('team.x/{agent}', 'teamYx/alice')).toBeNull();
    expect(agentFromBranch('a+b/{agent}', 'a+b/alice')).toBe('alice');
    expect(agentFromBranch('a+b/{agent}', 'aab/alice')).toBeNull();
    expect(agentFromBranch('(x)|y/{agent}', '(x)|y/alice')).toBe('alice');
    expect(agentFromBranch('(x)|y/{agent}', 'y/alice')).toBeNull();
  });

  it('supports text on both sides and within a segment', () => {
    expect(agentFromBranch('agent-{agent}', 'agent-bob')).toBe('bob');
    expect(agentFromBranch('{agent}-wip', 'bob-wip')).toBe('bob');
    expect(agentFromBranch('{agent}-wip', 'bob-wip-2')).toBeNull();
    expect(agentFromBranch('w/{agent}.tmp', 'w/bob.tmp')).toBe('bob');
  });
});

describe('branchForAgent', () => {
  it('substitutes the name', () => {
    expect(branchForAgent('swarm/{agent}', 'alice')).toBe('swarm/alice');
    expect(branchForAgent('agents/{agent}/work', 'bob')).toBe('agents/bob/work');
  });

  it('round-trips with agentFromBranch for every valid agent name and pattern', () => {
    const name = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,15}$/);
    const affix = fc.stringMatching(/^[a-z0-9._+()|-]{0,6}$/);
    const pattern = fc
      .tuple(fc.array(affix.filter((s) => s !== ''), { maxLength: 2 }), affix, affix, fc.array(affix.filter((s) => s !== ''), { maxLength: 2 }))
      .map(([dirs, pre, post, tail]) => [...dirs, `${pre}{agent}${post}`, ...tail].join('/'));
    fc.assert(
      fc.property(pattern, name, (p, agent) => {
        expect(agentFromBranch(p, branchForAgent(p, agent))).toBe(agent);
      }),
      { numRuns: 500 },
    );
  });

  it('resolveIdentity finds the agent spawn would name the branch for', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,15}$/), (agent) => {
        const branch = branchForAgent('swarm/{agent}', agent);
        expect(resolveIdentity(inputs({ branch }))).toEqual({ agent, source: 'branch', branch });
      }),
    );
  });
});
