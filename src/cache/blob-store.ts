// Layer blobs in the layer cache (--cache-blobs), named by diff ID: written as they pass during a
// read (a temporary file, renamed once the layout says which layer it was), read back for the
// explorer's file viewer without following links.

import { constants } from 'node:fs';
import { lstat, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { commitTemp, createTemp, diffIdFileName, remove, touch } from './cache-files.js';

/**
 * A blob being written: bytes go to `write`, then `commit` with the layer's diff ID once known.
 * Writes overlap the read (one in flight), and a write that fails (a full disk) stops keeping the
 * blob, never the read.
 */
export interface BlobWriter {
  /** Queues a chunk; resolves once the chunk before it is written. */
  write(chunk: Buffer): Promise<void>;
  /** The blob's last byte has been queued: flush it to disk now, while the next one is read. */
  end(): void;
  commit(diffId: string): Promise<void>;
  abort(): Promise<void>;
}

export interface BlobStore {
  /** The kept blob of a layer: its path, or undefined. */
  blobOf(diffId: string): Promise<string | undefined>;
  /** The kept blob opened for reads at offsets (never through a link), or undefined when none is kept. */
  openBlob(diffId: string): Promise<{ readonly handle: FileHandle; readonly size: number } | undefined>;
  /** Starts keeping a blob (only when the cache keeps blobs). */
  startBlob(): Promise<BlobWriter>;
}

export function blobStore(dir: string): BlobStore {
  const blobPath = (diffId: string): string | undefined => {
    const name = diffIdFileName(diffId);
    return name === undefined ? undefined : join(dir, name);
  };
  return {
    async blobOf(diffId) {
      const path = blobPath(diffId);
      const stat = path === undefined ? undefined : await lstat(path).catch(() => undefined);
      if (path === undefined || !stat?.isFile()) return undefined;
      await touch(path);
      return path;
    },
    async openBlob(diffId) {
      const path = blobPath(diffId);
      const handle = path === undefined ? undefined : await open(path, constants.O_RDONLY | constants.O_NOFOLLOW).catch(() => undefined);
      if (path === undefined || !handle) return undefined;
      const stat = await handle.stat();
      if (!stat.isFile()) {
        await handle.close();
        return undefined;
      }
      await touch(path);
      return { handle, size: stat.size };
    },
    async startBlob() {
      return blobWriter(await createTemp(join(dir, 'blob')), blobPath);
    },
  };
}

function blobWriter(temp: { readonly path: string; readonly handle: FileHandle }, blobPath: (diffId: string) => string | undefined): BlobWriter {
  let closed = false;
  let failed = false;
  let pending: Promise<void> = Promise.resolve();
  let ended: Promise<void> | undefined;
  const settle = (step: () => Promise<unknown>): Promise<void> => {
    const before = pending;
    pending = before.then(async () => {
      if (failed) return;
      await step().catch(() => {
        failed = true;
      });
    });
    return before;
  };
  const abort = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await pending;
    await temp.handle.close().catch(() => undefined);
    await remove(temp.path);
  };
  return {
    write: (chunk) => settle(() => temp.handle.write(chunk)),
    end() {
      ended ??= settle(() => temp.handle.sync()).then(() => pending);
    },
    async commit(diffId) {
      const path = blobPath(diffId);
      await (ended ?? pending);
      if (path === undefined || failed || closed) return abort();
      closed = true;
      await commitTemp(temp, path, ended !== undefined);
    },
    abort,
  };
}
