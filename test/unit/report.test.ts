import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { renderGithub } from '../../src/render/github.js';
import { renderJson } from '../../src/render/json.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { mostSevere, toReport, type RangeReport } from '../../src/render/report.js';
import { renderText } from '../../src/render/text.js';
import type { CommitViolation } from '../../src/core/commitCheck.js';
import { compilePolicy } from '../../src/core/compilePolicy.js';
import { conflicts } from '../../src/core/conflicts.js';
import type { Identity } from '../../src/core/identity.js';
import type { Change } from '../../src/core/model.js';
import { checkChanges, makeRules, type Violation } from '../../src/core/ownership.js';
import { showPath } from '../../src/messages/common.js';
import { conflictDetail, refusal, violationFix, violationReason, type ViolationContext } from '../../src/messages/violations.js';
import { validateManifest, validateSettings } from '../../src/schema/validate.js';

const DESIGN_MANIFEST = {
  version: 1,
  agents: {
    lead: { role: 'lead' },
    alice: { claims: ['src/auth/**', 'test/auth/'], shared: ['CHANGELOG.md'], group: 'backend' },
    bob: { claims: ['src/db/**'], after: ['alice'], group: 'backend' },
    carol: { role: 'reader' },
    dave: { claims: ['src/auth/legacy/**'] },
  },
};

const SOURCE = 'main:.swarm/manifest.json';
const ALICE_CLAIMS = 'src/auth/**, test/auth/, CHANGELOG.md';
/** Holders are named with their exclusive claims only. */
const ALICE_EXCLUSIVE = 'src/auth/**, test/auth/';

function ctxOf(yaml = '', manifest: unknown = DESIGN_MANIFEST, manifestSource = SOURCE): ViolationContext {
  const policy = compilePolicy(validateSettings(yaml, '.swarmrc'), validateManifest(JSON.stringify(manifest), '.swarm/manifest.json'));
  return { policy, manifestSource };
}

const ctx = ctxOf();
const rules = makeRules(ctx.policy);
const SHA1 = '1234567890abcdef1234567890abcdef12345678';
const SHA2 = 'fedcba0987654321fedcba0987654321fedcba09';

const M = (path: string): Change => ({ path, status: 'M' });

function violations(agent: string | null, paths: string[], c: ViolationContext = ctx): Violation[] {
  return checkChanges(makeRules(c.policy), agent, paths.map(M));
}

function inCommit(sha: string, vs: Violation[]): CommitViolation[] {
  return vs.map((v) => ({ ...v, commit: sha }));
}

const v = (over: Partial<Violation> & Pick<Violation, 'code'>): Violation => ({ agent: 'alice', path: null, holders: [], waitFor: [], ...over });

