// Paths inside image archives and layer tars come from the image: normalise them once, here,
// so the model never sees `./`, `//`, `..` escapes or trailing slashes.

import { posix } from 'node:path';

/**
 * Normalises a tar entry name to a path relative to the root: `./usr//bin/` → `usr/bin`.
 * `..` cannot climb above the root. The root itself becomes the empty string.
 */
export function normalisePath(name: string): string {
  const cleaned = posix.normalize('/' + name);
  return cleaned === '/' ? '' : cleaned.replace(/\/+$/, '').slice(1);
}

/** The directory part of a normalised path (`''` for top-level names). */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** The last segment of a normalised path. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Joins a parent and a name, both normalised. */
export function joinPath(parent: string, name: string): string {
  return parent === '' ? name : `${parent}/${name}`;
}
