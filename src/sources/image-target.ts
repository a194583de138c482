// What the user typed for an image → where to read it from. Every form goes through here, for
// the image itself, --builder and --compare alike; engine and registry names through the one
// reference parser, so a name the docker CLI refuses is refused here, before anything is opened.

import { InvalidReferenceError, UsageError } from '../errors.js';
import { isImageId, parseReference, type ImageReference } from './reference.js';

export type ImageTarget =
  | {
      readonly kind: 'engine';
      /** As the user typed it, for messages and reports. */
      readonly reference: string;
      /** What the engine is asked for: a reference or an image ID. */
      readonly name: string;
      /** podman:// asks podman's socket instead of the Docker Engine. */
      readonly engine?: 'podman';
    }
  | { readonly kind: FileKind; readonly reference: string; readonly path: string }
  | { readonly kind: 'registry'; readonly reference: string; readonly image: ImageReference }
  | { readonly kind: 'demo'; readonly reference: string };

/** Images on disk: a `docker save` tar, an OCI layout (directory or tar), skopeo's dir: layout (a directory). */
export type FileKind = 'docker-archive' | 'oci' | 'dir';

export const DEMO_TARGET: ImageTarget = { kind: 'demo', reference: 'demo' };

export const IMAGE_FORMS_HINT =
  'write it as name[:tag|@sha256:…] or an image ID (engine), registry://HOST/REPO[:TAG], docker-archive:PATH, oci:PATH or dir:PATH';

export function parseTarget(image: string): ImageTarget {
  // dive's forms: docker-archive://PATH, docker://REF (the engine), podman://REF.
  if (image.startsWith('docker-archive://')) return fileTarget('docker-archive', image, image.slice('docker-archive://'.length));
  for (const kind of ['docker-archive', 'oci', 'dir'] as const) {
    if (image.startsWith(`${kind}:`)) return fileTarget(kind, image, image.slice(kind.length + 1));
  }
  if (image.startsWith('docker://')) return engineTarget(image, image.slice('docker://'.length));
  if (image.startsWith('podman://')) return { ...engineTarget(image, image.slice('podman://'.length)), engine: 'podman' };
  if (image.startsWith('registry://')) {
    const parsed = parseReference(image.slice('registry://'.length));
    if (!parsed.ok) throw new InvalidReferenceError(image, parsed.problem, IMAGE_FORMS_HINT);
    return { kind: 'registry', reference: image, image: parsed.reference };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(image);
  if (scheme) {
    throw new InvalidReferenceError(image, `layerscope does not read ${scheme[1] ?? ''}:// addresses`, `${IMAGE_FORMS_HINT}; docker:// and podman:// name local images`);
  }
  return engineTarget(image, image);
}

function fileTarget(kind: FileKind, reference: string, path: string): ImageTarget {
  if (path === '') throw new UsageError(`${kind}: needs a path`, `e.g. ${kind}:./image.tar`);
  return { kind, reference, path };
}

function engineTarget(reference: string, name: string): ImageTarget & { kind: 'engine' } {
  if (isImageId(name)) return { kind: 'engine', reference, name };
  const parsed = parseReference(name);
  if (!parsed.ok) {
    const pathLike = name.startsWith('.') || name.startsWith('/') || name.startsWith('~');
    throw new InvalidReferenceError(reference, parsed.problem, pathLike ? `for a file or directory: docker-archive:${name} or oci:${name}` : IMAGE_FORMS_HINT);
  }
  return { kind: 'engine', reference, name };
}