/** The words a POSIX shell makes of `args` (bash does the parsing, not a re-implementation). */
function shellWords(args: string): string[] {
  const out = execFileSync('bash', ['-c', `printf '%s\\0' ${args}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

const alice: Identity = { agent: 'alice', source: 'env', branch: null };
const bob: Identity = { agent: 'bob', source: 'branch', branch: 'swarm/bob' };
const nobody: Identity = { agent: null, source: null, branch: null };

// ---------------------------------------------------------------------------------------------
// messages: violationReason / violationFix
// ---------------------------------------------------------------------------------------------

describe('violationReason', () => {
  it('reader', () => {
    expect(violationReason(v({ code: 'reader', agent: 'carol' }), ctx)).toBe('carol is a reader (read-only) and may not commit');
  });

  it('outside-claims lists the agent’s claims and shared paths', () => {
    expect(violationReason(v({ code: 'outside-claims', path: 'README.md' }), ctx)).toBe(`outside alice's claims (${ALICE_CLAIMS})`);
    const idle = ctxOf('', { version: 1, agents: { idle: {} } });
    expect(violationReason(v({ code: 'outside-claims', agent: 'idle', path: 'x' }), idle)).toBe("outside idle's claims ((none))");
  });

  it('held-by-other names each holder with its claims', () => {
    expect(violationReason(v({ code: 'held-by-other', agent: 'lead', path: 'src/auth/x', holders: ['alice'] }), ctx)).toBe(
      `held exclusively by alice (${ALICE_EXCLUSIVE})`,
    );
    expect(violationReason(v({ code: 'held-by-other', agent: 'lead', path: 'src/auth/legacy/x', holders: ['alice', 'dave'] }), ctx)).toBe(
      `held exclusively by alice (${ALICE_EXCLUSIVE}) and dave (src/auth/legacy/**)`,
    );
  });

  it('held-by-other says who must land first', () => {
    const [held] = violations('bob', ['src/auth/login.ts']);
    expect(violationReason(held!, ctx)).toBe(`held exclusively by alice (${ALICE_EXCLUSIVE}); alice must land first (bob comes after alice)`);
  });

  it('case-collision names the held path it collides with, the holder and why it is one file', () => {
    const [collision] = violations('lead', ['SRC/db/x.ts']);
    expect(violationReason(collision!, ctx)).toBe(
      'differs only in letter case from src/db/x.ts, held exclusively by bob (src/db/**): the same file on case-insensitive file systems (macOS, Windows)',
    );
    expect(violationReason(v({ code: 'case-collision', path: 'lib/A.SQL', holders: ['dave'], twin: null }), ctx)).toBe(
      'differs only in letter case from a path held exclusively by dave (src/auth/legacy/**): the same file on case-insensitive file systems (macOS, Windows)',
    );
    const [waiting] = violations('bob', ['Src/Auth/x.ts']);
    expect(violationReason(waiting!, ctx)).toBe(
      `differs only in letter case from src/auth/x.ts, held exclusively by alice (${ALICE_EXCLUSIVE}): the same file on case-insensitive file systems (macOS, Windows); alice must land first (bob comes after alice)`,
    );
  });

  it('lead-only names the path', () => {
    expect(violationReason(v({ code: 'lead-only', path: '.swarmrc' }), ctx)).toBe('only a lead may change .swarmrc');
  });

  it('unknown-agent names the manifest source and the known agents', () => {
    expect(violationReason(v({ code: 'unknown-agent', agent: 'zed' }), ctx)).toBe(
      `agent "zed" is not in ${SOURCE}; known agents: lead, alice, bob, carol, dave`,
    );
  });

  it('unidentified names the setting', () => {
    expect(violationReason(v({ code: 'unidentified', agent: null }), ctx)).toBe('the commit has no agent identity and .swarmrc sets unidentified: deny');
  });

  it('manifest-conflict names the pair, the first two overlapping globs (shared ones marked), a path both match and how many more', () => {
    const manifest = { version: 1, agents: { ann: { claims: ['src/**'] }, ben: { claims: ['src/db/**', 'lib/x.ts'], shared: ['docs/**'] }, cy: { claims: ['docs/a.md'], after: ['ann'] } } };
    const pairs = conflicts(ctxOf('', manifest).policy).filter((p) => p.status === 'conflict');
    expect(pairs.map((p) => [p.a, p.b])).toEqual([
      ['ann', 'ben'],
      ['ben', 'cy'],
    ]);
    expect(conflictDetail(pairs[0]!)).toBe("ann's src/** and ben's src/db/** both match src/db/a");
    expect(conflictDetail(pairs[1]!)).toBe("ben's docs/** (shared) and cy's docs/a.md both match docs/a.md");
    const twice = { version: 1, agents: { ann: { claims: ['src/**', 'lib/**'] }, ben: { claims: ['src/db/**', 'lib/x.ts'] } } };
    const [pair] = conflicts(ctxOf('', twice).policy);
    expect(conflictDetail(pair!)).toBe("ann's src/** and ben's src/db/** both match src/db/a (and 1 more overlapping glob pair)");
    const detail = conflictDetail(pairs[0]!);
    expect(violationReason(v({ code: 'manifest-conflict', agent: null, path: '.swarm/manifest.json', holders: ['ann', 'ben'], detail }), ctx)).toBe(
      `ann and ben hold overlapping claims and neither comes after the other, so each would refuse the other's commits: ${detail}`,
    );
  });

  it('attribution, with and without a trailer, names the branch from the pattern', () => {
    expect(violationReason(v({ code: 'attribution', agent: null, holders: ['alice'] }), ctx)).toBe(
      "the commit has no Swarm-Agent trailer but is on alice's branch swarm/alice",
    );
    expect(violationReason(v({ code: 'attribution', agent: 'bob', holders: ['alice'] }), ctx)).toBe(
      "the commit is attributed to bob but is on alice's branch swarm/alice",
    );
    const custom = ctxOf('branchPattern: "agents/{agent}/work"');
    expect(violationReason(v({ code: 'attribution', agent: 'bob', holders: ['alice'] }), custom)).toBe(
      "the commit is attributed to bob but is on alice's branch agents/alice/work",
    );
  });
});

