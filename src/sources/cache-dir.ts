// Where the layer cache lives, from the user's choices and the environment: --cache-dir, else
// $XDG_CACHE_HOME/layerscope (when absolute, as the XDG spec asks), else ~/.cache/layerscope.

import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { openLayerCache, type LayerCache } from '../cache/layer-cache.js';
import type { ReadChoices } from './read-choices.js';

export type CacheChoices = Pick<ReadChoices, 'noCache' | 'cacheDir' | 'cacheBlobs'>;

/** The cache directory the choices and `env` point at. */
export function cacheDirectory(choices: CacheChoices, env: Readonly<Record<string, string | undefined>>, home = homedir()): string {
  if (choices.cacheDir !== undefined) return resolve(choices.cacheDir);
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(home, '.cache'), 'layerscope');
}

/**
 * The layer cache, or undefined with --no-cache. A default directory that cannot be made (a
 * read-only home) means no cache, not a failed run; a --cache-dir the user named is an error.
 */
export async function cacheFor(choices: CacheChoices, env: Readonly<Record<string, string | undefined>>): Promise<LayerCache | undefined> {
  if (choices.noCache) return undefined;
  const dir = cacheDirectory(choices, env);
  try {
    return await openLayerCache({ dir, ...(choices.cacheBlobs ? { blobs: true } : {}) });
  } catch (error) {
    if (choices.cacheDir === undefined) return undefined;
    const code = (error as { code?: unknown }).code;
    throw new UsageError(`cannot use ${dir} as the layer cache${typeof code === 'string' ? ` (${code})` : ''}`, 'give --cache-dir a directory you can write, or --no-cache');
  }
}
