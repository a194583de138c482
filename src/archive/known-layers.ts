// Layers already parsed (from another image, kept in the layer cache) pass unparsed when they
// come again in an export: two images sharing a base parse the base once. An uncompressed layer
// is recognised by its size and the hash of its first 64 KiB, then confirmed by the sha256 of all
// its bytes, which is its diff ID: a member that only looked alike is never taken for the layer
// (the read starts again without shortcuts, see read-image.ts). From a source whose layout is
// trusted to name its layers (the engine's export, read unverified), the layout confirms it
// instead: the caller checks that the member is the layer the manifest says, and the bytes pass
// unhashed.

import { createHash } from 'node:crypto';
import type { LayerContents } from '../model/types.js';
import { diffIdHash, diffIdOf } from './read-layer.js';

/** How much of a layer's start its fingerprint covers. */
export const FINGERPRINT_BYTES = 64 * 1024;

/** The code of the error thrown when a layer that looked known was not: the caller reads again. */
export const NOT_THE_KNOWN_LAYER = 'LAYERSCOPE_NOT_THE_KNOWN_LAYER';

export interface KnownLayer {
  readonly diffId: string;
  readonly contents: LayerContents;
}

export interface KnownLayers {
  /** A layer parsed before with this fingerprint, for the archive member `member` (undefined: parse this one). */
  find?(fingerprint: string, member: string): Promise<KnownLayer | undefined>;
  /** Found layers are confirmed by the caller against the layout, not by hashing their bytes. */
  readonly byLayout?: boolean;
  /** Each uncompressed layer member's fingerprint, for the cache to learn. */
  seen(member: string, fingerprint: string): void;
}

/** `<size>-<sha256 of the first 64 KiB>` of an uncompressed layer tar. */
export function fingerprintOf(size: number, head: Buffer): string {
  return `${size}-${createHash('sha256').update(head.subarray(0, Math.min(size, FINGERPRINT_BYTES))).digest('hex')}`;
}

/**
 * Reads a member that looked like `known` to its end: its contents when its bytes hash to the
 * diff ID (or, `byLayout`, unhashed: the caller checks), else NOT_THE_KNOWN_LAYER.
 */
export async function confirmKnown(member: AsyncIterable<Buffer>, known: KnownLayer, byLayout = false): Promise<LayerContents> {
  if (byLayout) {
    for await (const _ of member);
    return known.contents;
  }
  const hash = diffIdHash();
  for await (const chunk of member) hash.update(chunk);
  if (diffIdOf(hash) !== known.diffId) throw notTheKnownLayer();
  return known.contents;
}

/** The error that makes the caller read again, every layer parsed. */
export function notTheKnownLayer(): Error {
  return Object.assign(new Error('a layer looked known but was not'), { code: NOT_THE_KNOWN_LAYER });
}
