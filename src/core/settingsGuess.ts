/**
 * A cheap guess of the integration branch and the manifest path from raw `.swarmrc` text, so the
 * hook can ask git for the right blobs in its first and only rev-parse. Only speed depends on it:
 * what is validated afterwards is compared with the guess, and a wrong guess costs one more call.
 */
export function guessSettings(text: string | null): { integration: string; manifest: string } {
  const value = (key: string, fallback: string) => {
    const m = new RegExp(`^\\s*["']?${key}["']?\\s*:\\s*["']?([^\\s"',#}]+)`, 'm').exec(text ?? '');
    return m ? m[1]! : fallback;
  };
  return { integration: value('integration', 'main'), manifest: value('manifest', '.swarm/manifest.json') };
}

/** `<rev>:<path>`, as git names a file in a commit (a branch's tip: `refs/heads/main:.swarmrc`). */
export function tipSpec(rev: string, path: string): string {
  return `${rev}:${path}`;
}
