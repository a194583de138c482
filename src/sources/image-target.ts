// Where an image comes from, as the user named it: the engine, a file on disk, or the demo image.

import { UsageError } from '../errors.js';

export type ImageTarget =
  | { readonly kind: 'engine'; readonly reference: string }
  | { readonly kind: 'docker-archive' | 'oci'; readonly reference: string; readonly path: string }
  | { readonly kind: 'demo'; readonly reference: string };

export const DEMO_TARGET: ImageTarget = { kind: 'demo', reference: 'demo' };

export function parseTarget(image: string): ImageTarget {
  for (const kind of ['docker-archive', 'oci'] as const) {
    if (image.startsWith(`${kind}:`)) {
      const path = image.slice(kind.length + 1);
      if (path === '') throw new UsageError(`${kind}: needs a path`, `e.g. ${kind}:./image.tar`);
      return { kind, reference: image, path };
    }
  }
  if (/\s/.test(image) || image === '' || image.startsWith('-')) {
    throw new UsageError(`"${image}" is not an image reference`, 'write it as name[:tag|@digest], docker-archive:PATH or oci:PATH');
  }
  return { kind: 'engine', reference: image };
}
