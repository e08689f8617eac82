/**
 * The offset of the first byte that does not begin a well-formed UTF-8 sequence (Unicode's
 * table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF), -1 when all of `bytes` is
 * UTF-8. TextDecoder can refuse such bytes but cannot say where they are.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let trailing: number;
    // The allowed range of the second byte; later bytes are always 0x80–0xBF.
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) trailing = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      trailing = 2;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      trailing = 3;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k <= trailing; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? low : 0x80) || c > (k === 1 ? high : 0xbf)) return i;
    }
    i += trailing + 1;
  }
  return -1;
}
