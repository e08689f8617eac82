import { git, splitZ } from './run.js';

/** The value of one gitattribute for a path ('unspecified' when none applies), as git resolves it. */
export async function attributeOf(attribute: string, path: string, cwd?: string): Promise<string> {
  const [, , value] = splitZ(await git(['check-attr', '-z', attribute, '--', path], { cwd }));
  return value ?? 'unspecified';
}
