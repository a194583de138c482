// Image archives on disk: a `docker save` tar (plain or gzip), an OCI image layout (a directory
// or a tar of one), or skopeo's dir: layout (a directory). A directory is streamed as a tar built
// on the fly, so the one archive parser (and its one image chooser) reads every source.

import { constants, createReadStream, type Stats } from 'node:fs';
import { open, readdir, realpath, stat, type FileHandle } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { MAX_DOCUMENT_BYTES } from '../archive/documents.js';
import { normalisePath } from '../archive/paths.js';
import { ArchiveChangedError, ArchiveNotFoundError, FileReadError, InvalidArchiveError, LayerscopeError, UsageError } from '../errors.js';
import { asStored, inLayerOrder } from './layer-order.js';
import type { FileKind } from './image-target.js';

export interface ArchiveFile {
  readonly path: string;
  /** The image to choose inside a multi-image archive, when the reference named one. */
  readonly tag?: string;
  readonly size: number;
  /** A layout directory (OCI or dir:), streamed as a tar built on the fly. */
  readonly directory: boolean;
  /**
   * The file's identity for the layer cache: its real path, device, inode, size and change times.
   * Undefined for a directory (its files change without the directory's times changing).
   */
  readonly identity?: string;
  open(): AsyncIterable<Buffer>;
  /**
   * The file opened again for reads at offsets, checked to be the file `identity` named (the one
   * read): ArchiveChangedError when it was rewritten, truncated, replaced or removed since.
   * Undefined for a directory.
   */
  reopen?(): Promise<FileHandle>;
}

/** Opens `PATH` or `PATH:TAG` (the tag is split off only when PATH alone does not exist). */
export async function openArchiveFile(reference: string, kind: FileKind): Promise<ArchiveFile> {
  const found = await locate(reference);
  if (!found) throw new ArchiveNotFoundError(reference);
  const { path, stats, tag } = found;
  const withTag = tag === undefined ? {} : { tag };
  if (stats.isDirectory()) {
    if (kind === 'docker-archive') {
      throw new UsageError(`${path} is a directory, not a docker save archive`, `for an image layout directory use oci:${path} (OCI) or dir:${path} (skopeo's dir:)`);
    }
    // Checked before the walk: a directory that is no layout can be any size.
    await checkLayoutDirectory(path, kind);
    return { path, ...withTag, size: await directorySize(path), directory: true, open: () => directoryAsTar(path) };
  }
  if (kind === 'dir') {
    throw new UsageError(`${path} is a file, not a directory`, `dir: names the directory skopeo copy … dir:DIR or podman save --format docker-dir writes; for a docker save file use docker-archive:${path}`);
  }
  const identity = await identityOf(path, stats);
  return {
    path,
    ...withTag,
    size: stats.size,
    directory: false,
    identity,
    open: () => readInLayerOrder(path, identity, tag),
    reopen: () => reopenSame(path, identity),
  };
}

/** What names a file's contents as they were: its real path, device, inode, size and change times. */
async function identityOf(path: string, stats: Stats): Promise<string> {
  return JSON.stringify([await realpath(path).catch(() => path), stats.dev, stats.ino, stats.size, stats.mtimeMs, stats.ctimeMs]);
}

/** The file at `path`, when it is still the one `identity` named (checked on the open handle, so it cannot change between check and read). */
async function reopenSame(path: string, identity: string): Promise<FileHandle> {
  const handle = await open(path, 'r').catch(() => {
    throw new ArchiveChangedError(path);
  });
  return checkedSame(handle, path, identity);
}

/** The handle, when its file is still the one `identity` named; closed, and ArchiveChangedError, when not. */
async function checkedSame(handle: FileHandle, path: string, identity: string): Promise<FileHandle> {
  const same = await handle.stat().then(
    async (stats) => stats.isFile() && (await identityOf(path, stats)) === identity,
    () => false,
  );
  if (same) return handle;
  await handle.close();
  throw new ArchiveChangedError(path);
}

/**
 * A directory holds an image layout: an OCI layout's index.json, or the dir: layout's manifest.json
 * with its `version` file (`Directory Transport Version: 1.x`). Which one, the chooser tells from
 * the documents; this only refuses a directory that is neither, before it is walked.
 */