describe('violationFix', () => {
  it('reader: hand it to a writer or change the role', () => {
    expect(violationFix(v({ code: 'reader', agent: 'carol' }), ctx, [])).toBe(
      'hand the change to a writer, or ask a lead (lead) to change agents.carol.role in .swarm/manifest.json',
    );
  });

  it('outside-claims: unstage, or have the lead add the claim on the integration branch', () => {
    expect(violationFix(v({ code: 'outside-claims', path: 'README.md' }), ctx, ['README.md', 'docs/x.md'])).toBe(
      'unstage: git restore --staged -- README.md docs/x.md\n    or ask a lead (lead) to add the path to agents.alice.claims in .swarm/manifest.json on main',
    );
  });

  it('held-by-other without ordering: leave it to the holders', () => {
    expect(violationFix(v({ code: 'held-by-other', agent: 'lead', holders: ['alice', 'dave'] }), ctx, ['src/auth/legacy/x'])).toBe(
      'leave it to alice, dave; unstage: git restore --staged -- src/auth/legacy/x\n    or ask a lead (lead) to move the claim in .swarm/manifest.json',
    );
  });

  it('held-by-other with ordering: wait for the earlier agents to land', () => {
    const [held] = violations('bob', ['src/auth/login.ts']);
    expect(violationFix(held!, ctx, ['src/auth/login.ts'])).toBe('wait until alice has landed, or unstage: git restore --staged -- src/auth/login.ts');
  });

  it('case-collision: unstage, then rename or leave it to the holder (or wait for it)', () => {
    const [collision] = violations('lead', ['SRC/db/x.ts']);
    expect(violationFix(collision!, ctx, ['SRC/db/x.ts'])).toBe(
      'unstage: git restore --staged -- SRC/db/x.ts\n    then use a name that differs from the paths of bob by more than letter case, or leave the change to bob',
    );
    const [waiting] = violations('bob', ['Src/Auth/x.ts']);
    expect(violationFix(waiting!, { ...ctx, history: true }, ['Src/Auth/x.ts'])).toBe(
      'rewrite the commit without the path (git rebase -i <base>, drop or edit it)\n    then use a name that differs from the paths of alice by more than letter case, or wait until alice has landed',
    );
  });

  it('lead-only: unstage and ask the lead on the integration branch', () => {
    const c = ctxOf('integration: develop');
    expect(violationFix(v({ code: 'lead-only', path: '.swarmrc' }), c, ['.swarmrc'])).toBe(
      'unstage: git restore --staged -- .swarmrc\n    and ask a lead (lead) to make the change on develop',
    );
  });

  it('unknown-agent and unidentified: how to identify', () => {
    expect(violationFix(v({ code: 'unknown-agent', agent: 'zed' }), ctx, [])).toBe(
      'use a known name (SWARM_AGENT=<name>, git config --worktree swarm.agent <name> (after git config extensions.worktreeConfig true), or a swarm/{agent} branch), or ask a lead (lead) to add "zed" to .swarm/manifest.json',
    );
    expect(violationFix(v({ code: 'unidentified', agent: null }), ctx, [])).toBe(
      'identify yourself: SWARM_AGENT=<name>, git config --worktree swarm.agent <name> (after git config extensions.worktreeConfig true), or a swarm/{agent} branch',
    );
  });

  it('attribution: recommit as the branch agent', () => {
    expect(violationFix(v({ code: 'attribution', agent: 'bob', holders: ['alice'] }), ctx, [])).toBe(
      'recommit as alice (SWARM_AGENT=alice), or move the commit off this branch',
    );
  });

  it('manifest-conflict: order the pair or narrow a claim; git swarm plan, at the head for a range', () => {
    const conflict = { ...v({ code: 'manifest-conflict', agent: null, path: '.swarm/manifest.json', holders: ['ann', 'ben'] }), commit: SHA1 };
    const staged = violationFix({ ...conflict, commit: 'staged' }, ctx, ['.swarm/manifest.json']);
    expect(staged).toBe(
      'order them (add "ann" to agents.ben.after in .swarm/manifest.json: ben then waits until ann has landed), or narrow a claim so no path matches both; every conflicting pair: git swarm plan',
    );
    expect(violationFix(conflict, { ...ctx, history: true }, [])).toContain(`every conflicting pair: git swarm plan --rev ${SHA1}`);
  });

  it('names every lead, and says "a lead" when there is none', () => {
    const two = ctxOf('', { version: 1, agents: { l1: { role: 'lead' }, w: {}, l2: { role: 'lead' } } });
    expect(violationFix(v({ code: 'reader', agent: 'w' }), two, [])).toContain('ask a lead (l1, l2) to');
    const none = ctxOf('', { version: 1, agents: { w: {} } });
    expect(violationFix(v({ code: 'reader', agent: 'w' }), none, [])).toContain('ask a lead to');
  });

  it('for commits that already exist, says to rewrite them instead of unstaging', () => {
    const fix = violationFix(v({ code: 'outside-claims', path: 'README.md' }), { ...ctx, history: true }, ['README.md']);
    expect(fix).toContain('rewrite the commit without the path (git rebase -i <base>');
    expect(fix).not.toContain('git restore');
  });

  it('uses the configured manifest path', () => {
    const c = ctxOf('manifest: config/swarm.json');
    expect(violationFix(v({ code: 'outside-claims', path: 'x' }), c, ['x'])).toContain('agents.alice.claims in config/swarm.json on main');
  });

  it('the unstage command names exactly the paths, as a shell reads them', () => {
    const paths = ['plain.txt', 'with space.txt', "it's.txt", '$HOME', '`cmd`', 'a*b?', '-leading-dash', 'ünï.txt', 'semi;colon', 'back\\slash'];
    const fix = violationFix(v({ code: 'held-by-other', agent: 'bob', holders: ['alice'], waitFor: ['alice'] }), ctx, paths);
    const args = fix.slice(fix.indexOf('git restore --staged -- ') + 'git restore --staged -- '.length);
    expect(shellWords(args)).toEqual(paths);
    expect(args).toContain("'with space.txt'");
    expect(args).toContain("'it'\\''s.txt'");
    expect(args.startsWith('plain.txt ')).toBe(true);
  });
});

