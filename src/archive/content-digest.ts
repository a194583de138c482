// File digests: how the parse hashes each regular file's content, and how the file viewer checks
// a file read alone against what the parse found.

import type { IHasher } from 'hash-wasm';

/**
 * File digests only ever compare files with each other (a rewrite with the same bytes, a file a
 * COPY --from carried over), so they use XXH3-128, which runs at about 4x sha256's speed here;
 * sha256 stays where it must match the outside world: the diff IDs.
 */
export const DIGEST_ALGORITHM = 'xxh128';

/**
 * A hasher for file digests (DIGEST_ALGORITHM); `contentDigest` reads what it hashed. From the
 * library's build of this one algorithm: its whole build (every algorithm's WebAssembly) took
 * about 75 ms to load and start, on the way to a worker's first layer; this one, about 40.
 */
export async function contentHasher(): Promise<IHasher> {
  return (await import('hash-wasm/dist/xxhash128.umd.min.js')).default.createXXHash128();
}

/** The digest of what `hasher` took since its last init(), as entries hold it. */
export function contentDigest(hasher: IHasher): string {
  return `${DIGEST_ALGORITHM}:${hasher.digest('hex')}`;
}

/** The digest of no bytes, worked out once: empty files are common, and each would hold its own copy. */
let empty: Promise<string> | undefined;
export function emptyDigest(hasher: IHasher): Promise<string> {
  empty ??= (async () => {
    hasher.init();
    return contentDigest(hasher);
  })();
  return empty;
}
