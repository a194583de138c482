// Text from an image (paths, instructions, labels) is untrusted. Before it reaches a screen or a
// report, control characters and escape sequences become visible, inert escapes.

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Replaces control characters (C0 except tab and newline, DEL, C1), line/paragraph separators
 * and bidirectional overrides with `\xNN` / `\u{NNNN}` escapes, so no escape sequence or
 * right-to-left trick survives. Newlines and tabs are kept unless `singleLine` is set.
 */
export function sanitizeText(text: string, options: { readonly singleLine?: boolean } = {}): string {
  const escaped = text.replace(CONTROL, escapeChar);
  return options.singleLine ? escaped.replace(/[\t\n]/g, escapeChar) : escaped;
}

function escapeChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/**
 * The one rule for strings from the image in JSON reports: control characters, newlines and tabs
 * included, become visible \xNN escapes (a name with a newline used to keep it raw while \r was
 * escaped).
 */
export function jsonText(value: string): string {
  return sanitizeText(value, { singleLine: true });
}