describe('showPath', () => {
  it('leaves ordinary paths, spaces and unicode alone and escapes control characters', () => {
    expect(showPath('src/a.ts')).toBe('src/a.ts');
    expect(showPath('with space/ü.ts')).toBe('with space/ü.ts');
    expect(showPath('a\nb')).toBe('"a\\nb"');
    expect(showPath('tab\there')).toBe('"tab\\there"');
  });

  it('escapes DEL (\\x7f), which it counts as a control character', () => {
    expect(showPath('del\x7f')).toBe('"del\\u007f"');
  });
});

// ---------------------------------------------------------------------------------------------
// refusal: what a hook prints
// ---------------------------------------------------------------------------------------------

describe('refusal', () => {
  it('names the agent, where its identity came from and the manifest source', () => {
    const out = refusal('commit', alice, violations('alice', ['README.md']), ctx);
    expect(out.split('\n')[0]).toBe(`git-swarm: commit refused for alice (from SWARM_AGENT), against ${SOURCE}:`);
    expect(refusal('commit', bob, violations('bob', ['x']), ctx).split('\n')[0]).toBe(
      `git-swarm: commit refused for bob (from branch swarm/bob), against ${SOURCE}:`,
    );
    const denied = ctxOf('unidentified: deny');
    expect(refusal('commit', nobody, violations(null, ['x'], denied), denied).split('\n')[0]).toBe(
      `git-swarm: commit refused for an unidentified committer, against ${SOURCE}:`,
    );
  });

  it('lists each path, the holder and a git restore command for exactly those paths', () => {
    const out = refusal('commit', bob, violations('bob', ['src/auth/login.ts', 'src/auth/session.ts', 'src/db/ok.sql']), ctx);
    expect(out).toBe(
      [
        `git-swarm: commit refused for bob (from branch swarm/bob), against ${SOURCE}:`,
        `  ✗ held exclusively by alice (${ALICE_EXCLUSIVE}); alice must land first (bob comes after alice):`,
        '      src/auth/login.ts',
        '      src/auth/session.ts',
        '    fix: wait until alice has landed, or unstage: git restore --staged -- src/auth/login.ts src/auth/session.ts',
        '  (the same rule runs in prepare-commit-msg, pre-push and CI: --no-verify does not get past it)',
      ].join('\n'),
    );
  });

  it('groups by kind and holder, one fix per group', () => {
    const vs = violations('lead', ['src/auth/a.ts', 'src/db/b.sql', 'src/auth/c.ts', 'src/auth/legacy/d.ts']);
    const out = refusal('commit', { agent: 'lead', source: 'config', branch: null }, vs, ctx);
    const lines = out.split('\n');
    expect(lines.filter((l) => l.startsWith('  ✗ '))).toEqual([
      `  ✗ held exclusively by alice (${ALICE_EXCLUSIVE}):`,
      '  ✗ held exclusively by bob (src/db/**):',
      `  ✗ held exclusively by alice (${ALICE_EXCLUSIVE}) and dave (src/auth/legacy/**):`,
    ]);
    expect(lines.filter((l) => l.startsWith('    fix: '))).toEqual([
      '    fix: leave it to alice; unstage: git restore --staged -- src/auth/a.ts src/auth/c.ts',
      '    fix: leave it to bob; unstage: git restore --staged -- src/db/b.sql',
      '    fix: leave it to alice, dave; unstage: git restore --staged -- src/auth/legacy/d.ts',
    ]);
    expect(lines.filter((l) => l.startsWith('      '))).toEqual([
      '      src/auth/a.ts',
      '      src/auth/c.ts',
      '      src/db/b.sql',
      '      src/auth/legacy/d.ts',
    ]);
  });

  it('lists case collisions under one reason, each path with the held path it collides with', () => {
    const out = refusal('commit', { agent: 'lead', source: 'env', branch: null }, violations('lead', ['SRC/db/a.ts', 'Src/DB/b.ts', 'src/db/c.ts']), ctx);
    expect(out.split('\n').slice(1, -1)).toEqual([
      '  ✗ differs only in letter case from a path held exclusively by bob (src/db/**): the same file on case-insensitive file systems (macOS, Windows):',
      '      SRC/db/a.ts (collides with src/db/a.ts)',
      '      Src/DB/b.ts (collides with src/db/b.ts)',
      '    fix: unstage: git restore --staged -- SRC/db/a.ts Src/DB/b.ts',
      '    then use a name that differs from the paths of bob by more than letter case, or leave the change to bob',
      '  ✗ held exclusively by bob (src/db/**):',
      '      src/db/c.ts',
      '    fix: leave it to bob; unstage: git restore --staged -- src/db/c.ts',
      '    or ask a lead (lead) to move the claim in .swarm/manifest.json',
    ]);
  });

  it('mixes kinds: outside-claims and lead-only each get their own fix', () => {
    const out = refusal('commit', alice, violations('alice', ['README.md', '.swarm/manifest.json', 'lib/x.ts']), ctx);
    expect(out).toContain(`  ✗ outside alice's claims (${ALICE_CLAIMS}):\n      README.md\n      lib/x.ts\n    fix: unstage: git restore --staged -- README.md lib/x.ts\n`);
    expect(out).toContain('  ✗ only a lead may change .swarm/manifest.json:\n      .swarm/manifest.json\n    fix: unstage: git restore --staged -- .swarm/manifest.json\n');
  });

  it('whole-commit violations have no path list and no restore command', () => {
    const reader = refusal('commit', { agent: 'carol', source: 'env', branch: null }, violations('carol', []), ctx);
    expect(reader).toContain('  ✗ carol is a reader (read-only) and may not commit\n    fix: hand the change to a writer');
    expect(reader).not.toContain('git restore');
    const unknown = refusal('commit', { agent: 'zed', source: 'env', branch: null }, violations('zed', ['a', 'b']), ctx);
    expect(unknown).toContain(`  ✗ agent "zed" is not in ${SOURCE}; known agents: lead, alice, bob, carol, dave\n    fix: use a known name`);
    expect(unknown).not.toContain('git restore');
  });

  it('quotes paths with spaces in the command and lists them as they are', () => {
    const out = refusal('commit', alice, violations('alice', ['docs/my notes.md', "it's.md"]), ctx);
    expect(out).toContain('      docs/my notes.md\n');
    expect(out).toContain("      it's.md\n");
    expect(out).toContain("git restore --staged -- 'docs/my notes.md' 'it'\\''s.md'");
    const args = out.split('git restore --staged -- ')[1]!.split('\n')[0]!;
    expect(shellWords(args)).toEqual(['docs/my notes.md', "it's.md"]);
  });

  it('escapes newlines in paths: the listing and every other line stay intact', () => {
    const path = 'docs/new\nline.md';
    const out = refusal('commit', alice, violations('alice', [path, 'README.md']), ctx);
    expect(out).toContain('      "docs/new\\nline.md"\n');
    // no line of the refusal is a fragment of a path broken by its newline
    expect(out).not.toContain(path);
    for (const line of out.split('\n').slice(1)) expect(line.startsWith('  ')).toBe(true);
  });

  it('caps long path lists with "… and N more"', () => {
    const paths = Array.from({ length: 25 }, (_, i) => `lib/file${String(i).padStart(2, '0')}.ts`);
    const out = refusal('commit', alice, violations('alice', paths), ctx);
    const listed = out.split('\n').filter((l) => /^ {6}lib\//.test(l));
    expect(listed).toEqual(paths.slice(0, 20).map((p) => `      ${p}`));
    expect(out).toContain('      … and 5 more\n');
    expect(out).not.toContain('lib/file20.ts\n');
  });

  it('does not add "… and N more" at the cap, and says "1 more" just over it', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => `lib/f${i}.ts`);
    expect(refusal('commit', alice, violations('alice', twenty), ctx)).not.toContain('more');
    const out = refusal('commit', alice, violations('alice', [...twenty, 'lib/extra.ts']), ctx);
    expect(out).toContain('      … and 1 more\n');
  });

  it('ends with the reminder that --no-verify does not get past the rule', () => {
    const out = refusal('commit', alice, violations('alice', ['x']), ctx);
    expect(out.split('\n').at(-1)).toBe('  (the same rule runs in prepare-commit-msg, pre-push and CI: --no-verify does not get past it)');
  });
});

