import { git, splitZ } from './run.js';

/** The value of one gitattribute for a path ('unspecified' when none applies), as git resolves it. */
export async function attributeOf(attribute: string, path: string, cwd?: string): Promise<string> {
  const [, , value] = splitZ(await git(['check-attr', '-z', attribute, '--', path], { cwd }));
  return value ?? 'unspecified';
}

/**
 * One gitattribute for many paths in one `git check-attr --stdin`, from the working tree's
 * .gitattributes (git 2.39 has no --source to read them at a revision).
 */
export async function attributeOfPaths(attribute: string, paths: readonly string[], cwd?: string): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  if (paths.length === 0) return values;
  const fields = splitZ(await git(['check-attr', '-z', '--stdin', attribute], { cwd, input: paths.map((p) => `${p}\0`).join('') }));
  for (let i = 0; i + 2 < fields.length; i += 3) values.set(fields[i]!, fields[i + 2]!);
  return values;
}
