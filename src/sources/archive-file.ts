// Image archives on disk: a `docker save` tar (plain or gzip) or an OCI image layout (a
// directory or a tar of one). A directory is streamed as a tar built on the fly, so the one
// archive parser reads every source.

import { createReadStream, type Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pack as tarPack } from 'tar-stream';
import { ArchiveNotFoundError, InvalidArchiveError, UsageError } from '../errors.js';

export interface ArchiveFile {
  readonly path: string;
  /** The image to choose inside a multi-image archive, when the reference named one. */
  readonly tag?: string;
  readonly size: number;
  /** An OCI layout directory, streamed as a tar built on the fly. */
  readonly directory: boolean;
  open(): AsyncIterable<Buffer>;
}

/** Opens `PATH` or `PATH:TAG` (the tag is split off only when PATH alone does not exist). */
export async function openArchiveFile(reference: string, kind: 'docker-archive' | 'oci'): Promise<ArchiveFile> {
  const found = await locate(reference);
  if (!found) throw new ArchiveNotFoundError(reference);
  const { path, stats, tag } = found;
  const withTag = tag === undefined ? {} : { tag };
  if (stats.isDirectory()) {
    if (kind === 'docker-archive') {
      throw new UsageError(`${path} is a directory, not a docker save archive`, `for an OCI image layout directory use oci:${path}`);
    }
    // Checked before the walk: a directory that is no layout can be any size.
    if (!(await stat(join(path, 'index.json')).catch(() => undefined))?.isFile()) {
      throw new InvalidArchiveError(`oci:${path}`, 'the directory has no index.json, so it is not an OCI image layout', 'point oci: at the directory holding oci-layout and index.json (skopeo copy … oci:DIR writes one)');
    }
    return { path, ...withTag, size: await directorySize(path), directory: true, open: () => directoryAsTar(path) };
  }
  return {
    path,
    ...withTag,
    size: stats.size,
    directory: false,
    open: () => createReadStream(path, { highWaterMark: 1 << 20 }),
  };
}

async function locate(reference: string): Promise<{ path: string; stats: Stats; tag?: string } | undefined> {
  const whole = await stat(reference).catch(() => undefined);
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
function directoryAsTar(root: string): AsyncIterable<Buffer> {
  const pack = tarPack();
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
  return pack as AsyncIterable<Buffer>;
}