// ---------------------------------------------------------------------------------------------
// CI reports: text, json, github
// ---------------------------------------------------------------------------------------------

function rep(what: 'check' | 'push', checked: number, vs: CommitViolation[], c: ViolationContext, limit: number | null = null): RangeReport {
  return { what, checked, manifest: c.manifestSource, looked: c.manifestSource, violations: toReport(vs, c), limit };
}

describe('toReport', () => {
  it('one entry per violation with a one-line message and fix', () => {
    const report = toReport(inCommit(SHA1, violations('alice', ['README.md'])), ctx);
    expect(report).toEqual([
      {
        commit: SHA1,
        agent: 'alice',
        path: 'README.md',
        code: 'outside-claims',
        message: `outside alice's claims (${ALICE_CLAIMS})`,
        fix: 'unstage: git restore --staged -- README.md or ask a lead (lead) to add the path to agents.alice.claims in .swarm/manifest.json on main',
      },
    ]);
  });

  it('keeps a path with a newline intact in the fix command', () => {
    const path = 'docs/new\nline.md';
    const [entry] = toReport(inCommit(SHA1, violations('alice', [path])), ctx);
    expect(entry!.path).toBe(path);
    expect(entry!.fix).not.toContain('\n');
    const args = entry!.fix.slice('unstage: git restore --staged -- '.length, entry!.fix.indexOf(' or ask a lead'));
    expect(shellWords(args)).toEqual([path]);
  });
});

