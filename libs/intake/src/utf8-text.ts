const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The text of `bytes` when they are well-formed UTF-8, else undefined (a lenient decode then
 * puts U+FFFD in place of the bad bytes, so only well-formed bytes may be stored as they came).
 * A byte order mark is kept, as in a lenient decode, so JSON.parse refuses it alike. One pass:
 * it checks and decodes at the cost of decoding alone.
 */
export function wellFormedUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strict.decode(bytes);
  } catch {
    return undefined;
  }
}
