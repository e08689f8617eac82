/** Deeper than any manifest needs (four levels); the scanner recurses, so it stops well before the stack does. */
export const MAX_JSON_DEPTH = 64;

/** A key given twice in one object: its path and the offsets of both occurrences. */
export interface DuplicateKey {
  path: Array<string | number>;
  first: number;
  second: number;
}

export type JsonScan =
  | { ok: true; duplicates: DuplicateKey[] }
  | { ok: false; offset: number; reason: 'syntax' | 'depth' };

class Stop {
  constructor(
    readonly offset: number,
    readonly reason: 'syntax' | 'depth',
  ) {}
}

/**
 * A hand-written pass over JSON text, for what JSON.parse does not say: where a syntax error is
 * (Node 20 reports no position for "Unexpected token", and every error here names its line and
 * column), and which keys an object repeats (JSON.parse keeps the last one without a word).
 * Keys are compared decoded, so "b\u006fb" repeats "bob".
 */
export function scanJson(text: string): JsonScan {
  let i = 0;
  const path: Array<string | number> = [];
  const duplicates: DuplicateKey[] = [];
  const fail = (): never => {
    throw new Stop(i, 'syntax');
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const literal = (word: string) => {
    for (const ch of word) if (text[i++] !== ch) (i--, fail());
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          for (let k = 1; k <= 4; k++) if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) (i += k, fail());
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i++;
    }
    if (text[i] !== '"') fail();
    i++;
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m || m[0] === '' || m[0] === '-') fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if ((ch === '{' || ch === '[') && path.length >= MAX_JSON_DEPTH) throw new Stop(i, 'depth');
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      const seen = new Map<string, number>();
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        const start = i;
        string();
        const key = JSON.parse(text.slice(start, i)) as string;
        const first = seen.get(key);
        if (first === undefined) seen.set(key, start);
        else duplicates.push({ path: [...path, key], first, second: start });
        ws();
        if (text[i] !== ':') fail();
        i++;
        path.push(key);
        value();
        path.pop();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    } else if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (let index = 0; ; index++) {
        path.push(index);
        value();
        path.pop();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    } else if (ch === '"') string();
    else if (ch === 't') literal('true');
    else if (ch === 'f') literal('false');
    else if (ch === 'n') literal('null');
    else number();
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
    return { ok: true, duplicates };
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    return { ok: false, offset: Math.min(error.offset, text.length), reason: error.reason };
  }
}