describe('renderJson', () => {
  it('clean: ok true, the count, no violations', () => {
    expect(JSON.parse(renderJson(rep('check', 3, [], ctx)))).toEqual({ ok: true, checked: 3, manifest: SOURCE, total: 0, omitted: 0, violations: [] });
  });

  it('has the shape {ok, checked, violations: [{commit, agent, path, code, message, fix}]}', () => {
    const vs = [
      ...inCommit(SHA1, violations('alice', ['README.md', 'src/auth/ok.ts'])),
      ...inCommit(SHA2, [{ code: 'attribution', agent: null, path: null, holders: ['bob'], waitFor: [] }]),
      ...inCommit(SHA2, violations('bob', ['src/auth/x.ts'])),
    ];
    const parsed = JSON.parse(renderJson(rep('check', 2, vs, ctx))) as { ok: boolean; checked: number; violations: Array<Record<string, unknown>> };
    expect(parsed.ok).toBe(false);
    expect(parsed.checked).toBe(2);
    expect(parsed.violations).toHaveLength(3);
    for (const entry of parsed.violations) {
      expect(Object.keys(entry).sort()).toEqual(['agent', 'code', 'commit', 'fix', 'message', 'path']);
      expect(typeof entry.message).toBe('string');
      expect(typeof entry.fix).toBe('string');
      expect(entry.fix as string).not.toMatch(/\n/);
    }
    expect(parsed.violations.map((e) => [e.commit, e.agent, e.path, e.code])).toEqual([
      [SHA1, 'alice', 'README.md', 'outside-claims'],
      [SHA2, null, null, 'attribution'],
      [SHA2, 'bob', 'src/auth/x.ts', 'held-by-other'],
    ]);
    expect(parsed.violations[1]!.fix).toBe('recommit as bob (SWARM_AGENT=bob), or move the commit off this branch');
  });

  it('is one line of valid JSON even with awkward paths', () => {
    const out = renderJson(rep('check', 1, inCommit(SHA1, violations('alice', ['a\nb', 'q"uote', 'back\\slash', 'ü'])), ctx));
    expect(out).not.toContain('\n');
    const parsed = JSON.parse(out) as { violations: Array<{ path: string }> };
    expect(parsed.violations.map((e) => e.path)).toEqual(['a\nb', 'q"uote', 'back\\slash', 'ü']);
  });
});