async function checkLayoutDirectory(path: string, kind: 'oci' | 'dir'): Promise<void> {
  if ((await stat(join(path, 'index.json')).catch(() => undefined))?.isFile()) return;
  const version = await readLayoutDocument(path, 'version');
  if (version?.startsWith('Directory Transport Version: 1.') && (await stat(join(path, 'manifest.json')).catch(() => undefined))?.isFile()) return;
  throw new InvalidArchiveError(
    `${kind}:${path}`,
    'the directory is no image layout: it has neither index.json (OCI) nor manifest.json and version (skopeo\'s dir:)',
    'point it at the directory `skopeo copy … oci:DIR` or `skopeo copy … dir:DIR` wrote (podman save --format oci-dir or docker-dir)',
  );
}

/** The file's bytes, layers in the image's order when it can tell (layer-order.ts), from the file checked to be the one opened. */
async function* readInLayerOrder(path: string, identity: string, tag: string | undefined): AsyncGenerator<Buffer> {
  const opened = await open(path, 'r').catch(readError(path));
  // A device or a FIFO (/dev/zero, a pipe) is read as it comes: nothing to seek, no identity to check.
  const regular = await opened.stat().then((stats) => stats.isFile(), () => false);
  const file = regular ? await checkedSame(opened, path, identity) : opened;
  try {
    yield* regular ? inLayerOrder(file, path, tag) : asStored(file);
  } catch (error) {
    readError(path)(error);
  } finally {
    await file.close();
  }
}

/** A failure to open or read the file (permissions, a disk error) is the user's to fix, named; anything else is thrown as it is. */
function readError(path: string): (error: unknown) => never {
  return (error) => {
    const code = (error as { code?: unknown }).code;
    if (error instanceof LayerscopeError || typeof code !== 'string') throw error;
    throw new FileReadError(path, code);
  };
}

async function locate(reference: string): Promise<{ path: string; stats: Stats; tag?: string } | undefined> {
  const whole = await stat(reference).catch((error: unknown) => {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new FileReadError(reference, typeof code === 'string' ? code : undefined);
  });
  if (whole) return { path: reference, stats: whole };
  const colon = reference.lastIndexOf(':');
  if (colon <= 0) return undefined;
  const path = reference.slice(0, colon);
  const stats = await stat(path).catch(() => undefined);
  return stats ? { path, stats, tag: reference.slice(colon + 1) } : undefined;
}

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}

async function directorySize(root: string): Promise<number> {
  let total = 0;
  for (const file of await listFiles(root)) total += (await stat(join(root, file))).size;
  return total;
}

/** The directory's regular files as a tar stream, each file streamed from disk in turn. */
async function* directoryAsTar(root: string): AsyncGenerator<Buffer> {
  // Loaded here, not with the module: most sources are no directory.
  const pack = (await import('tar-stream')).pack();
  void (async () => {
    try {
      for (const file of await listFiles(root)) {
        const { size } = await stat(join(root, file));
        await pipeline(createReadStream(join(root, file)), pack.entry({ name: file, size }));
      }
      pack.finalize();
    } catch (error) {
      pack.destroy(error as Error);
    }
  })();
  yield* pack as AsyncIterable<Buffer>;
}

/**
 * The text of one document of a layout directory (OCI or dir:), opened only when it is a regular file
 * inside the layout (no symlink out of it, no device, no FIFO) and at most MAX_DOCUMENT_BYTES;
 * undefined otherwise. The names come from the image: they are never trusted to stay inside.
 */
export async function readLayoutDocument(root: string, name: string): Promise<string | undefined> {
  const relativeName = normalisePath(name);
  if (relativeName === '' || relativeName !== name) return undefined;
  const inside = await realpath(root).catch(() => undefined);
  const real = await realpath(join(root, relativeName)).catch(() => undefined);
  if (inside === undefined || real === undefined || !real.startsWith(inside + sep)) return undefined;
  const file = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(() => undefined);
  if (!file) return undefined;
  try {
    const stats = await file.stat();
    if (!stats.isFile() || stats.size > MAX_DOCUMENT_BYTES) return undefined;
    const data = Buffer.alloc(stats.size);
    const { bytesRead } = await file.read(data, 0, stats.size, 0);
    return data.subarray(0, bytesRead).toString('utf8');
  } finally {
    await file.close();
  }
}
