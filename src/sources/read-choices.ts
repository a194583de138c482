// What the user chose about reaching and reading an image (from the command line).

import type { Platform } from '../model/platform.js';

/** How to reach and read an image: the same for the image, its builder and the version it is compared with. */
export interface ReadChoices {
  readonly host?: string;
  readonly platform?: Platform;
  /** --tls-verify=false: a registry's certificate is not checked (and plain HTTP is allowed). */
  readonly tlsVerify?: boolean;
  readonly hashContent: boolean;
  /** --timeout: how long the engine may stay silent, in milliseconds (DEFAULT_TIMEOUT_MS otherwise). */
  readonly timeoutMs?: number;
  /** --max-entries: stop reading beyond this many entries (sized from the heap otherwise). */
  readonly maxEntries?: number;
  /** --no-cache: read every layer from the source and keep nothing (the layer cache is on otherwise). */
  readonly noCache?: true;
  /** --cache-dir: the layer cache's directory (the XDG cache directory's `layerscope` otherwise). */
  readonly cacheDir?: string;
  /** --cache-blobs: keep layer blobs in the cache too, for the file viewer. */
  readonly cacheBlobs?: true;
}