describe('renderText', () => {
  it('clean, with singular and plural', () => {
    expect(renderText(rep('check', 3, [], ctx))).toBe(`git-swarm: check: 3 commits checked against ${SOURCE}, no violations.`);
    expect(renderText(rep('push', 1, [], ctx))).toBe(`git-swarm: push: 1 commit checked against ${SOURCE}, no violations.`);
  });

  it('lists each violation and one fix per code', () => {
    const vs = [
      ...inCommit(SHA1, violations('alice', ['README.md', 'lib/x.ts'])),
      ...inCommit(SHA2, [{ code: 'attribution', agent: 'bob', path: null, holders: ['alice'], waitFor: [] }]),
      ...inCommit(SHA2, violations('bob', ['docs/a.md'])),
    ];
    const lines = renderText(rep('check', 2, vs, ctx)).split('\n');
    expect(lines.slice(0, 5)).toEqual([
      `git-swarm: check refused: 4 violations in 2 commits, against ${SOURCE}:`,
      `  ✗ 1234567890 alice README.md: outside alice's claims (${ALICE_CLAIMS})`,
      `  ✗ 1234567890 alice lib/x.ts: outside alice's claims (${ALICE_CLAIMS})`,
      "  ✗ fedcba0987 bob: the commit is attributed to bob but is on alice's branch swarm/alice",
      "  ✗ fedcba0987 bob docs/a.md: outside bob's claims (src/db/**)",
    ]);
    // one fix per code, in order of first appearance, each on one line
    const fixes = lines.slice(5);
    expect(fixes).toHaveLength(2);
    expect(fixes[0]!.startsWith('  fix (outside-claims): unstage: git restore --staged -- README.md')).toBe(true);
    expect(fixes[0]).toContain(' or ask a lead (lead) to add the path to agents.alice.claims in .swarm/manifest.json on main');
    expect(fixes[1]).toBe('  fix (attribution): recommit as alice (SWARM_AGENT=alice), or move the commit off this branch');
  });

  it('singular violation and commit; unidentified committers; escaped paths', () => {
    const denied = ctxOf('unidentified: deny');
    const out = renderText(rep('push', 1, inCommit(SHA1, violations(null, ['x'], denied)), denied));
    expect(out.split('\n')[0]).toBe(`git-swarm: push refused: 1 violation in 1 commit, against ${SOURCE}:`);
    expect(out.split('\n')[1]).toBe('  ✗ 1234567890 (unidentified): the commit has no agent identity and .swarmrc sets unidentified: deny');
    const nl = renderText(rep('check', 1, inCommit(SHA1, violations('alice', ['a\nb.md'])), ctx));
    expect(nl.split('\n')[1]).toBe(`  ✗ 1234567890 alice "a\\nb.md": outside alice's claims (${ALICE_CLAIMS})`);
  });
});

