// YAML values read as the Go libraries behind dive read them (viper's keys in any case, spf13/cast's
// text of a number, strconv's float format), and as written for layerscope's own .layerscope.yml.
// Used by ci-config.ts; pure.

import { isAlias, isScalar, type Document, type YAMLMap } from 'yaml';

/** A mapping's value for a key compared without case, as viper compares keys (the last one written wins). */
export function anyCase(map: YAMLMap, key: string): unknown {
  let found: unknown;
  for (const pair of map.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    if (name.toLowerCase() === key.toLowerCase()) found = pair.value;
  }
  return found;
}

/**
 * What viper's GetString makes of a YAML value (spf13/cast ToString over the decoded value): a
 * string as is, a number in plain decimal with the fewest digits (`2e7` is "20000000", `0.20` is
 * "0.2"), a boolean as "true"/"false"; null for a missing or null value (the default applies);
 * undefined for a list or mapping (cast gives "", which no rule accepts).
 */
export function viperString(doc: Document, node: unknown): string | null | undefined {
  const resolved = isAlias(node) ? node.resolve(doc) : node;
  if (resolved === undefined || resolved === null) return null;
  if (!isScalar(resolved)) return undefined;
  const value = resolved.value;
  if (value === null) return null;
  if (typeof value === 'number') return goFloatText(value);
  if (typeof value === 'bigint') return value.toString();
  return String(value);
}

/** Go's strconv.FormatFloat(x, 'f', -1, 64): the shortest digits that read back as x, never an exponent. */
export function goFloatText(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf';
  const [digits = '', exponent] = String(Math.abs(value)).split('e');
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  if (exponent === undefined) return `${sign}${digits}`;
  const [whole = '', fraction = ''] = digits.split('.');
  const shift = Number(exponent);
  const all = whole + fraction;
  const point = whole.length + shift;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${all}`;
  if (point >= all.length) return `${sign}${all}${'0'.repeat(point - all.length)}`;
  return `${sign}${all.slice(0, point)}.${all.slice(point)}`;
}

/** The document's top node; undefined when empty or null. */
export function yamlTop(doc: Document): unknown {
  return orNull(doc, doc.contents);
}

/** The node an alias points at; undefined for a missing node or a YAML null. */
export function orNull(doc: Document, node: unknown): unknown {
  const resolved = isAlias(node) ? node.resolve(doc) : node;
  return resolved === null || resolved === undefined || (isScalar(resolved) && resolved.value === null) ? undefined : resolved;
}

/** A scalar's text as written (quotes removed); null for a YAML null or a missing node; undefined for a list or mapping (.layerscope.yml). */
export function scalarText(doc: Document, node: unknown): string | null | undefined {
  const resolved = isAlias(node) ? node.resolve(doc) : node;
  if (resolved === undefined || resolved === null) return null;
  if (!isScalar(resolved)) return undefined;
  if (resolved.value === null) return null;
  return resolved.source ?? String(resolved.value);
}

/** The first line of a parser's message. */
export function firstLine(message: string | undefined): string {
  return (message ?? '').split('\n')[0] ?? '';
}
