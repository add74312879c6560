/**
 * Text every store can hold. PostgreSQL text is UTF-8 without NUL; a JS string may carry a NUL or half a
 * UTF-16 surrogate pair, neither of which any stored value can hold.
 */

/** Half a UTF-16 surrogate pair: not a character, and not writable as UTF-8. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * `text` with U+FFFD in place of each NUL and each half surrogate pair.
 * @example storableText('a\u0000b') === 'a\uFFFDb'
 */
export function storableText(text: string): string {
  return text.replaceAll('\0', '\uFFFD').replace(new RegExp(LONE_SURROGATE.source, 'g'), '\uFFFD');
}