describe('renderGithub', () => {
  it('one ::error annotation per violation, then the summary line', () => {
    const out = renderGithub(rep('check', 2, inCommit(SHA1, violations('alice', ['README.md'])), ctx));
    expect(out.split('\n')).toEqual([
      `::error file=README.md,title=git-swarm outside-claims::1234567890 alice: outside alice's claims (${ALICE_CLAIMS}). Fix: unstage: git restore --staged -- README.md or ask a lead (lead) to add the path to agents.alice.claims in .swarm/manifest.json on main`,
      `git-swarm check: 1 violation in 2 commits, against ${SOURCE}`,
    ]);
  });

  it('whole-commit violations have no file property', () => {
    const out = renderGithub(rep('check', 1, inCommit(SHA2, [{ code: 'attribution', agent: null, path: null, holders: ['bob'], waitFor: [] }]), ctx));
    expect(out.split('\n')[0]).toBe(
      "::error title=git-swarm attribution::fedcba0987 (unidentified): the commit has no Swarm-Agent trailer but is on bob's branch swarm/bob. Fix: recommit as bob (SWARM_AGENT=bob), or move the commit off this branch",
    );
  });

  it('escapes %, :, , and newlines in the file property', () => {
    const path = 'src/db/50%:done,x\ny.sql';
    const [line] = renderGithub(rep('check', 1, inCommit(SHA1, violations('alice', [path])), ctx)).split('\n');
    expect(line!.startsWith('::error file=src/db/50%25%3Adone%2Cx%0Ay.sql,title=git-swarm outside-claims::')).toBe(true);
  });

  it('escapes % and newlines (but not : or ,) in the message', () => {
    const path = 'src/db/50%:done,x.sql';
    const [line] = renderGithub(rep('check', 1, inCommit(SHA1, violations('alice', [path])), ctx)).split('\n');
    const data = line!.slice(line!.indexOf('::', 2) + 2);
    expect(data).toBe(
      `1234567890 alice: outside alice's claims (${ALICE_CLAIMS}). Fix: unstage: git restore --staged -- 'src/db/50%25:done,x.sql' or ask a lead (lead) to add the path to agents.alice.claims in .swarm/manifest.json on main`,
    );
    // a path with a newline: escaped in the file property, shell-quoted in the fix, one line each
    const out = renderGithub(rep('check', 1, inCommit(SHA1, violations('alice', ['docs/new\nline.md'])), ctx));
    const first = out.split('\n')[0]!;
    expect(first.startsWith('::error file=docs/new%0Aline.md,title=git-swarm outside-claims::')).toBe(true);
    expect(first).toContain("git restore --staged -- $'docs/new\\x0aline.md'");
    expect(out.split('\n')).toHaveLength(2);
  });

  it('escapes carriage returns too', () => {
    const [line] = renderGithub(rep('check', 1, inCommit(SHA1, violations('alice', ['a\rb'])), ctx)).split('\n');
    expect(line!.startsWith('::error file=a%0Db,')).toBe(true);
    expect(line).not.toContain('\r');
  });

  it('escapes % in agent names of the message', () => {
    const [line] = renderGithub(rep('check', 1, inCommit(SHA1, violations('50%', ['x'])), ctx)).split('\n');
    expect(line).toBe(
      `::error title=git-swarm unknown-agent::1234567890 50%25: agent "50%25" is not in ${SOURCE}; known agents: lead, alice, bob, carol, dave. Fix: use a known name (SWARM_AGENT=<name>, git config --worktree swarm.agent <name> (after git config extensions.worktreeConfig true), or a swarm/{agent} branch), or ask a lead (lead) to add "50%25" to .swarm/manifest.json`,
    );
  });

  it('never emits a line that is not an annotation or the summary', () => {
    const vs = inCommit(SHA1, violations('alice', ['a\nb', 'c\r\nd', '%0A', 'e:f,g']));
    const lines = renderGithub(rep('check', 1, vs, ctx)).split('\n');
    expect(lines).toHaveLength(5);
    for (const l of lines.slice(0, 4)) expect(l.startsWith('::error file=')).toBe(true);
    expect(lines[2]!.startsWith('::error file=%250A,')).toBe(true);
  });
});
