/**
 * A cheap guess of where the manifest is, from raw `.swarmrc` text, so the hook can ask git for
 * the manifest's blob in its first and only rev-parse. Only speed depends on it: the validated
 * settings are compared with the guess afterwards, and a wrong guess costs one more git call.
 */
export function guessManifestSpec(text: string | null): string {
  const value = (key: string, fallback: string) => {
    const m = new RegExp(`^\\s*["']?${key}["']?\\s*:\\s*["']?([^\\s"',#}]+)`, 'm').exec(text ?? '');
    return m ? m[1]! : fallback;
  };
  return manifestSpec(value('integration', 'main'), value('manifest', '.swarm/manifest.json'));
}

export function manifestSpec(integration: string, manifest: string): string {
  return `refs/heads/${integration}:${manifest}`;
}
