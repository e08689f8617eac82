/**
 * Characters no key or value of these files has a use for, and which a misbehaving agent could
 * use to mislead: controls (NUL, escape sequences that repaint a terminal, line breaks that forge
 * report lines), the bidirectional controls that make text display in another order than it is
 * ("Trojan Source"), and unpaired surrogates, which are no characters at all.
 */
const BAD = /\p{Cc}|[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]|\p{Cs}/u;

/** Tab and line feed, where a value may span lines (a shell command given as a YAML block). */
const MULTILINE_ALLOWED = new Set([0x09, 0x0a]);

export interface BadCharacter {
  codePoint: number;
  kind: 'control' | 'bidi' | 'surrogate';
}

export interface CharacterFinding {
  path: PropertyKey[];
  /** The key itself holds the character, rather than its value. */
  inKey: boolean;
  bad: BadCharacter;
}

function badCharacter(text: string, multiline: boolean): BadCharacter | null {
  if (!BAD.test(text)) return null;
  for (const ch of text) {
    const codePoint = ch.codePointAt(0)!;
    if (!BAD.test(ch) || (multiline && MULTILINE_ALLOWED.has(codePoint))) continue;
    const kind = /\p{Cc}/u.test(ch) ? 'control' : /\p{Cs}/u.test(ch) ? 'surrogate' : 'bidi';
    return { codePoint, kind };
  }
  return null;
}

/**
 * Every key and string value of parsed JSON or YAML holding such a character, at its path;
 * `multiline(path)` says where tab and line feed are allowed.
 */
export function characterFindings(value: unknown, multiline: (path: PropertyKey[]) => boolean): CharacterFinding[] {
  const out: CharacterFinding[] = [];
  const walk = (node: unknown, path: PropertyKey[]): void => {
    if (typeof node === 'string') {
      const bad = badCharacter(node, multiline(path));
      if (bad) out.push({ path, inKey: false, bad });
    } else if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, [...path, i]));
    } else if (node !== null && typeof node === 'object' && Object.getPrototypeOf(node) === Object.prototype) {
      for (const [key, item] of Object.entries(node)) {
        const bad = badCharacter(key, false);
        if (bad) out.push({ path: [...path, key], inKey: true, bad });
        walk(item, [...path, key]);
      }
    }
  };
  walk(value, []);
  return out;
}
